"""Make an article safe to publish: raw HTML through nh3's safe list, unsafe URLs and handlers out.

Runs on the AST when the article is read, so every channel gets the same safe content. What is
removed is reported with warn() naming the article (an error under --strict).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nh3

from pipeline.errors import warn
from pipeline.source import ast as pandoc_ast
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
# Raw content of these formats reaches pandoc's HTML writers (tests/test_hostile.py asks pandoc
# for every format it knows): it is raw HTML, sanitised as such. "plain" reaches the email text
# only, as text. Raw content of any other format reaches no output of ours and is emptied.
HTML_FORMATS = {"html", "html4", "html5", "revealjs", "s5", "slidy", "slideous", "dzslides"}
TEXT_FORMATS = {"plain"}
VOID = {"area", "br", "col", "hr", "img", "wbr"}
# Only pictures may be inlined as data: URLs; data:text/html is a page (and its scripts).
SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp|avif)[;,]", re.IGNORECASE)
UNSAFE_VALUE = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
ELEMENT_OF = {"Link": "a", "Image": "img", "Header": "h2", "CodeBlock": "pre", "Table": "table"}
UNSAFE_ATTRIBUTES = {"srcdoc", "formaction", "action"}
LONE_TAG = re.compile(
    r"""^\s*<(/?)([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>\s*$"""
)
ATTRIBUTE_OF_SPAN = re.compile(r"^<span(.*)></span>$", re.DOTALL)


def sanitize(
    tree: dict, path: Path, source: str, warn: Callable[[str, Path, int | None], None] = warn
) -> dict:
    """A copy of the AST that is safe to publish; each removal is reported with `warn`
    (errors.warn; `publish check` collects them instead)."""
    cursor = [0]  # where the last problem was found: the AST is walked in reading order

    def report(problems: list[str], *needles: str) -> None:
        """Warn about `problems`, found at the first of `needles` after the last problem."""
        found = _find(source, needles, cursor[0])
        if found is None:
            found = _find(source, needles, 0)
        cursor[0] = found + 1 if found is not None else cursor[0]
        line = source.count("\n", 0, found) + 1 if found is not None else None
        for problem in problems:
            warn(problem, path, line)

    tree = pandoc_ast.map_targets(tree, lambda kind, url: _check_target(kind, url, report))
    cursor[0] = 0
    pandoc_ast.walk(tree["blocks"], lambda node: _clean_node(node, report))
    _images_from_html(tree["blocks"])
    return tree


def _images_from_html(node) -> None:
    """Each lone <img> tag of raw HTML made the element a Markdown image makes, so that every
    channel treats it as one: the web page gets the file beside it, the press a CMYK copy,
    the email its size (left as raw HTML, the print PDF would carry an RGB picture); and
    `publish check` checks it as one. A picture with an unsafe address stays raw HTML."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            image = _lone_image(item)
            if image is not None:
                node[index] = image if item["t"] == "RawInline" else {"t": "Plain", "c": [image]}
            else:
                _images_from_html(item)
    elif isinstance(node, dict):
        for value in node.values():
            _images_from_html(value)


def _lone_image(item) -> dict | None:
    if not (isinstance(item, dict) and item.get("t") in ("RawInline", "RawBlock")):
        return None
    kind, html = item["c"]
    lone = LONE_TAG.match(html) if kind.lower() == "html" else None
    if not lone or lone[1] or lone[2].lower() != "img":
        return None
    found = _Tags(html).values
    src, alt = found.get(("img", "src")), found.get(("img", "alt"), "")
    if not src or _unsafe_value(src):
        return None
    sizes = [[name, found[("img", name)]] for name in ("width", "height") if ("img", name) in found]
    words = [{"t": "Str", "c": word} for word in alt.split()]
    inlines = [part for word in words for part in ({"t": "Space"}, word)][1:]
    attr = [found.get(("img", "id"), ""), found.get(("img", "class"), "").split(), sizes]
    return {"t": "Image", "c": [attr, inlines, [src, found.get(("img", "title"), "")]]}


def _find(source: str, needles: tuple[str, ...], start: int) -> int | None:
    places = [source.find(needle, start) for needle in needles if needle]
    return min((place for place in places if place >= 0), default=None)


def _check_target(kind: str, url: str, report: Callable[[str, str], None]) -> str | None:
    compact = _compact(url)
    if UNSAFE_VALUE.match(compact) and not (kind == "Image" and SAFE_DATA.match(compact)):
        what = "a link to" if kind == "Link" else "an image with"
        kept = "; its text is kept" if kind == "Link" else ""
        report(
            [f"removed {what} a {_scheme(compact)}: URL (not safe){kept}"],
            url[:30],
            unquote(url)[:30],
        )
        return None
    return url


def _clean_node(node: dict, report: Callable[[str, str], None]) -> None:
    kind = node["t"]
    if kind in ("RawBlock", "RawInline"):
        form = node["c"][0].lower()
        if form in HTML_FORMATS:
            html, removed = clean_fragment(node["c"][1])
            if removed:
                needle = node["c"][1].strip().split("\n")[0][:30]
                report([f"removed HTML not on the safe list: {what}" for what in removed], needle)
            node["c"] = ["html", html]
        elif form not in TEXT_FORMATS:
            node["c"][1] = ""
    elif kind in pandoc_ast.ATTR_AT:
        attr = node["c"][pandoc_ast.ATTR_AT[kind]]
        element = ELEMENT_OF.get(kind, kind.lower())
        kept, removed, keys = [], [], []
        for key, value in attr[2]:
            said = len(removed)
            cleaned = _attribute(element, key, value, removed)
            if cleaned is not None:
                kept.append([key, cleaned])
            if len(removed) > said:
                keys.append(key)
        attr[2] = kept
        if removed:
            report([f"removed HTML not on the safe list: {what}" for what in removed], keys[0])


def _attribute(element: str, name: str, value: str, removed: list[str]) -> str | None:
    """An attribute's value as it may be published, or None; what goes is said in `removed`."""
    key = name.lower()
    if key == "style":
        cleaned = clean_style(value)
        removed += [
            f"the {p} property in the style attribute of <{element}>" for p in cleaned.dropped
        ]
        return cleaned.text
    if key.startswith("on") or key in UNSAFE_ATTRIBUTES or _unsafe_url(element, key, value):
        scheme = _scheme(_compact(value)) if key in URL_ATTRIBUTES else ""
        why = f" ({scheme}: URL)" if scheme else ""
        removed.append(f"the {name} attribute of <{element}>{why}")
        return None
    return value


def _unsafe_url(element: str, key: str, value: str) -> bool:
    if key not in URL_ATTRIBUTES:
        return False
    candidates = value.split(",") if key == "srcset" else [value]
    return any(_unsafe_value(candidate.strip()) for candidate in candidates)


def _unsafe_value(value: str) -> bool:
    compact = _compact(value)
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
        cleaned = _attribute(element or tag, name, value, removed)
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


class _Tags(HTMLParser):
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
    old, new = _Tags(before), _Tags(after)
    found = [f"<{tag}>" for tag in old.tags if old.tags[tag] > new.tags[tag]]
    for (tag, name), count in old.attributes.items():
        if name == "style":
            continue  # the attribute filter said which of its properties went
        if tag in new.tags and count > new.attributes[(tag, name)]:
            scheme = _scheme(_compact(old.values[(tag, name)]))
            why = f" ({scheme}: URL)" if scheme and name in ("href", "src", "cite") else ""
            found.append(f"the {name} attribute of <{tag}>{why}")
    return found


def _compact(url: str) -> str:
    """A URL as a browser reads its scheme: without spaces and control characters."""
    return re.sub(r"[\x00-\x20]+", "", url)


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower() if ":" in url else ""
