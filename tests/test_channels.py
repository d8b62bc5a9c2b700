"""Every channel keeps every heading; the PDF is checked by its structure, never its bytes."""

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CASES, SAMPLE_SLUG, make_project, publish
from pypdf import PdfReader

# The sixteen headings of the clinic's page (shared/seed), in order, with their levels.
SEED_HEADINGS = [
    (2, "Understanding Ketamine Therapy"),
    (3, "The Science Behind Ketamine"),
    (3, "How Ketamine Therapy Works"),
    (2, "The Role of Ketamine in Pain Management"),
    (3, "Types of Pain Treated with Ketamine"),
    (3, "Effectiveness of Ketamine for Chronic Pain"),
    (2, "The Procedure of Ketamine Therapy"),
    (3, "Preparing for Ketamine Therapy"),
    (3, "What to Expect During the Therapy"),
    (2, "Potential Side Effects and Risks of Ketamine Therapy"),
    (3, "Short-term Side Effects"),
    (3, "Long-term Risks"),
    (2, "The Future of Ketamine in Pain Management"),
    (3, "Ongoing Research and Developments"),
    (3, "Potential Alternatives to Ketamine Therapy"),
    (2, "Parting Words"),
]
RICH_HEADINGS = [
    (2, "Introducción"),
    (3, "Una tabla"),
    (3, "Definiciones"),
    (2, "Imagen y enlaces"),
    (3, "A README section"),
    (4, "A deep heading"),
]


def flat(text: str) -> str:
    """Text with all runs of white space as one space (PDF text breaks lines anywhere)."""
    return re.sub(r"\s+", " ", text)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def web_headings(page: str) -> list[tuple[int, str]]:
    body = page.split('<div class="article-body">', 1)[1]
    found = re.findall(r"<h([2-6])[^>]*>(.*?)</h\1>", body, re.S)
    return [
        (int(level), flat(html.unescape(re.sub(r"<[^>]+>", "", text))).strip())
        for level, text in found
    ]


def email_headings(text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    return [
        (2 if under[0] == "=" else 3, line)
        for line, under in zip(lines, lines[1:], strict=False)
        if under and set(under) <= {"=", "-"} and len(under) == len(line) and line.strip()
    ]


@pytest.fixture(scope="module")
def rich_build(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("rich"))
    shutil.copy(CASES / "rich.md", root / "source" / "rich.md")
    shutil.copytree(CASES / "media", root / "source" / "media")
    result = publish("build", cwd=root)
    assert result.exit_code == 0, result.output
    # Its h5 after an h3 is on purpose (the channels close the gap): the one warning.
    assert result.stderr == (
        "Warning: source/rich.md:54: heading 'A deep heading' (h5) follows an h3: h4 is skipped. "
        "Readers of screen readers move by heading level: give it one '#' more than the heading "
        "it belongs to\n"
    )
    return root / "output"


@pytest.mark.parametrize(
    ("build", "slug", "headings"),
    [
        ("sample_build", SAMPLE_SLUG, SEED_HEADINGS),
        ("rich_build", "rich", RICH_HEADINGS),
    ],
)
def test_every_channel_keeps_every_heading(request, build, slug, headings):
    out = request.getfixturevalue(build)
    page = (out / "web" / slug / "index.html").read_text()
    # The web page titles its footnotes section itself ("Notes", "Notas").
    assert [h for h in web_headings(page) if h[1] not in ("Notes", "Notas")] == headings
    text = (out / "email" / f"{slug}.txt").read_text()
    # The email adds its own "Contact" heading (and "Notes"/"Links" when there are some).
    found = [h for h in email_headings(text)[1:] if h[1] not in ("Contact", "Notes", "Links")]
    assert [h[1] for h in found] == [h[1] for h in headings]
    printed = flat(pdf_text(out / "print" / f"{slug}.pdf"))
    for _, heading in headings:
        assert flat(heading) in printed


def test_print_pdf_structure(sample_build):
    pdf = sample_build / "print" / f"{SAMPLE_SLUG}.pdf"
    reader = PdfReader(pdf)
    assert reader.metadata.title == "What to Know About Ketamine Therapy for Pain Management"
    assert reader.metadata.author == "Albany Ketamine Infusions"
    assert len(reader.pages) >= 3
    for page in reader.pages:  # US Letter
        assert (round(float(page.trimbox.width)), round(float(page.trimbox.height))) == (612, 792)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert all("Inter" in line for line in fonts), fonts
    printed = flat(pdf_text(pdf))
    assert "7 Wembley Ct. Albany, NY 12205" in printed  # contact block on the back page
    assert "not medical advice" in printed


def test_email_text_is_wrapped_at_72_columns(sample_build):
    text = (sample_build / "email" / f"{SAMPLE_SLUG}.txt").read_text()
    long = [line for line in text.splitlines() if len(line) > 72 and "://" not in line]
    assert long == []
    assert "- *Neuropathic pain* refers to pain caused by damage or dysfunction in\n  the" in text
    assert "**" not in text and "](" not in text and "&amp;" not in text


def test_images_are_copied_next_to_the_web_page(rich_build):
    page = (rich_build / "web/rich/index.html").read_text()
    assert 'src="media/gradient.png"' in page
    assert (rich_build / "web/rich/media/gradient.png").read_bytes() == (
        CASES / "media/gradient.png"
    ).read_bytes()
    assert (
        "[Image: Un degradado de color verde azulado]"
        in (rich_build / "email/rich.txt").read_text()
    )


def test_same_input_gives_the_same_bytes(sample_build, tmp_path):
    from conftest import REPO

    again = tmp_path / "again"
    assert publish("build", "--out", str(again), cwd=REPO).exit_code == 0
    for made in sample_build.rglob("*"):
        if made.is_file():
            assert (again / made.relative_to(sample_build)).read_bytes() == made.read_bytes(), made
