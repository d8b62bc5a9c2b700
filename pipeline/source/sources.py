"""The project's articles: which files they are, and the slug each is published under."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source.files import read_text, split_front_matter
from pipeline.source.front_matter import parse_moment


def find_sources(project: Project, sources: Sequence[Path] = ()) -> list[Path]:
    """The articles: those named, or every `source/*.md` in name order but those whose name
    starts with `_` (snippets other articles include)."""
    if sources:
        return list(sources)
    return articles_in(project.source_dir)


def articles_in(folder: Path) -> list[Path]:
    """The articles of a source folder: its `*.md` files not named `_*` (nor below it: a
    folder's files are never articles), in name order."""
    return sorted(path for path in folder.glob("*.md") if not path.name.startswith("_"))


@dataclass(frozen=True)
class Declared:
    """What a build reads of an article before it reads the article: its slug, and what its
    publication state is decided from (schedule.py)."""

    slug: str
    draft: bool = False
    date: date | datetime | None = None


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
    found = declared(path, root)
    return found.slug if found else None


def declared(path: Path, root: Path) -> Declared | None:
    """The slug, `draft` and `date` of article `path` from its front matter alone (no pandoc);
    None when it cannot be read. A value of the wrong kind counts as not given: reading the
    article says what is wrong with it."""
    try:
        meta, line, _, _ = split_front_matter(read_text(path, root), path)
        data, _ = load_yaml(meta, path, first_line=line)
    except PublishError:
        return None
    data = data if isinstance(data, dict) else {}
    try:
        moment = parse_moment(data.get("date"))
    except ValueError:
        moment = None
    return Declared(slug_of(data, path), data.get("draft") is True, moment)


def slug_clash(slug: str, path: Path, others: list[Path], line: int | None = None) -> PublishError:
    return PublishError(
        f"has the slug '{slug}', and so does {', '.join(display_path(p) for p in others)}",
        path,
        line,
        "Give one of them another 'slug:' in its front matter, or rename the file",
    )
