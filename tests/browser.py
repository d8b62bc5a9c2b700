"""Headless Chromium for the web tests: Debian's chromium driven by Playwright, offline."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

# Root, headless, offline: no sandbox, no GPU, nothing fetched from the network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system's Chromium (never a downloaded one: `playwright install` cannot run here)."""
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: make test installs the Debian package 'chromium'"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
