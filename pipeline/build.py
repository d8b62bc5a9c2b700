"""Build: read every article once, render it in each channel, write what succeeded."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article, read_article
from .channels import CHANNELS
from .errors import PublishError, collecting_warnings, display_path
from .output import Output, OutputWriter
from .project import Project


@dataclass
class BuildReport:
    articles: list[Article] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failures: list[PublishError] = field(default_factory=list)


def find_sources(project: Project, sources: Sequence[Path] = ()) -> list[Path]:
    """The articles to build: those named, or every `source/*.md` in name order."""
    if sources:
        return list(sources)
    return sorted(project.source_dir.glob("*.md"))


def build(
    project: Project,
    sources: Sequence[Path] = (),
    channels: Sequence[str] = (),
    out: Path | None = None,
    strict: bool = False,
    on_write: Callable[[Path], None] = lambda path: None,
    on_article: Callable[[Path], None] = lambda path: None,
) -> BuildReport:
    """Publish `sources` (default: all of source/) to `channels` (default: all) under `out`.

    An article with a problem is left out entirely (nothing of it is written) and reported;
    the others are still built. Site-wide pages are made only when building all of source/.
    """
    report = BuildReport()
    writer = OutputWriter(out or project.root / "output")
    names = list(channels) or list(CHANNELS)
    project = dataclasses.replace(project, channels=tuple(names))
    try:
        for name in names:
            CHANNELS[name].prepare(project)
    except PublishError as error:
        report.failures.append(error)
        return report

    def attempt(path: Path | None, work: Callable[[], list[Output]]) -> bool:
        """Run `work`; write its outputs only if it raised nothing (and, strict, warned nothing)."""
        try:
            with collecting_warnings() as warnings:
                outputs = work()
            if strict and warnings:
                raise PublishError(
                    f"not built: --strict turns its {len(warnings)} warning(s) into errors",
                    path,
                    hint="Fix the warnings above",
                )
        except PublishError as error:
            if path is not None and error.path is not None and Path(error.path) != path:
                error.message += f" (while publishing {display_path(path)})"
            report.failures.append(error)
            return False
        for output in outputs:
            report.written.append(writer.write(output))
            on_write(report.written[-1])
        return True

    read: list[Article] = []
    for path in find_sources(project, sources):
        found: list[Article] = []  # kept only if reading it passed (under --strict: no warning)
        if attempt(
            path,
            lambda path=path, found=found: (
                found.append(read_article(path, project.root, project.config)) or []
            ),
        ):
            read += found
    for article in unique_slugs(read, report):
        if attempt(
            article.path,
            lambda article=article: [
                output for name in names for output in CHANNELS[name].render(article, project)
            ],
        ):
            report.articles.append(article)
        on_article(article.path)

    if not sources:
        for name in names:
            attempt(None, lambda name=name: CHANNELS[name].render_site(report.articles, project))
    return report


def unique_slugs(articles: list[Article], report: BuildReport) -> list[Article]:
    """Articles whose slug no other article has; each clash is reported naming both files."""
    by_slug: dict[str, list[Article]] = {}
    for article in articles:
        by_slug.setdefault(article.slug, []).append(article)
    for slug, group in by_slug.items():
        if len(group) > 1:
            report.failures.append(slug_clash(slug, group[0].path, [a.path for a in group[1:]]))
    return [a for a in articles if len(by_slug[a.slug]) == 1]


def slug_clash(slug: str, path: Path, others: list[Path], line: int | None = None) -> PublishError:
    return PublishError(
        f"has the slug '{slug}', and so does {', '.join(display_path(p) for p in others)}",
        path,
        line,
        "Give one of them another 'slug:' in its front matter, or rename the file",
    )
