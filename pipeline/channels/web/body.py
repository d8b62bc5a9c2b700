"""The article body as the web page shows it: headings without gaps and with permalinks, images
sized and lazy below the fold, tables that scroll on their own, a table of contents."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import escape
from PIL import Image, UnidentifiedImageError

from pipeline.channels.web.backlinks import with_backlinks
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source.article import Article

# Ids the page itself uses: a heading with one of these gets another.
PAGE_IDS = {"main", "toc-title", "footnotes"}
WORDS_PER_MINUTE = 200  # a calm reader of health information (Hugo counts 213)
TOC_FROM_SECTIONS = 3  # a table of contents for three h2 sections or more
EAGER_BLOCKS = 3  # an image in the first blocks is above the fold: load it at once


@dataclass
class TocEntry:
    text: str
    id: str
    children: list[TocEntry] = field(default_factory=list)


@dataclass(frozen=True)
class WebBody:
    tree: dict
    toc: list[TocEntry]
    reading_minutes: int


def web_body(article: Article, root: Path, lang: str, hero: bool) -> WebBody:
    """The body's AST for the page, its table of contents and its reading time."""
    tree = pandoc_ast.copy(article.ast_for("web"))  # shared by every channel: change a copy
    _rename_page_ids(tree)
    _size_images(tree, article, eager=not hero)
    tree = pandoc_ast.map_targets(
        tree, lambda kind, target: _page_target(kind, target, article, root)
    )
    toc = table_of_contents(tree)
    with_backlinks(tree, lang)
    tree["blocks"] = _rewrite_blocks(tree["blocks"], lang, set())
    return WebBody(tree, toc, max(1, math.ceil(word_count(tree) / WORDS_PER_MINUTE)))


def word_count(tree: dict) -> int:
    """Pandoc keeps each word in its own Str element (spaces are Space elements)."""
    return sum(1 for _ in pandoc_ast.elements(tree, "Str"))


def media_files(article: Article, root: Path) -> dict[str, Path]:
    """Where each of the article's images goes, below the page's folder."""
    return {published_path(file, article, root): file for file in article.media.values()}


def published_path(file: Path, article: Article, root: Path) -> str:
    """An image keeps its path beside the article; one from elsewhere goes in media/."""
    folder = article.path.parent.resolve()
    if file.is_relative_to(folder):
        return file.relative_to(folder).as_posix()
    return "media/" + file.relative_to(root.resolve()).as_posix()


def page_url(target: str, article: Article, root: Path) -> str:
    """The URL, relative to the page, of an image target as written in the article."""
    file = article.media.get(target)
    return quote(published_path(file, article, root)) if file else target


def _page_target(kind: str, target: str, article: Article, root: Path) -> str:
    return page_url(target, article, root) if kind == "Image" else target


def table_of_contents(tree: dict) -> list[TocEntry]:
    """h2 and h3 headings as a two-level list; empty below TOC_FROM_SECTIONS sections."""
    entries: list[TocEntry] = []
    for heading in pandoc_ast.headings(tree):
        if heading.level == 2:
            entries.append(TocEntry(heading.text, heading.id))
        elif heading.level == 3 and entries:
            entries[-1].children.append(TocEntry(heading.text, heading.id))
    return entries if len(entries) >= TOC_FROM_SECTIONS else []


def _rename_page_ids(tree: dict) -> None:
    taken = {h.id for h in pandoc_ast.headings(tree)} | PAGE_IDS

    def visit(node: dict) -> None:
        if node["t"] == "Header" and node["c"][1][0] in PAGE_IDS:
            number = 1
            while f"{node['c'][1][0]}-{number}" in taken:
                number += 1
            node["c"][1][0] = f"{node['c'][1][0]}-{number}"
            taken.add(node["c"][1][0])

    pandoc_ast.walk(tree["blocks"], visit)


def _size_images(tree: dict, article: Article, eager: bool) -> None:
    """Give every image alt, width and height; load those below the fold lazily."""
    for index, block in enumerate(tree["blocks"]):
        for image in pandoc_ast.elements({"blocks": [block]}, "Image"):
            above_fold = eager and index < EAGER_BLOCKS
            eager = False  # only the first image can be the one a reader sees first
            _set_image_attributes(image, article, above_fold)


def _set_image_attributes(image: dict, article: Article, above_fold: bool) -> None:
    attr, alt, (target, _) = image["c"]
    pairs = dict(attr[2])
    file = article.media.get(target)
    size = image_size(file) if file else None
    if size and "width" not in pairs and "height" not in pairs:
        pairs |= {"width": str(size[0]), "height": str(size[1])}
    if not alt and "alt" not in pairs:
        pairs["alt"] = ""  # (reading the article warned: source/rules.py)
    pairs.setdefault("loading", "eager" if above_fold else "lazy")
    pairs.setdefault("decoding", "async")
    attr[2] = [[key, value] for key, value in pairs.items()]


def image_size(file: Path) -> tuple[int, int] | None:
    """Pixel width and height of a picture, or None when the file does not say."""
    if file.suffix.lower() == ".svg":
        return _svg_size(file)
    try:
        with Image.open(file) as picture:
            return picture.size
    except (UnidentifiedImageError, OSError):
        return None


def _svg_size(file: Path) -> tuple[int, int] | None:
    try:
        svg = ET.parse(file).getroot()
    except ET.ParseError:
        return None
    try:
        return round(float(svg.get("width", ""))), round(float(svg.get("height", "")))
    except ValueError:
        box = svg.get("viewBox", "").replace(",", " ").split()
        return (round(float(box[2])), round(float(box[3]))) if len(box) == 4 else None


def _rewrite_blocks(blocks: list, lang: str, table_labels: set[str]) -> list:
    """Headings followed by their permalink; tables in a box that scrolls on its own."""
    result = []
    for block in blocks:
        kind = block["t"]
        if kind == "Header":
            result += _with_permalink(block, lang)
        elif kind == "Table":
            result.append(_scroll_box(block, lang, table_labels))
        elif kind in ("Div", "BlockQuote"):
            contents = block["c"][1] if kind == "Div" else block["c"]
            contents[:] = _rewrite_blocks(contents, lang, table_labels)
            result.append(block)
        else:
            result.append(block)
    return result


def _with_permalink(header: dict, lang: str) -> list[dict]:
    # After the heading, never inside it: inside, every heading's name would end in "#".
    heading = header["c"][1][0]
    text = pandoc_ast.stringify(header["c"][2])
    label = f"{translate('Link to this section', lang)}: {text}"
    link = (
        f'<a class="permalink" href="#{escape(heading)}"><span class="visually-hidden">'
        f'{escape(label)}</span><span aria-hidden="true">#</span></a>\n</div>'
    )
    # Raw tags, not a pandoc Div: pandoc writes a Div that starts with a heading as a
    # <section> and moves the heading's id onto it.
    return [_raw('<div class="heading">'), header, _raw(link)]


def _scroll_box(table: dict, lang: str, taken: set[str]) -> dict:
    # A wide table scrolls inside its box, not the page; keyboard users can scroll it too.
    # The box is a region landmark, so its name must differ from every other table's.
    number = len(taken) + 1
    label = pandoc_ast.stringify(table["c"][1]) or translate("Table {n}", lang, n=number)
    if label in taken:
        label = f"{label} ({number})"
    taken.add(label)
    pairs = [["role", "region"], ["tabindex", "0"], ["aria-label", label]]
    return _div(["table-scroll"], pairs, [table])


def _div(classes: list[str], pairs: list, blocks: list) -> dict:
    return {"t": "Div", "c": [["", classes, pairs], blocks]}


def _raw(html: str) -> dict:
    return {"t": "RawBlock", "c": ["html", html]}
