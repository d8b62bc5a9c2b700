"""The command line: help with an example on every command, versions, channels, and a build
that is interrupted never leaves a half-written file."""

import os
import signal
import subprocess
import sys
import time

import click
import pytest
from conftest import REPO, article, make_project, publish

from pipeline.cli import main

COMMANDS = main.list_commands(click.Context(main))


def test_the_commands_are_all_there():
    # All but two are imported only when they run (cli._Commands).
    assert COMMANDS == [
        "build", "channels", "check", "import", "init", "list", "new", "newsletter", "send",
        "serve",
    ]  # fmt: skip
    assert all(main.get_command(click.Context(main), name).name == name for name in COMMANDS)


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_every_command_has_help_with_an_example(tmp_path, command):
    result = publish(*command, "--help", cwd=tmp_path)
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "publish " in result.output.split("Example", 1)[1]


def test_version_names_pandoc_and_weasyprint(tmp_path):
    result = publish("--version", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.output.startswith("publish 0.1.0 (pandoc 3.")
    assert ", WeasyPrint " in result.output


def test_channels_lists_the_registry(tmp_path):
    result = publish("channels", cwd=tmp_path)
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == ["web", "print", "email"]


def test_build_prints_one_line_per_file_and_a_summary(tmp_path):
    root = make_project(tmp_path, {"one.md": article()})
    result = publish("build", "--channel", "email", "--channel", "web", cwd=root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "wrote output/email/one.txt"
    assert "wrote output/web/one/index.html" in lines
    assert lines[-1].startswith("Published 1 article to email, web: ")


def test_interrupted_build_leaves_no_half_written_file(tmp_path):
    articles = {
        f"a{n:02d}.md": article(f"Article {n}", "## Part\n\n" + "Text. " * 400) for n in range(12)
    }
    root = make_project(tmp_path, articles)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        # A shell that runs the tests in the background ignores SIGINT, and children inherit
        # that: let this one hear Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Interrupt as soon as the build is under way, like Ctrl-C.
    assert process.stdout.readline().startswith("wrote ")
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode != 0
    made = [p for p in (root / "output").rglob("*") if p.is_file()]
    assert made, "the build wrote nothing before the interrupt"
    assert not (root / "output/web/index.html").exists(), "the build was not interrupted"
    assert not any(p.name.endswith(".publish-part") for p in made)
    for path in made:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
        elif path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path
