"""Copyfitting: booklets of several lengths fill their pages, at most one designed page, and
are set as a typesetter would (hyphens, keep-togethers), measured on the laid-out boxes."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import CASES, REPO, SAMPLE_SLUG, make_project, publish
from pypdf import PdfReader

from pipeline.channels.print import pdf
from pipeline.channels.print.fitting import LAST_PAGE
from pipeline.channels.print.pages import (
    HYPHEN,
    copy_pages,
    hyphenation_breaches,
    keep_breaches,
    lines,
)
from pipeline.project.folder import Project

SAMPLE = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
FRONT, BODY = SAMPLE.split("---\n", 2)[1:]
DESIGNED = ("Notes", "Questions for your visit", "Your appointments")


def _article(title: str, body: str) -> str:
    return f"---\n{FRONT.replace('What to Know About Ketamine', title, 1)}---\n{body}"


PARAGRAPHS = BODY.split("\n\n")
LIST = PARAGRAPHS[10].split("\n")  # four items
ARTICLES = {
    # The opening sections and a list's first item and a half, about 290 words: at the largest
    # type a page and a few lines, so it is set to fill one page, and a designed page completes
    # the booklet.
    "brief.md": _article(
        "Brief",
        "\n\n".join(PARAGRAPHS[:10]) + f"\n\n{LIST[0]}\n" + " ".join(LIST[1].split()[:25]),
    ),
    "short.md": _article("Short", BODY[: BODY.index("### Effectiveness")]),
    "sample.md": SAMPLE,
    # Twice the sample, about 2,700 words.
    "long.md": _article("Long", BODY + "\n## Once more\n\n" + BODY.replace("## ", "### ")),
    "spanish.md": (CASES / "print" / "guia-del-dolor.md").read_text(encoding="utf-8"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("fitting"), ARTICLES)
    config = root / "publish.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["disclaimer"] = {"en": data["disclaimer"], "es": "Información general, no consejo médico."}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = publish("build", "--strict", "--channel", "print", "--keep-html", cwd=root)
    assert result.exit_code == 0, result.output
    return root


def _laid_out(root, name: str):
    """The screen PDF's pages as the build laid them out (its kept HTML holds the fitting)."""
    slug = name.removesuffix(".md")
    html = (root / "output" / "web" / slug / "brochure.html").read_text(encoding="utf-8")
    project = Project.load(root)
    allowed = [root, *project.layout_dirs]
    return pdf.Source(html, root / "source", allowed, root / "source" / name).pages()


@pytest.mark.parametrize(
    ("name", "pages", "copy"),
    [
        ("brief.md", 4, 1),
        ("short.md", 4, 2),
        ("sample.md", 8, 5),
        ("long.md", 8, 6),
        ("spanish.md", 4, 2),
    ],
)
def test_the_page_count_is_chosen_with_one_designed_page_at_most(built, name, pages, copy):
    reader = PdfReader(built / "output" / "print" / name.replace(".md", ".pdf"))
    text = [page.extract_text() for page in reader.pages]
    designed = [page for page in text if set(page.splitlines()) & set(DESIGNED)]
    assert (len(reader.pages), len(designed)) == (pages, pages - 2 - copy)
    assert len(designed) <= 1


@pytest.mark.parametrize("name", ARTICLES)
def test_every_page_of_copy_but_the_last_is_at_least_60_percent_full(built, name):
    fills = [page.fill for page in copy_pages(_laid_out(built, name))]
    assert all(fill >= 0.6 for fill in fills[:-1]), fills
    # The last holds a quarter of a page at least: less, and the copy ends a page sooner.
    assert len(fills) == 1 or fills[-1] >= LAST_PAGE, fills


@pytest.mark.parametrize("name", ARTICLES)
def test_the_last_page_of_copy_has_balanced_columns(built, name):
    document = _laid_out(built, name)
    last = [line for line in lines(document) if line.page == copy_pages(document)[-1].number]
    per_column: dict = {}
    for line in last:
        per_column[line.flow] = per_column.get(line.flow, 0) + 1
    counts = list(per_column.values())[-2:]  # its last two columns (a table may be above)
    assert max(counts) - min(counts) <= 4, counts  # headings and spacing: a few lines


@pytest.mark.parametrize("name", ARTICLES)
def test_hyphenation_a_typesetter_accepts(built, name):
    document = _laid_out(built, name)
    assert [str(b) for b in hyphenation_breaches(document)] == []
    laid = lines(document)
    for line, after in zip(laid, laid[1:], strict=False):
        if line.hyphenated:
            before = re.findall(r"\w+", line.text.rstrip().removesuffix(HYPHEN))[-1]
            rest = re.match(r"\w+", after.text.strip())[0]
            assert len(before) >= 3 and len(rest) >= 3 and len(before + rest) >= 6, line.text


@pytest.mark.parametrize("name", ARTICLES)
def test_keep_togethers_are_never_split(built, name):
    assert [str(b) for b in keep_breaches(_laid_out(built, name))] == []


def test_the_sample_is_set_in_larger_type_than_before(built):
    html = (built / "output" / "web" / "sample" / "brochure.html").read_text(encoding="utf-8")
    assert "--body-size: 11pt !important" in html


FIXED_SMALL = """\
  copyfit:
    body_size: [9.5, 9.5]
    leading: [1.3, 1.3]
    column_gap: [0.25, 0.25]
    heading_space: [0.8, 0.8]
    margins: [0.7, 0.7]
"""


def test_more_than_one_designed_page_is_a_warning(tmp_path):
    """Type held small: the sample's copy cannot grow to its booklet's pages."""
    root = make_project(tmp_path, {"sample.md": SAMPLE})
    config = root / "publish.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  size: letter\n", "  size: letter\n" + FIXED_SMALL
        )
    )
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: source/sample.md: its booklet of 8 pages needs 3 designed pages (notes, "
        "questions, appointments) to make up its count: its copy is too short for its pages "
        "even at the largest type print.copyfit allows. Allow larger type or wider margins in "
        "publish.yml, or add to the article\n"
    )
