"""The web page's references lead back: each citation gets an id, and each entry of the list of
references a link back to every place that cites it ("↩", "↩1 ↩2"), as Wikipedia's do."""

from __future__ import annotations

from markupsafe import escape

from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast


def with_backlinks(tree: dict, lang: str) -> None:
    """Give `tree`'s citations ids and its references back-links, in place."""
    places: dict[str, list[str]] = {}

    def visit(node) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict) and item.get("t") == "Cite":
                    node[index] = _marked(item, places)
                visit(item)
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)

    visit(tree["blocks"])
    for entry in pandoc_ast.elements(tree, "Div"):
        key = entry["c"][0][0].removeprefix("ref-")
        if entry["c"][0][0].startswith("ref-") and key in places:
            _append(entry, _links(places[key], lang))


def _marked(cite: dict, places: dict[str, list[str]]) -> dict:
    """The citation as pandoc writes one (a span of class `citation`), with an id."""
    keys = [citation["citationId"] for citation in cite["c"][0]]
    ident = f"cite-{keys[0]}-{len(places.get(keys[0], [])) + 1}"
    for key in dict.fromkeys(keys):
        places.setdefault(key, []).append(ident)
    attr = [ident, ["citation"], [["data-cites", " ".join(keys)]]]
    return {"t": "Span", "c": [attr, cite["c"][1]]}


def _links(idents: list[str], lang: str) -> dict:
    links = []
    for number, ident in enumerate(idents, start=1):
        label = escape(translate("Back to where it is cited ({n})", lang, n=number))
        shown = "↩" if len(idents) == 1 else f"↩{number}"
        links.append(f'<a class="back-link" href="#{ident}" aria-label="{label}">{shown}</a>')
    return {"t": "RawInline", "c": ["html", " " + " ".join(links)]}


def _append(entry: dict, link: dict) -> None:
    """After the entry's last words: in its last paragraph, inside the part a numbered style
    sets beside the number (a span `csl-right-inline`, which pandoc writes as a div)."""
    block = entry
    while block["t"] == "Div" and block["c"][1]:
        block = block["c"][1][-1]
    if block["t"] not in ("Para", "Plain"):
        return
    inlines = block["c"]
    last = inlines[-1] if inlines else None
    if last and last["t"] == "Span" and "csl-right-inline" in last["c"][0][1]:
        inlines = last["c"][1]
    inlines.append(link)
