"""The project's articles: which files they are, and the slug each is published under."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source.files import read_text, split_front_matter


def find_sources(project: Project, sources: Sequence[Path] = ()) -> list[Path]:
    """The articles: those named, or every `source/*.md` in name order."""
    if sources:
        return list(sources)
    return sorted(project.source_dir.glob("*.md"))


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "article"


def slug_of(data: object, path: Path) -> str:
    """The slug an article is published under: its front matter's `slug`, else its file name."""
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) and slug else slugify(path.stem)


def declared_slug(path: Path, root: Path) -> str | None:
    """The slug of article `path` from its front matter alone (no pandoc); None when the front
    matter cannot be read (reading the article then says why)."""
    try:
        meta, line, _, _ = split_front_matter(read_text(path, root), path)
        data, _ = load_yaml(meta, path, first_line=line)
    except PublishError:
        return None
    return slug_of(data, path)


def slug_clash(slug: str, path: Path, others: list[Path], line: int | None = None) -> PublishError:
    return PublishError(
        f"has the slug '{slug}', and so does {', '.join(display_path(p) for p in others)}",
        path,
        line,
        "Give one of them another 'slug:' in its front matter, or rename the file",
    )
