"""Measurements of laid-out pages: panels too full, words past a page, pictures' resolution.

WeasyPrint has no public API for its layout tree; these read `Page._page_box`, as its own tests
do. Lengths are in CSS pixels (96 to the inch) until they are reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import weasyprint  # noqa: F401  (first: weasyprint.document alone is a circular import)
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.images import RasterImage

PX_PER_IN = 96


@dataclass(frozen=True)
class Overrun:
    """How much of a panel does not fit: words cut off or hidden, and inches run past."""

    missing: int
    total: int
    inches: float

    def __bool__(self) -> bool:
        return self.missing > 0 or self.inches > 0.5 / PX_PER_IN  # half a pixel: rounding

    def __str__(self) -> str:
        if self.missing:
            return f"about {self.missing} of its {self.total} words do not fit"
        return f"its text and pictures run {self.inches:.2f} in past the space they have"


def panel_overflows(document: Document) -> dict[str, Overrun]:
    """Each too-full panel and by how much.

    A panel's body must end above its foot (or its bottom). WeasyPrint 70 cuts an absolutely
    placed box off at the page's foot and puts a too-long flowing one on further pages: what
    was cut off or pushed on is counted from the panel's HTML, what ran past from its boxes.
    """
    found: dict[str, Overrun] = {}
    for page in document.pages:
        for box in _boxes(page):
            name = box.element.get("data-panel") if box.element_tag == "section" else None
            if name and name not in found:
                found[name] = _overrun(box)
    return {name: overrun for name, overrun in found.items() if overrun}


def _overrun(panel: boxes.Box) -> Overrun:
    foot = next((box for box in _walk(panel) if "panel-foot" in _classes(box)), None)
    in_foot = {id(box) for box in _walk(foot)} if foot else set()
    top = panel.content_box_y()
    limit = foot.border_box_y() if foot else top + panel.height
    body = [box for box in _walk(panel) if id(box) not in in_foot]
    lines = [box for box in _walk(panel) if isinstance(box, boxes.LineBox)]
    fitting = [line for line in lines if id(line) in in_foot or _ink_bottom(line) <= limit + 0.5]
    total = _count_words(" ".join(panel.element.itertext()))
    missing = max(0, total - sum(map(_line_words, fitting)))
    past = max(max(map(_ink_bottom, body), default=top) - limit, top - limit, 0)
    return Overrun(missing, total, past / PX_PER_IN)


def _line_words(line: boxes.LineBox) -> int:
    return sum(_count_words(box.text) for box in _walk(line) if isinstance(box, boxes.TextBox))


def _count_words(text: str) -> int:
    """Words, not bullets or dashes standing alone."""
    return sum(1 for word in text.split() if any(char.isalnum() for char in word))


def _ink_bottom(box: boxes.Box) -> float:
    """Where a line of text or a picture ends; 0 for boxes that draw no type or image."""
    if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
        return box.content_box_y() + box.height
    return 0


def placed_resolutions(document: Document) -> Iterator[tuple[str, float]]:
    """(image source, pixels per inch at the size it is placed) for every raster image."""
    for page in document.pages:
        for box in _boxes(page):
            image = getattr(box, "replacement", None)
            if isinstance(image, RasterImage) and box.width and box.height:
                # object-fit may crop: the axis scaled most decides the resolution.
                scale = max(box.width / image.width, box.height / image.height)
                yield box.element.get("src", "?"), PX_PER_IN / scale


def _boxes(page: Page) -> Iterator[boxes.Box]:
    """Every box laid out on a page. WeasyPrint has no public API for its layout tree;
    `_page_box` is what its own tests read."""
    return _walk(page._page_box)


def _walk(box: boxes.Box) -> Iterator[boxes.Box]:
    """A box and all inside it, absolutely positioned boxes included."""
    return box.descendants(placeholders=True)


def _classes(box: boxes.Box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


def painted_text(document: Document) -> tuple[str, ...]:
    """Each page's text as laid out, a text box a line (the preflight's `Expect.text`)."""
    return tuple(
        "\n".join(box.text for box in _boxes(page) if isinstance(box, boxes.TextBox))
        for page in document.pages
    )


def words(pages: list[Page]) -> int:
    """Words laid out on `pages` (a word hyphenated across two lines counts twice)."""
    texts = (box.text for page in pages for box in _boxes(page) if isinstance(box, boxes.TextBox))
    return sum(map(_count_words, texts))
