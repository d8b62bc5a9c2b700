"""Files written whole or not at all, and the temporary files that a killed write leaves."""

from __future__ import annotations

import os
import re
import signal
import tempfile
from pathlib import Path, PurePosixPath

from pipeline.errors import PublishError, display_path


def inside(path: str) -> bool:
    """Whether `path` (as outputs and the cache name files) stays below the folder it is in."""
    pure = PurePosixPath(path)
    return bool(pure.parts) and not pure.is_absolute() and ".." not in pure.parts


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
