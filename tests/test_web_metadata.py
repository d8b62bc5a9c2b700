"""Structured data (JSON-LD) and the one date string every part of the site shows."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime

import feedparser
import pytest
from conftest import SAMPLE_SLUG, article, make_project, publish
from webpage import graph, load, meta, text

from pipeline.project.dates import stamp

BASE = "https://albanyketamine.example/"
CLINIC = {
    "@type": "MedicalClinic",
    "@id": f"{BASE}#organization",
    "name": "Albany Ketamine Infusions",
    "url": BASE,
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "7 Wembley Ct.",
        "addressLocality": "Albany",
        "addressRegion": "NY",
        "postalCode": "12205",
        "addressCountry": "US",
    },
    "openingHoursSpecification": [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "09:00",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday", "Sunday"],
            "opens": "09:00",
            "closes": "17:00",
        },
    ],
}


def test_sample_graph_has_article_page_and_clinic(sample_build):
    nodes = graph(load(sample_build / "web" / SAMPLE_SLUG / "index.html"))
    assert set(nodes) == {"Article", "MedicalWebPage", "MedicalClinic"}
    assert nodes["MedicalClinic"] == CLINIC  # no phone, email or reviewer that nobody gave us
    page_url = f"{BASE}{SAMPLE_SLUG}/"
    assert nodes["Article"] == {
        "@type": "Article",
        "@id": f"{page_url}#article",
        "headline": "What to Know About Ketamine Therapy for Pain Management",
        "description": nodes["MedicalWebPage"]["description"],
        "inLanguage": "en",
        "datePublished": "2026-11-25T00:00:00-05:00",
        "dateModified": "2026-11-25T00:00:00-05:00",
        "author": {"@id": f"{BASE}#organization"},
        "publisher": {"@id": f"{BASE}#organization"},
        "mainEntityOfPage": {"@id": page_url},
        "keywords": ["ketamine", "pain management", "chronic pain"],
    }
    page = nodes["MedicalWebPage"]
    assert page["about"] == [
        {"@type": "Thing", "name": "ketamine"},
        {"@type": "Thing", "name": "pain management"},
        {"@type": "Thing", "name": "chronic pain"},
    ]
    assert page["audience"] == {"@type": "Patient"}
    assert "reviewedBy" not in page and "lastReviewed" not in page


def test_reviewer_and_author_when_the_front_matter_gives_them(web_build):
    nodes = graph(load(web_build / "web/reading-a-medication-label/index.html"))
    assert nodes["MedicalWebPage"]["reviewedBy"] == {"@type": "Person", "name": "Test Reviewer"}
    assert nodes["MedicalWebPage"]["lastReviewed"] == "2026-10-30"
    assert nodes["Article"]["author"] == {"@type": "Person", "name": "Test Author"}


def test_article_image_in_structured_data(web_build):
    nodes = graph(load(web_build / "web/primera-consulta/index.html"))
    assert nodes["Article"]["image"] == {
        "@type": "ImageObject",
        "url": f"{BASE}primera-consulta/media/hero.png",
        "width": 1200,
        "height": 630,
    }
    assert nodes["Article"]["inLanguage"] == "es"


@pytest.mark.parametrize(
    "title", ["Stop </script><script>alert(1)</script> here", "A <!--<script> trap"]
)
def test_text_cannot_end_the_json_ld_script_early_or_late(tmp_path, title):
    root = make_project(tmp_path, {"a.md": article(title=json.dumps(title))})
    assert publish("build", "--channel", "web", cwd=root).exit_code == 0
    page = load(root / "output/web/a/index.html")
    scripts = list(page.iter("script"))
    assert len(scripts) == 1 and "</" not in scripts[0].text and "<!--" not in scripts[0].text
    assert graph(page)["Article"]["headline"] == title
    assert text(page.find(".//h1")) == title  # the rest of the page is still the page


# The documented rule (pipeline/dates.py): a date is midnight in site.timezone; a date and time
# without an offset is in site.timezone; one with an offset keeps it.
@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (date(2026, 11, 25), "UTC", "2026-11-25T00:00:00+00:00"),
        (date(2026, 11, 25), "America/New_York", "2026-11-25T00:00:00-05:00"),
        (date(2026, 7, 4), "America/New_York", "2026-07-04T00:00:00-04:00"),
        (datetime(2026, 9, 1, 8, 0), "America/New_York", "2026-09-01T08:00:00-04:00"),
        (datetime.fromisoformat("2026-11-20T09:30:00+01:00"), "UTC", "2026-11-20T09:30:00+01:00"),
    ],
)
def test_date_rule(moment, zone, expected):
    assert stamp(moment, zone) == expected


CASE_DATES = {
    "reading-a-medication-label": ("2026-10-02T00:00:00-04:00", "2026-11-01T00:00:00-04:00"),
    "primera-consulta": ("2026-11-20T09:30:00+01:00", "2026-11-20T09:30:00+01:00"),
    "short-note": ("2026-09-01T08:00:00-04:00", "2026-09-01T08:00:00-04:00"),
    # 14:00 on the day New York moves its clocks forward: already summer time.
    "guia-de-prueba": ("2026-03-08T14:00:00-04:00", "2026-04-01T00:00:00-04:00"),
}


@pytest.mark.parametrize("slug", CASE_DATES)
def test_one_date_string_everywhere(web_build, slug):
    published, modified = CASE_DATES[slug]
    page = load(web_build / "web" / slug / "index.html")
    times = [t.get("datetime") for t in page.find(".//p[@class='byline']").iter("time")]
    assert times == ([published, modified] if published != modified else [published])
    assert meta(page, "article:published_time") == published
    assert meta(page, "article:modified_time") == modified
    for node in ("Article", "MedicalWebPage"):
        assert graph(page)[node]["datePublished"] == published
        assert graph(page)[node]["dateModified"] == modified
    feed = feedparser.parse((web_build / "web/feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.id == f"{BASE}{slug}/")
    assert (entry.published, entry.updated) == (published, modified)
    sitemap = ET.parse(web_build / "web/sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in sitemap.findall("s:url", ns)
    }
    assert lastmod[f"{BASE}{slug}/"] == modified
    index = load(web_build / "web/index.html")
    assert published in [t.get("datetime") for t in index.iter("time")]


def test_unknown_time_zone_is_a_config_error(tmp_path):
    root = make_project(tmp_path, {"a.md": article()})
    config = root / "publish.yml"
    config.write_text(config.read_text().replace("America/New_York", "Mars/Olympus_Mons"))
    result = publish("build", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: publish.yml:8: 'site.timezone' in publish.yml: expected an IANA time zone such "
        "as America/New_York, got 'Mars/Olympus_Mons'\n"
    )
