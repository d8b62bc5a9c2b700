"""`publish check`: every problem of the articles at once, with file and line; writes nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.channels import CHANNELS
from pipeline.errors import PublishError, plural
from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source.article import Reading, read
from pipeline.source.problems import ERROR, WARNING, Problem
from pipeline.source.rules import PLACEHOLDER
from pipeline.source.site import project_site
from pipeline.source.sources import find_sources, slug_clash


@dataclass(frozen=True)
class CheckReport:
    """What `publish check` found: every problem, in file order, and how many articles."""

    problems: list[Problem]
    articles: int

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
        return report(self.problems, self.articles, form)


def check(project: Project, paths: Sequence[Path] = ()) -> CheckReport:
    """Check `paths` (default: every source/*.md), each read as the build reads it (with its
    links to every other article), and publish.yml's placeholders."""
    sources = find_sources(project, paths)
    checker = Checker(project)
    problems: list[Problem] = config_placeholders(project)
    for path in sources:
        problems += checker.article(path)[1]
    return CheckReport(problems, len(sources))


class Checker:
    """Articles read as `publish check` reads them: each as the build reads it, with its links
    to every other article of the project (as they are when the Checker is made)."""

    def __init__(self, project: Project):
        self.project = project
        self.site = project_site(project.root, project.config, find_sources(project))
        self.owners: dict[str, list[Path]] = {}
        for path, slug in self.site.pages.items():
            self.owners.setdefault(slug, []).append(path)

    def article(self, path: Path) -> tuple[Reading, list[Problem]]:
        """The article as far as it could be read, and its problems in line order."""
        reading = read(path, self.project.root, self.project.config, CHANNELS, self.site)
        found = reading.problems + _duplicate_slugs(reading, self.owners)
        return reading, sorted(found, key=lambda p: p.line or 0)


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


def report(problems: list[Problem], articles: int, form: str = "text") -> str:
    """What `publish check` prints: one line per problem and a count, or JSON for CI."""
    failing = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    if form == "json":
        document = {
            "articles": articles,
            "errors": failing,
            "warnings": warnings,
            "problems": [p.as_json() for p in problems],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    count = f"{plural(failing, 'error')}, {plural(warnings, 'warning')}"
    summary = f"Checked {plural(articles, 'article')}: {count}"
    return "\n".join([*(p.text() for p in problems), summary])
