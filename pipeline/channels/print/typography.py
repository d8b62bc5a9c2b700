"""The copy's text as it is printed: exact where it must be, every link's address on paper.

Readers of a PDF (poppler's pdftotext, PDFium in Chrome, screen readers) take a hyphen-minus
at the end of a line for a hyphenation hyphen and drop it: "pyenv-" then "virtualenv" on the
next line is copied as "pyenvvirtualenv". So no line may end in one. A hyphen in a word holds
to what follows it (a word joiner, U+2060); addresses and code may break before a hyphen, as
the Chicago Manual of Style has it for URLs, and after / ? & =. Neither mark is painted, so
neither is extracted. WeasyPrint's own hyphens (U+2010) go only where `hyphens: auto` lets
them: never in code, addresses or words with digits (the `exact` spans), see common.css.j2.
"""

from __future__ import annotations

import re

from pipeline.source import ast as pandoc_ast

BREAK = "\u200b"  # zero width space: a line may break here
JOIN = "\u2060"  # word joiner: a line may not break here
UNPAINTED = BREAK + JOIN
# Words set as written, never hyphenated: with digits, addresses, paths, file names.
EXACT_WORD = re.compile(r"\d|[@/\\_]|\w\.\w")


def marks_shown(html: str) -> str:
    """The HTML with its break and join marks as character references, for people reading it
    (they are invisible as characters)."""
    return html.replace(BREAK, "&#x200b;").replace(JOIN, "&#x2060;")


def set_for_print(tree: dict) -> dict:
    """A copy of `tree` with its text set for print, each link followed by its address: on
    paper a link cannot be clicked, and both PDFs show the same pages (the screen PDF is
    printed at home too, and its links can also be clicked)."""
    result = pandoc_ast.copy(tree)
    result["blocks"] = _inlines_set(result["blocks"], True)
    return result


SHORT_LIST = 3  # items: a list this short is kept whole in one column


def short_lists_kept(tree: dict) -> dict:
    """A copy of `tree` whose lists of 3 items or fewer are each in a Div of class `keep`,
    which a layout keeps whole in one column: a short list split 1/2 across columns reads as
    two lists."""
    result = pandoc_ast.copy(tree)

    def wrap(blocks: list) -> list:
        for index, block in enumerate(blocks):
            if not isinstance(block, dict):
                continue
            if block.get("t") in ("BulletList", "OrderedList"):
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                if len(items) <= SHORT_LIST:
                    blocks[index] = {"t": "Div", "c": [["", ["keep"], []], [block]]}
                for item in items:
                    wrap(item)
            elif block.get("t") in ("Div", "BlockQuote"):
                wrap(block["c"][1] if block["t"] == "Div" else block["c"])
        return blocks

    result["blocks"] = wrap(result["blocks"])
    return result


def breakable(text: str, code: bool = False) -> str:
    """An address, path or code, which a line may break after / ? & = and before a hyphen
    (but not between two), never after a hyphen; `code` also before a dot and after an opening
    bracket between words ("logging" / ".getLogger(" / "name)"), so that a long line of code
    breaks between names, not inside one."""
    text = re.sub(r"(?<=[^\s-])-", BREAK + "-", text)
    text = re.sub(r"-(?=\S)", "-" + JOIN, text)
    text = re.sub(r"([/?&=])(?=[^\s/?&=])", r"\1" + BREAK, text)
    if code:
        text = re.sub(r"(?<=[^\W\d])(?=\.[^\W\d])|(?<=\w[(\[])(?=[\w'\"])", BREAK, text)
    return text


def word(text: str) -> dict:
    """A word of the copy: exact (a span not hyphenated, broken as an address) or prose, its
    hyphens joined to what follows them."""
    if EXACT_WORD.search(text):
        return _span("exact", [_str(breakable(text))])
    return _str(re.sub(r"(?<=\w)-(?=\w)", "-" + JOIN, text))


def address(link: dict) -> list[dict]:
    """What follows a link on paper: ' (its address)', unless its text already shows it or it
    points inside the brochure."""
    shown = _printed_address(link)
    return [_span("link-address", [_str(" (" + breakable(shown) + ")")])] if shown else []


def _printed_address(link: dict) -> str | None:
    target = link["c"][2][0]
    shown = target.removeprefix("mailto:")
    text = pandoc_ast.stringify(link["c"][1]).strip()
    if target.startswith("#") or _bare(text) in (_bare(target), _bare(shown)):
        return None
    return shown


def _bare(address: str) -> str:
    """An address as its text may show it: no scheme, no "www.", no trailing slash; a DOI's
    resolver, or "doi:", as the DOI alone (citeproc writes "doi:" and links the DOI)."""
    address = re.sub(r"^(https?://)?(www\.)?", "", address.strip()).rstrip("/")
    return re.sub(r"^((dx\.)?doi\.org/|doi:)", "", address, flags=re.I)


def heading_addresses(header: dict) -> list[dict]:
    """The addresses of a heading's links, in a line below it ("Name: address; ..."): a
    heading keeps its own words, which are the screen PDF's bookmarks and the preflight's."""
    shown: list[dict] = []
    for link in pandoc_ast.elements({"blocks": [header]}, "Link"):
        target = _printed_address(link)
        if target:
            name = pandoc_ast.shown_text(link["c"][1]).strip() or pandoc_ast.stringify(link["c"][1])
            address_span = _span("link-address", [_str(breakable(target))])
            shown += [_str("; ")] * bool(shown) + [_str(f"{name}:\u00a0"), address_span]
    line = {"t": "Div", "c": [["", ["heading-links"], []], [{"t": "Para", "c": shown}]]}
    return [line] if shown else []


def _inlines_set(node, addresses: bool, words: bool = True):
    """Every element below `node`, each Str, Code, CodeBlock and Link set for print. Headings
    keep their words as they are: their text is the screen PDF's bookmarks, and they are never
    hyphenated; their links' addresses go in a line below them. A picture's description is
    not printed: it is left alone."""
    if isinstance(node, dict):
        return {key: _inlines_set(value, addresses, words) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    result: list = []
    for item in node:
        kind = item.get("t") if isinstance(item, dict) else None
        if kind == "Str" and words:
            result.append(word(item["c"]))
        elif kind in ("Code", "CodeBlock") and words:
            result.append({"t": kind, "c": [item["c"][0], breakable(item["c"][1], code=True)]})
        elif kind == "Link":
            result += [_inlines_set(item, addresses, words), *(address(item) if addresses else [])]
        elif kind == "Image":
            result.append(item)
        elif kind == "Header":
            result.append(_inlines_set(item, False, False))
            result += heading_addresses(item) if addresses else []
        else:
            result.append(_inlines_set(item, addresses, words))
    return _inline_images(_dash_held(result))


def _dash_held(inlines: list) -> list:
    """A hyphen-minus that ends a word holds to what follows it: a dash standing alone (" - ")
    by a no-break space, a hyphen before code or emphasis ("non-`None`") by a word joiner. A
    line ending in it would lose it to readers."""
    for index, item in enumerate(inlines[:-1]):
        after = inlines[index + 1].get("t") if isinstance(inlines[index + 1], dict) else None
        if not (isinstance(item, dict) and item.get("t") == "Str" and item["c"].endswith("-")):
            continue
        if item["c"] == "-" and after in ("Space", "SoftBreak"):
            inlines[index + 1] = _str("\u00a0")
        elif after not in ("Space", "SoftBreak", "LineBreak"):
            item["c"] += JOIN
    return inlines


def _inline_images(inlines: list) -> list:
    """Pictures inside a sentence are set in its line (class `inline`), not as blocks."""
    images = [item for item in inlines if isinstance(item, dict) and item.get("t") == "Image"]
    if images and any(isinstance(i, dict) and i.get("t") == "Str" for i in inlines):
        for image in images:
            image["c"][0][1] = [*image["c"][0][1], "inline"]
    return inlines


def _span(name: str, inlines: list) -> dict:
    return {"t": "Span", "c": [["", [name], []], inlines]}


def _str(text: str) -> dict:
    return {"t": "Str", "c": text}
