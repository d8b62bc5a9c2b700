"""What a page tells search engines and social sites: Open Graph, Twitter card, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from pipeline.project import dates
from pipeline.project.config import Config
from pipeline.project.words import base_language
from pipeline.source.article import Article


@dataclass(frozen=True)
class Picture:
    url: str  # absolute
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class PageFacts:
    """The facts every part of the page's metadata shows, each computed once."""

    url: str
    published: str  # the one date string (pipeline/dates.py) for <time>, OG, JSON-LD, feed
    modified: str
    locale: str
    image: Picture | None


def page_facts(article: Article, config: Config, url: str, image: Picture | None) -> PageFacts:
    zone = config.site.timezone
    return PageFacts(
        url=url,
        published=dates.stamp(article.meta.date, zone),
        modified=dates.stamp(article.meta.updated or article.meta.date, zone),
        locale=og_locale(article.lang, config.organization.address.country),
        image=image,
    )


def og_locale(lang: str, country: str) -> str:
    """'en_US' for 'en' at a clinic in the US; 'es_MX' for 'es-MX'."""
    parts = lang.replace("_", "-").split("-")
    region = parts[1] if len(parts) > 1 and len(parts[1]) == 2 else country
    return f"{base_language(lang)}_{region.upper()}"


def open_graph(article: Article, config: Config, facts: PageFacts) -> list[tuple[str, str]]:
    """(property, content) pairs for <meta property=...>: Open Graph, then the Twitter card."""
    meta = article.meta
    pairs = [
        ("og:type", "article"),
        ("og:title", meta.title),
        ("og:description", meta.summary),
        ("og:url", facts.url),
        ("og:site_name", config.site.name),
        ("og:locale", facts.locale),
        ("article:published_time", facts.published),
        ("article:modified_time", facts.modified),
    ]
    pairs += [("article:tag", tag) for tag in meta.tags]
    if facts.image:
        pairs += _image_pairs("og:image", facts.image)
    card = "summary_large_image" if facts.image else "summary"
    pairs += [("twitter:card", card), ("twitter:title", meta.title)]
    pairs += [("twitter:description", meta.summary)]
    if facts.image:
        pairs += [("twitter:image", facts.image.url), ("twitter:image:alt", facts.image.alt)]
    return pairs


def _image_pairs(prefix: str, image: Picture) -> list[tuple[str, str]]:
    pairs = [(prefix, image.url), (f"{prefix}:alt", image.alt)]
    if image.width and image.height:
        pairs += [(f"{prefix}:width", str(image.width)), (f"{prefix}:height", str(image.height))]
    return pairs


def json_ld(article: Article, config: Config, facts: PageFacts) -> Markup:
    """One schema.org @graph: the Article, its MedicalWebPage and the clinic that publishes it."""
    clinic = medical_clinic(config)
    graph = [medical_web_page(article, config, facts, clinic), _article(article, facts, clinic)]
    text = json.dumps({"@context": "https://schema.org", "@graph": [*graph, clinic]}, indent=1)
    # Inside <script>, "</" could end the element early and "<!--" could stop the real end
    # tag from ending it (HTML's "script data escaped" states): JSON allows "<\/" and "\u003c".
    return Markup(text.replace("</", "<\\/").replace("<!--", "\\u003c!--"))


def medical_clinic(config: Config) -> dict:
    org, address = config.organization, config.organization.address
    clinic = {
        "@type": "MedicalClinic",
        "@id": config.site.base_url + "#organization",
        "name": org.name,
        "url": org.url or config.site.base_url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address.street,
            "addressLocality": address.locality,
            "addressRegion": address.region,
            "postalCode": address.postal_code,
            "addressCountry": address.country,
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": hours.days,
                "opens": hours.opens,
                "closes": hours.closes,
            }
            for hours in org.hours
        ],
    }
    # Contact data only when the clinic gave it: never invented.
    clinic |= {k: v for k, v in (("telephone", org.phone), ("email", org.email)) if v}
    return clinic


def medical_web_page(article: Article, config: Config, facts: PageFacts, clinic: dict) -> dict:
    meta = article.meta
    page = {
        "@type": "MedicalWebPage",
        "@id": facts.url,
        "url": facts.url,
        "name": meta.title,
        "description": meta.summary,
        "inLanguage": article.lang,
        "datePublished": facts.published,
        "dateModified": facts.modified,
        "about": [{"@type": "Thing", "name": name} for name in meta.tags or [meta.title]],
        "audience": {"@type": "Patient"},
        "publisher": {"@id": clinic["@id"]},
        "mainEntity": {"@id": facts.url + "#article"},
    }
    # Review facts only when the front matter gives them (never implied).
    if meta.reviewed_by:
        page["reviewedBy"] = {"@type": "Person", "name": meta.reviewed_by}
    if meta.last_reviewed:
        page["lastReviewed"] = dates.day(meta.last_reviewed, config.site.timezone)
    return page


def _article(article: Article, facts: PageFacts, clinic: dict) -> dict:
    meta = article.meta
    data = {
        "@type": "Article",
        "@id": facts.url + "#article",
        "headline": meta.title,
        "description": meta.summary,
        "inLanguage": article.lang,
        "datePublished": facts.published,
        "dateModified": facts.modified,
        "author": _author(meta.author, clinic),
        "publisher": {"@id": clinic["@id"]},
        "mainEntityOfPage": {"@id": facts.url},
    }
    if meta.tags:
        data["keywords"] = meta.tags
    if facts.image:
        data["image"] = {"@type": "ImageObject", "url": facts.image.url}
        if facts.image.width and facts.image.height:
            data["image"] |= {"width": facts.image.width, "height": facts.image.height}
    return data


def _author(name: str | None, clinic: dict) -> dict:
    """The clinic itself when it wrote the article (or no author is named), else a person."""
    if name is None or name == clinic["name"]:
        return {"@id": clinic["@id"]}
    return {"@type": "Person", "name": name}
