"""The README's picture of the studio: `publish serve` on a copy of this project, the sample
article on screen in headless Chromium, every pane built. `make studio-screenshot` runs it;
look at docs/studio.png after a change to the studio's page.

    .venv/bin/python scripts/studio_screenshot.py docs/studio.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the tests' real server and real browser

from browser import chromium  # noqa: E402
from studio import serving, settled  # noqa: E402

SAMPLE = "ketamine-therapy-for-pain-management.md"
VIEWPORT = {"width": 1440, "height": 900}  # a laptop: the panes two by two


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="studio-screenshot-") as folder:
        root = Path(folder)
        shutil.copy(REPO / "publish.yml", root / "publish.yml")
        shutil.copytree(REPO / "source", root / "source")
        with serving(root) as server, chromium() as browser:
            context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
            page = context.new_page()
            page.goto(f"{server.url}?article={SAMPLE}")
            settled(page, 300)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(target))
            context.close()
            if server.stop() != 0:
                sys.exit("publish serve did not stop cleanly")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs/studio.png")
