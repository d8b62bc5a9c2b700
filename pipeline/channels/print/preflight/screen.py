"""The screen PDF's checks: tagged (PDF/UA), language, title, bookmarks and links."""

from __future__ import annotations

from pikepdf import Dictionary, OutlineItem

from pipeline.channels.print.preflight.common import (
    Check,
    Expect,
    Finding,
    Pdf,
    flat,
    fonts,
    page_boxes,
    page_count,
    text,
    where,
)
from pipeline.channels.print.preflight.glyphs import glyphs
from pipeline.channels.print.preflight.reading import reads_as_written
from pipeline.errors import plural


def colour(pdf: Pdf, expect: Expect) -> Finding:
    """Screens show RGB: process colour (CMYK), meant for a press, is shown as each viewer
    guesses. (The screen PDF is the press's pages repainted: repaint.py.)"""
    if pdf.paint.process:
        return Finding("colour", False, "CMYK on a screen: " + where(pdf.paint.process))
    return Finding("colour", True, "RGB and grey only, images included")


def tagged(pdf: Pdf, expect: Expect) -> Finding:
    marked = _entry(pdf.root, "/MarkInfo").get("/Marked") in (True, "true")
    problems = [
        problem
        for problem, missing in (
            ("no structure tree (/StructTreeRoot)", "/StructTreeRoot" not in pdf.root),
            ("not marked as tagged (/MarkInfo)", not marked),
            ("no PDF/UA identifier in its metadata", b"pdfuaid" not in pdf.xmp),
        )
        if missing
    ]
    return Finding("tags", not problems, "; ".join(problems) or "tagged, PDF/UA-1")


def language(pdf: Pdf, expect: Expect) -> Finding:
    lang = str(pdf.root.get("/Lang", "")).strip()
    return Finding("language", bool(lang), lang or "no document language (/Lang)")


def title(pdf: Pdf, expect: Expect) -> Finding:
    """A title that readers show instead of the file name (PDF/UA asks for both)."""
    name = pdf.info.get("/Title", "").strip()
    shown = _entry(pdf.root, "/ViewerPreferences").get("/DisplayDocTitle") in (True, "true")
    if not name:
        return Finding("title", False, "no document title")
    if not shown:
        return Finding("title", False, f"'{name}' is not shown as the window title")
    return Finding("title", True, name)


def bookmarks(pdf: Pdf, expect: Expect) -> Finding:
    with pdf.document.open_outline() as outline:
        titles = [flat(entry.title) for entry in _outline(outline.root)]
    # A bookmark's title is the heading's text with its pictures' descriptions (WeasyPrint's
    # choice), which a heading's shown text leaves out: it holds it.
    missing = [h for h in expect.headings if not any(flat(h) in title for title in titles)]
    if not titles:
        return Finding("bookmarks", False, "none")
    if missing:
        return Finding("bookmarks", False, "headings without one: " + "; ".join(missing))
    return Finding("bookmarks", True, plural(len(titles), "bookmark"))


def _entry(dictionary: Dictionary, key: str) -> Dictionary:
    """A dictionary inside a dictionary; empty when absent."""
    value = dictionary.get(key)
    return value if isinstance(value, Dictionary) else Dictionary()


def _outline(entries: list[OutlineItem]) -> list[OutlineItem]:
    """Every bookmark, nested ones included."""
    found = []
    for entry in entries:
        found += [entry, *_outline(entry.children)]
    return found


def links(pdf: Pdf, expect: Expect) -> Finding:
    targets = [
        str(_entry(annotation, "/A").get("/URI", ""))
        for page in pdf.pages
        for annotation in page.get("/Annots", [])
        if isinstance(annotation, Dictionary) and annotation.get("/Subtype") == "/Link"
    ]
    web = [target for target in targets if target]
    if not web:
        return Finding("links", False, "no clickable link to the web")
    return Finding("links", True, plural(len(web), "link") + f" to the web, {len(targets)} in all")


SCREEN_CHECKS: list[Check] = [
    page_boxes,
    page_count,
    fonts,
    colour,
    tagged,
    language,
    title,
    bookmarks,
    links,
    text,
    glyphs,
    reads_as_written,
]
