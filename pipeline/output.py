"""The one module that writes outputs: atomically, and never the same path twice in a build."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .timings import timed


@dataclass(frozen=True)
class Output:
    """One file a channel made, in memory: its path below the output folder and its bytes."""

    path: str
    data: bytes


class OutputWriter:
    def __init__(self, root: Path):
        self.root = root
        self.written: list[Path] = []

    def write(self, output: Output) -> Path:
        target = self.root / output.path
        if target in self.written:
            raise RuntimeError(f"two outputs of one build write {target}")
        with timed("writes"):
            write_atomic(target, output.data)
        self.written.append(target)
        return target

    def remove(self, path: str) -> Path:
        """Delete an output this build no longer makes, and the folders it leaves empty."""
        target = self.root / path
        with timed("writes"):
            target.unlink(missing_ok=True)
            for folder in target.parents:
                if folder == self.root or not folder.is_relative_to(self.root):
                    break
                with contextlib.suppress(OSError):  # not empty: it still holds other outputs
                    folder.rmdir()
        return target

    def remove_unfinished(self) -> None:
        """Delete the temporary files a build killed mid-write left behind (see write_atomic)."""
        remove_unfinished(self.root)


def remove_unfinished(folder: Path) -> None:
    if folder.is_dir():
        for part in folder.rglob(".*.part"):
            part.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file.

    Ctrl-C waits until the file is whole (a KeyboardInterrupt between creating the temporary
    file and the `try` would leave it behind)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
