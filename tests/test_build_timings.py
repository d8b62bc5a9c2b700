"""--timings, --keep-html, and what keeps a build with nothing to do fast and its cache right."""

import contextlib
import dataclasses
import io
import os
import pty
import re
import subprocess
import sys

import jinja2
import pytest
from conftest import REPO, SAMPLE_SLUG, article, make_project, publish
from pypdf import PdfReader

from pipeline import timings
from pipeline.channels import CHANNELS
from pipeline.channels.print import pdf
from pipeline.channels.print.cmyk import output_profile
from pipeline.project.folder import Project
from pipeline.source.article import read_article


def test_timings_say_where_the_time_went(tmp_path):
    root = make_project(tmp_path, {"a.md": article("Alpha"), "b.md": article("Beta")})
    result = publish("build", "--timings", "-j", "2", cwd=root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("Published 2 articles")[1].splitlines()[1:]
    assert lines[0].split() == ["seconds", "article", "web", "print", "email", "build", "total"]
    figures = [line for line in lines[1:] if not line.startswith(("Wall time", "Worker "))]
    rows = {line[:17].strip(): line[17:].split() for line in figures}
    assert set(rows) <= {*timings.STAGES, "total"}
    assert {"read", "templates", "PDF writing", "writes"} <= set(rows)  # tiny, but timed
    assert float(rows["pandoc"][-1]) > 0 and float(rows["WeasyPrint layout"][-1]) > 0
    total = sum(float(cells[-1]) for stage, cells in rows.items() if stage != "total")
    assert float(rows["total"][-1]) == pytest.approx(total, abs=0.01 * len(rows))
    assert lines[-3].startswith("Wall time ")
    assert " s on 2 cores: the build took " in lines[-3]
    for line in lines[-2:]:
        assert re.fullmatch(
            r"Worker \d+, 1 article: \d+ MB after its first, \d+ MB after its last; peak \d+ "
            r"MB\. Its pandoc: \d+, \d+ MB",
            line,
        ), line


def test_keep_html_writes_the_html_each_pdf_was_made_from(tmp_path):
    root = make_project(tmp_path, {"a.md": article("Alpha", "## Kept\n\nThe text.\n")})
    result = publish("build", "--keep-html", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "wrote output/print/a.pdf",
        "wrote output/web/a/brochure.pdf",
        "wrote output/print/a.html",
        "wrote output/web/a/brochure.html",
    ]
    kept = (root / "output/print/a.html").read_text()
    assert kept.startswith("<!DOCTYPE html>") and "<h2" in kept
    project = Project.load(root)
    profile = output_profile(None, root).path.parent  # the kept HTML names the ICC profile
    allowed = [root, *project.layout_dirs, profile]
    pages = pdf.layout(kept, root / "source", allowed, root / "a.md")
    again = pdf.write(pages, root / "a.md")
    made = PdfReader(root / "output/print/a.pdf")
    remade = PdfReader(io.BytesIO(again))
    # The kept HTML holds every filler page; the build keeps those a multiple of 4 needs.
    remade_pages = [page.extract_text() for page in remade.pages]
    assert all(page.extract_text() in remade_pages for page in made.pages)


def test_keep_html_takes_the_html_from_the_cache_and_rebuilds_nothing(tmp_path):
    root = make_project(tmp_path, {"a.md": article("Alpha")})
    assert publish("build", "--channel", "print", cwd=root).exit_code == 0
    kept = publish("build", "--channel", "print", "--keep-html", "--explain", cwd=root)
    assert kept.stdout.splitlines()[:4] == [
        "output/print/a.pdf: skipped (unchanged)",
        "output/web/a/brochure.pdf: skipped (unchanged)",
        "output/print/a.html: restored (missing)",
        "output/web/a/brochure.html: restored (missing)",
    ]
    plain = publish("build", "--channel", "print", "--explain", cwd=root)
    assert plain.stdout.splitlines()[:4] == [
        "output/print/a.pdf: skipped (unchanged)",
        "output/web/a/brochure.pdf: skipped (unchanged)",
        "output/print/a.html: removed (no longer made)",
        "output/web/a/brochure.html: removed (no longer made)",
    ]
    assert not (root / "output/print/a.html").exists()


def test_the_command_line_imports_weasyprint_only_to_render(tmp_path):
    root = make_project(tmp_path, {"a.md": article()})
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    check = (
        "import sys\nfrom pipeline.cli import main\n"
        "try:\n    main(['build', '--channel', 'email'])\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "False"  # a no-op build does not pay its 0.4 s


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_channel_declares_the_layouts_it_reads(monkeypatch, channel):
    """The cache keys each output on its channel's `layouts`: a template it reads but does not
    declare would not make it be rebuilt."""
    read: list[str] = []
    get_source = jinja2.FileSystemLoader.get_source

    def recording(loader, environment, template):
        read.append(template)
        return get_source(loader, environment, template)

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", recording)
    project = dataclasses.replace(Project.load(REPO), channels=tuple(CHANNELS))  # fresh Jinja
    sample = read_article(REPO / f"source/{SAMPLE_SLUG}.md", REPO, project.config, CHANNELS)
    CHANNELS[channel].render(sample, project)
    CHANNELS[channel].render_site([sample], project)
    assert read
    declared = CHANNELS[channel].layouts
    assert [name for name in read if not name.startswith(declared)] == []


def test_a_terminal_gets_a_progress_bar_with_count_and_time_left(tmp_path):
    long = "## Part\n\n" + "Some text to lay out. " * 300
    root = make_project(tmp_path, {f"a{n}.md": article(f"Article {n}", long) for n in range(8)})
    controller, terminal = pty.openpty()
    build = subprocess.Popen(
        # Long enough for an estimate: click makes one after a second.
        [sys.executable, "-m", "pipeline", "build", "--channel", "print", "-j", "1"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # the terminal closes with the build
        while chunk := os.read(controller, 4096):
            shown += chunk
    stdout, _ = build.communicate(timeout=60)
    os.close(controller)
    assert build.returncode == 0
    assert re.search(rb"Publishing +\[#+\] +8/8", shown), shown
    assert re.search(rb"Publishing +\[[#-]+\] +[1-7]/8 +\d\d:\d\d:\d\d", shown), shown  # ETA
    assert stdout.decode().splitlines() == [  # no line per file under a bar
        "Published 8 articles to print: 16 files in output"
    ]


RECORD_COMMANDS = """
import subprocess
run = []
class Recorded(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        run.append(str(args[0]))
        super().__init__(args, *rest, **options)
subprocess.Popen = Recorded
"""


def test_weasyprint_is_imported_without_running_gcc_or_ld():
    # WeasyPrint tries several names per library; each miss used to run gcc and ld (0.13 s).
    check = RECORD_COMMANDS + (
        "import ctypes.util\nfrom pipeline.channels.print import pdf\npdf.import_weasyprint()\n"
        "import weasyprint\nprint(sorted(set(run)), ctypes.util.find_library.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['/sbin/ldconfig'] find_library\n"
