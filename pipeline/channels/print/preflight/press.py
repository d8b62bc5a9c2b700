"""The print shop's checks: CMYK only, a PDF/X output intent, no links, no transparency."""

from __future__ import annotations

import re

from pikepdf import Dictionary, Stream

from pipeline.channels.print.preflight.common import (
    Check,
    Expect,
    Finding,
    Pdf,
    fonts,
    page_boxes,
    page_count,
    text,
    where,
)
from pipeline.channels.print.preflight.glyphs import glyphs
from pipeline.channels.print.preflight.inks import black_text, rich_black, small_text
from pipeline.channels.print.preflight.reading import reads_as_written
from pipeline.errors import plural


def colour(pdf: Pdf, expect: Expect) -> Finding:
    found = pdf.paint.colors + pdf.paint.images
    if found:
        return Finding("colour", False, "not CMYK: " + where(found))
    return Finding("colour", True, "CMYK and grey only, images included")


def output_intent(pdf: Pdf, expect: Expect) -> Finding:
    """A PDF/X label and an output intent carrying a CMYK (4-channel) ICC profile."""
    version = pdfx_version(pdf)
    for intent in pdf.root.get("/OutputIntents", []):
        if not isinstance(intent, Dictionary):
            continue
        profile = intent.get("/DestOutputProfile")
        if (
            intent.get("/S") == "/GTS_PDFX"
            and isinstance(profile, Stream)
            and profile.get("/N") == 4
        ):
            name = intent.get("/OutputConditionIdentifier", "(unnamed)")
            if not version:
                return Finding("output intent", False, f"CMYK profile {name}, no PDF/X label")
            return Finding("output intent", True, f"{version}, CMYK profile {name}")
    return Finding("output intent", False, "no PDF/X output intent with a CMYK ICC profile")


def pdfx_version(pdf: Pdf) -> str | None:
    match = re.search(rb"GTS_PDFXVersion>([^<]+)<", pdf.xmp)
    if match:
        return match.group(1).decode()
    return pdf.info.get("/GTS_PDFXVersion")


def interactive(pdf: Pdf, expect: Expect) -> Finding:
    """Print shops reject links, annotations, bookmarks and forms."""
    found = [
        (number, plural(len(page["/Annots"]), "annotation"))
        for number, page in enumerate(pdf.pages, start=1)
        if page.get("/Annots")
    ]
    names = pdf.root.get("/Names")
    document = [
        what
        for what, present in (
            ("bookmarks", "/Outlines" in pdf.root),
            ("a form", "/AcroForm" in pdf.root),
            ("link targets", isinstance(names, Dictionary) and "/Dests" in names),
        )
        if present
    ]
    if found or document:
        return Finding("no links", False, ", ".join(document + ([where(found)] if found else [])))
    return Finding("no links", True, "no links, annotations, bookmarks or forms")


def flat_colour(pdf: Pdf, expect: Expect) -> Finding:
    found = pdf.paint.transparency + pdf.paint.shadings
    if found:
        return Finding("no transparency", False, where(found))
    return Finding("no transparency", True, "no transparency, no gradients")


PRESS_CHECKS: list[Check] = [
    page_boxes,
    page_count,
    fonts,
    colour,
    black_text,
    small_text,
    rich_black,
    output_intent,
    interactive,
    flat_colour,
    text,
    glyphs,
    reads_as_written,
]
