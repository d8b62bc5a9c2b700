"""The studio's benchmark behind docs/benchmarks.md: from a save of the article to the new text
in each pane of a studio page in Chromium (median of N saves), against `publish build` of the
same change from the command line, in the same run, on the sample article among others.

    make bench-studio     # = .venv/bin/python bench/studio.py --saves 10 --articles 20
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from articles import make_articles

from bench import Others, run

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the tests' real server and real browser

from browser import chromium  # noqa: E402
from studio import panes, serving, settled  # noqa: E402

BIN = Path(sys.executable).parent
SAMPLE = "ketamine-therapy-for-pain-management.md"
# The times from a save to the pane: the web page and the email 0.5 s, the brochure 2 s.
PANES = {
    "web": ("web page", 0.5),
    "email": ("HTML email", 0.5),
    "text": ("email text", 0.5),
    "print": ("print shop's PDF, its pages as pictures", 2.0),
    "screen": ("screen PDF, its pages", 2.0),
}
GIVE_UP = 30  # seconds: a pane that takes longer failed


def project(folder: Path, count: int) -> Path:
    """The sample project (publish.yml, the sample article and its pictures) and `count`
    articles made from it."""
    folder.mkdir(parents=True)
    shutil.copy(REPO / "publish.yml", folder / "publish.yml")
    shutil.copytree(REPO / "source", folder / "source")
    make_articles(folder / "source", count)
    return folder


def heading(source: Path) -> str:
    """The article's first section heading, as written."""
    return next(line for line in source.read_text().splitlines() if line.startswith("## "))


def save(source: Path, old: str, new: str) -> float:
    text = source.read_text()
    started = time.monotonic()
    source.write_text(text.replace(old, new, 1))
    return started


def seen(page, marker: str, started: float) -> dict[str, float]:
    """Seconds after `started` at which each pane showed `marker` (the print shop's PDF: with
    the pictures of its first pages loaded)."""
    times: dict[str, float] = {}
    while len(times) < len(PANES) and time.monotonic() - started < GIVE_UP:
        shown = panes(page)
        now = time.monotonic() - started
        for name in PANES:
            ready = marker in shown[name] and (name != "print" or shown["pictures"])
            if ready and name not in times:
                times[name] = now
        time.sleep(0.005)
    missing = set(PANES) - set(times)
    if missing:
        sys.exit(f"not shown within {GIVE_UP} s: {sorted(missing)}")
    return times


def studio(root: Path, saves: int) -> dict[str, list[float]]:
    """Each pane's time for each of `saves` saves, the studio open on the sample article."""
    source = root / "source" / SAMPLE
    times: dict[str, list[float]] = {name: [] for name in PANES}
    with serving(root) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{server.url}?article={SAMPLE}")
        settled(page, 300)  # the article on screen built, cold
        for _ in (root / "source").glob("*.md"):  # then the others: saves come after
            server.wait_for("Built ", 300)
        before = heading(source)
        for number in range(saves + 1):  # the first save warms what is left: not counted
            after = f"## Studio heading {number}"
            started = save(source, before, after)
            got = seen(page, after.removeprefix("## "), started)
            server.wait_for(f"Built source/{SAMPLE}", GIVE_UP)
            settled(page, GIVE_UP)
            before = after
            if number:
                for name, seconds in got.items():
                    times[name].append(seconds)
        context.close()
        if server.stop() != 0:
            sys.exit("publish serve did not stop cleanly")
    return times


def command_line(root: Path, saves: int) -> list[float]:
    """The same change without the studio: save, then `publish build` (every output of the
    changed article written; the other articles up to date)."""
    run([BIN / "publish", "build"], root)
    source = root / "source" / SAMPLE
    before, seconds = heading(source), []
    for number in range(saves):
        after = f"## Command line heading {number}"
        started = save(source, before, after)
        run([BIN / "publish", "build"], root)
        seconds.append(time.monotonic() - started)
        before = after
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--articles", type=int, default=20, help="besides the sample")
    options = parser.parse_args()
    others = Others()
    with tempfile.TemporaryDirectory(prefix="bench-studio-") as folder:
        root = project(Path(folder) / "studio", options.articles)
        times = others.measure("studio", lambda: studio(root, options.saves))
        plain = project(Path(folder) / "plain", options.articles)
        baseline = others.measure("build", lambda: command_line(plain, options.saves))
    print(f"{options.articles + 1} articles; median of {options.saves} saves of the sample.\n")
    print("| pane | target | median | slowest | median vs `publish build` |")
    print("| --- | --- | --- | --- | --- |")
    build = statistics.median(baseline)
    for name, (label, target) in PANES.items():
        middle = statistics.median(times[name])
        print(
            f"| {label} | {target:.1f} s | {middle:.2f} s | {max(times[name]):.2f} s "
            f"| {build / middle:.1f}x sooner |"
        )
    print(f"| `publish build` of the change | | {build:.2f} s | {max(baseline):.2f} s | 1.0x |\n")
    print("CPU seconds other processes used: " + ", ".join(
        f"{name} {seconds:.1f}" for name, seconds in others.seconds.items()) + ".")  # fmt: skip


if __name__ == "__main__":
    main()
