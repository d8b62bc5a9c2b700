"""The site around the pages: index, Atom feed, sitemap, robots.txt, 404, assets, no scripts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

import feedparser
from conftest import article, make_project, publish
from webpage import load, text

BASE = "https://albanyketamine.example/"
SLUGS_NEWEST_FIRST = [
    "primera-consulta",
    "reading-a-medication-label",
    "short-note",
    "guia-de-prueba",
]
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_index_lists_newest_first_with_title_date_and_summary(web_build):
    index = load(web_build / "web/index.html")
    items = index.findall(".//ol[@class='article-list']/li")
    assert [li.find("h2/a").get("href") for li in items] == [f"{s}/" for s in SLUGS_NEWEST_FIRST]
    first = items[0]
    assert first.get("lang") == "es"  # a Spanish article in an English site says so
    assert text(first.find("h2")) == "Qué esperar en su primera consulta"
    assert text(first.find(".//time")) == "20 de noviembre de 2026"
    assert text(first.findall("p")[1]).startswith("Cómo prepararse para la primera consulta")
    assert index.get("lang") == "en"


def test_feed_is_atom_with_absolute_ids_links_and_full_content(web_build):
    feed = feedparser.parse((web_build / "web/feed.xml").read_bytes())
    assert feed.bozo is False and feed.version == "atom10"
    assert feed.feed.id == BASE
    assert [link.href for link in feed.feed.links] == [f"{BASE}feed.xml", BASE]
    assert [e.id for e in feed.entries] == [f"{BASE}{s}/" for s in SLUGS_NEWEST_FIRST]
    for entry in feed.entries:
        assert entry.link == entry.id
        assert urlsplit(entry.id).scheme == "https"
        # RFC 3339: a full date and time with an offset.
        assert datetime.fromisoformat(entry.published).utcoffset() is not None
        assert entry.summary and entry.content[0].type == "text/html"
    label = next(e for e in feed.entries if e.id.endswith("reading-a-medication-label/"))
    assert f'src="{BASE}reading-a-medication-label/media/label.png"' in label.content[0].value
    assert "<table>" in label.content[0].value and "footnotes" in label.content[0].value
    assert [t.term for t in label.tags] == ["medication", "safety"]
    assert feed.feed.updated == "2026-11-20T09:30:00+01:00"


def test_feed_keeps_the_newest_entries_only(tmp_path):
    articles = {f"a{n}.md": article(extra=f"slug: a{n}\n") for n in range(3)}
    root = make_project(tmp_path, articles)
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("web: {}", "web:\n  feed_entries: 2"))
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    feed = feedparser.parse((root / "output/web/feed.xml").read_bytes())
    assert len(feed.entries) == 2
    assert len(ET.parse(root / "output/web/sitemap.xml").getroot()) == 4  # home + all three


def test_sitemap_has_absolute_locations_and_content_dates(web_build):
    urls = ET.parse(web_build / "web/sitemap.xml").getroot().findall("s:url", SITEMAP)
    pairs = [
        (u.findtext("s:loc", namespaces=SITEMAP), u.findtext("s:lastmod", namespaces=SITEMAP))
        for u in urls
    ]
    assert pairs == [
        (BASE, "2026-11-20T09:30:00+01:00"),  # the newest article's date, never the build's
        (f"{BASE}primera-consulta/", "2026-11-20T09:30:00+01:00"),
        (f"{BASE}reading-a-medication-label/", "2026-11-01T00:00:00-04:00"),
        (f"{BASE}short-note/", "2026-09-01T08:00:00-04:00"),
        (f"{BASE}guia-de-prueba/", "2026-04-01T00:00:00-04:00"),
    ]
    assert all(urlsplit(loc).scheme == "https" and urlsplit(loc).netloc for loc, _ in pairs)


def test_robots_points_at_the_sitemap(web_build):
    assert (web_build / "web/robots.txt").read_text() == (
        f"User-agent: *\nDisallow:\n\nSitemap: {BASE}sitemap.xml\n"
    )


def test_not_found_page_works_at_any_depth(web_build):
    page = load(web_build / "web/404.html")
    assert text(page.find(".//h1")) == "Page not found"
    assert [m.get("content") for m in page.iter("meta") if m.get("name") == "robots"] == ["noindex"]
    stylesheet = [e.get("href") for e in page.iter("link") if e.get("rel") == "stylesheet"]
    assert stylesheet == ["/assets/style.css"]  # rooted: served for /any/missing/page


def test_two_articles_with_one_slug_fail_naming_both(tmp_path):
    root = make_project(
        tmp_path,
        {"first.md": article(extra="slug: same\n"), "second.md": article(extra="slug: same\n")},
    )
    result = publish("build", "--channel", "web", cwd=root)
    assert result.exit_code == 1
    assert (
        "Error: source/first.md: has the slug 'same', and so does source/second.md. Give one of "
        "them another 'slug:' in its front matter, or rename the file\n"
    ) in result.output
    assert not (root / "output/web/same").exists()


def test_stylesheet_is_small_and_fonts_are_self_hosted(web_build):
    css = (web_build / "web/assets/style.css").read_text()
    assert len(css.encode()) < 15 * 1024
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.DOTALL)
    assert len(faces) == 4
    for face in faces:
        assert "font-display: swap;" in face
        font = re.search(r'src: url\("([^"]+)"\)', face)[1]
        assert font.startswith("fonts/") and font.endswith(".woff2")
        assert (web_build / "web/assets" / font).is_file()
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css and "@media (prefers-reduced-motion: reduce)" in css
    assert (web_build / "web/assets/fonts/OFL.txt").is_file()


def test_published_pages_have_no_javascript(web_build, sample_build):
    pages = [*web_build.glob("web/**/*.html"), *sample_build.glob("web/**/*.html")]
    assert len(pages) == 9  # 4 + 1 articles, 2 indexes, 2 pages not found
    for path in pages:
        page = load(path)
        assert [s.get("type") for s in page.iter("script")] in ([], ["application/ld+json"])
        for element in page.iter():
            assert not [name for name in element.attrib if name.lower().startswith("on")], path
            for name in ("href", "src"):
                assert not (element.get(name) or "").lower().startswith("javascript:"), path
