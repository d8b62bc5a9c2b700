"""The one module that writes outputs: atomically, and never the same path twice in a build."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PublishError, display_path
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
        if not inside(output.path):
            raise RuntimeError(f"an output path leaves the output folder: {output.path}")
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
        if not inside(path):
            return target  # (named by a damaged state file: never a file outside)
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


def inside(path: str) -> bool:
    """Whether `path` (as outputs and the cache name files) stays below the folder it is in."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def remove_unfinished(folder: Path) -> None:
    """Delete the temporary files of write_atomic that a killed build left: those only (their
    names end in PART, after mkstemp's eight random characters)."""
    if folder.is_dir():
        for part in folder.rglob(f".*{PART}"):
            if UNFINISHED.match(part.name) and part.is_file():
                part.unlink(missing_ok=True)


PART = ".publish-part"
UNFINISHED = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(PART) + "$")


class CannotWrite(PublishError):
    """The disk refused a file: it is full, read-only, or not ours to write."""


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file.

    Ctrl-C waits until the file is whole (a KeyboardInterrupt between creating the temporary
    file and the `try` would leave it behind). A refusal of the disk is CannotWrite."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=PART
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CannotWrite(
            f"cannot write {display_path(target)}: {error.strerror or error}",
            hint="Free some space on that disk, or choose a folder you can write to "
            "(publish build --out DIR)",
        ) from error
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
