"""`publish check`: every problem of the articles at once, with file and line; writes nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.authoring.new import PLACEHOLDER
from pipeline.authoring.rules import rules
from pipeline.channels import CHANNELS
from pipeline.errors import PublishError, plural
from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project
from pipeline.project.yaml_reader import load_yaml
from pipeline.source import links
from pipeline.source.article import Reading, read
from pipeline.source.problems import ERROR, WARNING, Problem, errors
from pipeline.source.sources import declared_slug, find_sources, slug_clash, slugify


@dataclass(frozen=True)
class CheckReport:
    """What `publish check` found: every problem, in file order, and how many articles."""

    problems: list[Problem]
    articles: int

    @property
    def failed(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    @classmethod
    def of_config(cls, error: PublishError) -> CheckReport:
        """A report of publish.yml's problem alone: no article could be checked."""
        return cls([Problem.of(error)], 0)

    def text(self, form: str = "text") -> str:
        """One line per problem and a count, or JSON for CI."""
        return report(self.problems, self.articles, form)


def check(project: Project, paths: Sequence[Path] = ()) -> CheckReport:
    """Check `paths` (default: every source/*.md): each is read as the build reads it, then
    held to the rules for readers, and its links to every other article."""
    sources = find_sources(project, paths)
    readings = [read(path, project.root, project.config, CHANNELS) for path in sources]
    site, owners = _site(project, readings)
    problems: list[Problem] = config_placeholders(project)
    for reading in readings:
        found = reading.problems + rules(reading) + _duplicate_slugs(reading, owners)
        if reading.ast is not None:
            text, path = reading.text, reading.path
            found += errors(links.problems(reading.ast, path, reading.slug, text, site))
        problems += sorted(found, key=lambda p: p.line or 0)
    return CheckReport(problems, len(sources))


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


def _site(project: Project, readings: list[Reading]) -> tuple[links.Site, dict[str, list[Path]]]:
    """Every article's slug (the ones not checked too) and, on demand, its anchors."""
    by_path = {reading.path.resolve(): reading for reading in readings}
    slugs = {reading.path: reading.slug for reading in readings}
    for path in find_sources(project):
        if path.resolve() not in by_path:
            slugs[path] = declared_slug(path, project.root) or slugify(path.stem)
    owners: dict[str, list[Path]] = {}
    for path, slug in slugs.items():
        owners.setdefault(slug, []).append(path)

    @cache
    def anchors(slug: str) -> set[str] | None:
        if len(owners[slug]) > 1:
            return None  # which article a link means is unknown: the clash is reported
        path = owners[slug][0]
        reading = by_path.get(path.resolve()) or read(path, project.root, project.config, CHANNELS)
        return links.anchors(reading.ast) if reading.ast is not None else None

    pages = {path.resolve(): slug for path, slug in slugs.items()}
    return links.Site(project.config.site.base_url, pages, anchors), owners


def _duplicate_slugs(reading: Reading, owners: dict[str, list[Path]]) -> list[Problem]:
    others = [path for path in owners[reading.slug] if path != reading.path]
    if not others:
        return []
    line = reading.lines.get(("slug",))
    return [Problem.of(slug_clash(reading.slug, reading.path, others, line))]


def report(problems: list[Problem], articles: int, form: str = "text") -> str:
    """What `publish check` prints: one line per problem and a count, or JSON for CI."""
    failing = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - failing
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
