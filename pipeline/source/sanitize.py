"""Make an article safe to publish: raw HTML through nh3's safe list, unsafe URLs and handlers out.

Runs on the AST when the article is read, so every channel gets the same safe content. What is
removed is reported with warn() naming the article (an error under --strict).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from pipeline.errors import warn
from pipeline.source import ast as pandoc_ast
from pipeline.source.raw_html import (
    LONE_TAG,
    SAFE_DATA,
    UNSAFE_VALUE,
    Tags,
    attribute,
    clean_fragment,
    compact_url,
    unsafe_value,
    url_scheme,
)

# Raw content of these formats reaches pandoc's HTML writers (tests/test_hostile.py asks pandoc
# for every format it knows): it is raw HTML, sanitised as such. "plain" reaches the email text
# only, as text. Raw content of any other format reaches no output of ours and is emptied.
HTML_FORMATS = pandoc_ast.HTML_FORMATS
TEXT_FORMATS = {"plain"}
ELEMENT_OF = {"Link": "a", "Image": "img", "Header": "h2", "CodeBlock": "pre", "Table": "table"}


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

    tree = pandoc_ast.copy(tree)
    pandoc_ast.walk(tree["blocks"], lambda node: _clean_node(node, report))
    cursor[0] = 0
    # After the raw HTML is clean: its links and pictures are then checked as Markdown's are.
    tree = pandoc_ast.map_targets(tree, lambda kind, url: _check_target(kind, url, report))
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
    found = Tags(html).values
    src, alt = found.get(("img", "src")), found.get(("img", "alt"), "")
    if not src or unsafe_value(src):
        return None
    sizes = [[name, found[("img", name)]] for name in ("width", "height") if ("img", name) in found]
    if ("img", "alt") in found and not alt.strip():
        sizes.append(["alt", ""])  # alt="": decoration, said so (as Markdown's {alt=""})
    words = [{"t": "Str", "c": word} for word in alt.split()]
    inlines = [part for word in words for part in ({"t": "Space"}, word)][1:]
    attr = [found.get(("img", "id"), ""), found.get(("img", "class"), "").split(), sizes]
    return {"t": "Image", "c": [attr, inlines, [src, found.get(("img", "title"), "")]]}


def _find(source: str, needles: tuple[str, ...], start: int) -> int | None:
    places = [source.find(needle, start) for needle in needles if needle]
    return min((place for place in places if place >= 0), default=None)


def _check_target(kind: str, url: str, report: Callable[[str, str], None]) -> str | None:
    compact = compact_url(url)
    if UNSAFE_VALUE.match(compact) and not (kind == "Image" and SAFE_DATA.match(compact)):
        what = "a link to" if kind == "Link" else "an image with"
        kept = "; its text is kept" if kind == "Link" else ""
        report(
            [f"removed {what} a {url_scheme(compact)}: URL (not safe){kept}"],
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
            if node["c"][1].strip():
                needle = node["c"][1].strip().split("\n")[0][:30]
                report([f"left out raw {form} content: only HTML is published"], needle)
            node["c"][1] = ""
    elif kind in pandoc_ast.ATTR_AT:
        attr = node["c"][pandoc_ast.ATTR_AT[kind]]
        element = ELEMENT_OF.get(kind, kind.lower())
        kept, removed, keys = [], [], []
        for key, value in attr[2]:
            said = len(removed)
            cleaned = attribute(element, key, value, removed)
            if cleaned is not None:
                kept.append([key, cleaned])
            if len(removed) > said:
                keys.append(key)
        attr[2] = kept
        if removed:
            report([f"removed HTML not on the safe list: {what}" for what in removed], keys[0])
