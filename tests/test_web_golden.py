"""The web outputs of tests/cases/web, byte for byte against reviewed copies (tests/golden/web).

After a deliberate change: pytest --regen-golden, then read the diff before committing it.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import WEB_CASE, make_project, publish

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
def test_output_matches_golden(web_build, golden, name):
    golden((web_build / "web" / name).read_text(encoding="utf-8"), f"web/{name}")


def test_same_input_same_bytes(web_build, tmp_path):
    root = make_project(tmp_path)
    shutil.copytree(WEB_CASE / "source", root / "source", dirs_exist_ok=True)
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    first, second = web_build / "web", root / "output/web"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []
