"""Small readers and rewriters of pandoc's JSON AST, shared by every channel."""

from __future__ import annotations

import html
import marshal
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


def copy(tree):
    """A deep copy of a pandoc JSON AST (dicts, lists, strings, numbers). marshal copies this
    kind of data about 5 times faster than copy.deepcopy, which a build does some 20 times an
    article."""
    return marshal.loads(marshal.dumps(tree))


def walk(node, visit: Callable[[dict], None]) -> None:
    """Call `visit` on every element (a dict with a "t" key), depth first."""
    if isinstance(node, dict):
        if "t" in node:
            visit(node)
        for value in node.values():
            walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            walk(item, visit)


def deepest(node) -> tuple[int, dict | None]:
    """How many elements deep the tree goes, and its deepest element; without recursion (it
    measures trees too deep for the recursive helpers here)."""
    found: tuple[int, dict | None] = (0, None)
    stack = [(node, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if "t" in item:
                depth += 1
                if depth > found[0]:
                    found = (depth, item)
            stack += [(value, depth) for value in item.values()]
        elif isinstance(item, list):
            stack += [(value, depth) for value in item]
    return found


def elements(ast: dict, kind: str) -> Iterator[dict]:
    found: list[dict] = []
    walk(ast["blocks"], lambda node: found.append(node) if node["t"] == kind else None)
    return iter(found)


def stringify(node) -> str:
    """The plain text of inlines or blocks, like pandoc.utils.stringify."""
    parts: list[str] = []

    def visit(element: dict) -> None:
        kind = element["t"]
        if kind == "Str":
            parts.append(element["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(element["c"][1])

    walk(node, visit)
    return "".join(parts)


def shown_text(inlines: list) -> str:
    """The text of `inlines` as a page shows it in their place: without the descriptions of
    pictures and the contents of footnotes (a heading's text in a table of contents, a PDF's
    bookmarks)."""
    return stringify(_without(inlines, ("Image", "Note")))


def _without(node, kinds: tuple[str, ...]):
    if isinstance(node, dict):
        return None if node.get("t") in kinds else {k: _without(v, kinds) for k, v in node.items()}
    if isinstance(node, list):
        return [kept for kept in (_without(item, kinds) for item in node) if kept is not None]
    return node


# Where each element keeps its attributes (identifier, classes, key-value pairs) in "c".
ATTR_AT = {
    "Header": 1, "CodeBlock": 0, "Div": 0, "Span": 0, "Link": 0, "Image": 0, "Code": 0,
    "Table": 0, "Figure": 0,
}  # fmt: skip


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


def headings(ast: dict) -> list[Heading]:
    """Every heading: its text as shown (a heading that is only a picture: its description)."""
    return [
        Heading(level, shown_text(inlines) or stringify(inlines), attr[0])
        for level, attr, inlines in (h["c"] for h in elements(ast, "Header"))
    ]


def normalize_headings(ast: dict, top: int = 2, close_gaps: bool = True) -> dict:
    """Renumber headings so the body starts at `top` (h1 is the article title) and, with
    `close_gaps`, never skips a level: `#` becomes h2, an h5 straight after an h3 an h4."""
    normalized = copy(ast)
    found = list(elements(normalized, "Header"))
    if found:
        shift = top - min(h["c"][0] for h in found)
        for header in found:
            header["c"][0] = min(header["c"][0] + shift, 6)
    return close_heading_gaps(normalized, top) if close_gaps else normalized


def map_targets(ast: dict, rewrite: Callable[[str, str], str | None]) -> dict:
    """A copy of the AST with every Link and Image target passed through `rewrite(kind, url)`,
    the links (<a href>) and pictures (<img src>) of raw HTML included.

    Returning None removes an image, or turns a link into its text.
    """
    result = copy(ast)
    _map_blocks(result["blocks"], rewrite)
    return result


def _map_blocks(node, rewrite) -> None:
    if isinstance(node, list):
        index = 0
        while index < len(node):
            item = node[index]
            if _raw_html(item):
                item["c"][1] = _map_raw(item["c"][1], rewrite)
            elif isinstance(item, dict) and item.get("t") in ("Link", "Image"):
                target = rewrite(item["t"], item["c"][2][0])
                if target is None:
                    replacement = item["c"][1] if item["t"] == "Link" else []
                    node[index : index + 1] = replacement
                    index += len(replacement)
                    continue
                item["c"][2][0] = target
            _map_blocks(item, rewrite)
            index += 1
    elif isinstance(node, dict):
        for value in node.values():
            _map_blocks(value, rewrite)


# Raw content of these formats reaches pandoc's HTML writers (tests/test_hostile.py asks pandoc
# for every format it knows): it is raw HTML.
HTML_FORMATS = {"html", "html4", "html5", "revealjs", "s5", "slidy", "slideous", "dzslides"}
# A link's or a picture's address in raw HTML, as the sanitiser writes attributes (double
# quotes, & as &amp;): the tag before it, the address, the rest of the tag.
RAW_TARGET = re.compile(r'(<(a|img)\b[^>]*?\s(?:href|src)=")([^"]*)("[^>]*>)', re.IGNORECASE)
RAW_KINDS = {"a": "Link", "img": "Image"}


def raw_targets(ast: dict) -> Iterator[tuple[str, str]]:
    """(kind, address) of each link and picture in the raw HTML of `ast`."""
    found: list[tuple[str, str]] = []

    def visit(node: dict) -> None:
        if _raw_html(node):
            found.extend(
                (RAW_KINDS[match[2].lower()], html.unescape(match[3]))
                for match in RAW_TARGET.finditer(node["c"][1])
            )

    walk(ast["blocks"], visit)
    return iter(found)


def _raw_html(item) -> bool:
    return (
        isinstance(item, dict)
        and item.get("t") in ("RawInline", "RawBlock")
        and item["c"][0].lower() in HTML_FORMATS
    )


def _map_raw(source: str, rewrite: Callable[[str, str], str | None]) -> str:
    """Raw HTML with its links' and pictures' addresses rewritten: None drops a picture, or
    the address of a link (its text stays)."""

    def replace(match: re.Match) -> str:
        kind = RAW_KINDS[match[2].lower()]
        target = rewrite(kind, html.unescape(match[3]))
        if target is None:
            return "" if kind == "Image" else re.sub(r'\s(?:href)="[^"]*"', "", match[0])
        return f"{match[1]}{html.escape(target)}{match[4]}"

    return RAW_TARGET.sub(replace, source)


def close_heading_gaps(ast: dict, top: int = 2) -> dict:
    """A copy of the AST where no heading skips a level (h2 then h4 becomes h2 then h3)."""
    result = copy(ast)
    open_levels: list[tuple[int, int]] = []  # (level as written, level given), outermost first

    def visit(node: dict) -> None:
        if node["t"] != "Header":
            return
        written = node["c"][0]
        while open_levels and open_levels[-1][0] >= written:
            open_levels.pop()
        given = open_levels[-1][1] + 1 if open_levels else top
        open_levels.append((written, given))
        node["c"][0] = given

    walk(result["blocks"], visit)
    return result


def unlinked_references(ast: dict) -> dict:
    """A copy of the AST whose cross-references and citations are text, not links (where a
    reader cannot follow them: the email)."""
    result = copy(ast)

    def unlink(node, inside_cite: bool = False):
        if isinstance(node, list):
            out = []
            for item in node:
                if _followed_reference(item, inside_cite):
                    out += unlink(item["c"][1], inside_cite)
                    continue
                out.append(unlink(item, inside_cite))
            return out
        if isinstance(node, dict):
            inside = inside_cite or node.get("t") == "Cite"
            return {key: unlink(value, inside) for key, value in node.items()}
        return node

    result["blocks"] = unlink(result["blocks"])
    return result


def _followed_reference(item, inside_cite: bool) -> bool:
    """A link of a cross-reference, or of a citation to its entry."""
    return (
        isinstance(item, dict)
        and item.get("t") == "Link"
        and (inside_cite or "crossref" in item["c"][0][1])
    )
