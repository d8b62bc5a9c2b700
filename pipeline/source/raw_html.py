"""Raw HTML in an article through nh3's safe list, and any attribute's value held to one rule:
no event handler, no javascript:, vbscript: or data: address (data: pictures excepted), a style
that only styles (styles.py)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from pipeline.source.styles import clean_style

# nh3's default tags and <section> (harmless, and common in pasted HTML), less the page's own
# landmarks and title (an article is one <article> with one h1) and the elements HTML5 made
# obsolete (vnu rejects them).
TAGS = (nh3.ALLOWED_TAGS | {"section"}) - {
    "h1", "header", "footer", "nav", "article", "aside", "acronym", "center", "strike", "tt",
}  # fmt: skip
# nh3's default attributes without the obsolete ones (align, char, charoff, summary, size...).
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "style"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ins": {"cite", "datetime"},
    "del": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
}
PREFIXES = {"aria-", "data-"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Attributes a browser reads as URLs (on any element: pandoc lets an article set any attribute).
URL_ATTRIBUTES = {
    "href", "src", "cite", "action", "formaction", "poster", "background", "longdesc",
    "usemap", "data", "xlink:href", "srcset", "ping", "manifest", "codebase", "lowsrc",
    "dynsrc", "profile", "classid", "archive", "icon",
}  # fmt: skip
VOID = {"area", "br", "col", "hr", "img", "wbr"}
# Only pictures may be inlined as data: URLs; data:text/html is a page (and its scripts).
SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp|avif)[;,]", re.IGNORECASE)
UNSAFE_VALUE = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
UNSAFE_ATTRIBUTES = {"srcdoc", "formaction", "action"}
LONE_TAG = re.compile(
    r"""^\s*<(/?)([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>\s*$"""
)
ATTRIBUTE_OF_SPAN = re.compile(r"^<span(.*)></span>$", re.DOTALL)


def attribute(element: str, name: str, value: str, removed: list[str]) -> str | None:
    """An attribute's value as it may be published, or None; what goes is said in `removed`."""
    key = name.lower()
    if key == "style":
        cleaned = clean_style(value)
        removed += [
            f"the {p} property in the style attribute of <{element}>" for p in cleaned.dropped
        ]
        return cleaned.text
    if key.startswith("on") or key in UNSAFE_ATTRIBUTES or unsafe_url(element, key, value):
        scheme = url_scheme(compact_url(value)) if key in URL_ATTRIBUTES else ""
        why = f" ({scheme}: URL)" if scheme else ""
        removed.append(f"the {name} attribute of <{element}>{why}")
        return None
    return value


def unsafe_url(element: str, key: str, value: str) -> bool:
    if key not in URL_ATTRIBUTES:
        return False
    candidates = value.split(",") if key == "srcset" else [value]
    return any(unsafe_value(candidate.strip()) for candidate in candidates)


def unsafe_value(value: str) -> bool:
    compact = compact_url(value)
    return bool(UNSAFE_VALUE.match(compact) and not SAFE_DATA.match(compact))


def clean_fragment(html: str) -> tuple[str, list[str]]:
    """Sanitise one piece of raw HTML; also say what was removed.

    Pandoc hands raw HTML over tag by tag (`<td onclick="...">`, text, `</td>`), and an HTML
    parser would drop or close a lone tag out of its context, so a lone tag is cleaned on its
    own: its name against the safe list, its attributes by nh3 on a stand-in element.
    """
    lone = LONE_TAG.match(html)
    said: list[str] = []  # what the attribute filter took out of style attributes
    if lone and lone[1]:
        cleaned = f"</{lone[2]}>" if lone[2].lower() in TAGS else ""
    elif lone:
        cleaned = _clean_start_tag(lone[2].lower(), lone[3], said)
    else:
        cleaned = nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            attribute_filter=_attribute_filter(said),
            generic_attribute_prefixes=PREFIXES,
            url_schemes=URL_SCHEMES,
            link_rel=None,
        )
    return cleaned, _removed(html, cleaned) + said


def _attribute_filter(said: list[str], element: str | None = None):
    """nh3's attribute filter: the values `_attribute` allows (`element` names a stand-in's
    real element). Style properties it drops are told in `said`; attributes it drops, by
    `_removed`."""

    def keep(tag: str, name: str, value: str) -> str | None:
        removed: list[str] = []
        cleaned = attribute(element or tag, name, value, removed)
        said.extend(what for what in removed if name.lower() == "style")
        return cleaned

    return keep


def _clean_start_tag(name: str, attributes: str, said: list[str]) -> str:
    if name not in TAGS:
        return ""
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, set())
    stand_in = nh3.clean(
        f"<span{attributes}></span>",
        tags={"span"},
        attributes={"span": allowed},
        attribute_filter=_attribute_filter(said, name),
        generic_attribute_prefixes=PREFIXES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    kept = ATTRIBUTE_OF_SPAN.match(stand_in)
    return f"<{name}{kept[1] if kept else ''}>"


class Tags(HTMLParser):
    """Counts the elements and attributes in some HTML (comments and text do not count)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str]] = Counter()
        self.values: dict[tuple[str, str], str] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name)] += 1
            self.values[(tag, name)] = value or ""


def _removed(before: str, after: str) -> list[str]:
    """What sanitising took out, in the reader's words."""
    old, new = Tags(before), Tags(after)
    found = [f"<{tag}>" for tag in old.tags if old.tags[tag] > new.tags[tag]]
    for (tag, name), count in old.attributes.items():
        if name == "style":
            continue  # the attribute filter said which of its properties went
        if tag in new.tags and count > new.attributes[(tag, name)]:
            scheme = url_scheme(compact_url(old.values[(tag, name)]))
            why = f" ({scheme}: URL)" if scheme and name in ("href", "src", "cite") else ""
            found.append(f"the {name} attribute of <{tag}>{why}")
    return found


def compact_url(url: str) -> str:
    """A URL as a browser reads its scheme: without spaces and control characters."""
    return re.sub(r"[\x00-\x20]+", "", url)


def url_scheme(url: str) -> str:
    return urlsplit(url).scheme.lower() if ":" in url else ""
