"""Safe by default: escaped HTML, article text never run as a template, PDFs fetch nothing
outside the project."""

import re

import pytest
from conftest import article, make_project, publish

from pipeline.channels.print.pdf import ProjectFetcher

HOSTILE = article(
    title='"<script>alert(1)</script> {{ 7*7 }}"',
    body="Jinja {{ 7*7 }} and {% raw %} and {{ config.site }} stay literal.\n",
)


def test_title_is_escaped_and_jinja_in_articles_stays_literal(tmp_path):
    root = make_project(tmp_path, {"hostile.md": HOSTILE})
    result = publish("build", "--strict", cwd=root)
    assert result.exit_code == 0, result.output
    page = (root / "output/web/hostile/index.html").read_text()
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}</h1>" in page
    # The only script is the JSON-LD data block, where the title stays data (`</` escaped).
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert '"headline": "<script>alert(1)<\\/script> {{ 7*7 }}"' in data[1]
    assert "<script" not in page.replace(data[0], "")
    assert "Jinja {{ 7*7 }} and {% raw %} and {{ config.site }} stay literal." in page
    text = (root / "output/email/hostile.txt").read_text()
    assert "<script>alert(1)</script> {{ 7*7 }}" in text
    assert "Jinja {{ 7*7 }} and {% raw %} and {{ config.site }} stay literal." in text
    assert "49" not in page + text


def test_pdf_never_fetches_the_network_or_files_outside_the_project(tmp_path, spy_server):
    base, requests = spy_server
    body = (
        f'Remote: ![chart]({base}/chart.png)\n\n<img src="/etc/passwd" alt="p">\n\n'
        f'<img src="{base}/pixel.png" alt="q">\n'
    )
    root = make_project(tmp_path, {"leaky.md": article(body=body)})
    result = publish("build", "--channel", "print", "source/leaky.md", cwd=root)
    assert result.exit_code == 0, result.output
    assert requests == []
    warnings = result.stderr.splitlines()
    tracked = (
        "whenever a reader opens the web page or the HTML email, telling that site who reads "
        "it and when, and is left out of the PDFs: save the picture in the project and show "
        "that file, or remove it"
    )
    assert warnings == [
        f"Warning: source/leaky.md:7: image '{base}/chart.png' loads from 127.0.0.1 {tracked}",
        f"Warning: source/leaky.md:11: image '{base}/pixel.png' loads from 127.0.0.1 {tracked}",
        # A raw <img> is read as a Markdown image is: the file outside is left out at once.
        "Warning: source/leaky.md:9: image '/etc/passwd' is outside the project and was left "
        "out (only files inside the project are published)",
    ]
    strict = publish("build", "--strict", "--channel", "print", "source/leaky.md", cwd=root)
    assert strict.exit_code == 1
    assert strict.stderr.endswith(  # it fails on reading: its PDFs are not even made
        "Error: source/leaky.md: not built: --strict turns its 3 warning(s) into errors. Fix "
        "the warnings above\n"
    )
    assert requests == []


def test_image_outside_the_project_is_left_out_everywhere(tmp_path):
    root = make_project(tmp_path, {"escape.md": article(body="![secret](../../../etc/passwd)\n")})
    result = publish("build", "source/escape.md", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: source/escape.md:7: image '../../../etc/passwd' is outside the project and "
        "was left out (only files inside the project are published)\n"
    )
    page = (root / "output/web/escape/index.html").read_text()
    assert "passwd" not in page
    assert "root:" not in (root / "output/email/escape.txt").read_text()


def test_fetcher_serves_project_files_only(tmp_path):
    inside = tmp_path / "project" / "media" / "a.txt"
    inside.parent.mkdir(parents=True)
    inside.write_text("inside")
    fetcher = ProjectFetcher([tmp_path / "project"], tmp_path / "project" / "a.md")
    assert fetcher.fetch(inside.as_uri()).read() == b"inside"
    for url in (
        "file:///etc/passwd",
        (tmp_path / "project" / ".." / "x").as_uri(),
        "http://169.254.169.254/latest/meta-data/",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError, match="refused by the project fetcher"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4
