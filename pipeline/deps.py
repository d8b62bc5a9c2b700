"""The files a render reads (templates, stylesheets, fonts, images, filters), so the build cache
can key each output on exactly what it was made from."""

from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path

_files: contextvars.ContextVar[set[Path] | None] = contextvars.ContextVar("deps", default=None)


def record(path: Path | str) -> None:
    """Note that the render under way read file `path` (nothing happens outside `recording()`)."""
    found = _files.get()
    if found is not None:
        found.add(Path(path).resolve())


@contextlib.contextmanager
def recording():
    """Collect every file `record()`ed inside the block."""
    found: set[Path] = set()
    token = _files.set(found)
    try:
        yield found
    finally:
        _files.reset(token)
