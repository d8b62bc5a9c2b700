"""The copy on laid-out pages: how full each page is, and what a typesetter would not accept.

Read from WeasyPrint's boxes (measure.py says why `_page_box`). A page's copy area is its
content box; the copy fills it in columns (boxes WeasyPrint marks `is_column`), blocks set
across the page (`.across`) and the notes at its foot. Lengths are in CSS pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import weasyprint  # noqa: F401  (first: weasyprint.document alone is a circular import)
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes

from pipeline.channels.print.measure import _boxes, _classes, _walk

HYPHEN = "\u2010"  # what WeasyPrint adds at the end of a line it hyphenated
MAX_HYPHENATED_RUN = 2  # hyphenated lines in a row a typesetter accepts
HEADING_LINES = 2  # lines of text a heading keeps with it
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Kept whole in one column: a short list (typography.py marks it), a callout, a table row, a
# figure (its picture and caption).
KEPT = {"keep", "callout"}
KEPT_TAGS = {"tr", "figure"}


@dataclass(frozen=True)
class CopyPage:
    """A page with copy on it: its number, and the share of its copy area that is set."""

    number: int
    fill: float

    def __str__(self) -> str:
        return f"page {self.number} {self.fill:.0%} full"


def copy_pages(document: Document) -> list[CopyPage]:
    """Each page that has copy on it, with how full it is."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        flows = _flows(_copy_box(page))
        if flows:
            area = page._page_box
            used = sum(box.width * _depth(box) for box in flows) + _notes_area(page)
            found.append(CopyPage(number, min(1.0, used / (area.width * area.height))))
    return found


def galley_pages(document: Document, columns: int) -> float:
    """How many pages of `columns` columns the copy of a galley takes: a galley is the copy
    laid out one column a page, so each page is a column, broken where the column would be.
    What is set across the page (wide tables) and the notes at a page's foot take that height
    from every column of the page, not from one."""
    pages = [page for page in document.pages if _flows(_copy_box(page))]
    if not pages:
        return 0.0
    height = pages[-1]._page_box.height
    last = sum(map(_depth, _flows(_copy_box(pages[-1])))) + _notes_height(pages[-1])
    spanning = sum(_depth(box) for page in pages for box in _flows(_copy_box(page)) if _across(box))
    notes = sum(map(_notes_height, pages))
    used = len(pages) - 1 + last / height + (columns - 1) * (spanning + notes) / height
    return used / columns


def _copy_box(page: Page) -> boxes.Box | None:
    return next((box for box in _boxes(page) if box.element_tag == "main"), None)


def _flows(copy: boxes.Box | None) -> list[boxes.Box]:
    """The boxes the copy flows through on a page, in reading order: the columns of each group
    set in columns (a galley's group is one column), and the blocks set across between them."""
    found: list[boxes.Box] = []
    for child in copy.children if copy is not None else ():
        if not child.is_in_normal_flow():
            continue
        found += [box for box in child.children if box.is_column] or [child]
    return found


def _across(box: boxes.Box) -> bool:
    return "across" in _classes(box)


def _depth(box: boxes.Box) -> float:
    """How far down from its top a column or block has content: to its last in-flow child's
    border box (an empty column: 0)."""
    children = [child for child in box.children if child.is_in_normal_flow()]
    if not children:
        return 0.0
    last = children[-1]
    return max(0.0, last.border_box_y() + last.border_height() - box.content_box_y())


def _notes(page: Page) -> list[boxes.Box]:
    return [box for box in page._page_box.children if isinstance(box, boxes.FootnoteAreaBox)]


def _notes_height(page: Page) -> float:
    return sum(box.margin_height() for box in _notes(page) if box.children)


def _notes_area(page: Page) -> float:
    return sum(box.width * box.margin_height() for box in _notes(page) if box.children)


@dataclass(frozen=True)
class Line:
    """A line of the copy: its page, its paragraph (the block it is set in), whether it ends in
    a hyphen WeasyPrint added, and whether it ends a column or a page."""

    page: int
    block: object  # the element of the paragraph, list item or cell
    hyphenated: bool
    ends: str | None  # "column", "page" or None
    text: str
    flow: tuple[int, int] = (0, 0)  # its page and its column (or block across) on the page
    within: tuple = ()  # the elements it is set in, outermost first
    picture: bool = False  # a picture, set as a line of its own

    @property
    def weight(self) -> int:
        """As many lines as it counts for after a heading: a picture, at least as many as a
        heading keeps with it."""
        return HEADING_LINES if self.picture else 1


def lines(document: Document) -> list[Line]:
    """Every line of the copy, in reading order."""
    found: list[Line] = []
    for number, page in enumerate(document.pages, start=1):
        flows = _flows(_copy_box(page))
        for index, flow in enumerate(flows):
            in_flow = list(_lines_in(flow, ()))
            for position, (within, line) in enumerate(in_flow):
                text = "".join(box.text for box in _walk(line) if isinstance(box, boxes.TextBox))
                ends = None
                if position == len(in_flow) - 1 and not _across(flow):
                    ends = "page" if index == len(flows) - 1 else "column"
                hyphenated = text.rstrip().endswith(HYPHEN)
                picture = isinstance(line, boxes.ReplacedBox)
                found.append(
                    Line(number, within[-1], hyphenated, ends, text, (number, index), within,
                         picture)
                )  # fmt: skip
    return found


def _lines_in(box: boxes.Box, within: tuple) -> Iterator[tuple[tuple, boxes.LineBox]]:
    """The line boxes in a block (and its pictures, as lines of their own), each with the
    elements it is set in."""
    if box.element is not None and (not within or within[-1] is not box.element):
        within = (*within, box.element)
    for child in box.children:
        if isinstance(child, boxes.LineBox | boxes.ReplacedBox):
            yield within, child
        elif isinstance(child, boxes.ParentBox) and child.is_in_normal_flow():
            yield from _lines_in(child, within)


@dataclass(frozen=True)
class Breach:
    """Something a typesetter would not accept, on a page, and the element to set again."""

    page: int
    what: str
    element: object
    fix: str  # the class of the fix (fitting.py): "unhyphenated" or "kept-with-next"

    def __str__(self) -> str:
        return f"page {self.page}: {self.what}"


def hyphenation_breaches(document: Document) -> list[Breach]:
    """A hyphen at the end of a column or a page, or a third hyphenated line in a row."""
    found: list[Breach] = []
    run = 0
    for line in lines(document):
        run = run + 1 if line.hyphenated else 0
        word = line.text.rstrip().rsplit(None, 1)[-1] if line.text.strip() else ""
        if line.hyphenated and line.ends:
            found.append(Breach(line.page, f"'{word}' hyphenated at the end of a {line.ends}",
                                line.block, "unhyphenated"))  # fmt: skip
        elif run > MAX_HYPHENATED_RUN:
            found.append(Breach(line.page, f"'{word}' the {_nth(run)} hyphenated line in a row",
                                line.block, "unhyphenated"))  # fmt: skip
    return found


def _nth(number: int) -> str:
    return {3: "third", 4: "fourth"}.get(number, f"{number}th")


def keep_breaches(document: Document) -> list[Breach]:
    """A kept element set in more than one column (a short list, a callout, a table row, a
    figure), or a heading with fewer than its next 2 lines after it in its column."""
    found: list[Breach] = []
    laid = lines(document)
    columns: dict[object, list[tuple[int, int]]] = {}
    for line in laid:
        for index, element in enumerate(line.within):
            # A table's head row is set again at the top of each column it runs into.
            repeated = any(outer.tag == "thead" for outer in line.within[:index])
            if _kept(element) and not repeated:
                spread = columns.setdefault(element, [])
                spread += [line.flow] * (line.flow not in spread)
    for element, spread in columns.items():
        if len(spread) > 1:
            found.append(Breach(spread[0][0], f"a {_named(element)} split across columns",
                                element, "kept"))  # fmt: skip
    for index, line in enumerate(laid):
        heading = next((e for e in line.within if e.tag in HEADINGS), None)
        after = laid[index + 1 :]
        if heading is None or (after and heading in after[0].within):
            continue
        with_it = sum(other.weight for other in after[:HEADING_LINES] if other.flow == line.flow)
        if after and with_it < min(HEADING_LINES, sum(other.weight for other in after)):
            text = " ".join("".join(heading.itertext()).split())
            found.append(Breach(line.page, f"the heading '{text}' without its next "
                                f"{HEADING_LINES} lines", heading, "kept"))  # fmt: skip
    return found


def _kept(element) -> bool:
    classes = (element.get("class") or "").split()
    return element.tag in KEPT_TAGS or bool(KEPT & set(classes))


def _named(element) -> str:
    classes = (element.get("class") or "").split()
    return {"keep": "short list", "callout": "callout", "tr": "table row"}.get(
        next((c for c in classes if c in KEPT), element.tag), element.tag
    )
