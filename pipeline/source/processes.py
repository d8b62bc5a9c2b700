"""No process outlives the one that started it: build workers and pandoc servers die with their
parent, however it ends (SIGKILL included). Linux's parent-death signal does it; elsewhere the
workers' own check of their parent (workers.py) still stops them once they are idle."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int | None = None) -> int:
    """In a child process: be killed when our parent ends; return its pid. `parent` is the pid
    it should have (a child that has another has lost its parent already)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        return os.getppid()
    if parent is not None and os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)
    return os.getppid()


def dying_with_parent(command: list[str]) -> list[str]:
    """`command`, run so that it is killed when the process that starts it ends: through
    util-linux's setpriv, which asks Linux for the parent-death signal and then runs it (a
    preexec_fn would do it too, but is unsafe in a process with threads)."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", *command] if setpriv else command


def tree_memory(pid: int) -> int:
    """Resident bytes of process `pid` and of its children (a worker and its pandoc)."""
    total = 0
    for member in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:  # gone, or not Linux
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def _children(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found
