"""Typeset a brochure: lay its HTML out, fit the pages, write the PDF, then preflight it."""

from __future__ import annotations

import copy
import re
import uuid

import weasyprint  # noqa: F401  (first: weasyprint.document alone is a circular import)
from weasyprint.document import Document, Page

from pipeline.channels.base import keep_html
from pipeline.channels.print import fitting, pdf
from pipeline.channels.print.brochure import PRESS, SCREEN, Sheet, Variant, copy_of
from pipeline.channels.print.measure import (
    painted_text,
    panel_overflows,
    placed_resolutions,
    words,
)
from pipeline.channels.print.pages import copy_pages, keep_breaches
from pipeline.channels.print.pdf import Files
from pipeline.channels.print.preflight import Expect, preflight
from pipeline.channels.print.repaint import Unlike, repainted
from pipeline.errors import PublishError, warn
from pipeline.project.folder import Project
from pipeline.source.article import Article
from pipeline.source.ast import headings
from pipeline.timings import timed

SHARP_PPI, COARSE_PPI = 300, 150
FILLER = "filler-"  # ids of the booklet's optional pages
LAYOUTS = {"booklet": "booklet", "trifold": "tri-fold"}
XMP_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def render_brochure(
    article: Article, project: Project, sheet: Sheet, htmls: dict[Variant, str], files: Files
) -> dict[Variant, bytes]:
    """An article's brochure as PDF bytes which passed preflight, for each variant: one layout
    of the press's HTML (`brochure_htmls`), written for the print shop, then repainted as the
    screen's HTML paints it (repaint.py) and written for screens."""
    allowed = [project.root, *project.layout_dirs]
    press = {"pdf_variant": project.config.print.variant}
    source = pdf.Source(htmls[PRESS], article.path.parent, allowed, article.path, files)
    fitted = fitting.fit(source, sheet, project.config.print.copyfit, press)
    check_typesetting(fitted, article)
    document = finish(fitted.document, article, sheet)
    text = painted_text(document)
    press_pages = document.copy(without_interactive(document))
    pdfs = {PRESS: written(press_pages, article, project, PRESS, press)}
    screen = pdf.Source(htmls[SCREEN], article.path.parent, allowed, article.path)
    with pdf.weasyprint_warnings(article.path, screen.fetcher), timed("repainting"):
        try:
            document = repainted(document, screen.source, fitted.css)
        except Unlike as difference:
            raise PublishError(
                f"its screen PDF cannot be the print shop's pages repainted: its HTML has "
                f"{difference}",
                article.path,
                hint="A print layout may paint the two PDFs differently ('press' in its "
                "stylesheets), not put other things on the page: one layout makes both. "
                + LAYOUT_FAULT,
            ) from None
    pdfs[SCREEN] = written(document, article, project, SCREEN, {"pdf_variant": "pdf/ua-1"})
    for variant, data in pdfs.items():
        check_preflight(data, article, variant, sheet, text)
        css = f"<style>\n{fitted.css}</style>\n</head>"
        keep_html(data, htmls[variant].replace("</head>", css, 1))
    return pdfs


def written(
    document: Document, article: Article, project: Project, variant: Variant, options: dict
) -> bytes:
    """The PDF bytes of `document` as `variant`, with WeasyPrint's `options`."""
    document_id = stable_id(project.url(f"{article.slug}/{variant.name}"))

    def finisher(document: Document, pdf_file) -> None:
        document_id(document, pdf_file)
        media_box_from_origin(pdf_file)

    return pdf.write(document, article.path, finisher=finisher, **options)


def finish(document: Document, article: Article, sheet: Sheet) -> Document:
    """The pages as they go to print: checked to fit, a booklet's filler pages chosen."""
    check_panels_fit(document, article, sheet)
    if sheet.layout == "trifold":
        check_trifold_copy_fits(document, article)
    else:
        document = document.copy(booklet_pages(document))
        check_designed_pages(document, article)
    check_resolution(document, article)
    return document


LAYOUT_FAULT = "This is most likely a fault in a print layout under layouts/print/"
FAILURE_HINTS = {  # what to do when a check fails for what the article holds
    "glyphs": "The fonts shipped set Latin, Greek and Cyrillic letters, symbols and emoji; "
    "for other scripts install a font that has them (Debian: fonts-noto-cjk for Chinese, "
    "Japanese and Korean, fonts-noto-core for Indian and other scripts), or leave the "
    "characters out",
}


def check_preflight(
    data: bytes, article: Article, variant: Variant, sheet: Sheet, text: tuple[str, ...]
) -> None:
    """Fail the article, saying which checks failed, when its PDF does not pass preflight.
    `text`: each page's text as laid out, which readers must extract as it is."""
    copy_headings = tuple(h.text for h in headings(copy_of(article, sheet.layout)))
    size = (sheet.width, sheet.height)
    expect = Expect(variant.press, size, sheet.layout, copy_headings, text)
    with timed("preflight"):
        failures = preflight(data, expect).failures
    if failures:
        raise PublishError(
            f"its {variant.name} PDF failed preflight: " + "; ".join(map(str, failures)),
            article.path,
            hint="Nothing of this article was written. "
            + " ".join(dict.fromkeys(FAILURE_HINTS.get(f.check, LAYOUT_FAULT) for f in failures)),
        )


MIN_FILL = 0.6  # of a page of copy, but the last (whose columns are balanced)


def check_typesetting(fitted: fitting.Fitted, article: Article) -> None:
    """Warn for what the fitting could not mend: a hyphen or a split it could not move, a
    page of copy under 60 % full before the last."""
    for breach in [*fitted.left, *keep_breaches(fitted.document)]:
        warn(f"its brochure has {breach}", article.path)
    for page in copy_pages(fitted.document)[:-1]:
        if page.fill < MIN_FILL:
            warn(f"its brochure's {page}, under {MIN_FILL:.0%} before its last page",
                 article.path)  # fmt: skip


def check_designed_pages(document: Document, article: Article) -> None:
    """Warn when more than one designed page (notes, questions, appointments) makes up the
    booklet's count: its copy is too short for its pages even at the largest type allowed."""
    designed = [page for page in document.pages if any(a.startswith(FILLER) for a in page.anchors)]
    if len(designed) > 1:
        warn(
            f"its booklet of {len(document.pages)} pages needs {len(designed)} designed pages "
            "(notes, questions, appointments) to make up its count: its copy is too short for "
            "its pages even at the largest type print.copyfit allows. Allow larger type or "
            "wider margins in publish.yml, or add to the article",
            article.path,
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
        total, over = (words(document.pages[start:]) for start in (1, 2))
        raise PublishError(
            f"its copy does not fit the tri-fold: about {over} of its {total} words run past "
            "the three inside panels",
            article.path,
            hint="Give a shorter 'brochure.excerpt' in the front matter, shorten the article, "
            "or print it as a booklet ('brochure: {layout: booklet}')",
        )


def check_resolution(document: Document, article: Article) -> None:
    """Warn for each picture printed at under 300 ppi of its placed size."""
    written = {file.as_uri(): target for target, file in article.media.items()}
    for src, ppi in placed_resolutions(document):
        source = written.get(src, src)  # the cover picture's src is a file:// URL
        source = "a data: picture" if source.startswith("data:") else f"image '{source}'"
        if ppi < COARSE_PPI:
            warn(
                f"{source} is printed at {ppi:.0f} ppi, too coarse for print (under "
                f"{COARSE_PPI}): it will look pixelated",
                article.path,
            )
        elif ppi < SHARP_PPI:
            warn(
                f"{source} is printed at {ppi:.0f} ppi (under {SHARP_PPI}): it will "
                "print soft; give a larger file",
                article.path,
            )


def without_interactive(document: Document) -> list[Page]:
    """The pages with no links, link targets or bookmarks, for the print shop's PDF (PDF/X
    refuses them); `document`'s own pages keep theirs, for the screen's."""
    pages = []
    for page in document.pages:
        page = copy.copy(page)
        page.links, page.anchors, page.bookmarks = [], {}, []
        pages.append(page)
    return pages


def media_box_from_origin(pdf_file) -> None:
    """Each page's MediaBox from 0 0, its TrimBox inset by the bleed: WeasyPrint 70 puts the
    trim at 0 0 and starts the MediaBox at minus the bleed (-9 -9), which some imposition
    software places wrongly. The page's content is moved by the bleed with it. (The print PDF
    has no links, whose rectangles would move too, and no patterns, whose space is the page's.)"""
    for number in pdf_file.pages["Kids"][::3]:  # pydyf lists them as number, 0, 'R'
        page = pdf_file.objects[number]
        left, bottom = page["MediaBox"][0], page["MediaBox"][1]
        if (left, bottom) == (0, 0):
            continue
        for name in ("MediaBox", "TrimBox", "BleedBox"):
            x1, y1, x2, y2 = page[name]
            page[name] = type(page[name])([x1 - left, y1 - bottom, x2 - left, y2 - bottom])
        contents = pdf_file.objects[int(page["Contents"].split()[0])]  # 'N 0 R'
        contents.stream.insert(0, f"1 0 0 1 {-left:g} {-bottom:g} cm".encode())


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
