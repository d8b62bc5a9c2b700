"""The web outputs of tests/cases/web, byte for byte against reviewed copies (tests/golden/web).

After a deliberate change: pytest --regen-golden, then read the diff before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import WEB_CASE, make_project, publish

GOLDEN = Path(__file__).parent / "golden" / "web"
TEXT_OUTPUTS = [
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "assets/style.css",
    "reading-a-medication-label/index.html",
    "primera-consulta/index.html",
    "short-note/index.html",
    "guia-de-prueba/index.html",
]


@pytest.mark.parametrize("name", TEXT_OUTPUTS)
def test_output_matches_golden(web_build, regen, name):
    made = (web_build / "web" / name).read_text(encoding="utf-8")
    golden = GOLDEN / name
    if regen:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(made, encoding="utf-8")
    assert made == golden.read_text(encoding="utf-8")


def test_same_input_same_bytes(web_build, tmp_path):
    root = make_project(tmp_path)
    shutil.copytree(WEB_CASE / "source", root / "source", dirs_exist_ok=True)
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    first, second = web_build / "web", root / "output/web"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []
