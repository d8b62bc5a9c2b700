"""Links between articles: which page and anchor each one reaches, and which reach nothing.

An article links to another by its page address, `../<slug>/` (or the absolute URL), which
every channel resolves: the web page is `<slug>/index.html`, the email and the screen PDF use
the absolute URL. A link to the Markdown file (`other.md`) would work in an editor only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from pipeline.errors import PublishError, warn
from pipeline.source import ast as pandoc_ast

PAGE = re.compile(r"^(?P<slug>[^/.]+)(/(index\.html)?)?$")


@dataclass(frozen=True)
class Site:
    """What links are checked against: every article's slug, and each one's anchors."""

    base_url: str
    pages: dict[Path, str]  # every article's file (resolved) -> its slug
    anchors: Callable[[str], set[str] | None]  # slug -> its ids; None when unknown or not one


def targets(ast: dict) -> Iterator[str]:
    for link in pandoc_ast.elements(ast, "Link"):
        yield link["c"][2][0]


def anchors(ast: dict) -> set[str]:
    """Every id in the body a link can point at: headings, divs, spans and the rest."""
    found: set[str] = set()

    def visit(node: dict) -> None:
        # Only the elements that carry attributes, where pandoc keeps them: a ColWidth's
        # "c" is a number, a Str's a string.
        if node["t"] in pandoc_ast.ATTR_AT:
            ident = node["c"][pandoc_ast.ATTR_AT[node["t"]]][0]
            if ident:
                found.add(ident)

    pandoc_ast.walk(ast["blocks"], visit)
    return found


def warn_source_links(ast: dict, path: Path, source: str) -> None:
    """Warn about links to .md files: they are not published, so they would lead nowhere."""
    for target in targets(ast):
        if _markdown_file(target):
            warn(
                f"link to '{target}' leads to a source file, which is not published "
                "(link to the article's page, '../SLUG/'; publish check names it)",
                path,
                _line_of(source, target),
            )


def problems(ast: dict, path: Path, slug: str, source: str, site: Site) -> list[PublishError]:
    """A problem for each link of the article that reaches no article or no anchor."""
    found = []
    own = anchors(ast)
    for target in targets(ast):
        problem = _problem(target, path, (slug, own), site)
        if problem:
            message, hint = problem
            found.append(PublishError(message, path, _line_of(source, target), hint))
    return found


def _problem(
    target: str, path: Path, own: tuple[str, set[str]], site: Site
) -> tuple[str, str] | None:
    """(message, hint) when `target` reaches nothing; `own` is this article's slug and ids."""
    if _markdown_file(target):
        return _source_link(target, path, site)
    page = urljoin(f"{site.base_url}{own[0]}/", target)
    if not page.startswith(site.base_url):
        return None  # another site
    url = urlsplit(page[len(site.base_url) :])
    match = PAGE.match(unquote(url.path))
    if not match:
        return None  # the home page, a feed, a file: not an article
    if match["slug"] not in site.pages.values():
        return (
            f"link to '{target}' reaches no article: no article has the slug '{match['slug']}'",
            "Check the address: an article's page is '../SLUG/', SLUG being its file name "
            "or its 'slug:'",
        )
    return _anchor_problem(target, match["slug"], unquote(url.fragment), own, site)


def _anchor_problem(target: str, slug: str, anchor: str, own: tuple[str, set[str]], site: Site):
    ids = own[1] if slug == own[0] else site.anchors(slug)
    if not anchor or ids is None or anchor in ids:
        return None
    where = "this article" if slug == own[0] else f"the article '{slug}'"
    shown = ", ".join(sorted(ids)[:12]) + (", ..." if len(ids) > 12 else "")
    return (
        f"link to '{target}' reaches no anchor: {where} has no heading or anchor '{anchor}'",
        f"Its anchors: {shown or 'none'}",
    )


def _source_link(target: str, path: Path, site: Site) -> tuple[str, str]:
    file = (path.parent / unquote(urlsplit(target).path)).resolve()
    if file in site.pages:
        fragment = urlsplit(target).fragment
        page = f"../{site.pages[file]}/" + (f"#{fragment}" if fragment else "")
        return (
            f"link to '{target}' leads to the source file, which is not published",
            f"Link to its page: '{page}'",
        )
    return (
        f"link to '{target}': no such article",
        "Link to an article's page, '../SLUG/', SLUG being its file name or its 'slug:'",
    )


def _markdown_file(target: str) -> bool:
    url = urlsplit(target)
    return not url.scheme and not url.netloc and url.path.endswith(".md")


def _line_of(source: str, target: str) -> int | None:
    """The line of the link to `target`: first as Markdown link syntax, then anywhere."""
    lines = source.split("\n")
    for needle in (f"]({target}", target):
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return None
