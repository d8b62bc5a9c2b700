"""Helpers for the build engine's tests: a folder's files as bytes, and --explain read back."""

from __future__ import annotations

from pathlib import Path


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def explained(output: str) -> dict[str, str]:
    """`publish build --explain` lines as {output path: what happened to it}."""
    found = {}
    for line in output.splitlines():
        if line.startswith("output/") and ": " in line:
            path, what = line.split(": ", 1)
            found[path] = what
    return found
