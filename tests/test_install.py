"""The package as a user gets it: installed (not editable) into a fresh virtual environment
outside the repository, `publish init` starts a project and `publish build` publishes it with
the installed layouts and Lua filters alone."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*command, cwd) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_an_installed_publish_starts_a_project_that_builds(tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path)
    run(venv / "bin/pip", "install", "--quiet", str(REPO), cwd=tmp_path)
    publish = venv / "bin/publish"
    started = run(publish, "init", "clinic", "--name", "Riverside Pain Clinic", cwd=tmp_path)
    assert started.stdout.splitlines()[0] == "wrote clinic/publish.yml"
    site = tmp_path / "clinic"
    built = run(publish, "build", cwd=site)
    published = "Published 1 article to web, print, email: 17 files in output"
    assert built.stdout.splitlines()[-1] == published
    slug = "welcome-to-riverside-pain-clinic"
    for made in (f"web/{slug}/index.html", f"print/{slug}.pdf", f"email/{slug}.eml"):
        assert (site / "output" / made).is_file(), made
    # The email text came through the installed Lua filter: its headings underlined.
    text = (site / "output/email" / f"{slug}.txt").read_text()
    assert "First section\n=============" in text
    # Nothing was read from the repository: the build knew only the installed package.
    where = run(venv / "bin/python", "-c", "import pipeline; print(pipeline.__file__)", cwd=site)
    assert where.stdout.startswith(str(venv))
