"""Typeset a brochure: lay its HTML out, fit the pages, write the PDF, then preflight it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.images import RasterImage

from . import pdf
from .article import Article
from .ast import headings
from .brochure import Sheet, Variant, brochure_html, copy_of
from .cmyk import OutputProfile
from .errors import PublishError, warn
from .preflight import Expect, preflight
from .project import Project

PX_PER_IN = 96  # WeasyPrint lays out in CSS pixels
SHARP_PPI, COARSE_PPI = 300, 150
FILLER = "filler-"  # ids of the booklet's optional pages
LAYOUTS = {"booklet": "booklet", "trifold": "tri-fold"}
XMP_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def render_brochure(
    article: Article, project: Project, variant: Variant, sheet: Sheet, profile: OutputProfile
) -> bytes:
    """One variant of an article's brochure as PDF bytes, which passed preflight."""
    html, files = brochure_html(article, project, variant, sheet, profile)
    options = {"pdf_variant": project.config.print.variant if variant.press else "pdf/ua-1"}
    allowed = [project.root, *project.layout_dirs]
    document = pdf.layout(html, article.path.parent, allowed, article.path, files, **options)
    document = fit(document, article, variant, sheet)
    finisher = stable_id(project.url(f"{article.slug}/{variant.name}"))
    data = pdf.write(document, article.path, finisher=finisher, **options)
    check_preflight(data, article, variant, sheet)
    return data


def fit(document: Document, article: Article, variant: Variant, sheet: Sheet) -> Document:
    """The pages as they go to print: checked to fit, a booklet's filler pages chosen."""
    check_panels_fit(document, article, sheet)
    if sheet.layout == "trifold":
        check_trifold_copy_fits(document, article)
    else:
        document = document.copy(booklet_pages(document))
    if variant.press:
        check_resolution(document, article)
        remove_interactive(document)
    return document


def check_preflight(data: bytes, article: Article, variant: Variant, sheet: Sheet) -> None:
    """Fail the article, saying which checks failed, when its PDF does not pass preflight."""
    copy_headings = tuple(h.text for h in headings(copy_of(article, sheet.layout)))
    expect = Expect(variant.press, (sheet.width, sheet.height), sheet.layout, copy_headings)
    failures = preflight(data, expect).failures
    if failures:
        raise PublishError(
            f"its {variant.name} PDF failed preflight: " + "; ".join(map(str, failures)),
            article.path,
            hint="Nothing of this article was written. This is most likely a fault in a "
            "print layout under layouts/print/",
        )


def booklet_pages(document: Document) -> list[Page]:
    """The pages to keep: all but the filler pages the count does not need (a multiple of 4)."""
    fillers = [page for page in document.pages if any(a.startswith(FILLER) for a in page.anchors)]
    needed = -(len(document.pages) - len(fillers)) % 4
    dropped = fillers[needed:]
    return [page for page in document.pages if page not in dropped]


def check_panels_fit(document: Document, article: Article, sheet: Sheet) -> None:
    """Fail when the text of a cover or back panel runs into its foot or past its bottom."""
    for name, overrun in panel_overflows(document).items():
        raise PublishError(
            f"the {LAYOUTS[sheet.layout]}'s {name} is too full: {overrun}",
            article.path,
            hint="Shorten what goes on it: the title, summary and tags on the cover; the "
            "contact details and the disclaimer in publish.yml on the back",
        )


def check_trifold_copy_fits(document: Document, article: Article) -> None:
    """Fail, saying by how many words, when the copy runs past the three inside panels."""
    if len(document.pages) > 2:
        total, over = (_words(document.pages[start:]) for start in (1, 2))
        raise PublishError(
            f"its copy does not fit the tri-fold: about {over} of its {total} words run past "
            "the three inside panels",
            article.path,
            hint="Give a shorter 'brochure.excerpt' in the front matter, shorten the article, "
            "or print it as a booklet ('brochure: {layout: booklet}')",
        )


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


def check_resolution(document: Document, article: Article) -> None:
    """Warn for each picture printed at under 300 ppi of its placed size."""
    written = {file.as_uri(): target for target, file in article.media.items()}
    for src, ppi in placed_resolutions(document):
        source = written.get(src, src)  # the cover picture's src is a file:// URL
        if ppi < COARSE_PPI:
            warn(
                f"image '{source}' is printed at {ppi:.0f} ppi, too coarse for print (under "
                f"{COARSE_PPI}): it will look pixelated",
                article.path,
            )
        elif ppi < SHARP_PPI:
            warn(
                f"image '{source}' is printed at {ppi:.0f} ppi (under {SHARP_PPI}): it will "
                "print soft; give a larger file",
                article.path,
            )


def placed_resolutions(document: Document) -> Iterator[tuple[str, float]]:
    """(image source, pixels per inch at the size it is placed) for every raster image."""
    for page in document.pages:
        for box in _boxes(page):
            image = getattr(box, "replacement", None)
            if isinstance(image, RasterImage) and box.width and box.height:
                # object-fit may crop: the axis scaled most decides the resolution.
                scale = max(box.width / image.width, box.height / image.height)
                yield box.element.get("src", "?"), PX_PER_IN / scale


def remove_interactive(document: Document) -> None:
    """No links, link targets or bookmarks in the print shop's PDF (PDF/X refuses them)."""
    for page in document.pages:
        page.links.clear()
        page.anchors.clear()
        page.bookmarks.clear()


def stable_id(url: str):
    """A PDF finisher: the XMP DocumentID made from the article's URL, not random.

    WeasyPrint 70 writes `xmp.did:` + uuid4() into PDF/X-4 metadata (pdf/metadata.py, marked
    TODO), so two builds of one article would differ.
    """
    document_id = b"xmp.did:" + str(uuid.uuid5(uuid.NAMESPACE_URL, url)).encode()

    def finish(document: Document, pdf_file) -> None:
        reference = pdf_file.catalog.get("Metadata")
        if reference is None:
            return
        stream = pdf_file.objects[int(reference.split()[0])]
        stream.stream = [XMP_DOCUMENT_ID.sub(document_id, part) for part in stream.stream]

    return finish


def _boxes(page: Page) -> Iterator[boxes.Box]:
    """Every box laid out on a page. WeasyPrint has no public API for its layout tree;
    `_page_box` is what its own tests read."""
    return _walk(page._page_box)


def _walk(box: boxes.Box) -> Iterator[boxes.Box]:
    """A box and all inside it, absolutely positioned boxes included."""
    return box.descendants(placeholders=True)


def _classes(box: boxes.Box) -> list[str]:
    return (box.element.get("class") or "").split() if box.element is not None else []


def _words(pages: list[Page]) -> int:
    """Words laid out on `pages` (a word hyphenated across two lines counts twice)."""
    texts = (box.text for page in pages for box in _boxes(page) if isinstance(box, boxes.TextBox))
    return sum(map(_count_words, texts))
