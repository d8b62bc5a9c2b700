"""The site's machine-read files: the Atom feed, the sitemap and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from pipeline.project.config import Config
from pipeline.source.article import Article

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# An empty site still has a valid feed; its date is fixed, never the build's clock.
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class Listed:
    """An article as the index, feed and sitemap list it."""

    article: Article
    url: str  # absolute
    published: str  # the one date strings of pipeline/dates.py
    modified: str
    content: str = ""  # the body as HTML with absolute links (feed entries only)


def atom_feed(entries: list[Listed], config: Config) -> bytes:
    """Atom 1.0 (RFC 4287): absolute ids and links, RFC 3339 dates, summary and full content."""
    base = config.site.base_url
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.site.language})
    _text(feed, "id", base)
    _text(feed, "title", config.site.name)
    _text(feed, "updated", newest(entries) or EMPTY_FEED_UPDATED)
    _link(feed, "self", "application/atom+xml", base + "feed.xml")
    _link(feed, "alternate", "text/html", base)
    _text(ET.SubElement(feed, "author"), "name", config.organization.name)
    for entry in entries:
        _entry(feed, entry, config.site.language)
    return _xml(feed)


def _entry(feed: ET.Element, listed: Listed, site_language: str) -> None:
    meta = listed.article.meta
    entry = ET.SubElement(feed, "entry")
    if listed.article.lang != site_language:
        entry.set(XML_LANG, listed.article.lang)
    _text(entry, "id", listed.url)
    _text(entry, "title", meta.title)
    _link(entry, "alternate", "text/html", listed.url)
    _text(entry, "published", listed.published)
    _text(entry, "updated", listed.modified)
    if meta.author:
        _text(ET.SubElement(entry, "author"), "name", meta.author)
    for tag in meta.tags:
        ET.SubElement(entry, "category", {"term": tag})
    _text(entry, "summary", meta.summary).set("type", "text")
    _text(entry, "content", listed.content).set("type", "html")


def sitemap(home: str, listed: list[Listed]) -> bytes:
    """Every page with its absolute URL; lastmod is its updated (or published) date."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    pages = [(home, newest(listed))]
    for url, lastmod in pages + [(item.url, item.modified) for item in listed]:
        entry = ET.SubElement(urlset, "url")
        _text(entry, "loc", url)
        if lastmod:
            _text(entry, "lastmod", lastmod)
    return _xml(urlset)


def newest(listed: list[Listed]) -> str | None:
    """The latest modified date (compared as moments: the strings may have other offsets)."""
    moments = [item.modified for item in listed]
    return max(moments, key=datetime.fromisoformat, default=None)


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nDisallow:\n\nSitemap: {base_url}sitemap.xml\n".encode()


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, kind: str, href: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": kind, "href": href})


def _xml(root: ET.Element) -> bytes:
    # The namespace is the root's plain xmlns attribute: ElementTree would otherwise write
    # prefixes (ns0:feed), which some feed readers do not expect.
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
