"""The studio's list of articles: each one's title, date, publication state and problems, as
`publish check` reports them, kept up to date as files change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.authoring.check import Checker, config_placeholders
from pipeline.errors import PublishError, plural
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source.article import Reading
from pipeline.source.files import read_text, split_front_matter
from pipeline.source.problems import ERROR, NOTE, WARNING, Problem
from pipeline.source.sources import find_sources, slug_of


@dataclass(frozen=True)
class Row:
    """One article of the list. `problems` is None until it has been checked."""

    path: Path
    title: str
    date: str
    slug: str
    state: str
    problems: tuple[Problem, ...] | None = None
    depends: tuple[Path, ...] = ()  # the other articles its links reach (their anchors count)

    @property
    def counted(self) -> str:
        """Its problems in a few words: '1 error, 2 warnings', 'none', 'checking'."""
        if self.problems is None:
            return "checking"
        counts = [
            plural(sum(p.severity == severity for p in self.problems), severity)
            for severity in (ERROR, WARNING, NOTE)
            if any(p.severity == severity for p in self.problems)
        ]
        return ", ".join(counts) or "none"


def state_shown(reading: Reading) -> str:
    """The list's "State" column: 'published', 'draft', 'scheduled until 2026-12-01'
    (schedule.py), or 'not published: errors' when `publish build` would fail it."""
    return "not published: errors" if reading.failed else str(reading.state)


class Listing:
    """Every article of the project as `publish check` reads it. Refreshed by one thread
    (the studio's checker), read by others: `rows` is replaced whole, never changed."""

    def __init__(self):
        self.rows: dict[Path, Row] = {}
        self.settings: tuple[Problem, ...] = ()  # publish.yml's own (its placeholders)
        self.lock = threading.Lock()

    def refresh(
        self, project: Project, changed: set[Path] | None, stop: Callable[[], bool]
    ) -> list[Path]:
        """Check again the articles `changed` (None: every one), and the articles whose
        problems depend on them (their links, their slugs); the rows are replaced one by one
        as they are checked, until `stop()` says to stop. The articles checked."""
        sources = [path.resolve() for path in find_sources(project)]
        with self.lock:
            rows = {path: self.rows.get(path) or _unchecked(path, project) for path in sources}
            self.rows = rows
        again = sources if changed is None or set(changed) - set(rows) else self._affected(changed)
        try:
            self.settings = tuple(config_placeholders(project))
        except PublishError:
            self.settings = ()
        checker = Checker(project)
        for path in again:
            if stop():
                break
            self._put(path, checker)
        return again

    def _affected(self, changed: set[Path]) -> list[Path]:
        """The articles `changed`, those that link to them, and those that share a slug with
        them (before or after the change), in list order."""
        rows = self.rows
        slugs = {rows[path].slug for path in changed if path in rows}
        return [
            path
            for path, row in rows.items()
            if path in changed or set(row.depends) & changed or row.slug in slugs
        ]

    def _put(self, path: Path, checker: Checker) -> None:
        reading, problems = checker.article(path)
        row = _row(reading, problems)
        with self.lock:
            if path in self.rows:  # (not deleted meanwhile)
                self.rows = {**self.rows, path: row}

    def ordered(self) -> list[Row]:
        """The rows newest first, as the site's index lists the articles."""
        return sorted(self.rows.values(), key=lambda row: (row.date, row.title), reverse=True)


def _row(reading: Reading, problems: list[Problem]) -> Row:
    article = reading.article
    data = reading.data
    return Row(
        reading.path.resolve(),
        _text(data.get("title")) or reading.path.name,
        _text(data.get("date")),
        reading.slug,
        state_shown(reading),
        tuple(problems),
        tuple(path.resolve() for path in article.depends) if article else (),
    )


def _unchecked(path: Path, project: Project) -> Row:
    """A row from the front matter alone (no pandoc), until the article is checked."""
    try:
        meta, line, _, _ = split_front_matter(read_text(path, project.root), path)
        data, _ = load_yaml(meta, path, first_line=line)
    except PublishError:
        data = {}
    data = data if isinstance(data, dict) else {}
    title = _text(data.get("title")) or path.name
    return Row(path, title, _text(data.get("date")), slug_of(data, path), "checking")


def _text(value: object) -> str:
    """A front matter value as the list shows it ('2026-11-25' for a date)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)
