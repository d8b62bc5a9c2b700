"""The sample's brochure: the print shop's PDF/X booklet and the tagged screen PDF."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, SAMPLE_SLUG, publish
from pdfs import (
    colour_spaces,
    font_rows,
    operators,
    outline_titles,
    page_image,
    run,
)
from pypdf import PdfReader

SOURCE = REPO / "source" / f"{SAMPLE_SLUG}.md"
HEADINGS = re.findall(r"^#{2,6} (.+)$", SOURCE.read_text(), flags=re.MULTILINE)
URL = f"https://albanyketamine.example/{SAMPLE_SLUG}/"
LETTER = (612, 792)


@pytest.fixture(scope="module")
def press(sample_build):
    return sample_build / "print" / f"{SAMPLE_SLUG}.pdf"


@pytest.fixture(scope="module")
def screen(sample_build):
    return sample_build / "web" / SAMPLE_SLUG / "brochure.pdf"


def test_print_pdf_is_trimmed_to_letter_with_bleed_on_every_side(press):
    for page in PdfReader(press).pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (float(trim.width), float(trim.height)) == LETTER
        # 0.125 in = 9 pt beyond the trim, in the BleedBox and the MediaBox alike
        assert [float(trim.left - bleed.left), float(bleed.right - trim.right)] == [9, 9]
        assert [float(trim.bottom - bleed.bottom), float(bleed.top - trim.top)] == [9, 9]
        assert [float(x) for x in media] == [0, 0, 630, 810]  # from 0 0, for imposition
        assert [float(x) for x in trim] == [9, 9, 621, 801]


def test_booklet_page_count_is_a_multiple_of_4_made_up_with_one_designed_page(press):
    reader = PdfReader(press)
    assert len(reader.pages) == 8
    text = [page.extract_text() for page in reader.pages]
    # cover, five pages of copy, one notes page (not a blank one), then the back cover
    assert "What to Know About Ketamine" in text[0]
    assert "Parting Words" in text[5]
    assert "Notes" in text[6].splitlines()
    assert "Questions for your visit" not in " ".join(text)
    assert "Visit us" in text[7]


def test_running_header_and_page_numbers_on_inside_pages_only(press):
    reader = PdfReader(press)
    title = "What to Know About Ketamine Therapy for Pain Management"
    for number, page in enumerate(reader.pages, start=1):
        margins = page.extract_text().splitlines()[-2:]  # WeasyPrint paints them last
        inside = 1 < number < len(reader.pages)
        assert (margins == [title, str(number)]) == inside, margins


def test_colour_areas_bleed_and_there_are_no_printer_marks(press, tmp_path):
    pages = {n: page_image(press, n, tmp_path / "proof", dpi=36) for n in (1, 2, 8)}
    width, height = pages[1].size  # 36 dpi: the 9 pt of bleed are the outer 4.5 pixels
    edges = [(1, 1), (width - 2, 1), (1, height - 2), (width - 2, height - 2)]
    assert {_is_teal(pages[1].getpixel(xy)) for xy in edges} == {True}  # the cover, all round
    assert {_is_teal(pages[8].getpixel(xy)) for xy in edges} == {False, True}  # a band below
    assert _is_teal(pages[8].getpixel((width // 2, height - 2)))
    bleed = [pages[2].getpixel((x, y)) for x in (0, 1, 2, 3) for y in range(height)]
    assert set(bleed) == {(255, 255, 255)}  # blank paper: no crop or cross marks


def _is_teal(pixel: tuple[int, int, int]) -> bool:
    red, green, blue = pixel
    return red < 80 and 60 < green < 140 and 70 < blue < 150


def test_every_font_is_embedded(press, screen):
    for pdf in (press, screen):
        rows = font_rows(pdf)
        assert rows and all(row[-5] == "yes" for row in rows), rows


def test_qpdf_finds_no_error(press, screen):
    for pdf in (press, screen):
        assert "No syntax or stream encoding errors found" in run("qpdf", "--check", str(pdf))


def test_print_pdf_paints_in_cmyk_only(press):
    reader = PdfReader(press)
    assert not operators(reader) & {"rg", "RG", "sh"}
    assert colour_spaces(reader) == {"/DeviceCMYK"}  # every fill and stroke colour


def test_print_pdf_is_pdf_x4_with_a_cmyk_output_intent(press):
    reader = PdfReader(press)
    root = reader.trailer["/Root"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in (
        root["/Metadata"].get_object().get_data()
    )


def test_print_pdf_has_no_links_annotations_or_bookmarks(press):
    reader = PdfReader(press)
    assert not any("/Annots" in page for page in reader.pages)
    assert "/Outlines" not in reader.trailer["/Root"]
    assert "/Dests" not in reader.trailer["/Root"].get("/Names", {})


def test_every_heading_is_in_the_extracted_text(press, screen):
    assert len(HEADINGS) == 16
    for pdf in (press, screen):
        text = " ".join(run("pdftotext", str(pdf), "-").split())
        for heading in HEADINGS:
            assert heading in text


def test_screen_pdf_is_tagged_with_language_title_bookmarks_and_links(screen):
    reader = PdfReader(screen)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "What to Know About Ketamine Therapy for Pain Management"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert set(HEADINGS) <= set(outline_titles(reader))
    links = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object()["/Subtype"] == "/Link"
    ]
    assert URL in links


def test_both_pdfs_show_the_same_pages(press, screen):
    """One layout makes both PDFs (the screen's is the press's repainted): the same words on
    the same lines of the same pages, the screen's in RGB."""

    def lines(pdf):
        return [line.split() for line in run("pdftotext", "-layout", str(pdf), "-").splitlines()]

    assert lines(screen) == lines(press)
    assert "/DeviceCMYK" in colour_spaces(PdfReader(press))
    assert "/DeviceCMYK" not in colour_spaces(PdfReader(screen))


def test_screen_pdf_has_no_bleed_and_rgb_colour(screen):
    reader = PdfReader(screen)
    for page in reader.pages:
        assert page.mediabox == page.trimbox
        assert (float(page.trimbox.width), float(page.trimbox.height)) == LETTER
    assert "rg" in operators(reader)
    assert "/OutputIntents" not in reader.trailer["/Root"]


def test_same_article_gives_the_same_pdf_bytes(press, screen, tmp_path):
    out = tmp_path / "again"
    result = publish("build", "--channel", "print", "--out", str(out), str(SOURCE), cwd=REPO)
    assert result.exit_code == 0, result.output
    assert (out / "print" / press.name).read_bytes() == press.read_bytes()
    assert (out / "web" / SAMPLE_SLUG / "brochure.pdf").read_bytes() == screen.read_bytes()


def test_publish_check_passes_the_sample(press, screen):
    result = publish("check", "--pdf", str(press), "--pdf", str(screen), cwd=REPO)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{press}: print-shop preflight\n"
        "  ok    page boxes: trim 8.5 x 11 in (US Letter), bleed 0.125 in on every side\n"
        "  ok    page count: 8 pages\n"
        "  ok    fonts: 2 fonts, all embedded\n"
        "  ok    colour: CMYK and grey only, images included\n"
        "  ok    black text: black text is 100 % K only\n"
        "  ok    small text: text under 12 pt in two inks at most\n"
        "  ok    rich black: rich black on large solid areas only\n"
        "  ok    output intent: PDF/X-4, CMYK profile Artifex CMYK SWOP Profile\n"
        "  ok    no links: no links, annotations, bookmarks or forms\n"
        "  ok    no transparency: no transparency, no gradients\n"
        "  ok    text: 1474 words\n"
        "  ok    glyphs: every character painted has its glyph\n"
        "  ok    text copied: pdftotext and PDFium read as each other\n"
        "all checks passed\n"
        f"{screen}: screen PDF preflight\n"
        "  ok    page boxes: trim 8.5 x 11 in (US Letter)\n"
        "  ok    page count: 8 pages\n"
        "  ok    fonts: 2 fonts, all embedded\n"
        "  ok    colour: RGB and grey only, images included\n"
        "  ok    tags: tagged, PDF/UA-1\n"
        "  ok    language: en\n"
        "  ok    title: What to Know About Ketamine Therapy for Pain Management\n"
        "  ok    bookmarks: 18 bookmarks\n"
        "  ok    links: 1 link to the web, 1 in all\n"
        "  ok    text: 1474 words\n"
        "  ok    glyphs: every character painted has its glyph\n"
        "  ok    text copied: pdftotext and PDFium read as each other\n"
        "all checks passed\n"
    )
