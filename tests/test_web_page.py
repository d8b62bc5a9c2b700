"""The article page: landmarks, headings, head metadata, reading aids, images, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_SLUG, article, make_project, publish
from webpage import (
    first_focusable,
    headings,
    load,
    meta,
    metas,
    next_siblings,
    text,
)

BASE = "https://albanyketamine.example/"
SUMMARY = (
    "How ketamine therapy eases chronic pain: how it works, which pain it treats, what a "
    "session is like, its side effects and where research is going."
)
TITLE = "What to Know About Ketamine Therapy for Pain Management"
CASE_PAGES = ["reading-a-medication-label", "primera-consulta", "short-note", "guia-de-prueba"]


@pytest.fixture(scope="module")
def sample(sample_build: Path):
    return load(sample_build / "web" / SAMPLE_SLUG / "index.html")


def case(web_build: Path, slug: str):
    return load(web_build / "web" / slug / "index.html")


def test_landmarks_in_order(sample):
    body = sample.find("body")
    assert [child.tag for child in body] == ["a", "header", "main", "footer"]
    header, main = body[1], body[2]
    assert header.find("nav").get("aria-label") == "Site"
    assert [child.tag for child in main] == ["article", "aside"]
    assert main.get("id") == "main"
    assert len(list(sample.iter("main"))) == 1
    assert main[1].get("aria-label") == "Disclaimer"
    assert text(main[1]).startswith("This article is general information, not medical advice.")


def test_skip_link_is_the_first_thing_to_tab_to(sample):
    skip = first_focusable(sample)
    assert (skip.get("href"), text(skip)) == ("#main", "Skip to content")


@pytest.mark.parametrize("slug", CASE_PAGES)
def test_one_h1_and_no_skipped_heading_level(web_build, slug):
    levels = [level for level, _ in headings(case(web_build, slug))]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))


def test_body_headings_start_at_h2_and_close_gaps(web_build):
    found = headings(case(web_build, "reading-a-medication-label"))
    # Written as #, ## and ####: shown as h2, h3 and h4 (the toc's own h2 comes first).
    assert found == [
        (1, "Reading a Medication Label"),
        (2, "On this page"),
        (2, "The parts of a label"),
        (3, "Dose and timing"),
        (4, "Taking a missed dose"),
        (2, "Warnings"),
        (2, "Keeping a list"),
        (2, "Notes"),
    ]


def test_head_of_the_sample_page(sample):
    assert sample.get("lang") == "en"
    assert meta(sample, "viewport") == "width=device-width, initial-scale=1"
    assert meta(sample, "description") == SUMMARY
    canonical = [link.get("href") for link in sample.iter("link") if link.get("rel") == "canonical"]
    assert canonical == [f"{BASE}{SAMPLE_SLUG}/"]
    assert text(sample.find("head/title")) == f"{TITLE} · Albany Ketamine Infusions"


def test_open_graph_and_twitter_card(sample):
    social = [(k, v) for k, v in metas(sample) if k.startswith(("og:", "article:", "twitter:"))]
    assert social == [
        ("og:type", "article"),
        ("og:title", TITLE),
        ("og:description", SUMMARY),
        ("og:url", f"{BASE}{SAMPLE_SLUG}/"),
        ("og:site_name", "Albany Ketamine Infusions"),
        ("og:locale", "en_US"),
        ("article:published_time", "2026-11-25T00:00:00-05:00"),
        ("article:modified_time", "2026-11-25T00:00:00-05:00"),
        ("article:tag", "ketamine"),
        ("article:tag", "pain management"),
        ("article:tag", "chronic pain"),
        ("twitter:card", "summary"),
        ("twitter:title", TITLE),
        ("twitter:description", SUMMARY),
    ]


def test_hero_image_in_open_graph_and_on_the_page(web_build):
    page = case(web_build, "primera-consulta")
    url = f"{BASE}primera-consulta/media/hero.png"
    alt = "Una sala de espera luminosa con sillas y plantas"
    assert [(k, v) for k, v in metas(page) if k.startswith(("og:image", "twitter:i"))] == [
        ("og:image", url),
        ("og:image:alt", alt),
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
        ("twitter:image", url),
        ("twitter:image:alt", alt),
    ]
    assert meta(page, "twitter:card") == "summary_large_image"
    hero = page.find(".//img[@class='hero']")
    assert (hero.get("src"), hero.get("alt"), hero.get("width"), hero.get("height")) == (
        "media/hero.png",
        alt,
        "1200",
        "630",
    )
    assert hero.get("loading") is None  # the first thing a reader sees: never lazy
    assert (web_build / "web/primera-consulta/media/hero.png").is_file()


def test_spanish_article_speaks_spanish(web_build):
    page = case(web_build, "primera-consulta")
    assert page.get("lang") == "es"
    assert meta(page, "og:locale") == "es_US"
    assert text(first_focusable(page)) == "Saltar al contenido"
    assert text(page.find(".//p[@class='byline']")) == (
        "Publicado el 20 de noviembre de 2026 · 1 min de lectura"
    )
    assert text(page.find(".//nav[@class='toc']/h2")) == "En esta página"
    # The clinic's address, hours and disclaimer stay in the site's language, marked as such.
    assert page.find(".//footer").get("lang") == "en"
    assert page.find(".//aside").get("lang") == "en"


def test_table_of_contents_lists_h2_and_h3(sample):
    toc = sample.find(".//nav[@class='toc']")
    assert toc.get("aria-labelledby") == "toc-title"
    top = toc.findall("ol/li")
    assert [text(li.find("a")) for li in top] == [
        "Understanding Ketamine Therapy",
        "The Role of Ketamine in Pain Management",
        "The Procedure of Ketamine Therapy",
        "Potential Side Effects and Risks of Ketamine Therapy",
        "The Future of Ketamine in Pain Management",
        "Parting Words",
    ]
    assert [a.get("href") for a in top[0].findall("ol/li/a")] == [
        "#the-science-behind-ketamine",
        "#how-ketamine-therapy-works",
    ]
    targets = {e.get("id") for e in sample.iter() if e.get("id")}
    assert all(a.get("href")[1:] in targets for a in toc.iter("a"))


def test_no_table_of_contents_below_three_sections(web_build):
    assert case(web_build, "short-note").find(".//nav[@class='toc']") is None
    toc = case(web_build, "reading-a-medication-label").find(".//nav[@class='toc']")
    assert "Taking a missed dose" not in text(toc)  # h4: not in the contents


@pytest.mark.parametrize("slug", CASE_PAGES)
def test_permalink_follows_each_heading_never_inside(web_build, slug):
    page = case(web_build, slug)
    body = page.find(".//div[@class='article-body']")
    pairs = next_siblings(body, ("h2", "h3", "h4", "h5", "h6"))
    assert pairs
    for heading, after in pairs:
        if heading.get("class") == "footnotes-title":
            continue
        assert heading.find(".//a") is None and "#" not in text(heading)
        assert after.get("class") == "permalink"
        assert after.get("href") == "#" + heading.get("id")
        spanish = slug in ("primera-consulta", "guia-de-prueba")
        label = "Enlace a esta sección" if spanish else "Link to this section"
        assert text(after) == f"{label}: {text(heading)}#"


def test_byline_has_dates_and_reading_time(sample, web_build):
    assert text(sample.find(".//p[@class='byline']")) == (
        "By Albany Ketamine Infusions · Published November 25, 2026 · 7 min read"
    )
    page = case(web_build, "reading-a-medication-label")
    assert text(page.find(".//p[@class='byline']")) == (
        "By Test Author · Published October 2, 2026 · Updated November 1, 2026 · 1 min read"
    )


@pytest.mark.parametrize(("words", "shown"), [(399, "2 min read"), (400, "3 min read")])
def test_reading_time_counts_200_words_a_minute(tmp_path, words, shown):
    body = "## One\n\n" + "word " * words + "\n"  # the heading is one word more
    root = make_project(tmp_path, {"long.md": article(body=body)})
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    page = load(root / "output/web/long/index.html")
    assert text(page.find(".//span[@class='reading-time']")) == shown


def test_images_have_alt_size_and_lazy_loading_below_the_fold(web_build):
    page = case(web_build, "reading-a-medication-label")
    first, last = page.find(".//div[@class='article-body']").iter("img")
    assert dict(first.attrib) == {
        "src": "media/label.png",
        "alt": "A label with its parts numbered from one to four",
        "width": "640",
        "height": "360",
        "loading": "eager",
        "decoding": "async",
    }
    assert (last.get("alt"), last.get("loading"), last.get("width")) == ("", "lazy", "640")
    copied = web_build / "web/reading-a-medication-label/media/label.png"
    assert (
        copied.read_bytes()
        == (Path(__file__).parent / "cases/web/source/media/label.png").read_bytes()
    )


def test_image_without_alt_text_is_a_warning(tmp_path):
    source = Path(__file__).parent / "cases/web/source/media/label.png"
    root = make_project(tmp_path, {"a.md": article(body="Text.\n\n![](media/label.png)\n")})
    (root / "source/media").mkdir()
    (root / "source/media/label.png").write_bytes(source.read_bytes())
    result = publish("build", "--channel", "web", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: source/a.md:9: image 'media/label.png' has no alt text. Say what it shows, for "
        "readers who cannot see it: ![A calm treatment room](media/label.png), or write "
        '{alt=""} after it if it is only decoration\n'
    )


def test_heading_named_like_a_page_landmark_gets_its_own_id(tmp_path):
    root = make_project(tmp_path, {"a.md": article(body="## Main\n\nText.\n")})
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    page = load(root / "output/web/a/index.html")
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    assert ids.count("main") == 1 and "main-1" in ids


def test_brochure_link_only_when_the_print_channel_is_built(sample, web_build):
    link = sample.find(".//p[@class='download']/a")
    assert (link.get("href"), link.get("type")) == ("brochure.pdf", "application/pdf")
    assert text(link) == "Download this article as a brochure (PDF)"
    assert case(web_build, "short-note").find(".//p[@class='download']") is None


def test_tables_scroll_in_boxes_with_distinct_names(web_build):
    page = case(web_build, "guia-de-prueba")
    boxes = page.findall(".//div[@class='table-scroll']")
    assert [(b.get("role"), b.get("tabindex"), b.get("aria-label")) for b in boxes] == [
        ("region", "0", "Tabla 1"),
        ("region", "0", "Tabla 2"),
    ]
    assert [len(b.findall("table")) for b in boxes] == [1, 1]
