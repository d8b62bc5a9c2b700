"""What a writer gets wrong with includes, cross-references and references: one exact message,
with file and line, from `publish check` and from `publish build` alike."""

from __future__ import annotations

import pytest
from conftest import article, make_project, publish
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BIB = """@article{smith2020,
  author = {Smith, Jane},
  title = {Ketamine for chronic pain},
  journal = {Pain Medicine},
  year = {2020}
}
"""

CASES = [
    (
        "missing include",
        {"a.md": article(body="## A\n\n{{< include _snippets/none.md >}}\n")},
        "source/a.md:9: includes '_snippets/none.md', and there is no such file "
        "(source/_snippets/none.md). Check the name: the path is relative to the file that "
        "includes it",
    ),
    (
        "include outside the project",
        {"a.md": article(body="## A\n\n{{< include ../../outside.md >}}\n")},
        "source/a.md:9: includes '../../outside.md', which is outside the project. Keep shared "
        "text in the project, in a folder such as source/_snippets/",
    ),
    (
        "include not alone on its line",
        {"a.md": article(body="## A\n\nSee {{< include _b.md >}} here.\n"), "_b.md": "B\n"},
        "source/a.md:9: an include must stand alone on its line. Put {{< include FILE >}} on "
        "a line of its own, with nothing else on it",
    ),
    (
        "include cycle",
        {
            "a.md": article(body="## A\n\n{{< include _snippets/b.md >}}\n"),
            "_snippets/b.md": "B\n\n{{< include c.md >}}\n",
            "_snippets/c.md": "C\n\n{{< include /source/a.md >}}\n",
        },
        "source/_snippets/c.md:3: includes itself: source/a.md -> source/_snippets/b.md -> "
        "source/_snippets/c.md -> source/a.md (while publishing source/a.md). Take out one of "
        "these includes",
    ),
    (
        "unknown cross-reference",
        {"a.md": article(body="## A {#sec-a}\n\nSee @fig-rooms and @sec-a.\n")},
        "source/a.md:9: unknown cross-reference '@fig-rooms': no figure has the label "
        "'fig-rooms'. Check its spelling, or label the figure: ![Caption](picture.png){#fig-NAME}",
    ),
    (
        "unknown table reference",
        {"a.md": article(body="## A\n\nSee [-@tbl-nope].\n")},
        "source/a.md:9: unknown cross-reference '@tbl-nope': no table has the label 'tbl-nope'. "
        "Check its spelling, or label the table: a caption line ': Caption {#tbl-NAME}' under "
        "the table",
    ),
    (
        "label given twice",
        {
            "a.md": article(
                body="## A\n\n| a |\n|---|\n| 1 |\n\n: One {#tbl-x}\n\n"
                "| b |\n|---|\n| 2 |\n\n: Two {#tbl-x}\n\nSee @tbl-x.\n"
            )
        },
        "source/a.md:19: the label 'tbl-x' is given twice: a label names one table. Give each "
        "its own label",
    ),
    (
        "unknown citation key",
        {
            "a.md": article(
                body="## A\n\nKnown [@smith2020].\n\nUnknown [@smith2021, p. 4].\n",
                extra="bibliography: refs.bib\n",
            ),
            "refs.bib": BIB,
        },
        "source/a.md:12: unknown citation key 'smith2021': no entry of source/refs.bib has it. "
        "Check the key's spelling, or add the entry; write \\@ for an @ that cites nothing",
    ),
    (
        "citation without a bibliography",
        {"a.md": article(body="## A\n\nWrite to @clinic. Cited [@smith2020].\n")},
        "source/a.md:9: cites 'smith2020', but the article has no bibliography. Add "
        "'bibliography: references.bib' to the front matter (or to publish.yml) with an entry "
        "of this key, or write \\[@ to show the brackets as they are",
    ),
    (
        "missing bibliography",
        {"a.md": article(extra="bibliography: nowhere.bib\n")},
        "source/a.md:5: the bibliography 'nowhere.bib' does not exist (source/nowhere.bib). "
        "Check the name: an article's paths are relative to its folder, publish.yml's to the "
        "project folder",
    ),
    (
        "bibliography of another format",
        {"a.md": article(extra="bibliography: refs.txt\n")},
        "source/a.md:5: 'bibliography' in front matter: expected a bibliography ending in .bib, "
        ".bibtex, .json, .yaml, .yml (BibTeX, BibLaTeX, CSL JSON or CSL YAML), got 'refs.txt'",
    ),
    (
        "one of several bibliographies of another format",
        {"a.md": article(extra="bibliography: [refs.bib, refs.txt]\n")},
        "source/a.md:5: 'bibliography' in front matter: expected a bibliography ending in .bib, "
        ".bibtex, .json, .yaml, .yml (BibTeX, BibLaTeX, CSL JSON or CSL YAML), not 'refs.txt', "
        "got ['refs.bib', 'refs.txt']",
    ),
    (
        "unknown style",
        {"a.md": article(extra="csl: chicago\n")},
        "source/a.md:5: 'csl' in front matter: expected a style publish ships "
        "(american-medical-association, apa, nlm-citation-sequence) or a .csl file, got "
        "'chicago'",
    ),
    (
        "missing style file",
        {"a.md": article(body="## A\n\nCited [@smith2020].\n", extra="csl: styles/x.csl\n")},
        "source/a.md:5: the citation style 'styles/x.csl' is not a file of the project "
        "(source/styles/x.csl). Name a .csl file in the project, or one of the styles publish "
        "ships: american-medical-association, apa, nlm-citation-sequence",
    ),
    (
        "dependent style",
        {
            "a.md": article(extra="csl: dep.csl\n"),
            "dep.csl": '<style xmlns="http://purl.org/net/xbiblio/csl"><info><link '
            'href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>\n',
        },
        "source/a.md:5: the citation style 'dep.csl' is a dependent style: it only names another "
        'style. Use the style it names (its link rel="independent-parent"), downloaded beside it',
    ),
]


@pytest.mark.parametrize("files, said", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_has_one_message_in_check_and_build(tmp_path, files, said):
    root = make_project(tmp_path / "project", files)
    check = publish("check", "source/a.md", cwd=root)
    assert check.exit_code == 1
    where, message = said.split(": ", 1)
    assert f"{where}: error: {message}\n" in check.output, check.output
    build = publish("build", "--channel", "web", "source/a.md", cwd=root)
    assert build.exit_code == 1
    assert f"Error: {said}\n" in build.output, build.output
    assert not (root / "output/web/a").exists()


def test_a_problem_in_an_included_file_is_told_at_its_line(tmp_path):
    snippet = "Shared text.\n\n![](media/missing-alt.png)\n"
    root = make_project(
        tmp_path,
        {
            "a.md": article(body="## A\n\n{{< include _snippets/s.md >}}\n"),
            "_snippets/s.md": snippet,
        },
    )
    (root / "source/media").mkdir()
    (root / "source/media/missing-alt.png").write_bytes(_png())
    said = (
        "source/_snippets/s.md:3: {}image 'media/missing-alt.png' has no alt text (while "
        "publishing source/a.md)"
    )
    check = publish("check", cwd=root)
    assert said.format("warning: ") in check.output, check.output
    build = publish("build", "--channel", "web", cwd=root)
    assert f"Warning: {said.format('')}" in build.output, build.output


def _png() -> bytes:
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(data, "PNG")
    return data.getvalue()


def test_an_edited_include_rebuilds_every_article_that_includes_it(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": article("A", body="## A\n\n{{< include _shared.md >}}\n"),
            "b.md": article("B", body="## B\n\n{{< include _shared.md >}}\n"),
            "c.md": article("C"),
            "_shared.md": "Shared text, first version.\n",
        },
    )
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    (root / "source/_shared.md").write_text("Shared text, second version.\n")
    result = publish("build", "--channel", "web", "--explain", cwd=root)
    assert "output/web/a/index.html: rebuilt (files changed: source/_shared.md)" in result.output
    assert "output/web/b/index.html: rebuilt (files changed: source/_shared.md)" in result.output
    assert "output/web/c/index.html: skipped (unchanged)" in result.output
    assert "second version" in (root / "output/web/a/index.html").read_text()
    assert not (root / "output/web/_shared").exists()


def test_an_edited_bibliography_rebuilds_the_article(tmp_path):
    root = make_project(
        tmp_path,
        {
            "a.md": article(body="## A\n\nCited [@smith2020].\n", extra="bibliography: r.bib\n"),
            "r.bib": BIB,
        },
    )
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    (root / "source/r.bib").write_text(BIB.replace("Ketamine for chronic pain", "A new title"))
    result = publish("build", "--channel", "email", "--explain", cwd=root)
    assert "output/email/a.txt: rebuilt (files changed: source/r.bib)" in result.output
    assert "A new title" in (root / "output/email/a.txt").read_text()


def test_a_bare_handle_without_a_bibliography_stays_as_written(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="## A\n\nFollow us @AlbanyClinic.\n")})
    assert publish("check", cwd=root).output.endswith(": 0 errors, 0 warnings\n")
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    assert "Follow us @AlbanyClinic." in (root / "output/email/a.txt").read_text()


def test_references_can_be_placed_and_a_closing_heading_is_kept(tmp_path):
    placed = "## A\n\nCited [@smith2020].\n\n::: {#refs}\n:::\n\n## After\n\nEnd.\n"
    closing = "## A\n\nCited [@smith2020].\n\n## Sources\n"
    root = make_project(
        tmp_path,
        {
            "placed.md": article(body=placed, extra="bibliography: r.bib\n"),
            "closing.md": article(body=closing, extra="bibliography: r.bib\n"),
            "r.bib": BIB,
        },
    )
    assert publish("build", "--channel", "email", cwd=root).exit_code == 0
    text = (root / "output/email/placed.txt").read_text()
    assert "References" not in text
    assert text.index("1. Smith J.") < text.index("After\n=====")
    text = (root / "output/email/closing.txt").read_text()
    assert "References" not in text and "Sources\n=======\n\n1. Smith J." in text


def test_a_callout_title_counts_in_no_heading_check(tmp_path):
    body = (
        "## Care\n\nText.\n\n::: {.callout-warning}\n#### Deep title\n\nWarned.\n:::\n\n"
        "::: {.callout-tip}\n# A callout's title\n\nTipped.\n:::\n"
    )
    root = make_project(tmp_path, {"a.md": article("A callout's title", body=body)})
    check = publish("check", cwd=root)
    assert check.output == "Checked 1 article: 0 errors, 0 warnings\n"
    assert publish("build", "--strict", "--channel", "web", cwd=root).exit_code == 0
    page = (root / "output/web/a/index.html").read_text()
    assert "<h1>A callout&#39;s title</h1>" in page or "<h1>A callout's title</h1>" in page
    assert "<h2" in page and "<h3" not in page and "<h4" not in page


@given(
    st.lists(
        st.lists(
            st.one_of(st.text("abc xyz", min_size=1, max_size=8), st.integers(0, 3)),
            max_size=5,
        ),
        min_size=4,
        max_size=4,
    )
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_line_of_an_expanded_text_is_traced_to_where_it_was_written(tmp_path, files):
    """Four files whose lines are text or an include of a later file (no cycles): each line
    of the result is the line its origin names."""
    from pipeline.source import includes

    root = tmp_path / "project"
    (root / "source").mkdir(parents=True, exist_ok=True)
    paths = [root / "source" / f"_{n}.md" for n in range(4)]
    for n, lines in enumerate(files):
        written = [
            f"{{{{< include _{item}.md >}}}}" if isinstance(item, int) and item > n else str(item)
            for item in lines
        ]
        paths[n].write_text("\n".join(written or ["end"]), encoding="utf-8")
    expanded = includes.expand(paths[0].read_text(), paths[0], root)
    assert len(expanded.origins) == len(expanded.text.split("\n"))
    for line, (origin, number) in zip(expanded.text.split("\n"), expanded.origins, strict=True):
        assert origin.read_text().split("\n")[number - 1] == line
        assert "{{< include" not in line


TRIFOLD = """brochure:
  layout: trifold
  excerpt: |
    Short copy [@smith2020], see {see}.

    ::: {{.callout-warning}}
    ## Careful

    Do not drive.
    :::
bibliography: refs.bib
"""


def test_a_trifold_excerpt_has_its_callouts_and_citations_formatted(tmp_path):
    from writers import pdf_text

    body = "## A\n\nCited [@smith2020].\n\n![A room](room.png){#fig-room}\n"
    extra = TRIFOLD.format(see="the room")
    root = make_project(tmp_path, {"a.md": article(body=body, extra=extra), "refs.bib": BIB})
    (root / "source/room.png").write_bytes(_png())
    result = publish("build", "--channel", "print", "--keep-html", cwd=root)
    assert result.exit_code == 0, result.output
    html = (root / "output/print/a.html").read_text()
    assert '<div class="callout callout-warning" role="note" aria-label="Warning">' in html
    assert "@smith2020" not in html and "<h2" not in html.split('<main class="copy">')[1][:200]
    text = " ".join(pdf_text(root / "output/print/a.pdf").split())
    assert "Short copy1, see the room." in text
    assert "Warning: Careful Do not drive." in text
    assert "References Smith J. Ketamine for chronic pain. Pain Medicine." in text
    assert '<div class="csl-left-margin"><span class="exact">1.</span> </div>' in html


def test_a_trifold_excerpt_refers_only_to_what_it_holds(tmp_path):
    body = "## A\n\n![A room](room.png){#fig-room}\n"
    extra = TRIFOLD.format(see="@fig-room")
    root = make_project(tmp_path, {"a.md": article(body=body, extra=extra), "refs.bib": BIB})
    (root / "source/room.png").write_bytes(_png())
    said = (
        "source/a.md:{}unknown cross-reference '@fig-room': no figure has the label 'fig-room' "
        "in brochure.excerpt (a tri-fold's copy refers only to what it holds itself). Check "
        "its spelling, or label the figure: ![Caption](picture.png){{#fig-NAME}}"
    )
    check = publish("check", cwd=root)
    assert check.output == said.format("8: error: ") + "\nChecked 1 article: 1 error, 0 warnings\n"
    build = publish("build", "--channel", "print", cwd=root)
    assert build.exit_code == 1
    assert f"Error: {said.format('8: ')}\n" in build.output, build.output
    assert not (root / "output/print/a.pdf").exists()
