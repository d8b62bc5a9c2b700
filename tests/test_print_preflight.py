"""Preflight: it fails PDFs a print shop would reject, and the build never writes such a PDF."""

from __future__ import annotations

import io

import pikepdf
import pytest
import weasyprint
from conftest import article, make_project, publish
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from pipeline.channels.print.preflight import Expect, preflight

# Everything a print shop rejects: RGB colour, a link, see-through type, a gradient, no bleed.
CARELESS = """<html lang="en"><title>Careless</title><style>
@page { size: letter; margin: 1in }
h1 { color: #0e5a66 }
.faded { opacity: 0.5 }
.shade { height: 1in; background: linear-gradient(#fff, #0e5a66) }
</style><h1>A careless flyer</h1><p class="faded">Faded words.</p>
<p><a href="https://example.org/">A link</a></p><div class="shade"></div>"""


@pytest.fixture(scope="module")
def careless(tmp_path_factory):
    path = tmp_path_factory.mktemp("preflight") / "careless.pdf"
    path.write_bytes(weasyprint.HTML(string=CARELESS).write_pdf())
    return path


def test_careless_pdf_fails_every_print_check_it_breaks(careless):
    report = preflight(careless)
    assert report.text() == (
        "print-shop preflight\n"
        "  FAIL  page boxes: bleed is 0 pt on some side, under 8.5 pt (3 mm)\n"
        "  FAIL  page count: 1 page, not 2 (one sheet) or a multiple of 4 (a booklet)\n"
        "  ok    fonts: 2 fonts, all embedded\n"
        "  FAIL  colour: not CMYK: RGB colour (rg) on page 1; RGB colour (RG) on page 1\n"
        "  ok    black text: black text is 100 % K only\n"
        "  ok    small text: text under 12 pt in two inks at most\n"
        "  ok    rich black: rich black on large solid areas only\n"
        "  FAIL  output intent: no PDF/X output intent with a CMYK ICC profile\n"
        "  FAIL  no links: bookmarks, 1 annotation on page 1\n"
        "  FAIL  no transparency: a transparency group on page 1; opacity 0.5 on page 1; "
        "a gradient (sh) on page 1\n"
        "  ok    text: 7 words\n"
        "  ok    glyphs: every character painted has its glyph\n"
        "  ok    text copied: pdftotext and PDFium read as each other\n"
        "6 check(s) failed"
    )


def test_publish_check_prints_the_report_and_exits_1(careless):
    result = publish("check", "--pdf", str(careless), cwd=careless.parent)
    assert result.exit_code == 1
    assert result.output.startswith("careless.pdf: print-shop preflight\n  FAIL  page boxes")
    assert result.output.endswith("6 check(s) failed\n")


def test_a_font_that_is_not_embedded_fails(careless):
    writer = PdfWriter(clone_from=PdfReader(careless))
    font = writer.pages[0]["/Resources"]["/Font"]
    first = next(iter(font.values())).get_object()
    descriptor = first["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        descriptor.pop(NameObject(key), None)
    out = io.BytesIO()
    writer.write(out)
    (fonts,) = [f for f in preflight(out.getvalue()).findings if f.check == "fonts"]
    assert str(fonts) == f"fonts: not embedded: {str(first['/BaseFont'])[1:]}"
    assert not fonts.ok


def test_an_rgb_inline_image_fails_the_colour_check():
    # WeasyPrint never writes inline images (BI ... ID ... EI), but other tools do.
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    image = b"BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI"
    document.pages[0].obj.Contents = document.make_stream(b"q 72 0 0 72 0 0 cm " + image + b" Q")
    out = io.BytesIO()
    document.save(out)
    (colour,) = [f for f in preflight(out.getvalue()).findings if f.check == "colour"]
    assert str(colour) == "colour: not CMYK: an RGB inline image on page 1"


def test_a_heading_missing_from_the_text_fails(careless):
    expect = Expect(press=True, headings=("A careless flyer", "A section lost to overflow"))
    (text,) = [f for f in preflight(careless, expect).findings if f.check == "text"]
    assert str(text) == "text: headings missing, lost to overflow? A section lost to overflow"


def test_a_booklet_needs_a_multiple_of_4_pages_and_a_trifold_2(careless):
    for layout, detail in [("booklet", "1 page, not a multiple of 4"),
                           ("trifold", "1 page (a tri-fold sheet has 2)")]:  # fmt: skip
        (count,) = [f for f in preflight(careless, Expect(True, layout=layout)).findings
                    if f.check == "page count"]  # fmt: skip
        assert (count.ok, count.detail) == (False, detail)


def test_an_untagged_pdf_fails_the_screen_checks(careless):
    report = preflight(careless, Expect(press=False))
    assert [str(f) for f in report.failures] == [
        "page count: 1 page, not 2 (one sheet) or a multiple of 4 (a booklet)",
        "tags: no structure tree (/StructTreeRoot); not marked as tagged (/MarkInfo); "
        "no PDF/UA identifier in its metadata",
        "title: 'Careless' is not shown as the window title",
    ]


def test_process_colour_fails_the_screen_colour_check():
    flyer = '<html lang="en"><h1 style="color: device-cmyk(0 0 0 1)">Press ink</h1></html>'
    report = preflight(weasyprint.HTML(string=flyer).write_pdf(), Expect(press=False))
    (colour,) = [f for f in report.findings if f.check == "colour"]
    assert str(colour) == "colour: CMYK on a screen: CMYK colour space (cs) on page 1"
    assert not colour.ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# Not a PDF\n", "Error: notes.pdf: is not a PDF (it does not start with %PDF-)\n"),
        (
            b"%PDF-1.7\n1 0 obj\n<<",
            "Error: notes.pdf: is a damaged PDF (unable to find trailer dictionary while "
            "recovering damaged file)\n",
        ),
    ],
)
def test_publish_check_on_a_file_that_is_no_pdf(tmp_path, content, message):
    (tmp_path / "notes.pdf").write_bytes(content)
    result = publish("check", "--pdf", "notes.pdf", cwd=tmp_path)
    assert (result.exit_code, result.output) == (1, message)


@pytest.mark.parametrize(
    ("paragraph", "failure"),
    [
        # A project layout that paints in RGB: the print PDF must not reach the print shop.
        (
            '<p style="color: #e07a3f">Read this article online</p>',
            "its print PDF failed preflight: colour: not CMYK: RGB colour (rg) on page 4",
        ),
        # One that writes the press's ink into both PDFs' HTML: the screen PDF, painted as its
        # own HTML says, gets process colour.
        (
            '<p style="color: device-cmyk(0 0 0 1)">Read it <a href="{{ url }}">online</a></p>',
            "its screen PDF failed preflight: colour: CMYK on a screen: CMYK colour space (cs) "
            "on page 4",
        ),
    ],
    ids=["print", "screen"],
)
def test_the_build_fails_an_article_whose_pdf_fails_preflight(tmp_path, paragraph, failure):
    root = make_project(tmp_path, {"flyer.md": article("A flyer")})
    (root / "layouts" / "print").mkdir(parents=True)
    (root / "layouts" / "print" / "online.html.j2").write_text(paragraph + "\n")
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: source/flyer.md: {failure}. Nothing of this article was written. This is most "
        "likely a fault in a print layout under layouts/print/\n"
        "Published 0 articles to print: 0 files in output; 1 problem(s)\n"
    )
    assert not (root / "output" / "print").exists()
    assert not (root / "output" / "web").exists()


def test_a_layout_that_puts_other_things_in_the_screen_pdf_fails(tmp_path):
    root = make_project(tmp_path, {"flyer.md": article("A flyer")})
    (root / "layouts" / "print").mkdir(parents=True)
    (root / "layouts" / "print" / "online.html.j2").write_text(
        '{% if press %}<p>Printed</p>{% endif %}<p><a href="{{ url }}">Online</a></p>\n'
    )
    result = publish("build", "--channel", "print", cwd=root)
    assert (result.exit_code, result.output) == (
        1,
        "Error: source/flyer.md: its screen PDF cannot be the print shop's pages repainted: "
        "its HTML has not as many elements. A print layout may paint the two PDFs differently "
        "('press' in its stylesheets), not put other things on the page: one layout makes "
        "both. This is most likely a fault in a print layout under layouts/print/\n"
        "Published 0 articles to print: 0 files in output; 1 problem(s)\n",
    )
    assert not (root / "output" / "print").exists()


def test_a_pdf_with_an_object_of_the_wrong_kind_is_a_damaged_pdf(careless, tmp_path):
    document = pikepdf.open(careless)
    states = document.pages[0].obj.Resources.ExtGState
    states[next(iter(states.keys()))] = 5  # a number where a graphics state must be
    document.save(tmp_path / "flyer.pdf")
    result = publish("check", "--pdf", "flyer.pdf", cwd=tmp_path)
    assert (result.exit_code, result.output) == (
        1,
        "Error: flyer.pdf: is a damaged PDF (some of its objects are not of the kind the PDF "
        "format asks for)\n",
    )
