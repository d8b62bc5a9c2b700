"""The studio page, and the state its event stream sends after every change: made from the
studio's state with the templates in assets/ (autoescaped, as the site's are)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import jinja2

from pipeline.errors import display_path
from pipeline.preview.listing import Row
from pipeline.preview.pages import Page, Pages
from pipeline.preview.studio import PANES, PDFS, Pane, Studio
from pipeline.source.problems import Problem

ASSETS = Path(__file__).with_name("assets")
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(ASSETS),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class Shown:
    """An article on a studio page, as the studio has it now."""

    path: Path
    title: str
    slug: str
    panes: dict[str, Pane]
    problems: list[Problem] | None  # as `publish check` reports them; None: not checked yet
    pages: dict[str, list[Page]]  # the pages of each PDF
    text: str  # the email's text part

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def source(self) -> str:
        return display_path(self.path)


def pdf_path(variant: str, slug: str) -> str:
    """Where a PDF is below the output folder: the print shop's, or the screen PDF."""
    return f"print/{slug}.pdf" if variant == "print" else f"web/{slug}/brochure.pdf"


def shown(studio: Studio, pages: Pages, path: Path) -> Shown:
    with studio.state:
        panes = {name: dataclasses.replace(pane) for name, pane in studio.panes_of(path).items()}
        row: Row | None = studio.listing.rows.get(path)
        slug = studio.slugs.get(path) or (row.slug if row else path.stem)
    problems = (
        None if row is None or row.problems is None else [*studio.listing.settings, *row.problems]
    )
    return Shown(
        path,
        row.title if row else path.name,
        slug,
        panes,
        problems,
        {variant: _pages(studio.out / pdf_path(variant, slug), pages) for variant in PDFS},
        _read(studio.out / "email" / f"{slug}.txt"),
    )


def page(studio: Studio, pages: Pages, path: Path | None, notice: str) -> str:
    """The studio page, showing the article `path` (none: `notice` instead)."""
    article = shown(studio, pages, path) if path else None
    return _templates.get_template("studio.html.j2").render(
        shown=article,
        notice=notice,
        rows=studio.listing.ordered(),
        current=path,
        site=studio.project.config.site.name,
        status=status(article.panes) if article else "",
    )


def state(studio: Studio, pages: Pages, path: Path) -> dict:
    """What the studio page gets after each change: the article list, the article's problems
    and panes (each one's version, error and whether it is being made), its pages and text."""
    article = shown(studio, pages, path)
    rows = _templates.get_template("rows.html.j2")
    pages_html = _templates.get_template("pages.html.j2")
    return {
        "title": article.title,
        "slug": article.slug,
        "status": status(article.panes),
        "rows": rows.render(rows=studio.listing.ordered(), current=path),
        "problems": _templates.get_template("problems.html.j2").render(problems=article.problems),
        "panes": {name: dataclasses.asdict(pane) for name, pane in article.panes.items()},
        "pages": {
            variant: pages_html.render(
                shown=article,
                variant=variant,
                pages=article.pages[variant],
                version=article.panes[variant].version,
            )
            for variant in article.pages
        },
        "text": article.text,
    }


def status(panes: dict[str, Pane]) -> str:
    """The page's status line, which screen readers read out when it changes."""
    busy = [PANES[name] for name, pane in panes.items() if pane.busy]
    failed = [PANES[name] for name, pane in panes.items() if pane.error]
    if busy:
        return "Updating: " + ", ".join(busy)
    if failed:
        return "The last build failed: " + ", ".join(failed)
    return "Up to date" if any(pane.version for pane in panes.values()) else "Not built yet"


def _pages(file: Path, pages: Pages) -> list[Page]:
    try:
        return pages.of(file.read_bytes())
    except OSError:  # not built yet
        return []


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except OSError:
        return ""
