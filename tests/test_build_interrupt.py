"""A build killed in the middle leaves no half-written file and no broken cache entry; the next
build finishes the work, keeping what was done, and gives the bytes of an uninterrupted one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, article, make_project, publish
from outputs import explained, tree

ARTICLES = {
    f"a{n:02d}.md": article(f"Article {n}", "## Part\n\n" + "Some text. " * 200) for n in range(8)
}


def processes_in(folder: Path) -> list[int]:
    """The processes whose working folder is `folder` (a build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def all_gone(folder: Path) -> bool:
    """Whether every process of a build in `folder` (its workers, their pandoc) has ended."""
    # A worker sees its build is gone within PARENT_CHECK, or when it has finished the article
    # in hand (two PDFs and their preflight: seconds on a busy machine).
    deadline = time.monotonic() + 30
    while processes_in(folder.resolve()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return processes_in(folder.resolve()) == []


def start_build(root: Path) -> subprocess.Popen:
    """`publish build -j 2` in a process of its own, as from a terminal."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "-j", "2"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        start_new_session=True,
    )


def test_a_killed_build_is_finished_by_the_next_one(tmp_path):
    root = make_project(tmp_path / "killed", ARTICLES)
    build = start_build(root)
    for _ in range(4):  # the first article and a bit of the second are written
        assert build.stdout.readline().startswith("wrote ")
    build.kill()  # SIGKILL: no clean-up of any kind
    build.wait(timeout=10)
    assert all_gone(root)
    assert not (root / "output/web/index.html").exists(), "the build ended before the kill"
    # What a kill in the middle of a write leaves behind: the next build clears it away.
    (root / "output/print/.a07.pdf.x1y2z3w4.publish-part").write_bytes(b"%PDF-1.7 half")
    (root / ".publish-cache/blobs/.0000.x1y2z3w4.publish-part").write_bytes(b"half")

    finish = publish("build", "--explain", cwd=root)
    assert finish.exit_code == 0, finish.output
    lines = explained(finish.stdout)
    assert lines["output/web/a00/index.html"] == "skipped (unchanged)"
    assert lines["output/email/a07.txt"] == "rebuilt (not built before)"
    clean = make_project(tmp_path / "clean", ARTICLES)
    assert publish("build", cwd=clean).exit_code == 0
    assert tree(root / "output") == tree(clean / "output")
    assert list(root.rglob("*.publish-part")) == []


def test_ctrl_c_stops_the_workers_and_writes_nothing_more(tmp_path):
    root = make_project(tmp_path, ARTICLES)
    build = start_build(root)
    assert build.stdout.readline().startswith("wrote ")
    os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches every process of the terminal's group
    build.communicate(timeout=30)
    assert build.returncode != 0
    assert all_gone(root)
    made = [path for path in (root / "output").rglob("*") if path.is_file()]
    assert not any(path.name.endswith(".publish-part") for path in made)
    for path in made:
        if path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
    finish = publish("build", cwd=root)
    assert finish.exit_code == 0, finish.output
