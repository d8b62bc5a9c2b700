"""Pictures, a table, footnotes and links in the brochure: in CMYK, fitted, legible."""

from __future__ import annotations

import pytest
from conftest import article, make_project, publish
from pdfs import image_spaces, photo, run, words
from PIL import Image
from pypdf import PdfReader

BODY = """\
Chronic pain changes daily life.[^long] This leaflet walks through the options.[^short]

## Pictures

![Visits per month](media/chart.png)

A [study](https://example.org/study) and a bare address <https://example.org/bare>.

Cited as [doi:10.1000/xyz123](https://doi.org/10.1000/xyz123), doi:[10.1000/abc](https://doi.org/10.1000/abc)
and [www.example.org](https://www.example.org/).

## A table

| Treatment | Sessions | Notes |
|-----------|---------:|-------|
| Infusion | 6 | Over two weeks, with monitoring |
| Nasal spray | 8 | Twice a week, at the clinic |
ROWS
Closing words.

[^long]: A footnote long enough to run over more than one line at the foot of the page.
[^short]: A short one.
"""
# A table long enough to break across columns: rows of a plan, three lines high each.
BODY = BODY.replace(
    "ROWS\n",
    "".join(
        f"| Visit {n} | {n} | Week {n} of the plan, at the clinic, with a nurse |\n"
        for n in range(1, 41)
    ),
)
FRONT = "image: media/sun.png\nimage_alt: A yellow sun over dark hills\n"


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich")
    root = make_project(folder, {"rich.md": article("Pictures", BODY, FRONT)})
    media = root / "source" / "media"
    photo(media / "sun.png", (3000, 2000))  # 8.75 in across the cover: 340 ppi
    chart = Image.new("RGBA", (1400, 900), (0, 0, 0, 0))  # transparent around the bars
    for i, height in enumerate((300, 520, 410, 650)):
        chart.paste((14, 90, 102, 255), (100 + i * 300, 850 - height, 300 + i * 300, 850))
    chart.save(media / "chart.png")
    result = publish("build", "--strict", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


def test_print_images_are_cmyk_and_opaque(rich):
    reader = PdfReader(rich / "print" / "rich.pdf")
    assert sorted(image_spaces(reader)) == ["/DeviceCMYK", "/DeviceCMYK"]
    for page in reader.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert "/SMask" not in xobject.get_object()
    assert sorted(image_spaces(PdfReader(rich / "web" / "rich" / "brochure.pdf"))) == [
        "/DeviceRGB",
        "/DeviceRGB",
    ]


def test_cmyk_pictures_keep_their_colours(rich):
    """The sun stays yellow and the sky blue: the separation neither inverts nor shifts them."""
    pdf = rich / "print" / "rich.pdf"
    run("pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(pdf), str(rich / "cover"))
    pixels = list(Image.open(rich / "cover-1.png").convert("RGB").get_flattened_data())
    yellow = [p for p in pixels if p[0] > 200 and p[1] > 160 and p[2] < 110]
    sky = [p for p in pixels if p[2] > 180 and p[2] > p[0] + 60]
    assert len(yellow) > 3000 and len(sky) > 10000, (len(yellow), len(sky))


def test_footnotes_sit_at_the_foot_of_their_page(rich):
    found = words(rich / "print" / "rich.pdf", 2)
    text = [word for word, *_ in found]
    lines = {word: top for word, _, top, _, _ in found}
    assert "footnote" in text and "short" in text
    assert lines["footnote"] > 792 * 0.8  # in the last fifth of the page, under the copy
    assert max(top for word, _, top, _, _ in found if word == "Pictures") < lines["footnote"]


def test_print_shows_link_addresses_the_screen_pdf_makes_clickable(rich):
    printed = " ".join(run("pdftotext", str(rich / "print" / "rich.pdf"), "-").split())
    assert "study (https://example.org/study)" in printed
    # A text that already shows its address is not followed by it again.
    cited = "Cited as doi:10.1000/xyz123, doi:10.1000/abc and www.example.org.".replace(" ", "")
    assert cited in printed.replace(" ", "")  # an address may break at its line's end
    screen = PdfReader(rich / "web" / "rich" / "brochure.pdf")
    uris = {
        a.get_object()["/A"].get("/URI")
        for page in screen.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    }
    assert {"https://example.org/study", "https://example.org/bare"} <= uris


def test_a_long_table_breaks_between_rows_and_repeats_its_header(rich):
    lines = [" ".join(line.split()) for line in _text_lines(rich / "print" / "rich.pdf")]
    headers = [line for line in lines if line == "Treatment Sessions Notes"]
    assert len(headers) >= 2  # one per column or page the table runs into
    for n in range(1, 41):  # every row whole: its first line holds its three cells
        assert any(line.startswith(f"Visit {n} {n} Week {n} of") for line in lines), n


def _text_lines(pdf) -> list[str]:
    """Lines of text in the order they are painted: a table row by row, column by column."""
    return [line for page in PdfReader(pdf).pages for line in page.extract_text().splitlines()]


@pytest.mark.parametrize(
    ("pixels", "warning"),
    [
        ((240, 160), "image 'media/small.png' is printed at 96 ppi, too coarse for print (under "
                     "150): it will look pixelated"),
        ((600, 400), "image 'media/small.png' is printed at 197 ppi (under 300): it will print "
                     "soft; give a larger file"),
    ],
    ids=["coarse", "soft"],
)  # fmt: skip
def test_a_picture_under_300_ppi_warns_and_fails_under_strict(tmp_path, pixels, warning):
    body = "## Photo\n\n![A photo](media/small.png)\n"
    root = make_project(tmp_path, {"small.md": article(body=body)})
    photo(root / "source" / "media" / "small.png", pixels)
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 0
    assert f"Warning: source/small.md: {warning}\n" in result.output
    strict = publish("build", "--strict", "--channel", "print", cwd=root)
    assert strict.exit_code == 1
    assert (
        "Error: source/small.md: not built: --strict turns its 1 warning(s) into errors. "
        "Fix the warnings above\n" in strict.output
    )


def test_an_svg_picture_is_refused_for_print(tmp_path):
    root = make_project(tmp_path, {"chart.md": article(body="![A chart](chart.svg)\n")})
    (root / "source" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10" fill="#e07a3f"/></svg>'
    )
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: source/chart.md: image 'chart.svg' is an SVG: its colours are RGB, which a print "
        "shop refuses. Export it as PNG or JPEG at 300 ppi of its printed size\n"
    )


def test_a_title_too_long_for_the_cover_fails(tmp_path):
    title = " ".join(["A title that goes on and on"] * 10)
    root = make_project(tmp_path, {"long.md": article(title, extra=FRONT)})
    photo(root / "source" / "media" / "sun.png", (3000, 2000))
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(  # (a warning first: a subject too long)
        "Warning: source/long.md:2: the email subject (the title, as there is no 'subject') is "
    )
    assert result.stderr.split("\n", 1)[1].startswith(
        "Error: source/long.md: the booklet's cover is too full: its text and pictures run "
        "0.81 in past the space they have. Shorten what goes on it: the title, summary and tags "
        "on the cover; the contact details and the disclaimer in publish.yml on the back\n"
    )
