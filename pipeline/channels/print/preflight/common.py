"""The checks every PDF gets (page boxes, page count, fonts, text) and what a check returns."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
import pypdfium2

from pipeline.channels.print.preflight.paint import Paint, pages_of, scan
from pipeline.channels.print.preflight.paint import fonts as embedded_fonts
from pipeline.errors import plural

MIN_BLEED = 8.5  # points: 3 mm, the least a print shop takes (the print PDF has 0.125 in = 9 pt)
SIZES = {
    (612, 792): "US Letter",
    (595, 842): "A4",
    (792, 612): "US Letter landscape",
    (842, 595): "A4 landscape",
}


@dataclass(frozen=True)
class Expect:
    """What a PDF must be: for the press or the screen, trim size (points), layout, headings."""

    press: bool
    trim: tuple[float, float] | None = None
    layout: str | None = None  # "booklet" (pages a multiple of 4) or "trifold" (2 pages)
    headings: tuple[str, ...] = ()
    # Each page's text as laid out, a line a line (preflight/reading.py); () when unknown.
    text: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"


@dataclass(frozen=True)
class Report:
    expect: Expect
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]

    def text(self) -> str:
        """The report as `publish check --pdf` prints it."""
        kind = "print-shop preflight" if self.expect.press else "screen PDF preflight"
        lines = [f"  {'ok  ' if f.ok else 'FAIL'}  {f}" for f in self.findings]
        failed = len(self.failures)
        verdict = f"{failed} check(s) failed" if failed else "all checks passed"
        return "\n".join([kind, *lines, verdict])


# PDFium is not thread-safe (pypdfium2's docs): one caller at a time in a process (the
# preflight, publish serve's pictures of pages).
PDFIUM = threading.Lock()


class Pdf:
    """One PDF, parsed once by qpdf (pikepdf) for its objects; what a check needs is worked out
    the first time it asks. Its text is PDFium's (pypdfium2), as Chrome's viewer extracts it."""

    def __init__(self, data: bytes, document: pikepdf.Pdf):
        self.data = data
        self.document = document
        self.root = document.Root

    @functools.cached_property
    def paint(self) -> Paint:
        return scan(self.document)

    @functools.cached_property
    def fonts(self) -> dict[str, bool]:
        return embedded_fonts(self.document)

    @functools.cached_property
    def text(self) -> str:
        return "\n".join(self.page_texts)

    @functools.cached_property
    def page_texts(self) -> list[str]:
        """Each page's text as PDFium extracts it."""
        with PDFIUM:
            document = pypdfium2.PdfDocument(self.data)
            try:
                return [page.get_textpage().get_text_bounded() for page in document]
            finally:
                document.close()

    @property
    def pages(self) -> list[pikepdf.Dictionary]:
        """Each page's dictionary (/Annots, /Group...)."""
        return [page.obj for page in self.document.pages]

    @functools.cached_property
    def xmp(self) -> bytes:
        """The XMP metadata packet, raw."""
        metadata = self.root.get("/Metadata")
        return metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""

    @functools.cached_property
    def info(self) -> dict[str, str]:
        """The document information dictionary (/Title, /GTS_PDFXVersion...) as text."""
        info = self.document.trailer.get("/Info")
        return (
            {str(k): str(v) for k, v in info.items()}
            if isinstance(info, pikepdf.Dictionary)
            else {}
        )


Check = Callable[[Pdf, Expect], Finding]


def page_boxes(pdf: Pdf, expect: Expect) -> Finding:
    """One trim size on every page (the ordered one), with bleed for the press, none on screen."""
    problems, trims, bleeds, placed = [], set(), set(), []
    for number, page in enumerate(pdf.document.pages, start=1):
        if "/TrimBox" not in page.obj:
            problems.append(f"page {number} has no TrimBox")
            continue
        trim, bleed, media = Box.of(page.trimbox), Box.of(page.bleedbox), Box.of(page.mediabox)
        trims.add((round(trim.width, 1), round(trim.height, 1)))
        sides = (trim.left - bleed.left, bleed.right - trim.right)
        sides += (trim.bottom - bleed.bottom, bleed.top - trim.top)
        bleeds.add(round(min(sides), 2))
        if not _inside(bleed, media):
            problems.append(f"page {number}: its BleedBox reaches outside its MediaBox")
        placed += _placement(number, media, trim) if expect.press else []
    problems += [where(placed)] if placed else []
    if len(trims) > 1:
        problems.append("pages of different sizes: " + ", ".join(map(size_name, sorted(trims))))
    trim, bleed = next(iter(sorted(trims)), None), min(bleeds, default=0.0)
    if trim and expect.trim and not _same(trim, expect.trim):
        problems.append(f"trim is {size_name(trim)}, not the ordered {size_name(expect.trim)}")
    if expect.press and bleed < MIN_BLEED:
        problems.append(f"bleed is {bleed:g} pt on some side, under {MIN_BLEED:g} pt (3 mm)")
    if not expect.press and bleed > 0:
        problems.append(f"a screen PDF has {bleed:g} pt of bleed around its pages")
    detail = f"trim {size_name(trim)}" + f", bleed {bleed / 72:.3f} in on every side" * (bleed > 0)
    return Finding("page boxes", not problems, "; ".join(problems) or detail)


def _placement(number: int, media: Box, trim: Box) -> list[tuple[int, str]]:
    """Where imposition software wants the boxes: the MediaBox from 0 0 (some place a page
    by its MediaBox's corner and shift one that starts at -9 -9), the TrimBox inset by the
    same bleed on every side."""
    found = []
    if (round(media.left, 2), round(media.bottom, 2)) != (0, 0):
        start = f"{media.left:g} {media.bottom:g}"
        found.append((number, f"the MediaBox starts at {start}, not 0 0"))
    sides = (trim.left - media.left, media.right - trim.right)
    sides += (trim.bottom - media.bottom, media.top - trim.top)
    insets = {round(inset, 2) for inset in sides}
    if len(insets) > 1:
        shown = " ".join(f"{inset:g}" for inset in sorted(insets))
        found.append((number, f"the TrimBox is inset unevenly in the MediaBox ({shown} pt)"))
    return found


def page_count(pdf: Pdf, expect: Expect) -> Finding:
    """A tri-fold is one sheet (2 pages); a folded booklet has a multiple of 4 pages."""
    count = len(pdf.document.pages)
    if expect.layout == "trifold":
        return Finding(
            "page count", count == 2, plural(count, "page") + " (a tri-fold sheet has 2)"
        )
    fits = count % 4 == 0 or (expect.layout is None and count == 2)
    needs = "a multiple of 4" if expect.layout else "2 (one sheet) or a multiple of 4 (a booklet)"
    return Finding("page count", fits, plural(count, "page") + f", not {needs}" * (not fits))


def fonts(pdf: Pdf, expect: Expect) -> Finding:
    missing = sorted(name for name, embedded in pdf.fonts.items() if not embedded)
    if missing:
        return Finding("fonts", False, "not embedded: " + ", ".join(missing))
    return Finding("fonts", True, plural(len(pdf.fonts), "font") + ", all embedded")


def text(pdf: Pdf, expect: Expect) -> Finding:
    """The text can be extracted, and every heading of the copy is in it (none lost)."""
    words = len(pdf.text.split())
    if not words:
        return Finding("text", False, "no text can be extracted")
    everything = flat(pdf.text)
    lost = [heading for heading in expect.headings if flat(heading) not in everything]
    if lost:
        return Finding("text", False, "headings missing, lost to overflow? " + "; ".join(lost))
    found = f", all {len(expect.headings)} headings of the copy" * bool(expect.headings)
    return Finding("text", True, plural(words, "word") + found)


def flat(text: str) -> str:
    """Text compared letter by letter: hyphenation, spacing and ligatures do not count."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def where(found: list[tuple[int, str]]) -> str:
    """'RGB colour (rg) on pages 1, 3; ...'."""
    return "; ".join(
        f"{what} on {plural(len(pages), 'page', counted=False)} {', '.join(map(str, pages))}"
        for what, pages in pages_of(found)
    )


def size_name(trim: tuple[float, float] | None) -> str:
    if trim is None:
        return "unknown"
    name = SIZES.get((round(trim[0]), round(trim[1])))
    inches = f"{trim[0] / 72:.4g} x {trim[1] / 72:.4g} in"
    return f"{inches} ({name})" if name else inches


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 0.5 and abs(a[1] - b[1]) < 0.5


@dataclass(frozen=True)
class Box:
    """A page box (MediaBox, TrimBox...) in points, its corners in either order."""

    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, array: pikepdf.Array) -> Box:
        x1, y1, x2, y2 = (float(value) for value in array)
        return cls(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left
        and inner.bottom >= outer.bottom
        and inner.right <= outer.right
        and inner.top <= outer.top
    )
