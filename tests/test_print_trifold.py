"""The tri-fold: one landscape sheet, six panels on the folds, an error when its copy overflows."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, SAMPLE_SLUG, article, make_project, publish
from pdfs import POINTS_PER_IN, page_image, photo, run, words
from pypdf import PdfReader

BLEED = 9  # points beyond the trim on every side: where pdftotext's coordinates start
FULL, FLAP = 3.6875 * POINTS_PER_IN, 3.625 * POINTS_PER_IN  # panel widths: the flap folds in
SAFE = 0.25 * POINTS_PER_IN  # no type closer than this to a fold or the trim
EXCERPT = """\
brochure:
  layout: trifold
  excerpt: |
    A short overview for the waiting room.

    ## How it works

    Ketamine acts on receptors in the brain that carry pain signals.

    ## What a session is like

    A session takes a few hours, in a calm room, with staff nearby.
image: media/sun.png
image_alt: A yellow sun over dark hills
"""


@pytest.fixture(scope="module")
def trifold(tmp_path_factory):
    body = "## Not in the leaflet\n\nLong text.\n"
    root = make_project(
        tmp_path_factory.mktemp("trifold"),
        {"leaflet.md": article("Ketamine in Brief", body, EXCERPT)},
    )
    photo(root / "source" / "media" / "sun.png", (1800, 1500))
    result = publish("build", "--strict", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


def test_trifold_is_one_landscape_letter_sheet(trifold):
    for pdf in (trifold / "print" / "leaflet.pdf", trifold / "web" / "leaflet" / "brochure.pdf"):
        pages = PdfReader(pdf).pages
        assert len(pages) == 2
        for page in pages:
            assert (float(page.trimbox.width), float(page.trimbox.height)) == (792, 612)


@pytest.mark.parametrize(
    ("page", "folds"), [(1, (FLAP, FLAP + FULL)), (2, (FULL, 2 * FULL))], ids=["outside", "inside"]
)
def test_no_type_near_a_fold_or_the_trim(trifold, page, folds):
    found = words(trifold / "print" / "leaflet.pdf", page)
    assert found
    for word, left, top, right, bottom in found:
        left, right, top, bottom = left - BLEED, right - BLEED, top - BLEED, bottom - BLEED
        assert left >= SAFE and right <= 792 - SAFE and top >= SAFE and bottom <= 612 - SAFE, word
        for fold in folds:
            assert right <= fold - SAFE or left >= fold + SAFE, (word, fold)


def test_each_outside_panel_holds_its_part(trifold):
    found = {word: left - BLEED for word, left, *_ in words(trifold / "print" / "leaflet.pdf", 1)}
    assert found["Visit"] < FLAP  # the flap: how to reach the clinic
    assert FLAP < found["Read"] < FLAP + FULL  # the back: the article online, the disclaimer
    assert found["Ketamine"] > FLAP + FULL  # the cover, on the right


def test_cover_colour_bleeds_off_its_three_outer_edges_and_starts_on_the_fold(trifold):
    image = page_image(trifold / "print" / "leaflet.pdf", 1, trifold / "proof", dpi=36)
    width, height = image.size  # 36 dpi: the 9 pt of bleed are the outer 4.5 pixels
    right, bottom = width - 2, height - 2
    for x, y in [
        (right, 1),
        (right, height // 2),
        (right, bottom),
        (width - 60, 1),
        (width - 60, bottom),
    ]:
        red, green, blue = image.getpixel((x, y))
        assert red < 80 and green > 60 and blue > 70, (x, y, image.getpixel((x, y)))  # teal
    assert image.getpixel((1, 1)) == (255, 255, 255)  # the flap is paper: nothing to bleed
    fold = (BLEED + FLAP + FULL) / 2  # in pixels at 36 dpi
    assert image.getpixel((int(fold) - 1, height // 3)) == (255, 255, 255)
    assert image.getpixel((int(fold) + 2, height // 3))[0] < 80


def test_copy_comes_from_the_excerpt(trifold):
    text = " ".join(run("pdftotext", str(trifold / "print" / "leaflet.pdf"), "-").split())
    assert "How it works" in text and "What a session is like" in text
    assert "Not in the leaflet" not in text


def test_copy_that_does_not_fit_fails_saying_by_how_much(tmp_path):
    root = make_project(tmp_path / "long")
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("size: letter", "size: letter\n  layout: trifold"))
    source = root / "source" / "long.md"
    source.write_text((REPO / "source" / f"{SAMPLE_SLUG}.md").read_text())
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: source/long.md: its copy does not fit the tri-fold: about 580 of its 1285 words "
        "run past the three inside panels. Give a shorter 'brochure.excerpt' in the front "
        "matter, shorten the article, or print it as a booklet ('brochure: {layout: booklet}')\n"
        "Published 0 articles to print: 0 files in output; 1 problem(s)\n"
    )
    assert not (root / "output" / "print").exists()


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("booklet", "the booklet's back cover is too full: about 96 of its 497 words do not fit"),
        ("trifold", "the tri-fold's back panel is too full: about 55 of its 472 words do not fit"),
    ],
)
def test_a_back_panel_that_is_too_full_fails_saying_by_how_much(tmp_path, layout, message):
    root = make_project(tmp_path, {"flyer.md": article("A flyer")})
    config = root / "publish.yml"
    long = "This is a very long disclaimer that goes on and on. " * 40
    config.write_text(
        config.read_text()
        .replace("disclaimer: >-\n", f"disclaimer: >-\n  {long}\n")
        .replace("size: letter", f"size: letter\n  layout: {layout}")
    )
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: source/flyer.md: {message}. Shorten what goes on it: the title, summary and tags "
        "on the cover; the contact details and the disclaimer in publish.yml on the back\n"
    )


def test_the_copy_is_fitted_to_the_three_panels_before_it_overflows(tmp_path):
    """A short excerpt is set in the largest type allowed; one that would overflow in it is
    set smaller, as large as still fits, and no error."""
    sample = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text()
    body = sample.split("---\n", 2)[2]
    paragraphs = body.split("\n\n")
    medium = "\n\n".join(
        paragraphs[
            : next(i for i in range(len(paragraphs)) if len(" ".join(paragraphs[:i]).split()) > 620)
        ]
    )
    folded = "brochure:\n  layout: trifold\n"
    root = make_project(tmp_path, {
        "short.md": article("Short", "A short overview.\n\n## How it works\n\nText.\n", folded),
        "medium.md": article("Medium", medium, folded),
    })  # fmt: skip
    result = publish("build", "--strict", "--channel", "print", "--keep-html", cwd=root)
    assert result.exit_code == 0, result.output
    sizes = {}
    for name in ("short", "medium"):
        html = (root / "output" / "print" / f"{name}.html").read_text(encoding="utf-8")
        sizes[name] = float(re.search(r"--body-size: ([\d.]+)pt !important", html)[1])
    assert sizes["short"] == 11
    assert 9.5 <= sizes["medium"] < 11
