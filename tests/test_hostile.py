"""Hostile and broken articles: each is published safe and valid, or fails alone with one clear
message (file, line where known, what to do), exit status 1, no traceback. The faults of the
machine (cache, disk, signals, budgets) are in test_hostile_faults.py; generated input in
test_hostile_properties.py."""

from __future__ import annotations

import json
import struct
import zlib

import pypandoc
import pytest
from conftest import article, email_settings, make_project, publish
from safety import check_outputs

from pipeline.source.sanitize import HTML_FORMATS

SAFE_LIST = "removed HTML not on the safe list"
GOOD = article(title="Good", body="## Fine\n\nA fine article.\n")


def build(root, *args: str):
    return publish("build", *args, cwd=root)


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning:")]


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


# -- scripts in raw HTML of every format that reaches HTML ----------------------------------


@pytest.mark.parametrize("form", sorted(HTML_FORMATS | {"HTML5", "Html4"}))
def test_raw_html_of_every_format_is_sanitised_in_every_channel(tmp_path, form):
    body = (
        f"```{{={form}}}\n<script>alert(1)</script>\n```\n\n"
        f'Inline `<b onclick="alert(2)">`{{={form}}}bold`</b>`{{={form}}} text.\n'
    )
    root = make_project(tmp_path, {"a.md": article(body=body), "good.md": GOOD})
    result = build(root, "--channel", "web", "--channel", "email")
    assert result.exit_code == 0, result.output
    assert warnings(result) == [
        f"Warning: source/a.md:8: {SAFE_LIST}: <script>",
        f"Warning: source/a.md:11: {SAFE_LIST}: the onclick attribute of <b>",
    ]
    check_outputs(root / "output")
    page = (root / "output/web/a/index.html").read_text()
    assert "<b>bold</b>" in page and "alert" not in page
    assert "alert" not in (root / "output/web/feed.xml").read_text()
    assert "alert" not in (root / "output/email/a.eml").read_text()
    checked = publish("check", cwd=root)
    assert checked.output.splitlines()[:2] == [
        f"source/a.md:8: warning: {SAFE_LIST}: <script>",
        f"source/a.md:11: warning: {SAFE_LIST}: the onclick attribute of <b>",
    ]
    strict = build(root, "--strict", "--channel", "web")
    assert strict.exit_code == 1
    assert errors(strict) == [
        "Error: source/a.md: not built: --strict turns its 2 warning(s) into errors. "
        "Fix the warnings above"
    ]


def pandoc_formats() -> list[str]:
    return sorted(set(pypandoc.get_pandoc_formats()[1]) | {"html4", "tex", "openxml"})


def test_only_the_formats_the_sanitiser_knows_reach_html():
    """Pandoc's HTML writer passes raw content of several formats through; the sanitiser must
    know each of them (a pandoc upgrade that adds one fails here)."""
    reaching = set()
    for form in pandoc_formats():
        raw = {"t": "RawBlock", "c": [form, "<i>RAW</i>"]}
        doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [raw]}
        if "RAW" in pypandoc.convert_text(json.dumps(doc), "html5", format="json"):
            reaching.add(form)
    assert reaching <= HTML_FORMATS
    assert {"html", "html4", "html5"} <= reaching


@pytest.mark.parametrize(
    ("html", "warning", "gone"),
    [
        (
            '<blockquote cite="javascript:alert(1)">\n\nQuoted.\n\n</blockquote>\n',
            f"{SAFE_LIST}: the cite attribute of <blockquote> (javascript: URL)",
            "javascript:",
        ),
        (
            '<p style="width: expression(alert(1)); color: red">Styled.</p>\n',
            f"{SAFE_LIST}: the width property in the style attribute of <p>",
            "expression",
        ),
        (
            '<span style="background: url(javascript:alert(1))">x</span>\n',
            f"{SAFE_LIST}: the background property in the style attribute of <span>",
            "javascript:",
        ),
        (
            '[x]{style="behavior: url(x.htc)" cite="javascript:alert(1)"}\n',
            f"{SAFE_LIST}: the behavior property in the style attribute of <span>",
            "x.htc",
        ),
    ],
)
def test_unsafe_urls_and_styles_in_any_attribute_are_removed(tmp_path, html, warning, gone):
    root = make_project(tmp_path, {"a.md": article(body=html)})
    result = build(root)
    assert result.exit_code == 0, result.output  # the print PDF too: `color: red` in CMYK
    assert warnings(result)[0] == f"Warning: source/a.md:7: {warning}"
    check_outputs(root / "output")
    for path in ("web/a/index.html", "email/a.html", "web/feed.xml"):
        assert gone not in (root / "output" / path).read_text()


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" onload="alert(1)">'
    "<script>alert(2)</script>"
    '<rect width="20" height="10" fill="#0e5a66" onclick="alert(3)"/>'
    '<a href="javascript:alert(4)"><text y="8">x</text></a>'
    '<animate attributeName="href" values="javascript:alert(5)"/>'
    '<foreignObject><iframe src="https://example.org/"/></foreignObject>'
    '<image href="https://tracker.example/pixel.png"/>'
    "</svg>"
)


def test_an_svg_picture_is_served_as_a_drawing_only(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="![A chart](chart.svg)\n")})
    (root / "source/chart.svg").write_text(SVG)
    result = build(root, "--channel", "web")
    assert result.exit_code == 0, result.output
    said = "Warning: source/a.md:7: removed from image 'chart.svg' (not safe to serve):"
    assert warnings(result) == [
        f"{said} the onload attribute of <svg>",
        f"{said} <script>",
        f"{said} the onclick attribute of <rect>",
        f"{said} the href attribute of <a> (a link or a file the picture would load)",
        f"{said} <animate>",
        f"{said} <foreignObject>",
        f"{said} the href attribute of <image> (a link or a file the picture would load)",
    ]
    served = (root / "output/web/a/chart.svg").read_text()
    assert "alert" not in served and "example" not in served
    assert '<rect width="20" height="10" fill="#0e5a66" />' in served
    check_outputs(root / "output")
    checked = publish("check", cwd=root)
    assert [line.replace(": warning:", ":") for line in checked.output.splitlines()[:7]] == [
        line.removeprefix("Warning: ") for line in warnings(result)
    ]


def test_an_svg_that_is_not_xml_fails_the_article(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="![A chart](chart.svg)\n"), "g.md": GOOD})
    (root / "source/chart.svg").write_text("<svg><p></svg>")
    result = build(root, "--channel", "web")
    assert result.exit_code == 1
    assert errors(result) == [
        "Error: source/a.md:7: image 'chart.svg' cannot be read as SVG (mismatched tag: line 1, "
        "column 10). Export it again from the drawing program"
    ]
    assert (root / "output/web/g/index.html").is_file()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "page.html",
            b"<script>alert(1)</script>",
            "image 'page.html' is not a picture browsers show (.html). Use a PNG, JPEG, GIF, "
            "WebP, AVIF or SVG file",
        ),
        (
            "fake.png",
            b"<svg onload=alert(1)>",
            "image 'fake.png' cannot be read as a picture (cannot identify image file "
            "'{root}/source/fake.png'). Open it in an image editor and save it again as PNG or "
            "JPEG",
        ),
    ],
)
def test_a_file_that_is_not_a_picture_fails_the_article(tmp_path, name, data, message):
    root = make_project(tmp_path, {"a.md": article(body=f"![A picture]({name})\n")})
    (root / "source" / name).write_bytes(data)
    result = build(root)
    assert result.exit_code == 1
    assert errors(result) == [f"Error: source/a.md:7: {message.format(root=root)}"]
    assert not (root / "output/web/a").exists()


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is `width` x `height` (its pixels are never there: a decoder that
    believes the header would allocate them)."""
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("size", "said"),
    [((30000, 30000), "900 megapixels"), ((10000, 9000), "10000 × 9000 pixels (90 megapixels)")],
)
def test_a_picture_over_the_pixel_limit_fails_the_article(tmp_path, size, said):
    root = make_project(tmp_path, {"a.md": article(body="![Big](big.png)\n"), "g.md": GOOD})
    (root / "source/big.png").write_bytes(png_header(*size))
    result = build(root)
    assert result.exit_code == 1
    assert errors(result) == [
        f"Error: source/a.md:7: image 'big.png' is {said}; the limit is 80 megapixels. Scale it "
        "down: 300 ppi of its printed size is plenty (a whole letter page is 2550 × 3300)"
    ]
    assert (root / "output/web/g/index.html").is_file()
    assert publish("check", "source/a.md", cwd=root).output.startswith(
        f"source/a.md:7: error: image 'big.png' is {said}"
    )


def test_a_data_picture_is_printed_in_cmyk(tmp_path):
    from base64 import b64encode
    from io import BytesIO

    from PIL import Image

    data = BytesIO()
    Image.new("RGB", (600, 600), (200, 30, 30)).save(data, "PNG")
    url = "data:image/png;base64," + b64encode(data.getvalue()).decode()
    root = make_project(tmp_path, {"a.md": article(body=f"A dot: ![A red square]({url})\n")})
    result = build(root, "--channel", "print")
    assert result.exit_code == 0, result.output  # the print shop's preflight passed


# -- text no output can carry, and headers ---------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ('title: "T\\x01"', "2: 'title' holds the control character U+0001"),
        ('title: "T\\0"', "2: 'title' holds the control character U+0000"),
        (
            'title: "T\\ud800"',
            "2: 'title' holds a lone surrogate (U+D800), which is not a character",
        ),
        ('author: "A\\x1f"', "5: 'author' holds the control character U+001F"),
        ('tags: ["ok", "b\\uffff"]', "5: 'tags' holds the control character U+FFFF"),
    ],
)
def test_text_no_output_can_carry_is_refused_in_front_matter(tmp_path, front_matter, message):
    text = (
        article(extra=front_matter + "\n")
        if not front_matter.startswith("title")
        else (article(title=front_matter.removeprefix("title: ")))
    )
    root = make_project(tmp_path, {"a.md": text, "g.md": GOOD})
    result = build(root, "--channel", "web")
    assert result.exit_code == 1
    assert errors(result)[0].startswith(f"Error: source/a.md:{message}")
    check_outputs(root / "output")


def test_word_line_breaks_are_read_and_control_characters_refused_in_the_body(tmp_path):
    soft = article(body="One line\x0bthe next, after Word's soft break.\x0cA page.\n")
    bad = article(body="Fine.\n\n" + "x" * 9000 + "\n\nA NUL \x00 here and \x01.\n")
    root = make_project(tmp_path, {"soft.md": soft, "bad.md": bad})
    result = build(root, "--channel", "web", "--channel", "email")
    assert errors(result) == [
        "Error: source/bad.md:11: holds the control character U+0000, which no output can "
        "carry. Delete it (column 7): most editors do not show it"
    ]
    check_outputs(root / "output")
    page = (root / "output/web/soft/index.html").read_text()
    assert "<p>One line the next, after Word’s soft break. A page.</p>" in page


@pytest.mark.parametrize(
    ("escape", "said"),
    [
        ("\\L", "must be one line: it becomes the email's From header"),
        ("\\P", "must be one line: it becomes the email's From header"),
        ("\\N", "must be one line: it becomes the email's From header"),
        ("\\v", "holds the control character U+000B"),
        ("\\f", "holds the control character U+000C"),
        ("\\x1c", "holds the control character U+001C"),
        ("\\x1e", "holds the control character U+001E"),
    ],
)
def test_a_header_value_with_any_line_separator_is_refused(tmp_path, escape, said):
    root = make_project(tmp_path, {"a.md": GOOD})
    config = (root / "publish.yml").read_text()
    # A YAML escape, so that the character itself reaches publish (YAML reads a raw U+0085 as
    # a line break of its own).
    value = f'"Clinic{escape}Bcc: x@example.org <n@clinic.example>"'
    old = next(line for line in config.splitlines() if line.startswith("  from: "))
    (root / "publish.yml").write_text(config.replace(old, f"  from: {value}"))
    line = config.split(old)[0].count("\n") + 1
    result = build(root, "--channel", "email")
    assert result.exit_code == 1
    key = "'email.from' in publish.yml: " if said.startswith("must") else "'from' "
    assert result.output.startswith(f"Error: publish.yml:{line}: {key}{said}"), result.output


def test_a_from_name_too_long_for_a_header_line_is_refused(tmp_path):
    root = make_project(tmp_path, {"a.md": GOOD})
    email_settings(root, **{"from": "A" * 3000 + " <news@clinic.example>"})
    result = build(root, "--channel", "email")
    assert result.exit_code == 1
    assert (
        "'email.from' in publish.yml: is too long for the email's From header: it folds "
        "into a line of 3001 characters, and a line holds at most 998" in result.output
    )


def test_send_to_takes_one_address(tmp_path):
    root = make_project(tmp_path, {"a.md": GOOD})
    email_settings(root, **{"from": "Clinic <news@clinic.example>"})
    assert build(root, "--channel", "email").exit_code == 0
    result = publish("send", "a", "--to", "a@example.org, b@example.org", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: --to 'a@example.org, b@example.org' names 2 addresses; it takes one. Send to "
        "each address with its own publish send, or import them as a list\n"
    )


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x0b"])
def test_a_digest_subject_with_a_line_separator_is_refused(tmp_path, separator):
    root = make_project(tmp_path, {"a.md": GOOD})
    args = ("newsletter", "source/a.md", "--subject", f"News{separator}Bcc: x", "--name", "n")
    result = publish(*args, cwd=root)
    assert result.exit_code == 1
    said = "must be one line: it becomes the email's Subject header. Remove the line break"
    if separator == "\x0b":
        said = "must be one line: it becomes the email's Subject header. Remove the line break"
    assert result.output == f"Error: --subject {said}\n"
    assert not (root / "output").exists()


# -- bombs ------------------------------------------------------------------------------------

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMBS = [
    (
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + LAUGHS,
        9,
        "its aliases stand for more than 10,000 values",
    ),
    ("x: &a [*a]\n", 5, "an alias stands for the list or mapping it is part of"),
    ("x: " + "[" * 5000 + "]" * 5000 + "\n", 5, "lists and mappings nest more than 32 deep"),
]
BOMB_HINT = "Write the values out plainly: publish reads at most 32 levels and 10,000 values"


@pytest.mark.parametrize(("yaml", "line", "message"), BOMBS)
def test_yaml_bombs_in_front_matter_fail_the_article_at_once(tmp_path, yaml, line, message):
    root = make_project(tmp_path, {"a.md": article(extra=yaml), "g.md": GOOD})
    result = build(root, "--channel", "web")
    assert result.exit_code == 1
    assert errors(result) == [f"Error: source/a.md:{line}: {message}. {BOMB_HINT}"]
    assert (root / "output/web/g/index.html").is_file()
    checked = publish("check", cwd=root)
    assert checked.output.startswith(f"source/a.md:{line}: error: {message}. {BOMB_HINT}\n")


@pytest.mark.parametrize(("yaml", "line", "message"), BOMBS)
def test_yaml_bombs_in_publish_yml_are_one_message(tmp_path, yaml, line, message):
    root = make_project(tmp_path, {"a.md": GOOD})
    config = (root / "publish.yml").read_text()
    (root / "publish.yml").write_text(yaml + config)
    result = build(root)
    assert result.exit_code == 1
    assert result.output == f"Error: publish.yml:{line - 4}: {message}. {BOMB_HINT}\n"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("".join("    " * level + "- item\n" for level in range(100)), 106),
        ("> " * 200 + "deep\n", 7),
        ("*a _b " * 300 + "x" + "_ b*" * 300 + "\n", None),
    ],
)
def test_nesting_past_the_limit_fails_the_article(tmp_path, body, line):
    root = make_project(tmp_path, {"a.md": article(body=body), "g.md": GOOD})
    result = build(root)
    assert result.exit_code == 1
    where = f"source/a.md:{line}" if line else "source/a.md"
    assert errors(result) == [
        f"Error: {where}: nests lists, block quotes or other elements more than 64 deep. "
        "Flatten the deepest of them: a reader follows a few levels at most"
    ]
    assert (root / "output/print/g.pdf").is_file()


def test_an_article_over_the_size_limit_fails_alone(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="word " * 250_000), "g.md": GOOD})
    result = build(root, "--channel", "web")
    assert errors(result) == [
        "Error: source/a.md: is 1.3 MB; an article may be at most 1 MB. Split it into several "
        "articles (a long book is about 1 MB of text)"
    ]


def test_many_footnotes_are_set_as_endnotes_in_a_booklet(tmp_path):
    notes = "".join(f"Claim {n}.[^{n}]\n\n" for n in range(100))
    notes += "".join(f"[^{n}]: Source {n}.\n" for n in range(100))
    root = make_project(tmp_path, {"a.md": article(body=notes)})
    result = build(root, "--channel", "print", "--timings")
    assert result.exit_code == 0, result.output
    layout = next(line for line in result.stdout.splitlines() if line.startswith("WeasyPrint"))
    assert float(layout.split()[-1]) < 20  # page-foot notes took 74 s


# -- outside the project ----------------------------------------------------------------------


def test_an_article_that_links_outside_the_project_is_not_read(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article(title="Secret", body="TOP SECRET\n"))
    root = make_project(tmp_path / "project", {"g.md": GOOD})
    (root / "source/linked.md").symlink_to(secret)
    result = build(root)
    assert errors(result) == [
        f"Error: source/linked.md: is outside the project (it is a link to {secret}): only "
        "files inside the project folder are published. Copy the article into source/"
    ]
    assert not any(
        "TOP SECRET" in p.read_text(errors="replace") for p in (root / "output").rglob("*.*")
    )
    checked = publish("check", cwd=root)
    assert "source/linked.md: error: is outside the project" in checked.output


def test_an_icc_profile_outside_the_project_is_refused(tmp_path):
    root = make_project(tmp_path / "project", {"g.md": GOOD})
    config = (root / "publish.yml").read_text()
    (root / "publish.yml").write_text(config + "\nprint:\n  icc_profile: ../../etc/x.icc\n")
    result = build(root, "--channel", "print")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: publish.yml: 'print.icc_profile' in publish.yml: '../../etc/x.icc' is outside "
        "the project. Put the print shop's profile in the project folder"
    )


def test_a_layout_that_links_outside_the_project_is_not_read(tmp_path):
    (tmp_path / "leak.html.j2").write_text("LEAKED {{ 1 }}")
    root = make_project(tmp_path / "project", {"g.md": GOOD})
    (root / "layouts/web").mkdir(parents=True)
    (root / "layouts/web/article.html.j2").symlink_to(tmp_path / "leak.html.j2")
    result = build(root, "--channel", "web")
    assert result.exit_code == 1
    assert errors(result)[0] == (
        "Error: layouts/web/article.html.j2: layout 'web/article.html.j2' is a link to a file "
        "outside its layouts folder (while publishing source/g.md). Copy the file into the "
        "layouts folder instead of linking to it"
    )


def test_import_never_fetches_what_a_web_page_refers_to(tmp_path, spy_server):
    base, requests = spy_server
    page = tmp_path / "page.html"
    page.write_text(
        f'<h1>A page</h1><p>Text.</p><iframe src="{base}/frame"></iframe>'
        f'<img src="{base}/pixel.png" alt="x"><iframe src="file:///etc/passwd"></iframe>'
    )
    root = make_project(tmp_path / "project")
    result = publish("import", str(page), "--date", "2026-01-15", cwd=root)
    assert result.exit_code == 0, result.output
    assert requests == []
    assert "root:" not in (root / "source/a-page.md").read_text()
