"""The email's text part, read as a person with a plain-text mail client would read it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import (
    REPO,
    SAMPLE_SLUG,
    article,
    email_case_project,
    email_settings,
    make_project,
    publish,
)

from pipeline import Project
from pipeline.channels import CHANNELS
from pipeline.project.config import load_config
from pipeline.project.templates import display_width
from pipeline.source import ast as pandoc_ast
from pipeline.source.article import read_article

TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"


def source_links(source: Path, root: Path) -> list[str]:
    """Every link target of an article (absolute, as the email shows it), in-page ones left out."""
    article = read_article(source, root, load_config(root), CHANNELS)
    url = Project.load(root).url(f"{article.slug}/")
    targets = [link["c"][2][0] for link in pandoc_ast.elements(article.ast, "Link")]
    return [urljoin(url, target) for target in targets if not target.startswith("#")]


@pytest.fixture(scope="module")
def ascii_case(tmp_path_factory) -> str:
    root = email_case_project(tmp_path_factory.mktemp("ascii"))
    email_settings(root, ascii=True)
    result = publish("build", "--strict", "--channel", "email", cwd=root)
    assert result.exit_code == 0, result.output
    return (root / "output" / "email" / "features.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_text(sample_build) -> str:
    return (sample_build / "email" / f"{SAMPLE_SLUG}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def case_text(email_case) -> str:
    return (email_case / "features.txt").read_text(encoding="utf-8")


def test_sample_text_matches_golden(sample_text, golden):
    golden(sample_text, f"email/{SAMPLE_SLUG}.txt")


def test_case_text_matches_golden(case_text, golden):
    golden(case_text, "email/features.txt")


def test_case_ascii_text_matches_golden(ascii_case, golden):
    golden(ascii_case, "email/features-ascii.txt")


@pytest.mark.parametrize("which", ["sample_text", "case_text", "ascii_case"])
def test_lines_fit_72_columns_unless_they_hold_a_url(which, request):
    text = request.getfixturevalue(which)
    lines = text.split("\n")
    too_long = [line for line in lines if display_width(line) > 72 and "://" not in line]
    assert too_long == []
    assert all(len(line.encode()) <= 998 for line in lines)  # RFC 5322's hard limit
    url_lines = [line for line in lines if display_width(line) > 72]
    # A long URL stands alone (after at most a short label), never broken across lines.
    assert all(len(line.split()[-1]) > 40 for line in url_lines)


def test_a_backslash_and_letters_are_text_not_tex(case_text):
    """The reader takes no TeX (pandoc.READER): what looks like a command is printed as
    written, never dropped."""
    assert "\\LaTeX{} \\textbf{tex} command" in case_text


@pytest.mark.parametrize("which", ["sample_text", "case_text", "ascii_case"])
def test_no_markup_survives(which, request):
    text = request.getfixturevalue(which)
    assert "**" not in text
    assert "](" not in text
    assert not re.search(r"</?[A-Za-z][^>]*>", text)
    assert not re.search(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);", text)
    assert "`" not in text
    assert "media/" not in text  # image paths
    assert not any(space in text for space in "\u00a0\u202f\u2007")
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_sample_starts_with_title_summary_and_web_link(sample_text):
    lines = sample_text.split("\n")
    title = "What to Know About Ketamine Therapy for Pain Management"
    assert lines[:2] == [title, "=" * len(title)]
    assert lines[3].startswith("How ketamine therapy eases chronic pain")
    assert (
        "Read it on the web:\n"
        "https://albanyketamine.example/ketamine-therapy-for-pain-management/\n" in sample_text
    )


def test_headings_are_underlined_by_level(sample_text, case_text):
    assert "Understanding Ketamine Therapy\n==============================\n" in sample_text
    assert "The Science Behind Ketamine\n---------------------------\n" in sample_text
    assert "日本語の見出し\n==============\n" in case_text  # wide characters: two columns
    assert (
        "A very long subsection heading that certainly will not fit on one line\n"
        "of seventy-two columns\n" + "-" * 70 + "\n" in case_text
    )


def test_links_are_numbered_once_and_listed(case_text):
    body, links = case_text.split("\nLinks\n-----\n\n")
    assert links.split("\n\n")[0].split("\n") == [
        "[1] https://example.org/report",
        "[2] https://partners.example.net/list",
        "[3] mailto:team@example.org",
        "[4] https://council.example.gov/minutes/2019",
    ]
    flat = " ".join(body.split())
    assert "the annual report [1] or the summary [1]" in flat  # one URL, one number
    assert "A new partner [2] joined" in flat
    assert "write to info@example.org or the team [3]." in flat
    assert "Jump to the table section for numbers." in flat  # in-page link: text only
    assert not re.search(r"^\[\d+\]$", case_text, re.M)  # a number never alone on a line


def test_every_link_of_the_source_is_in_the_text(email_case, case_text, sample_text):
    case = email_case.parent.parent
    for url in source_links(case / "source" / "features.md", case):
        assert url in case_text or url.removeprefix("mailto:") in case_text, url
    for url in source_links(REPO / "source" / f"{SAMPLE_SLUG}.md", REPO):
        assert url in sample_text, url


def test_long_tracking_url_stays_whole_on_its_own_line(case_text):
    url = (
        "https://example.org/a-very-long/path/that-is-longer-than-seventy-two-characters/"
        "for-testing-wrapping?utm_source=newsletter&utm_medium=email"
    )
    assert f"Full tracking link:\n{url}\n" in case_text
    assert case_text.count("utm_source") == 1  # shown where it is, not listed again


def test_footnotes_are_lettered_and_listed_before_links(case_text):
    assert "opened in 2019[a] and" in case_text
    notes = case_text.split("\nNotes\n-----\n\n")[1].split("\n\nLinks\n")[0]
    assert notes == (
        "[a] Opening was delayed; see the city council notes [4] and the annual\n"
        "    report [1] for a long explanation that wraps over more than one line\n"
        "    of text."
    )


def test_inline_formatting_images_lists_quotes(case_text):
    assert "*three* districts" in case_text and "_details_" in case_text
    assert "~wrong~" in case_text
    assert "[Image: Clinic entrance]\n" in case_text
    assert re.search(r"^\[Image\]$", case_text, re.M)
    assert "- *Primary care*: general consultations for adults and children, walk-in\n  on" in (
        case_text
    )
    assert "1.  First ordered item that is long enough to wrap onto a second line\n    for" in (
        case_text
    )
    assert "  Health is not only the absence of illness; it is a state of complete\n  " in (
        case_text
    )
    assert '\n    def hello():\n        print("hi")   # verbatim\n' in case_text


def test_headings_below_level_3_are_numbered_in_their_section(case_text):
    assert "\n\n1 Evening hours\n\nWalk-in until eight.\n\n1.1 For children\n\n" in case_text


def test_tables_fit_as_columns_or_as_row_blocks(case_text):
    # Labelled {#tbl-costs}, the table is numbered (crossrefs.py); no caption syntax shows.
    caption = "Table 1: Costs of the year\n\n  Item    Cost\n  ------- --------\n  Rent    1 200\n"
    assert caption in case_text
    assert "tbl-costs" not in case_text and "\n: Costs" not in case_text
    assert (
        "\n\nDistrict: *North*\n"
        "  Population served: About twelve thousand residents\n"
        "  Primary care visits: 4 310 visits over the whole year\n"
    ) in case_text
    assert "  Notes on the year: Waiting times dropped by half after the evening\n    shifts" in (
        case_text
    )


def test_footer_has_contact_address_disclaimer_and_unsubscribe(sample_text, case_text):
    for text in (sample_text, case_text):
        footer = text.split("\nContact\n-------\n")[1]
        assert "Albany Ketamine Infusions\n7 Wembley Ct.\nAlbany, NY 12205\n" in footer
        assert "Monday – Friday: 9:00 am – 5:00 pm" in footer
        assert "This article is general information, not medical advice." in footer
        assert "To unsubscribe: https://albanyketamine.example/unsubscribe\n" in footer
        assert "Or write to unsubscribe@albanyketamine.example with the subject" in footer


def test_utf8_text_keeps_typography(case_text):
    assert "“quoted text” with ‘single quotes’ — plus an ellipsis… and a range 1–5." in (
        " ".join(case_text.split())
    )
    assert "El niño pidió una canción: «¿Qué tal?»" in case_text


def test_ascii_setting_turns_punctuation_to_ascii(ascii_case):
    assert not any(char in ascii_case for char in TYPOGRAPHY)
    flat = " ".join(ascii_case.split())
    assert "\"quoted text\" with 'single quotes' -- plus an ellipsis... and a range 1-5." in flat
    assert 'Clinic news: tables, notes & "links"\n====================================\n' in (
        ascii_case
    )
    assert "Monday - Friday: 9:00 am - 5:00 pm" in ascii_case  # the contact block too
    assert 'with the subject "unsubscribe".' in flat
    assert 'El niño pidió una canción: "¿Qué tal?"' in ascii_case  # letters stay


def test_a_spanish_article_gets_its_email_words_in_spanish(tmp_path):
    body = "## Antes de venir\n\nTraiga su [lista](https://example.org/l).[^1]\n\n[^1]: Nota.\n"
    root = make_project(tmp_path, {"cita.md": article("Su primera cita", body, "lang: es\n")})
    result = publish("build", "--channel", "email", cwd=root)
    assert result.exit_code == 0, result.output
    text = (root / "output/email/cita.txt").read_text(encoding="utf-8")
    assert "Léalo en la web: https://albanyketamine.example/cita/\n" in text
    assert "\nNotas\n-----\n\n[a] Nota.\n\nEnlaces\n-------\n\n[1] https://example.org/l\n" in text
    footer = text.split("\nContacto\n--------\n")[1]
    assert (
        "\nHorario:\n  lunes – viernes: 9:00 – 17:00\n  sábado – domingo: 9:00 – 17:00\n" in footer
    )
    assert " ".join(footer.split()[-40:]).endswith(
        "Recibe este boletín de Albany Ketamine Infusions. Para darse de baja: "
        "https://albanyketamine.example/unsubscribe O escriba a "
        "unsubscribe@albanyketamine.example con el asunto “unsubscribe”."
    )
    html = (root / "output/email/cita.html").read_text(encoding="utf-8")
    assert ">Léalo en la web</a>" in html
    words = re.sub(r' style="[^"]*"', "", html)  # the inlined CSS aside
    assert (
        "Recibe este boletín de Albany Ketamine Infusions. "
        '<a href="https://albanyketamine.example/unsubscribe">Darse de baja</a> o '
        '<a href="mailto:unsubscribe@albanyketamine.example?subject=unsubscribe">'
        "darse de baja por correo</a>." in words
    )
    assert '<p class="contact-hours-title">Horario</p>' in words
    # publish.yml's one disclaimer is English: marked as such.
    assert '<p class="disclaimer" lang="en">This article is general information' in words
