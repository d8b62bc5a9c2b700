"""The studio in a real browser: every channel of the article on screen, updated live after a
save within the issue's times, errors shown where they belong and cleared, the article on screen
built first, axe and the keyboard."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import chromium
from conftest import article, make_project, publish
from studio import panes, serving, settled, wait_until

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The times the issue sets, from a save to the new text on screen: the web page and the email
# in 0.5 s, the brochure's pages in 2 s. Asserted with a margin this shared, noisy machine
# needs (other suites run beside this one); bench/studio.py measures them (docs/benchmarks.md).
MARGIN = 3
QUICK_SECONDS, BROCHURE_SECONDS = 0.5 * MARGIN, 2 * MARGIN
VIEWPORT = {"width": 1600, "height": 1000}
BODY = "## Opening section\n\nSome text about the clinic's hours.\n\n## Second section\n\nMore.\n"
QUICK = ("web", "email", "text")


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _open(browser, url: str, **options):
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce", **options)
    page = context.new_page()
    page.goto(url)
    return context, page


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _times(page, marker: str, started: float, seconds: float) -> dict[str, float]:
    """How long after `started` each pane showed `marker` (the brochure: with its pictures)."""
    seen: dict[str, float] = {}
    while len(seen) < 5 and time.monotonic() - started < seconds:
        shown = panes(page)
        for name in (*QUICK, "print", "screen"):
            ready = marker in shown[name] and (name not in ("print",) or shown["pictures"])
            if ready and name not in seen:
                seen[name] = time.monotonic() - started
        time.sleep(0.01)
    return seen


def test_a_saved_heading_reaches_all_four_panes_in_time(tmp_path, browser):
    root = make_project(tmp_path, {"a.md": article("First title", BODY, "colour: blue\n")})
    source = root / "source/a.md"
    with serving(root) as server:
        context, page = _open(browser, server.url)
        shown = settled(page)
        for name in (*QUICK, "print", "screen"):
            assert "Opening section" in shown[name], name
        # The list: title, date, state, problems; the problems as `publish check` says them.
        row = page.locator("#rows tr").first.locator("th, td").all_inner_texts()
        assert row == ["First title", "2026-01-15", "published", "1 warning"]
        checked = publish("check", "source/a.md", cwd=root).output.splitlines()[:-1]
        assert page.locator("#problems li").all_inner_texts() == checked
        assert checked == [
            "source/a.md:5: warning: unknown key 'colour' in front matter (ignored; check its "
            "spelling)"
        ]
        times, before = {}, "Opening section"
        for heading in ("A first change", "Renamed section"):  # the second is timed
            started = time.monotonic()
            _edit(source, "## " + before, "## " + heading)
            times, before = _times(page, heading, started, 30), heading
            server.wait_for("Built source/a.md")
        context.close()
        assert server.stop() == 0
    assert sorted(times) == ["email", "print", "screen", "text", "web"], times
    assert max(times[name] for name in QUICK) < QUICK_SECONDS, times
    assert times["print"] < BROCHURE_SECONDS, times


def test_errors_show_in_the_panes_they_concern_and_the_next_good_save_clears_them(
    tmp_path, browser
):
    root = make_project(tmp_path, {"a.md": article("First title", BODY)})
    source = root / "source/a.md"
    every = {"web", "email", "print", "screen"}
    with serving(root) as server:
        context, page = _open(browser, server.url)
        settled(page)
        # The article cannot be read: every pane says why, and the terminal.
        _edit(source, "summary:", "sumary:")
        said = server.wait_for("Error: ")
        assert said == (
            "Error: source/a.md:2: front matter is missing the required key 'summary'. Add "
            "'summary:' with a value"
        )
        shown = wait_until(page, lambda shown: all(shown["errors"][n] for n in every), 10)
        assert set(shown["errors"].values()) == {said.removeprefix("Error: ")}
        assert shown["status"] == _FAILED
        assert "Opening section" in shown["web"]  # the last good build stays on screen
        _edit(source, "sumary:", "summary:")
        settled(page)
        assert not any(panes(page)["errors"].values())
        # A print layout fails: the brochure says so; the web page and the email are made.
        (root / "layouts/print").mkdir(parents=True)
        (root / "layouts/print/online.html.j2").write_text("{{ nothing.here() }}\n")
        _edit(source, "## Opening section", "## Changed section")
        shown = wait_until(page, lambda shown: shown["errors"]["print"], 30)
        wait_until(page, lambda shown: "Changed section" in shown["web"] + shown["email"], 10)
        shown = wait_until(page, lambda shown: shown["errors"]["screen"], 10)
        for name in ("print", "screen"):
            assert shown["errors"][name].startswith(
                "layouts/print/online.html.j2:1: template error: 'nothing' is undefined"
            ), shown["errors"]
        assert not shown["errors"]["web"] and not shown["errors"]["email"]
        server.wait_for("Error: layouts/print/online.html.j2:1: template error")
        (root / "layouts/print/online.html.j2").unlink()
        shown = settled(page)
        assert "Changed section" in shown["print"] and not any(shown["errors"].values())
        # publish.yml cannot be read: every pane, and the terminal, until it is mended.
        config = (root / "publish.yml").read_text()
        (root / "publish.yml").write_text(config.replace("site:", "site: [", 1))
        server.wait_for("Error: publish.yml:")  # (the print layout's error may come before)
        wait_until(page, lambda shown: all(shown["errors"][n] for n in every), 10)
        (root / "publish.yml").write_text(config.replace("Albany Ketamine Infusions", "Riverside"))
        shown = wait_until(page, lambda shown: "Riverside" in shown["web"], 30)
        settled(page)
        assert not any(panes(page)["errors"].values())
        context.close()
        assert server.stop() == 0


def test_a_change_to_publish_yml_builds_the_article_on_screen_first(tmp_path, browser):
    names = {"a.md": "Alpha", "b.md": "Beta", "c.md": "Gamma"}
    root = make_project(tmp_path, {name: article(title) for name, title in names.items()})
    with serving(root) as server:
        context, page = _open(browser, server.url + "?article=c.md")
        settled(page)
        built = {server.wait_for("Built ").split(":")[0] for _ in names}
        assert built == {f"Built source/{name}" for name in names}
        config = root / "publish.yml"
        config.write_text(config.read_text().replace("Albany Ketamine Infusions", "Riverside"))
        order = [server.wait_for("Built ").split(":")[0] for _ in names]
        assert order[0] == "Built source/c.md", order
        wait_until(page, lambda shown: "Riverside" in shown["web"], 10)
        context.close()
        assert server.stop() == 0


@pytest.fixture(scope="module")
def studio(tmp_path_factory) -> Iterator[str]:
    """A studio on four articles: one with a warning, one that cannot be read, a draft and
    one scheduled for 2099."""
    root = make_project(
        tmp_path_factory.mktemp("studio"),
        {
            "a.md": article("Clinic hours", BODY, "colour: blue\n"),
            "b.md": article("Broken", BODY).replace("summary:", "sumary:"),
            "c.md": article("Not ready", BODY, "draft: true\n"),
            "d.md": article("Later", BODY).replace("2026-01-15", "2099-01-15"),
        },
    )
    with serving(root) as server:
        yield server.url
        assert server.stop() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["a.md", "b.md"])
def test_the_studio_passes_axe(browser, studio, name, scheme):
    context, page = _open(browser, f"{studio}?article={name}", color_scheme=scheme)
    try:
        wait_until(page, lambda shown: shown["status"] in ("Up to date", _FAILED), 60)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert result.violations_count == 0, result.generate_report()
    finally:
        context.close()


_FAILED = "The last build failed: web page, email, print shop's PDF, screen PDF"


def test_the_list_shows_each_articles_state_and_serve_builds_drafts(browser, studio):
    context, page = _open(browser, f"{studio}?article=c.md")
    try:
        settled(page)
        assert "Draft: not published" in panes(page)["web"]  # built, and marked
        rows = page.locator("#rows tr")
        wait_until(page, lambda shown: "checking" not in rows.all_inner_texts()[-1], 60)
        states = {row.locator("th").inner_text(): row.locator("td").nth(1).inner_text()
                  for row in rows.all()}  # fmt: skip
        assert states == {
            "Later": "scheduled until 2099-01-15",
            "Clinic hours": "published",
            "Not ready": "draft",
            "Broken": "not published: errors",
        }
    finally:
        context.close()


def _tab_to(page, test: str, most: int = 60) -> None:
    """Press Tab until the focused element passes `test` (JavaScript, given the element)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {test})(document.activeElement)"):
            return
    raise AssertionError(f"no element passing {test} is reached by Tab")


_EMAIL_WIDTH = "document.querySelector('[data-frame=email]').contentWindow.innerWidth"


def test_the_studio_works_by_keyboard(browser, studio):
    context, page = _open(browser, f"{studio}?article=a.md")
    try:
        settled(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the panes"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "panes"
        # Each pane's content is reached, and the choices are made with the arrow keys.
        _tab_to(page, "element.dataset.frame === 'web'")
        _tab_to(page, "element.name === 'pdf' && element.checked")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.querySelector('[data-variant]').dataset.variant") == "screen"
        assert page.locator('[data-pages="screen"]').is_visible()
        assert not page.locator('[data-pages="print"]').is_visible()
        _tab_to(page, "element.dataset.pages === 'screen'")
        _tab_to(page, "element.name === 'width' && element.checked")
        assert page.evaluate(_EMAIL_WIDTH) == 600  # the width the email is laid out at
        page.keyboard.press("ArrowRight")
        assert page.evaluate(_EMAIL_WIDTH) == 375
        _tab_to(page, "element.dataset.frame === 'email'")
        _tab_to(page, "element.classList.contains('text')")
        # Another article, chosen from the list.
        page.keyboard.press("Shift+Tab")
        page.goto(f"{studio}?article=a.md")
        _tab_to(page, "element.textContent === 'Broken'")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?article=b\.md$"))
        assert page.locator("h1").inner_text().startswith("Broken")
    finally:
        context.close()
