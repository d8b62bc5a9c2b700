"""Copyfitting: the copy's type chosen for the pages it is to fill, and set as a typesetter would.

A booklet's page count is chosen, not fallen into: the smallest multiple of 4 whose pages the
copy fills at the smallest type it may have (publish.yml's `print.copyfit`), then the largest
type that still fits those pages; at most one designed page (notes...) makes up the count. A
tri-fold's copy gets the largest type that fits its three panels.

The search is done on galleys, which cost half a layout (0.20 s against 0.44 s for the sample):
the copy alone, one column a page, each page as high as a column, so WeasyPrint breaks each
page where it would break the column (type_setting.py's steps; pages.py's `galley_pages`). Then
the brochure is laid out once at the chosen setting, and measured: a line hyphenated at the end
of a column or page, or a third hyphenated line in a row, gets its paragraph set again without
hyphenation (WeasyPrint 70 has neither `hyphenate-limit-lines` nor `hyphenate-limit-last`: a
paragraph set with `hyphens: auto` may end a page in "compre-"), and the copy is laid out
again. Each fix is a rule of the fitting's stylesheet on the paragraph's place in the document,
so the HTML stays as it is.

WeasyPrint 70 ignores both properties ("Ignored `hyphenate-limit-lines: 1`, unknown
property"); the minimal reproduction sets three hyphenated lines in a row:

    <p lang="en" style="hyphens: auto; hyphenate-limit-lines: 1; width: 60px;
       font: 12px 'DejaVu Sans'">comprehensive management integrating results</p>

gives "compre-", "hensive", "manage-", "ment in-", "tegrating", "results".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.document import Document

from pipeline.channels.print import columns as booklet_columns
from pipeline.channels.print.brochure import Sheet
from pipeline.channels.print.pages import (
    Breach,
    copy_pages,
    galley_pages,
    hyphenation_breaches,
)
from pipeline.channels.print.pdf import Source
from pipeline.channels.print.type_setting import Setting, settings
from pipeline.project.config import Copyfit

STAGE = "copyfitting"  # what --timings calls the time the fitting adds to one layout
COLUMNS = {"booklet": 2, "trifold": 3}
FIXED_PAGES = 2  # a booklet's cover and back cover
ROOM = 0.05  # of a page: the galley's estimate may be this short of the real layout
LAYOUTS = 4  # layouts at most: the first, and again after fixes
# A booklet's last page of copy holds at least this much of a page; less (a few lines of a
# list of references, alone on a page) and the copy is set to end a page sooner, if it can,
# with a designed page to complete the booklet.
LAST_PAGE = 1 / 4
# The galley: only the copy, one column a page (`.columns` is the booklet's and the
# tri-fold's group of columns), as wide as one of the layout's columns.
GALLEY = """
.cover, .filler, .back-cover, .outside {{ display: none !important; }}
.copy > .columns, .copy > .footnotes {{
  columns: auto !important;
  width: calc((100% - {gaps}) / {count}) !important;
}}
"""
GAPS = {"booklet": "var(--column-gap)", "trifold": "2 * var(--panel-gap)"}


@dataclass
class Fitted:
    """The brochure as laid out for print: its pages, the setting of its type, the stylesheet
    that sets it (type and fixes), and what the fitting did, for the build to tell."""

    document: Document
    setting: Setting
    css: str
    pages: int  # of copy
    fixes: list[Breach] = field(default_factory=list)
    left: list[Breach] = field(default_factory=list)  # breaches no fix could mend

    @property
    def fill(self) -> list[float]:
        return [page.fill for page in copy_pages(self.document)]


class _Fitting:
    """One brochure's fitting: its source, its layout's columns and the settings to try."""

    def __init__(self, source: Source, sheet: Sheet, limits: Copyfit, options: dict):
        self.source, self.sheet, self.options = source, sheet, options
        self.columns = COLUMNS[sheet.layout]
        self.steps = settings(limits)
        self.top = len(self.steps) - 1  # the largest type's step
        self.galley_css = GALLEY.format(gaps=GAPS[sheet.layout], count=self.columns)
        self.fixes: dict[object, Breach] = {}
        self._galleys: dict[int, tuple[float, list[Breach]]] = {}

    def galley(self, step: int) -> float:
        """How many pages the copy takes at `step`, from its galley."""
        if step not in self._galleys:
            css = self.steps[step].css() + self.galley_css + self.fix_css()
            document = self.source.pages(css, stage=STAGE)
            found = (galley_pages(document, self.columns), hyphenation_breaches(document))
            self._galleys[step] = found
        return self._galleys[step][0]

    def mend(self, breaches: list[Breach]) -> bool:
        """Set again without hyphenation each paragraph with a breach; False when there was
        none left to mend."""
        new = [breach for breach in breaches if breach.element not in self.fixes]
        self.fixes.update((breach.element, breach) for breach in new)
        return bool(new)

    def estimate(self, step: int, known: int) -> float:
        """The pages at `step` from those measured at step `known`: lines are as many as the
        type is large for the column's width, and as high as the type and its leading."""
        return self.galley(known) * self._scale(self.steps[step]) / self._scale(self.steps[known])

    def _scale(self, setting: Setting) -> float:
        width = booklet_columns.column_width(self.sheet.width, setting.margins, setting.column_gap)
        if self.sheet.layout == "trifold":
            width = 1.0  # the panels' gap is the fold's, not the type's
        height = (
            1.0
            if self.sheet.layout == "trifold"
            else self.sheet.height - 72 * (2 * setting.margins + 0.35)
        )
        return setting.body_size**2 * setting.leading / width / height

    def choose(self, capacity: int) -> int:
        """The largest step whose copy fills at most `capacity` pages."""
        top = self.top
        room = capacity - ROOM
        step = max((s for s in range(top + 1) if self.estimate(s, top) <= room), default=0)
        while step > 0 and self.galley(step) > room:
            step -= 1
        while (
            step < top and self.estimate(step + 1, step) <= room and self.galley(step + 1) <= room
        ):
            step += 1
        return step

    def booklet_capacity(self, known: int) -> int:
        """Pages of copy in the smallest booklet (a multiple of 4 pages) that holds the copy
        at the smallest type."""
        smallest = self.estimate(0, known)
        pages = 4
        while pages - FIXED_PAGES < smallest - ROOM:
            pages += 4
        return pages - FIXED_PAGES

    def last_page_filled(self, capacity: int) -> int:
        """`capacity`, or a page less when the copy at its largest type would leave less than
        `LAST_PAGE` on its last page and fits one page less at its smallest: one designed
        page then completes the booklet."""
        over = self.galley(self.top) - (capacity - 1)
        if capacity > 1 and over < LAST_PAGE and self.estimate(0, self.top) <= capacity - 1 - ROOM:
            return capacity - 1
        return capacity

    def fix_css(self) -> str:
        return "".join(
            f"{selector(self.source, element)} {{ hyphens: manual !important; }}\n"
            for element in self.fixes
        )

    def lay_out(self, step: int, first: bool) -> Document:
        css = self.steps[step].css() + self.fix_css()
        return self.source.pages(css, **({} if first else {"stage": STAGE}), **self.options)


def fit(source: Source, sheet: Sheet, limits: Copyfit, options: dict) -> Fitted:
    """The brochure laid out at the largest type its pages take, its breaches mended.

    The galley at the chosen setting breaks its lines as the layout will, and its pages where
    the layout breaks its columns: its breaches are mended before the layout, which is laid
    out again only when it differs (about one brochure in six)."""
    fitting = _Fitting(source, sheet, limits, options)
    trifold = sheet.layout == "trifold"
    booklet = 1 if trifold else fitting.booklet_capacity(fitting.top)
    capacity = booklet if trifold else fitting.last_page_filled(booklet)
    step = fitting.choose(capacity)
    fitting.galley(step)
    fitting.mend(fitting._galleys[step][1])
    breaches: list[Breach] = []
    for attempt in range(LAYOUTS):
        document = fitting.lay_out(step, first=attempt == 0)
        pages = len(copy_pages(document))
        if pages > capacity and not (trifold and step == 0):
            # The galley was short of the layout: smaller type; at the smallest, the
            # booklet's own count of pages (no designed page), or a larger booklet.
            if step:
                step -= 1
            else:
                capacity = booklet if capacity < booklet else capacity + 4
                step = fitting.choose(capacity)
            continue
        breaches = hyphenation_breaches(document)
        if attempt == LAYOUTS - 1 or not fitting.mend(breaches):
            break
    setting = fitting.steps[step]
    css = setting.css() + fitting.fix_css()
    left = [breach for breach in breaches if breach.element not in fitting.fixes]
    return Fitted(document, setting, css, pages, list(fitting.fixes.values()), left)


def selector(source: Source, element) -> str:
    """A CSS selector for `element` alone: its path from the root, child by child."""
    parents = source.parents()
    path = []
    while element in parents:
        parent = parents[element]
        siblings = [child for child in parent if isinstance(child.tag, str)]
        path.append(f"{_local(element.tag)}:nth-child({siblings.index(element) + 1})")
        element = parent
    return " > ".join([_local(element.tag), *reversed(path)])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
