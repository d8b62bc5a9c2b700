"""The project: publish.yml and its schema, the layouts and their Jinja environment, the words
the layouts show."""

from __future__ import annotations

from pathlib import Path

from pipeline.project.folder import Project


def load_project(root: Path | str | None = None) -> Project:
    """The project in folder `root` (default: the current folder), its publish.yml read and
    validated (PublishError says what is wrong, with the key and line)."""
    return Project.load(Path(root) if root is not None else Path.cwd())


__all__ = ["Project", "load_project"]
