"""`publish check`: every problem of the articles at once, with file and line; writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.authoring.problem import ERROR, WARNING, Problem, errors
from pipeline.authoring.rules import body_rules, front_matter_rules
from pipeline.engine.build import find_sources, slug_clash
from pipeline.errors import PublishError
from pipeline.project.folder import Project
from pipeline.project.schema import load_yaml
from pipeline.source import conditional, links
from pipeline.source.article import read_text, slugify, split_front_matter
from pipeline.source.body import parse_body, variable_data
from pipeline.source.sanitize import sanitize


@dataclass
class Draft:
    """One article as far as it could be read: enough to check the next thing."""

    path: Path
    slug: str
    text: str = ""
    data: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    ast: dict | None = None
    problems: list[Problem] = field(default_factory=list)


def check_sources(project: Project, paths: Sequence[Path] = ()) -> list[Problem]:
    """Check `paths` (default: every source/*.md) and return every problem, in file order."""
    drafts = [read_draft(path, project) for path in find_sources(project, paths)]
    site, owners = _site(project, drafts)
    problems: list[Problem] = []
    for draft in drafts:
        found = draft.problems + _duplicate_slugs(draft, owners[draft.slug])
        if draft.ast is not None:
            found += errors(links.problems(draft.ast, draft.path, draft.slug, draft.text, site))
        problems += sorted(found, key=lambda p: p.line or 0)
    return problems


def read_draft(path: Path, project: Project) -> Draft:
    """Read one article, collecting its problems; stop only where nothing further can be read."""
    draft = Draft(path, slugify(path.stem))
    try:
        draft.text = read_text(path, project.root)
        meta_text, meta_line, body, body_line = split_front_matter(draft.text, path)
        data, draft.lines = load_yaml(meta_text, path, first_line=meta_line)
    except PublishError as error:
        draft.problems.append(Problem.of(error))
        return draft
    draft.data = data if isinstance(data, dict) else {}
    draft.slug = _slug(draft.data, path)
    draft.problems += front_matter_rules(data, draft.lines, path, project.root)
    lang = draft.data.get("lang") or project.config.site.language
    variables = variable_data(project.config, draft.data, draft.slug, lang)
    try:
        draft.ast, unknown = parse_body(body, body_line, variables, path)
    except PublishError as error:
        draft.problems.append(Problem.of(error))
        return draft
    draft.problems += errors(unknown)
    draft.problems += errors(conditional.problems(draft.ast, draft.text, path))
    draft.ast = sanitize(draft.ast, path, draft.text, warn=_collect(draft))  # as the build does
    draft.problems += body_rules(draft.ast, draft.text, path, project.root)
    return draft


def _collect(draft: Draft) -> Callable[[str, Path, int | None], None]:
    """What the sanitiser removes, as the draft's warnings (the build says them with warn())."""
    return lambda message, path, line: draft.problems.append(Problem(WARNING, message, path, line))


def _slug(data: dict, path: Path) -> str:
    slug = data.get("slug")
    return slug if isinstance(slug, str) and slug else slugify(path.stem)


def _site(project: Project, drafts: list[Draft]) -> tuple[links.Site, dict[str, list[Path]]]:
    """Every article's slug (the ones not checked too) and, on demand, its anchors."""
    by_path = {draft.path.resolve(): draft for draft in drafts}
    others = [p for p in find_sources(project) if p.resolve() not in by_path]
    everyone = drafts + [_front_matter_only(path, project.root) for path in others]
    owners: dict[str, list[Path]] = {}
    for draft in everyone:
        owners.setdefault(draft.slug, []).append(draft.path)

    @cache
    def anchors(slug: str) -> set[str] | None:
        if len(owners[slug]) > 1:
            return None  # which article a link means is unknown: the clash is reported
        path = owners[slug][0]
        draft = by_path.get(path.resolve()) or read_draft(path, project)
        return links.anchors(draft.ast) if draft.ast is not None else None

    pages = {draft.path.resolve(): draft.slug for draft in everyone}
    return links.Site(project.config.site.base_url, pages, anchors), owners


def _front_matter_only(path: Path, root: Path) -> Draft:
    """An article that is not checked, read only as far as its slug."""
    draft = Draft(path, slugify(path.stem))
    try:
        meta_text, meta_line, _, _ = split_front_matter(read_text(path, root), path)
        data, _ = load_yaml(meta_text, path, first_line=meta_line)
    except PublishError:
        return draft
    draft.slug = _slug(data if isinstance(data, dict) else {}, path)
    return draft


def _duplicate_slugs(draft: Draft, owners: list[Path]) -> list[Problem]:
    others = [path for path in owners if path != draft.path]
    if not others:
        return []
    return [Problem.of(slug_clash(draft.slug, draft.path, others, draft.lines.get(("slug",))))]


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
    count = f"{_plural(failing, 'error')}, {_plural(warnings, 'warning')}"
    summary = f"Checked {_plural(articles, 'article')}: {count}"
    return "\n".join([*(p.text() for p in problems), summary])


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"
