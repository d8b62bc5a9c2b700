"""The one module that writes outputs: atomically, and never the same path twice in a build."""

from __future__ import annotations

import contextlib
from pathlib import Path

from pipeline.channels.base import Output
from pipeline.project.files import inside, remove_unfinished, write_atomic
from pipeline.timings import timed


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
