"""`publish check`: every problem of the articles at once, with file and line; writes nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.channels import CHANNELS
from pipeline.errors import PublishError, plural
from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source.article import Reading, read
from pipeline.source.problems import ERROR, WARNING, Problem
from pipeline.source.rules import PLACEHOLDER
from pipeline.source.schedule import State, publication_state, today
from pipeline.source.site import project_site
from pipeline.source.sources import declared, find_sources, slug_clash, slugify


@dataclass(frozen=True)
class CheckReport:
    """What `publish check` found: every problem, in file order, and how many articles."""

    problems: list[Problem]
    articles: int
    states: list[State] = field(default_factory=list)  # of the articles checked

    @property
    def failed(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    @property
    def warned(self) -> bool:
        return any(problem.severity == WARNING for problem in self.problems)

    @classmethod
    def of_config(cls, error: PublishError) -> CheckReport:
        """A report of publish.yml's problem alone: no article could be checked."""
        return cls([Problem.of(error)], 0)

    def text(self, form: str = "text") -> str:
        """One line per problem and a count, or JSON for CI."""
        return report(self.problems, self.articles, form, self.states)


def check(project: Project, paths: Sequence[Path] = (), as_of: date | None = None) -> CheckReport:
    """Check `paths` (default: every source/*.md), each read as the build reads it (with its
    links to every published article), and publish.yml's placeholders. `as_of`: the day
    whose drafts and scheduled articles to tell (default: today)."""
    sources = find_sources(project, paths)
    checker = Checker(project, as_of)
    problems: list[Problem] = config_placeholders(project)
    states = []
    for path in sources:
        reading, found = checker.article(path)
        problems += found
        states.append(reading.state)
    return CheckReport(problems, len(sources), states)


def published_pages(project: Project, day: date) -> dict[Path, str]:
    """The articles of source/ published on `day` and the slug of each: those a link may reach
    (a draft's page is not there)."""
    zone = project.config.site.timezone
    pages = {}
    for path in find_sources(project):
        facts = declared(path, project.root)
        if facts is None or publication_state(facts, day, zone).published:
            pages[path.resolve()] = facts.slug if facts else slugify(path.stem)
    return pages


class Checker:
    """Articles read as `publish check` reads them: each as the build reads it on the day
    `as_of` (default: today), with its links to every article published that day (as they are
    when the Checker is made)."""

    def __init__(self, project: Project, as_of: date | None = None):
        self.project = project
        self.day = today(project.config.site.timezone, as_of)
        pages = published_pages(project, self.day)
        self.site = project_site(project.root, project.config, [], pages)
        self.owners: dict[str, list[Path]] = {}
        for path, slug in self.site.pages.items():
            self.owners.setdefault(slug, []).append(path)

    def article(self, path: Path) -> tuple[Reading, list[Problem]]:
        """The article as far as it could be read, and its problems: its own in line order,
        then those of the files it includes."""
        root, config = self.project.root, self.project.config
        reading = read(path, root, config, CHANNELS, self.site, self.day)
        found = reading.problems + _duplicate_slugs(reading, self.owners)
        return reading, sorted(found, key=lambda p: (p.path != reading.path, p.line or 0))


def config_placeholders(project: Project) -> list[Problem]:
    """A warning for each value of publish.yml that `publish init` left to replace."""
    path = project.root / CONFIG_NAME
    data, lines = load_yaml(path.read_text(encoding="utf-8"), path)
    return [
        Problem(
            WARNING,
            f"'{'.'.join(map(str, loc))}' in {CONFIG_NAME} is still a placeholder from "
            "publish init",
            path,
            lines.get(loc),
            "Give the organisation's own value",
        )
        for loc, value in _values(data, ())
        if isinstance(value, str) and value.startswith(PLACEHOLDER)
    ]


def _values(data, loc: tuple) -> list[tuple[tuple, object]]:
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _values(value, (*loc, key))]
    if isinstance(data, list):
        return [
            found for index, value in enumerate(data) for found in _values(value, (*loc, index))
        ]
    return [(loc, data)]


def _duplicate_slugs(reading: Reading, owners: dict[str, list[Path]]) -> list[Problem]:
    others = [path for path in owners.get(reading.slug, []) if path != reading.path.resolve()]
    if not others:
        return []
    line = reading.lines.get(("slug",))
    return [Problem.of(slug_clash(reading.slug, reading.path, others, line))]


def report(
    problems: list[Problem], articles: int, form: str = "text", states: Sequence[State] = ()
) -> str:
    """What `publish check` prints: one line per problem and a count, or JSON for CI."""
    failing = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    drafts = sum(state.draft for state in states)
    scheduled = sum(not state.draft and state.until is not None for state in states)
    if form == "json":
        document = {
            "articles": articles,
            "errors": failing,
            "warnings": warnings,
            "drafts": drafts,
            "scheduled": scheduled,
            "problems": [p.as_json() for p in problems],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    count = f"{plural(failing, 'error')}, {plural(warnings, 'warning')}"
    unpublished = [plural(drafts, "draft")] * bool(drafts) + [f"{scheduled} scheduled"] * bool(
        scheduled
    )
    shown = f" ({', '.join(unpublished)})" if unpublished else ""
    summary = f"Checked {plural(articles, 'article')}{shown}: {count}"
    return "\n".join([*(p.text() for p in problems), summary])
