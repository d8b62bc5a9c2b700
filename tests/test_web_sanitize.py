"""Raw HTML in articles goes through nh3's safe list; every removal is a warning naming the file."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CASES, article, make_project, publish
from webpage import load

from pipeline.channels import CHANNELS
from pipeline.project.config import load_config
from pipeline.source.article import read_article

SAFE_LIST = "removed HTML not on the safe list"
REMOTE_IMAGE = (
    "image 'https://example.org/x.png' loads from example.org whenever a reader opens the web "
    "page or the HTML email, telling that site who reads it and when, and is left out of the "
    "PDFs: save the picture in the project and show that file, or remove it"
)

# (Markdown body, the warnings (line: message), text that must be gone from the page).
# The body starts on line 7 of the file.
HOSTILE = [
    (
        "Before.\n\n<script>alert('x')</script>\n\nAfter.\n",
        [f"9: {SAFE_LIST}: <script>"],
        ["<script>alert", "alert('x')"],
    ),
    (
        'Text <span onclick="steal()">here</span>.\n',
        [f"7: {SAFE_LIST}: the onclick attribute of <span>"],
        ["onclick", "steal()"],
    ),
    (
        '<iframe src="https://evil.example/"></iframe>\n',
        [f"7: {SAFE_LIST}: <iframe>"],
        ["<iframe", "evil.example"],
    ),
    (
        '<img src="https://example.org/x.png" onerror="steal()" alt="x">\n',
        [f"7: {SAFE_LIST}: the onerror attribute of <img>", f"7: {REMOTE_IMAGE}"],
        ["onerror"],
    ),
    (
        '<a href="javascript:steal()">click</a>\n',
        [f"7: {SAFE_LIST}: the href attribute of <a> (javascript: URL)"],
        ["javascript:"],
    ),
    (
        # Browsers drop line breaks inside URLs: this is a javascript: URL too.
        'Hidden <a href=" JaVa\nScRiPt:steal()">click</a>\n',
        [f"7: {SAFE_LIST}: the href attribute of <a> (javascript: URL)"],
        ["steal()"],
    ),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD4=">open</a>\n',
        [f"7: {SAFE_LIST}: the href attribute of <a> (data: URL)"],
        ["data:text/html"],
    ),
    (
        "[click](javascript:steal())\n",
        ["7: removed a link to a javascript: URL (not safe); its text is kept"],
        ["javascript:", "href"],
    ),
    (
        "![x](data:text/html,<script>steal()</script>)\n",
        ["7: removed an image with a data: URL (not safe)"],
        ["<embed", "data:text/html", "steal()"],
    ),
    (
        '::: {onmouseover="steal()"}\nA block.\n:::\n',
        [f"7: {SAFE_LIST}: the onmouseover attribute of <div>"],
        ["onmouseover"],
    ),
    (
        '<table>\n<tr><td onclick="steal()" align="left">cell</td></tr>\n</table>\n',
        [
            f"8: {SAFE_LIST}: the onclick attribute of <td>",
            f"8: {SAFE_LIST}: the align attribute of <td>",
        ],
        ["onclick", "align="],
    ),
    (
        "<svg><script>steal()</script></svg>\n",
        [f"7: {SAFE_LIST}: <svg>", f"7: {SAFE_LIST}: <script>"],
        ["<svg", "steal()"],
    ),
]


@pytest.mark.parametrize(("body", "warnings", "gone"), HOSTILE)
def test_hostile_html_is_removed_with_a_warning(tmp_path, body, warnings, gone):
    root = make_project(tmp_path, {"a.md": article(body=body)})
    result = publish("build", "--channel", "web", cwd=root)
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert shown == [f"Warning: source/a.md:{warning}" for warning in warnings]
    page = (root / "output/web/a/index.html").read_text()
    body_html = page.split('<div class="article-body">')[1].split("</article>")[0]
    for hostile in gone:
        assert hostile not in body_html


def test_strict_fails_the_article(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="<script>alert(1)</script>\n")})
    result = publish("build", "--strict", "--channel", "web", cwd=root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"Warning: source/a.md:7: {SAFE_LIST}: <script>"
    assert (
        "Error: source/a.md: not built: --strict turns its 1 warning(s) into errors. "
        "Fix the warnings above"
    ) in lines
    assert not (root / "output/web/a").exists()


def test_every_channel_gets_the_sanitised_article(tmp_path):
    body = 'A <span onclick="steal()">span</span>.\n\n<script>steal()</script>\n'
    root = make_project(tmp_path, {"a.md": article(body=body)})
    read = read_article(root / "source/a.md", root, load_config(root), CHANNELS)
    assert "steal()" not in json.dumps(read.ast)


def test_safe_html_and_markdown_structures_come_through(tmp_path):
    body = (
        'Some <abbr title="World Health Organization">WHO</abbr> text, <kbd>Ctrl</kbd>, '
        'H<sub>2</sub>O and a <a href="https://who.example/" title="Site">link</a>.[^1]\n\n'
        '<table>\n<tr><th scope="col">Head</th></tr>\n<tr><td colspan="2">Cell</td></tr>\n'
        "</table>\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "Term\n: Definition\n\n"
        "![A figure caption](media/figure.png)\n\n"
        "<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n"
        "[^1]: A footnote.\n"
    )
    root = make_project(tmp_path, {"a.md": article(body=body)})
    (root / "source/media").mkdir()
    shutil.copy(CASES / "media/gradient.png", root / "source/media/figure.png")
    result = publish("build", "--strict", "--channel", "web", cwd=root)
    assert result.exit_code == 0, result.output
    html = (root / "output/web/a/index.html").read_text()
    for kept in (
        '<abbr title="World Health Organization">WHO</abbr>',
        "<kbd>Ctrl</kbd>",
        "H<sub>2</sub>O",
        '<a href="https://who.example/" title="Site">link</a>',
        '<th scope="col">',
        '<td colspan="2">',
        "<dt>Term</dt>",
        "<figcaption",
        "<summary>",
        '<section id="footnotes"',
    ):
        assert kept in html
    page = load(root / "output/web/a/index.html")
    assert len(list(page.iter("table"))) == 2


def test_a_raw_html_picture_is_published_as_a_markdown_one_is(tmp_path):
    body = '## One\n\n<img src="media/pic.png" alt="A gradient" width="300">\n\nText.\n'
    root = make_project(tmp_path, {"a.md": article(body=body)})
    (root / "source/media").mkdir()
    shutil.copy(CASES / "media/gradient.png", root / "source/media/pic.png")
    result = publish("build", cwd=root)
    assert (result.exit_code, result.stderr) == (0, "")
    # The web page: the file beside it.
    page = (root / "output/web/a/index.html").read_text()
    assert '<img src="media/pic.png"' in page and 'width="300"' in page
    assert (root / "output/web/a/media/pic.png").read_bytes() == (
        root / "source/media/pic.png"
    ).read_bytes()
    # The print shop's PDF: the picture in CMYK (an RGB one would fail its preflight).
    assert (root / "output/print/a.pdf").is_file()
    # The email: an absolute address.
    email = (root / "output/email/a.html").read_text()
    assert 'src="https://albanyketamine.example/a/media/pic.png"' in email
