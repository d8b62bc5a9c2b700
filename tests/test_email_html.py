"""The HTML email: inlined styles, a 600 px table layout, the web page's content, a legal footer."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium
from conftest import REPO, SAMPLE_SLUG, article, email_settings, make_project, publish
from test_email_text import source_links


class Paragraphs(HTMLParser):
    """The text of every <p> inside the element with class `article-body`."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # open elements inside the article body (0: outside it)
        self.current: list[str] | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth or "article-body" in (dict(attrs).get("class") or "").split():
            self.depth += tag not in ("br", "img", "hr", "col")
        if self.depth and tag == "p":
            self.current = []

    def handle_endtag(self, tag):
        if self.depth and tag == "p" and self.current is not None:
            self.found.append(" ".join("".join(self.current).split()))
            self.current = None
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def paragraphs(page: str) -> list[str]:
    parser = Paragraphs()
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="module")
def sample_html(sample_build) -> str:
    return (sample_build / "email" / f"{SAMPLE_SLUG}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def case_html(email_case) -> str:
    return (email_case / "features.html").read_text(encoding="utf-8")


def test_sample_html_matches_golden(sample_html, golden):
    golden(sample_html, f"email/{SAMPLE_SLUG}.html")


@pytest.mark.parametrize("which", ["sample_html", "case_html"])
def test_every_style_is_inlined_but_media_rules_stay(which, request):
    page = request.getfixturevalue(which)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    rules = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", styles[0])
    assert rules.strip() == ""  # nothing but @media rules is left in <style>
    assert "@media (prefers-color-scheme: dark)" in styles[0]
    assert "@media only screen and (max-width: 620px)" in styles[0]
    outside_comments = re.sub(r"<!--.*?-->", "", page, flags=re.S)  # Outlook's own tables
    for tag in ("h1", "h2", "p", "td", "a"):
        elements = re.findall(rf"<{tag}\b[^>]*>", outside_comments)
        assert elements and all('style="' in element for element in elements)


@pytest.mark.parametrize("which", ["sample_html", "case_html"])
def test_table_layout_600px_under_100kb(which, request):
    page = request.getfixturevalue(which)
    assert len(page.encode()) < 100 * 1024
    assert page.startswith('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">')
    assert re.search(r'<table class="container" role="presentation"[^>]* width="600"', page)
    assert '<!--[if mso]><table role="presentation" width="600"' in page  # Outlook's column
    assert '<meta name="color-scheme" content="light dark">' in page


def test_preheader_is_the_summary_hidden_first_in_the_body(sample_html):
    body = sample_html.split("<body", 1)[1].split(">", 1)[1].lstrip()
    assert body.startswith(
        '<div class="preheader" style="display: none;visibility: hidden;max-height: 0;'
        "max-width: 0;overflow: hidden;"
    )
    # No colour: one close to the background's scores HTML_FONT_LOW_CONTRAST in SpamAssassin.
    assert "color" not in body.split(">", 1)[0]
    preheader = body.split(">", 1)[1].split("</div>")[0]
    assert preheader.startswith("How ketamine therapy eases chronic pain: how it works, which")


def test_images_have_absolute_urls_alt_text_and_width(case_html):
    images = re.findall(r"<img\b[^>]*>", case_html)
    assert len(images) == 2
    base = "https://albanyketamine.example/features/media/"
    assert f'src="{base}x.jpg"' in images[0] and 'alt="Clinic entrance"' in images[0]
    assert 'width="536"' in images[0]  # the 1200 px photo never widens Outlook's column
    assert f'src="{base}y.png"' in images[1] and 'alt=""' in images[1]
    assert 'width="40"' in images[1]


def test_every_link_of_the_source_is_in_the_html(email_case, case_html, sample_html):
    case = email_case.parent.parent
    for url in source_links(case / "source" / "features.md", case):
        assert f'href="{html.escape(url)}"' in case_html, url
    for url in source_links(REPO / "source" / f"{SAMPLE_SLUG}.md", REPO):
        assert f'href="{html.escape(url)}"' in sample_html, url


def test_same_paragraphs_as_the_web_page(sample_build, sample_html):
    web = (sample_build / "web" / SAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    web_paragraphs = paragraphs(web)
    assert len(web_paragraphs) > 20
    assert paragraphs(sample_html) == web_paragraphs


@pytest.mark.parametrize("which", ["sample_html", "case_html"])
def test_footer_has_postal_address_and_unsubscribe_link(which, request):
    footer = request.getfixturevalue(which).split('class="footer"')[1]
    assert re.search(r"7 Wembley Ct\.<br>Albany, NY 12205", footer)
    assert re.search(
        r'<a href="https://albanyketamine.example/unsubscribe"[^>]*>Unsubscribe</a>', footer
    )
    assert 'href="mailto:unsubscribe@albanyketamine.example?subject=unsubscribe"' in footer
    assert "This article is general information, not medical advice." in footer


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def open_page(browser, path: Path, width: int, scheme: str):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=scheme, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page


@pytest.mark.parametrize("width", [600, 320])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_in_chromium_no_sideways_scroll_and_preheader_unseen(
    browser, sample_build, email_case, width, scheme
):
    for path in (sample_build / "email" / f"{SAMPLE_SLUG}.html", email_case / "features.html"):
        context, page = open_page(browser, path, width, scheme)
        try:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert not page.locator(".preheader").is_visible()
            assert page.locator("h1").is_visible()
            assert page.locator(".footer").bounding_box()["width"] <= width
        finally:
            context.close()


def test_in_chromium_dark_scheme_darkens_the_email(browser, sample_build):
    path = sample_build / "email" / f"{SAMPLE_SLUG}.html"
    colours = {}
    for scheme in ("light", "dark"):
        context, page = open_page(browser, path, 600, scheme)
        colours[scheme] = page.evaluate(
            "[getComputedStyle(document.querySelector('.container')).backgroundColor,"
            " getComputedStyle(document.querySelector('h2')).color]"
        )
        context.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(14, 90, 102)"]
    assert colours["dark"] == ["rgb(26, 33, 36)", "rgb(143, 208, 218)"]


def visible_text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@pytest.mark.parametrize(
    ("settings", "html_line", "text_lines"),
    [
        (
            {},
            "You receive this newsletter from Albany Ketamine Infusions. Unsubscribe or "
            "unsubscribe by email.",
            "To unsubscribe: https://albanyketamine.example/unsubscribe\n"
            "Or write to unsubscribe@albanyketamine.example with the subject\n“unsubscribe”.\n",
        ),
        (
            {"unsubscribe_mailto": None},
            "You receive this newsletter from Albany Ketamine Infusions. Unsubscribe.",
            "To unsubscribe: https://albanyketamine.example/unsubscribe\n",
        ),
        (
            {"unsubscribe_url": None},
            "You receive this newsletter from Albany Ketamine Infusions. To unsubscribe, "
            "write to us.",
            "To unsubscribe, write to unsubscribe@albanyketamine.example with the\n"
            "subject “unsubscribe”.\n",
        ),
    ],
)
def test_unsubscribe_line_reads_well(tmp_path, settings, html_line, text_lines):
    root = make_project(tmp_path, {"news.md": article()})
    email_settings(root, **settings)
    assert publish("build", "-c", "email", "--strict", cwd=root).exit_code == 0
    page = (root / "output" / "email" / "news.html").read_text(encoding="utf-8")
    paragraph = re.search(r'<p class="unsubscribe".*?</p>', page, re.S)[0]
    assert visible_text(paragraph) == html_line
    text = (root / "output" / "email" / "news.txt").read_text(encoding="utf-8")
    assert text.endswith(
        "You receive this newsletter from Albany Ketamine Infusions.\n" + text_lines
    )


def test_html_over_100kb_is_a_warning(tmp_path):
    paragraph = "A sentence of the kind a long article is made of, repeated to fill the page. " * 3
    root = make_project(tmp_path, {"news.md": article(body=f"{paragraph}\n\n" * 500)})
    result = publish("build", "-c", "email", cwd=root)
    size = len((root / "output" / "email" / "news.html").read_bytes()) // 1024
    assert size > 100
    assert result.output.startswith(
        f"Warning: source/news.md: the HTML email is {size} KB; Gmail cuts messages over about "
        "102 KB (shorten the article, or send a digest)\n"
    )


def ids(page: str) -> list[str]:
    return re.findall(r'<[^>]*\sid="([^"]*)"', page)


@pytest.mark.parametrize("which", ["sample_html", "case_html"])
def test_every_id_is_used_once(which, request):
    found = ids(request.getfixturevalue(which))
    assert found and len(found) == len(set(found))


def test_ids_the_article_repeats_are_made_unique(tmp_path):
    body = (
        '## Getting started<a id="getting-started"></a>\n\n'
        "See [how](#getting-started).[^1]\n\n"
        '<hr class="rule" id="bar">\n\n<hr class="rule" id="bar">\n\n'
        "## Footnotes\n\nA heading named as pandoc's own section.\n\n[^1]: A note.\n"
    )
    root = make_project(tmp_path, {"news.md": article(body=body)})
    assert publish("build", "-c", "email", "--strict", cwd=root).exit_code == 0
    page = (root / "output" / "email" / "news.html").read_text(encoding="utf-8")
    assert ids(page) == [
        "getting-started",
        "getting-started-1",
        "fnref1",
        "bar",
        "bar-1",
        "footnotes",
        "footnotes-1",
        "fn1",
    ]
    assert '<a href="#getting-started"' in page  # the link still reaches the heading


def test_the_web_page_makes_the_same_ids_unique(tmp_path):
    body = '## Getting started<a id="getting-started"></a>\n\n<hr id="bar">\n\n<hr id="bar">\n'
    root = make_project(tmp_path, {"news.md": article(body=body)})
    assert publish("build", "-c", "web", "--strict", cwd=root).exit_code == 0
    found = ids((root / "output" / "web" / "news" / "index.html").read_text(encoding="utf-8"))
    assert len(found) == len(set(found))
    assert {"getting-started", "getting-started-1", "bar", "bar-1"} <= set(found)
