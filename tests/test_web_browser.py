"""The built site in headless Chromium, served over HTTP: axe, the accessibility tree, layout."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import chromium
from conftest import SAMPLE_SLUG

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CASE_SLUGS = ["reading-a-medication-label", "primera-consulta", "short-note", "guia-de-prueba"]
PAGES = [
    ("sample", ""),
    ("sample", f"{SAMPLE_SLUG}/"),
    ("sample", "no/such/page/"),  # the 404 page, as a server sends it
    *[("case", f"{slug}/") for slug in CASE_SLUGS],
    ("case", ""),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        page = (Path(self.directory) / "404.html").read_bytes()  # as a web host is set up to
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


def _serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sites(sample_build, web_build) -> Iterator[dict[str, str]]:
    sample, case = _serve(sample_build / "web"), _serve(web_build / "web")
    yield {"sample": next(sample), "case": next(case)}
    for server in (sample, case):
        next(server, None)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _open(browser, url: str, **options):
    context = browser.new_context(reduced_motion="reduce", **options)
    page = context.new_page()
    page.goto(url)
    page.evaluate("document.fonts.ready")
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("site", "path"), PAGES)
def test_axe_finds_no_violations(browser, sites, site, path, scheme):
    context, page = _open(browser, sites[site] + path, color_scheme=scheme)
    try:
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert result.violations_count == 0, result.generate_report()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(255, 255, 255)" if scheme == "light" else "rgb(19, 23, 25)"
        )
    finally:
        context.close()


def test_accessibility_tree_headings_have_no_stray_hash(browser, sites):
    context, page = _open(browser, sites["sample"] + f"{SAMPLE_SLUG}/")
    try:
        snapshot = page.locator("main").aria_snapshot()
    finally:
        context.close()
    names = re.findall(r'heading "([^"]*)" \[level=(\d)\]', snapshot)
    assert names[:4] == [
        ("What to Know About Ketamine Therapy for Pain Management", "1"),
        ("On this page", "2"),
        ("Understanding Ketamine Therapy", "2"),
        ("The Science Behind Ketamine", "3"),
    ]
    assert len(names) == 18  # h1, the contents, 6 sections, 10 subsections
    assert not [name for name, _ in names if "#" in name]
    # The permalink is a link of its own after the heading, named for the section.
    assert 'link "Link to this section: Understanding Ketamine Therapy"' in snapshot


@pytest.mark.parametrize(("site", "path"), PAGES)
def test_no_sideways_scrolling_at_320_pixels(browser, sites, site, path):
    context, page = _open(browser, sites[site] + path, viewport={"width": 320, "height": 640})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_first_tab_reaches_the_skip_link_which_moves_to_the_content(browser, sites):
    context, page = _open(browser, sites["sample"] + f"{SAMPLE_SLUG}/")
    try:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        context.close()


def test_brand_font_is_served_and_used(browser, sites):
    context, page = _open(browser, sites["sample"])
    try:
        faces = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert '"Inter"' in faces or "Inter" in faces
    finally:
        context.close()


def test_print_hides_navigation_aids(browser, sites):
    context, page = _open(browser, sites["sample"] + f"{SAMPLE_SLUG}/")
    try:
        page.emulate_media(media="print", color_scheme="dark")
        hidden = "getComputedStyle(document.querySelector('{}')).display"
        assert page.evaluate(hidden.format(".toc")) == "none"
        assert page.evaluate(hidden.format(".permalink")) == "none"
        # Printing from a dark screen still prints dark text on white paper.
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(29, 36, 39)"
    finally:
        context.close()


@pytest.mark.parametrize(("motion", "behaviour"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_smooth_scrolling_only_without_reduced_motion(browser, sites, motion, behaviour):
    context = browser.new_context(reduced_motion=motion)
    try:
        page = context.new_page()
        page.goto(sites["sample"])
        style = "getComputedStyle(document.documentElement).scrollBehavior"
        assert page.evaluate(style) == behaviour
    finally:
        context.close()
