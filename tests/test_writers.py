"""Callouts, includes, cross-references and references in every channel: the web page, the
print PDF, the screen PDF, the email text and the HTML email (tests/cases/writers)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pikepdf
import pytest
from webpage import HEADINGS, load, text
from writers import bookmarks, pdf_text

KINDS = [
    ("note", "Note", "Note", "Sessions last about 45 minutes."),
    ("tip", "Tip", "Tip: Keep a pain diary", "Write down your pain each day."),
    (
        "important",
        "Important",
        "Important: Tell us about your medicines",
        "Some medicines change how ketamine works.",
    ),
    (
        "warning",
        "Warning",
        "Warning: Before your first session",
        "Do not eat for six hours before the infusion.",
    ),
    ("caution", "Caution", "Caution: Driving", "Do not drive until the next day."),
]
INCLUDED = (
    "After your session, rest for the day and drink plenty of water.",
    "Call Albany Ketamine Infusions if anything worries you.",
)


@pytest.fixture
def out(writers_build):
    return writers_build[0] / "output"


def squeeze(text: str) -> str:
    return " ".join(text.split())


def page_body(out, slug: str) -> str:
    html = (out / f"web/{slug}/index.html").read_text()
    return html.split('<div class="article-body">', 1)[1].split('<aside class="article-', 1)[0]


# Callouts


def callout(path, kind: str) -> ET.Element:
    """The one element of class `callout-KIND` with role="note" in a built page or email."""
    found = [
        element
        for element in load(path).iter()
        if f"callout-{kind}" in (element.get("class") or "").split()
        and element.get("role") == "note"
    ]
    assert len(found) == 1, kind
    return found[0]


@pytest.mark.parametrize("kind, label, title, body", KINDS)
def test_a_callout_on_the_web_page_is_a_labelled_note_with_no_heading(
    out, kind, label, title, body
):
    box = callout(out / "web/features/index.html", kind)
    assert (box.tag, box.get("aria-label"), box.get("class")) == (
        "div",
        label,
        f"callout callout-{kind}",
    )
    assert text(box).replace(" :", ":") == f"{title} {body}"
    assert not [element for element in box.iter() if element.tag in HEADINGS]


def test_no_callout_title_is_a_heading_in_the_toc_or_the_bookmarks(out):
    page = (out / "web/features/index.html").read_text()
    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("sec-before", "1 Before the session"),
        ("what-to-bring", "1.1 What to bring"),
        ("sec-after", "2 After the session"),
        ("references", "References"),
    ]
    assert bookmarks(out / "web/features/brochure.pdf") == [
        "What a first ketamine session is like",
        "1 Before the session",
        "1.1 What to bring",
        "2 After the session",
        "References",
        "Visit us",
    ]


@pytest.mark.parametrize("pdf", ["print/features.pdf", "web/features/brochure.pdf"])
def test_callouts_in_both_pdfs(out, pdf):
    text = squeeze(pdf_text(out / pdf))
    for _, _, title, body in KINDS:
        assert f"{title} {body}" in text


def test_the_print_pdf_paints_callouts_in_cmyk_only(out):
    with pikepdf.open(out / "print/features.pdf") as pdf:
        for page in pdf.pages:
            operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not operators & {"rg", "RG"}  # DeviceRGB fill or stroke


def test_the_email_text_sets_a_callout_off_with_a_bar(out):
    text = (out / "email/features.txt").read_text()
    for _, _, title, body in KINDS:
        assert f"\n| {title}\n|\n| {body}\n" in text


@pytest.mark.parametrize("kind, label, title, body", KINDS)
def test_the_html_email_puts_a_callout_in_a_bordered_cell(out, kind, label, title, body):
    root = load(out / "email/features.html")
    tables = [t for t in root.iter("table") if f"callout-{kind}" in (t.get("class") or "")]
    assert len(tables) == 1 and tables[0].get("role") == "presentation"
    cells = list(tables[0].iter("td"))
    assert len(cells) == 1 and cells[0].get("class") == "callout-cell"
    colour = "#e07a3f" if kind in ("important", "warning", "caution") else "#0e5a66"
    style = cells[0].get("style")
    assert "border-left: 5px solid #0e5a66" in style and "padding: 12px 16px 0" in style
    assert f"border-color: {colour}" in style or colour == "#0e5a66"
    box = callout(out / "email/features.html", kind)
    assert box.get("aria-label") == label
    assert text(box).replace(" :", ":") == f"{title} {body}"


def test_callout_labels_in_spanish_in_every_channel(out):
    said = "Advertencia: Antes de venir"
    assert said in squeeze(re.sub(r"<[^>]+>", "", page_body(out, "spanish")))
    assert 'aria-label="Advertencia"' in page_body(out, "spanish")
    assert said in squeeze(pdf_text(out / "print/spanish.pdf"))
    assert f"\n| {said}\n" in (out / "email/spanish.txt").read_text()


# Includes


@pytest.mark.parametrize(
    "name", ["web/features/index.html", "email/features.txt", "email/features.html"]
)
def test_includes_are_expanded_in_the_page_and_the_email(out, name):
    text = squeeze(re.sub(r"<[^>]+>", " ", (out / name).read_text()))
    for line in INCLUDED:
        assert line in text


@pytest.mark.parametrize("pdf", ["print/features.pdf", "web/features/brochure.pdf"])
def test_includes_are_expanded_in_both_pdfs(out, pdf):
    text = squeeze(pdf_text(out / pdf))
    for line in INCLUDED:
        assert line in text


def test_snippets_are_not_articles(out):
    assert sorted(path.name for path in (out / "email").glob("*.eml")) == [
        "features.eml",
        "spanish.eml",
    ]


# Cross-references


def test_cross_references_are_numbered_and_linked_on_the_web_page(out):
    html = squeeze(page_body(out, "features"))
    for target, shown in [
        ("fig-room", "Figure 1"),
        ("tbl-doses", "Table 1"),
        ("sec-after", "Section 2"),
        ("tbl-doses", "1"),
        ("sec-before", "Section 1"),
    ]:
        assert f'<a href="#{target}" class="crossref">{shown}</a>' in html
    assert '<figure id="fig-room">' in html
    assert (
        "<figcaption>Figure 1: A quiet treatment room with a reclining chair</figcaption>" in html
    )
    assert '<table id="tbl-doses"> <caption>Table 1: Typical doses</caption>' in html
    assert '<h2 id="sec-after"><span class="section-number">2</span> After the session</h2>' in html
    assert '<h2 class="unnumbered" id="references">References</h2>' in html


def test_cross_references_in_spanish(out):
    html = squeeze(page_body(out, "spanish"))
    assert '<a href="#tbl-dosis" class="crossref">Tabla 1</a>' in html
    assert '<a href="#sec-antes" class="crossref">Sección 1</a>' in html
    assert "<caption>Tabla 1: Dosis habituales</caption>" in html
    assert "Vea la Sección 1." in (out / "email/spanish.txt").read_text()


def test_cross_references_are_linked_in_the_screen_pdf_and_plain_in_print(out):
    sentence = "Figure 1 shows the room, and Table 1 the usual doses; see Section 2"
    for pdf in ("print/features.pdf", "web/features/brochure.pdf"):
        assert sentence in squeeze(pdf_text(out / pdf))
    assert internal_links(out / "web/features/brochure.pdf") >= 7  # 5 references, 3 citations
    assert internal_links(out / "print/features.pdf") == 0


def internal_links(path) -> int:
    """Link annotations that go to a place in the document (not a URL)."""
    count = 0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if annot.get("/Subtype") == "/Link" and (
                    "/Dest" in annot or (action is not None and action.get("/S") == "/GoTo")
                ):
                    count += 1
    return count


def test_cross_references_and_citations_are_plain_in_the_email(out):
    text = (out / "email/features.txt").read_text()
    assert "Most patients find the first infusion calm^(1(p12)). Figure 1 shows the\nroom" in text
    assert "see Section 2 for what follows and 1\nagain" in text
    assert "\n1 Before the session\n====================\n" in text
    assert "\n1.1 What to bring\n-----------------\n" in text
    html = (out / "email/features.html").read_text()
    assert not re.search(r'<a [^>]*href="#(fig|tbl|sec|ref)-', html)
    assert re.search(r">Figure 1</a>|Figure 1 shows", html)
    assert "Figure 1 shows the room" in squeeze(re.sub(r"<[^>]+>", "", html))


# References


def test_citations_and_references_on_the_web_page_with_back_links(out):
    html = squeeze(page_body(out, "features"))
    assert (
        '<span id="cite-smith2020-1" class="citation" data-cites="smith2020"><sup><a '
        'href="#ref-smith2020">1(p12)</a></sup></span>' in html
    )
    entry = html.split('<div id="ref-smith2020" class="csl-entry" role="listitem">', 1)[1]
    entry = entry.split("</div> </div>", 1)[0]
    assert squeeze(re.sub(r"<[^>]+>", "", entry)) == (
        "1. Smith J, Doe J. Ketamine for chronic pain: A review. Pain Medicine. "
        "2020;21(4):100-110. doi:10.1000/pm.2020.021 ↩"
    )
    assert (
        '<a class="back-link" href="#cite-smith2020-1" aria-label="Back to where it is cited '
        '(1)">↩</a>' in entry
    )
    for key in ("lee2021", "garcia2019"):  # the project's BibTeX, the article's CSL JSON
        assert f'<div id="ref-{key}" class="csl-entry"' in html


@pytest.mark.parametrize(
    "name", ["print/features.pdf", "web/features/brochure.pdf", "email/features.txt"]
)
def test_references_listed_in_the_pdfs_and_the_email_text(out, name):
    path = out / name
    text = squeeze(pdf_text(path) if path.suffix == ".pdf" else path.read_text())
    assert "References" in text
    for entry in (
        "Smith J, Doe J. Ketamine for chronic pain: A review.",
        "Lee M. Living with Chronic Pain. Example Press; 2021.",
        "García L. Ketamina en el dolor neuropático.",
    ):
        assert entry in text.replace("_", "")


def test_references_in_the_html_email(out):
    html = squeeze(re.sub(r"<[^>]+>", " ", (out / "email/features.html").read_text()))
    assert "References" in html
    assert "Smith J, Doe J. Ketamine for chronic pain: A review." in html


def test_a_second_style_and_csl_yaml_in_spanish(out):
    text = (out / "email/spanish.txt").read_text()
    assert (
        "La ketamina alivia el dolor neuropático (García, 2019) y es segura\n(Ortiz, 2022)." in text
    )
    assert "\nReferencias\n===========\n" in text
    assert "Ortiz, A. (2022). _Infusion safety in outpatient clinics_. Example\n" in text
    html = squeeze(page_body(out, "spanish"))
    assert '<h2 class="unnumbered" id="references">Referencias</h2>' in html
    assert "(García, 2019)" in squeeze(pdf_text(out / "print/spanish.pdf"))


def test_a_digest_teaser_drops_citation_marks_and_keeps_cited_words(tmp_path):
    from conftest import article, make_project, publish

    body = "Most find it calm [@smith2020]. @smith2020 found the same.\n\n## More\n\nText.\n"
    bib = "@article{smith2020, author = {Smith, Jane}, title = {Calm}, year = {2020}}\n"
    root = make_project(
        tmp_path,
        {
            "a.md": article(body=body, extra="bibliography: r.bib\n"),
            "b.md": article("B", body=body, extra="bibliography: r.bib\ncsl: apa\n"),
            "r.bib": bib,
        },
    )
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    made = publish(
        "newsletter", "source/a.md", "source/b.md", "--subject", "News", "--name", "n", cwd=root
    )
    assert made.exit_code == 0, made.output
    text = (root / "output/email/n.txt").read_text()
    assert "\nMost find it calm. found the same.\n" in text  # AMA: `@key` is a number too
    assert "\nMost find it calm. Smith (2020) found the same.\n" in text  # APA


# The pages in a browser


@pytest.fixture(scope="module")
def served(writers_build):
    from test_web_browser import _serve

    server = _serve(writers_build[0] / "drafts/web")
    yield next(server)
    next(server, None)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["features/", "spanish/", "draft/", ""])
def test_axe_finds_no_violations_in_callouts_references_and_drafts(served, scheme, path):
    from axe_playwright_python.sync_playwright import Axe
    from browser import chromium
    from test_web_browser import AXE_TAGS

    with chromium() as browser:
        context = browser.new_context(reduced_motion="reduce", color_scheme=scheme)
        page = context.new_page()
        page.goto(served + path)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        snapshot = page.locator("main").aria_snapshot()
        context.close()
    assert result.violations_count == 0, result.generate_report()
    if path == "features/":
        assert 'note "Warning":' in snapshot
        assert 'heading "Before your first session"' not in snapshot


def test_a_callout_that_fits_on_a_page_is_never_split(tmp_path):
    """Callouts of five lines among paragraphs of every length: without `break-inside: avoid`
    some would start at one page's foot and end on the next."""
    from conftest import article, make_project, publish
    from writers import pdf_pages

    blocks = []
    for n in range(24):
        blocks.append(" ".join(["Filler words set the callouts at every height."] * (1 + n % 5)))
        body = " ".join([f"Callout {n} holds five lines of text for the test to follow."] * 5)
        blocks.append(f"::: {{.callout-note}}\nStart{n} {body} End{n}\n:::")
    root = make_project(tmp_path, {"long.md": article(body="## Long\n\n" + "\n\n".join(blocks))})
    result = publish("build", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    for pdf in ("print/long.pdf", "web/long/brochure.pdf"):
        pages = [" ".join(text.split()) for text in pdf_pages(root / "output" / pdf)]
        assert len(pages) >= 8
        for n in range(24):
            starts = [i for i, text in enumerate(pages) if re.search(rf"\bStart{n}\b", text)]
            ends = [i for i, text in enumerate(pages) if re.search(rf"\bEnd{n}\b", text)]
            assert starts == ends and len(starts) == 1, (pdf, n)
