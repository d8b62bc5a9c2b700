"""Links: where each one leads, written so that it leads there from every channel, and a warning
for each that leads nowhere.

An article links to another by its page address, `../<slug>/`, or by its file, `other.md`,
which is rewritten to the page (an editor follows the file, every channel the page). A link to
any other local file leads nowhere once published: a warning. The web page keeps links
relative to itself; every other channel (email, feed, PDFs) makes them absolute (`absolute`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast

PAGE = re.compile(r"^(?P<slug>[^/.]+)(/(index\.html)?)?$")
# What the site publishes at its root besides the article pages.
SITE_FILES = re.compile(r"^(index\.html|404\.html|feed\.xml|sitemap\.xml|robots\.txt|assets/.*)?$")


@dataclass(frozen=True)
class Site:
    """What links are checked against: every article's slug, and each one's anchors."""

    base_url: str
    pages: dict[Path, str]  # every article's file (resolved) -> its slug
    anchors: Callable[[str], set[str] | None]  # slug -> its ids; None when unknown or not one

    def file_of(self, slug: str) -> Path | None:
        found = [path for path, own in self.pages.items() if own == slug]
        return found[0] if len(found) == 1 else None


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


def to_pages(ast: dict, path: Path, site: Site) -> tuple[dict, dict[str, str]]:
    """A copy of the AST whose links to another article's file (`other.md#part`) lead to its
    page (`../other/#part`); and each new target with the target as written."""
    written_as: dict[str, str] = {}

    def rewrite(kind: str, target: str) -> str:
        url = urlsplit(target)
        if kind != "Link" or not _local_file(target) or not url.path.endswith(".md"):
            return target
        slug = site.pages.get((path.parent / unquote(url.path)).resolve())
        if slug is None:
            return target  # not an article: `problems` warns
        page = f"../{slug}/" + (f"#{url.fragment}" if url.fragment else "")
        written_as.setdefault(page, target)
        return page

    return pandoc_ast.map_targets(ast, rewrite), written_as


def absolute(ast: dict, page_url: str, kinds: tuple[str, ...] = ("Link", "Image")) -> dict:
    """A copy of the AST whose link (and picture) targets are absolute, resolved against the
    page's address: a mail client or a PDF has no page to resolve them against."""

    def resolve(kind: str, target: str) -> str:
        if kind not in kinds or target.startswith("#"):
            return target
        return urljoin(page_url, target)

    return pandoc_ast.map_targets(ast, resolve)


def problems(
    ast: dict,
    path: Path,
    slug: str,
    source: str,
    site: Site,
    pictures: set[Path],
    written_as: dict[str, str],
) -> list[PublishError]:
    """A problem for each link of the article that leads nowhere once published (a link to
    one of its `pictures`, published beside its page, leads there). `written_as`: a target
    `to_pages` rewrote -> the target as written, which the problem names."""
    found = []
    own = anchors(ast)
    for target in dict.fromkeys(targets(ast)):  # each target once
        if _local_file(target) and (path.parent / unquote(target)).resolve() in pictures:
            continue
        shown = written_as.get(target, target)
        problem = _problem(target, shown, path, (slug, own), site)
        if problem:
            message, hint = problem
            found.append(PublishError(message, path, _line_of(source, shown), hint))
    return found


def _problem(
    target: str, shown: str, path: Path, own: tuple[str, set[str]], site: Site
) -> tuple[str, str] | None:
    """(message, hint) when `target` (written as `shown`) leads nowhere; `own` is this
    article's slug and ids."""
    page = urljoin(f"{site.base_url}{own[0]}/", target)
    if not page.startswith(site.base_url):
        return None  # another site
    url = urlsplit(page[len(site.base_url) :])
    match = PAGE.match(unquote(url.path))
    if match:
        return _page_problem(shown, match["slug"], unquote(url.fragment), own, site)
    if _local_file(target) and not target.startswith("/") and not _published(url.path, own[0]):
        return (
            f"link to '{shown}' leads to a file that is not published",
            "Link to its address on the web, or to an article's page ('../SLUG/')",
        )
    return None  # the home page, the feed, a page of the site beside this one


def _page_problem(target: str, slug: str, anchor: str, own: tuple[str, set[str]], site: Site):
    if slug not in site.pages.values():
        if not _local_file(target) or target.startswith("/"):
            return None  # written as the site's address: a page the site has besides articles
        return (
            f"link to '{target}' reaches no article: no article has the slug '{slug}'",
            "Check the address: an article's page is '../SLUG/', SLUG being its file name "
            "or its 'slug:'",
        )
    ids = own[1] if slug == own[0] else site.anchors(slug)
    if not anchor or ids is None or anchor in ids:
        return None
    where = "this article" if slug == own[0] else f"the article '{slug}'"
    shown = ", ".join(sorted(ids)[:12]) + (", ..." if len(ids) > 12 else "")
    return (
        f"link to '{target}' reaches no anchor: {where} has no heading or anchor '{anchor}'",
        f"Its anchors: {shown or 'none'}",
    )


def linked(ast: dict, slug: str, site: Site) -> set[Path]:
    """The files of the other articles this one links to: what its link warnings depend on."""
    found = set()
    for target in targets(ast):
        page = urljoin(f"{site.base_url}{slug}/", target)
        match = PAGE.match(unquote(urlsplit(page[len(site.base_url) :]).path))
        other = site.file_of(match["slug"]) if match and page.startswith(site.base_url) else None
        if other is not None and match["slug"] != slug:
            found.add(other)
    return found


def _published(path: str, slug: str) -> bool:
    """Whether a path below the site's address is one the build publishes: a site page, or
    this article's brochure."""
    return bool(SITE_FILES.match(unquote(path))) or unquote(path) == f"{slug}/brochure.pdf"


def _local_file(target: str) -> bool:
    url = urlsplit(target)
    return not url.scheme and not url.netloc and bool(url.path)


def _line_of(source: str, target: str) -> int | None:
    """The line of the link to `target`: first as Markdown link syntax, then anywhere."""
    lines = source.split("\n")
    for needle in (f"]({target}", target):
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return None
