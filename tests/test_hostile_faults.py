"""Faults of the machine: a damaged cache, a full or read-only disk, signals of each kind, an
article over its budget. The build never publishes what it has not checked, never crashes,
deletes only its own files, and leaves no process behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, article, make_project, publish
from outputs import explained, tree
from safety import check_outputs
from test_build_interrupt import all_gone, processes_in

ARTICLES = {
    f"a{n}.md": article(f"Article {n}", "## Part\n\n" + "Some text. " * 100) for n in range(3)
}
SLOW = article(
    "Slow", "".join(f"## Part {n}\n\n" + "Words to lay out. " * 150 + "\n\n" for n in range(60))
)


def blobs(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".publish-cache/blobs").rglob("*") if p.is_file())


def test_truncated_blobs_are_never_published(tmp_path):
    root = make_project(tmp_path / "damaged", ARTICLES)
    assert publish("build", cwd=root).exit_code == 0
    for blob in blobs(root):
        blob.write_bytes(blob.read_bytes()[: blob.stat().st_size // 2])
    for pdf in (root / "output/print").glob("*.pdf"):
        pdf.unlink()  # to be put back from the cache
    result = publish("build", "--explain", cwd=root)
    assert result.exit_code == 0, result.output
    lines = explained(result.stdout)
    assert lines["output/print/a0.pdf"] == "rebuilt (cache damaged: print/a0.pdf)"
    assert lines["output/web/a0/index.html"] == "skipped (unchanged)"
    clean = make_project(tmp_path / "clean", ARTICLES)
    assert publish("build", cwd=clean).exit_code == 0
    assert tree(root / "output") == tree(clean / "output")
    again = publish("build", "--explain", cwd=root)
    assert set(explained(again.stdout).values()) == {"skipped (unchanged)"}


def test_a_damaged_article_listing_is_read_again(tmp_path):
    root = make_project(tmp_path, ARTICLES)
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    entries = [json.loads(p.read_text()) for p in (root / ".publish-cache/entries").glob("*")]
    listing = next(e["article"] for e in entries if e["ident"] == "source/a0.md|web")
    blob = next(p for p in blobs(root) if p.name == listing)
    blob.write_bytes(b"\x80\x05not a pickle" + blob.read_bytes()[20:])
    (root / "source/a1.md").write_text(ARTICLES["a1.md"].replace("Some text.", "New text."))
    result = publish("build", "--channel", "web", "--explain", cwd=root)
    assert result.exit_code == 0, result.output
    assert "source/a0.md: read again (its listing in the cache was damaged)" in result.stdout
    index = (root / "output/web/index.html").read_text()
    assert all(f"Article {n}" in index for n in range(3))
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0  # and after


def test_damaged_entries_state_and_compiled_templates_are_misses(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    root = make_project(tmp_path / "project", ARTICLES)
    assert publish("build", cwd=root).exit_code == 0
    cache = root / ".publish-cache"
    for number, entry in enumerate(sorted((cache / "entries").glob("*"))):
        entry.write_text(
            ["{", '{"ident": 5}', "[]", json.dumps({"outputs": {"../x": "y"}})][number % 4]
        )
    state = next((cache / "state").glob("*"))
    state.write_text(json.dumps({"renders": {"x|web": {"../../precious.txt": ["a", 1, 2]}}}))
    for compiled in (cache / "templates").glob("*"):
        compiled.write_bytes(compiled.read_bytes()[:40])
    result = publish("build", cwd=root)
    assert result.exit_code == 0, result.output
    assert outside.read_text() == "keep me"
    clean = make_project(tmp_path / "clean", ARTICLES)
    assert publish("build", cwd=clean).exit_code == 0
    assert tree(root / "output") == tree(clean / "output")


def test_only_files_the_build_made_are_deleted(tmp_path):
    root = make_project(tmp_path / "project", ARTICLES)
    out = tmp_path / "site"
    (out / "drafts").mkdir(parents=True)
    mine = [out / "drafts/notes.part", out / "drafts/.plan.part", out / ".x.y.publish-part"]
    for path in mine:
        path.write_text("the user's own")
    assert publish("build", "--out", str(out), cwd=root).exit_code == 0
    assert all(path.read_text() == "the user's own" for path in mine)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs mounted read-only, and one of 200 KB to fill (root may mount; CI is root)."""
    made = []

    def mount(name: str, options: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)])
        if done.returncode:
            pytest.skip("this machine does not let the tests mount a small disk")
        made.append(folder)
        return folder

    yield mount
    for folder in made:
        subprocess.run(["umount", str(folder)])


def test_a_read_only_or_full_output_disk_is_one_message(tmp_path, small_disk):
    root = make_project(tmp_path / "project", ARTICLES)
    for folder, said in [
        (small_disk("ro", "ro,size=1m"), "Read-only file system"),
        (small_disk("full", "size=200k"), "No space left on device"),
    ]:
        result = publish("build", "--out", str(folder), cwd=root)
        assert result.exit_code == 1
        message = result.stderr.splitlines()[-1]
        assert message.startswith(f"Error: cannot write {folder}/")
        assert message.endswith(
            f": {said}. Free some space on that disk, or choose a folder you can write to "
            "(publish build --out DIR)"
        )
        assert "Traceback" not in result.output
        assert [p for p in folder.rglob("*") if p.is_file() and "publish-part" in p.name] == []
        for pdf in folder.rglob("*.pdf"):
            assert pdf.read_bytes().rstrip().endswith(b"%%EOF")


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from pipeline.cli import run; run()", "build", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        start_new_session=True,
    )


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_no_process_outlives_a_build_however_it_ends(tmp_path, how):
    root = make_project(tmp_path, {"slow.md": SLOW, "other.md": SLOW.replace("Slow", "Other")})
    build = start(root, "-j", "2")
    deadline = time.monotonic() + 30
    while len(processes_in(root.resolve())) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)  # the build, two workers and their pandoc: laying out the PDFs
    assert len(processes_in(root.resolve())) >= 5
    stopped = time.monotonic()
    os.kill(build.pid, getattr(signal, how))  # the build alone, not its process group
    build.wait(timeout=30)
    assert all_gone(root)
    assert time.monotonic() - stopped < 10  # at once, not when the slow article is done
    assert list(root.rglob("*.publish-part")) == [] or how == "SIGKILL"


def budget(root: Path, **limits: int) -> None:
    lines = "".join(f"  {key}: {value}\n" for key, value in limits.items())
    with (root / "publish.yml").open("a") as config:
        config.write(f"\nbuild:\n{lines}")


def heavy(task) -> None:
    """In the worker, before it builds slow.md a minute's sleep, big.md 600 MB of memory held
    (the budget stops it either way; a test hook, so the test does not hang on the machine's
    speed)."""
    if task.source.stem == "slow":
        time.sleep(60)
    if task.source.stem == "big":
        HELD.append(b"x" * (600 * 1024 * 1024))  # written, so resident
        time.sleep(60)


HELD: list[bytes] = []


TIME_ERROR = (
    "Error: source/slow.md: not built: it took more than 10 s (the limit: "
    "'build.article_seconds'). Shorten the article or split it; or raise the limit under "
    "'build:' in publish.yml (docs/authoring.md)"
)


def test_an_article_over_its_time_budget_fails_alone(tmp_path):
    root = make_project(tmp_path, {"slow.md": article("Slow"), "quick.md": article("Quick")})
    budget(root, article_seconds=10)
    result = publish("build", "-j", "2", cwd=root, hooks={"before_task": heavy})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == TIME_ERROR
    assert (root / "output/print/quick.pdf").is_file()
    assert not (root / "output/print/slow.pdf").exists()
    assert all_gone(root)
    check_outputs(root / "output")


def test_an_article_over_its_memory_budget_fails_alone(tmp_path):
    root = make_project(tmp_path, {"big.md": article("Big"), "quick.md": article("Quick")})
    budget(root, article_memory=400)
    result = publish("build", "-j", "2", cwd=root, hooks={"before_task": heavy})
    assert result.exit_code == 1
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: source/big.md: not built: it took ")
    assert error.endswith(
        " MB of memory, more than 400 MB (the limit: 'build.article_memory'). Shorten the "
        "article or split it; or raise the limit under 'build:' in publish.yml "
        "(docs/authoring.md)"
    )
    assert (root / "output/web/quick/index.html").is_file()


def test_one_job_builds_in_this_process_and_keeps_the_budget(tmp_path):
    root = make_project(tmp_path, {"slow.md": article("Slow"), "quick.md": article("Quick")})
    budget(root, article_seconds=10)
    result = publish("build", "-j", "1", cwd=root, hooks={"before_task": heavy})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == TIME_ERROR
    assert (root / "output/print/quick.pdf").is_file()
    again = publish("build", "-j", "1", "source/quick.md", "--force", cwd=root)
    assert again.exit_code == 0, again.output  # this process's pandoc works after the stop


def raise_in_the_worker(task) -> None:
    raise ValueError(f"a bug met while building {task.source.name}")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_in_a_worker_is_raised_with_the_workers_traceback(tmp_path, jobs):
    import pipeline

    root = make_project(tmp_path, ARTICLES)
    options = pipeline.BuildOptions(jobs=jobs, before_task=raise_in_the_worker)
    with pytest.raises(pipeline.BuildBug) as bug:
        pipeline.build(pipeline.load_project(root), options)
    said = str(bug.value)
    # (with two workers, whichever article comes first)
    assert re.match(
        r"ValueError: a bug met while building a[0-2]\.md\n\nIn the build worker:\n", said
    )
    assert "in raise_in_the_worker" in said and "Traceback (most recent call last)" in said
    assert processes_in(root.resolve()) == []
