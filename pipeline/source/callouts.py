"""Callouts, as Quarto writes them: `::: {.callout-note}` (or -tip, -important, -warning,
-caution), with an optional title given as `title="..."` or as a heading at its top.

Read into one shape every channel shows its own way: a Div of classes `callout` and
`callout-KIND`, `role="note"` and the kind's name as its `aria-label`, whose first block is its
title line (`callout-title`: the kind's name in the article's language, then the title). The
title is a paragraph, never a heading: no table of contents, bookmark or heading check sees it.
"""

from __future__ import annotations

from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast

KINDS = ("note", "tip", "important", "warning", "caution")
# Quarto's other settings: how it draws a callout on a page with JavaScript. Every channel
# here shows a callout whole, the same way.
QUARTO_ONLY = ("collapse", "appearance", "icon")


def kind_of(block: dict) -> str | None:
    """The kind of a callout Div as written (`.callout-warning`), or None."""
    if block.get("t") != "Div":
        return None
    for name in block["c"][0][1]:
        if name.startswith("callout-") and name.removeprefix("callout-") in KINDS:
            return name.removeprefix("callout-")
    return None


def read(tree: dict, lang: str) -> dict:
    """A copy of the AST with every callout in the shape above."""
    result = pandoc_ast.copy(tree)
    pandoc_ast.walk(result["blocks"], lambda node: _shape(node, lang))
    return result


def _shape(node: dict, lang: str) -> None:
    kind = kind_of(node)
    if kind is None or "callout" in node["c"][0][1]:
        return
    ident, classes, pairs = node["c"][0]
    settings = dict(pairs)
    blocks = node["c"][1]
    title = _words(settings["title"]) if settings.get("title") else []
    if not title and blocks and blocks[0]["t"] == "Header":
        title, blocks = blocks[0]["c"][2], blocks[1:]
    label = label_of(kind, lang)
    line = [_kind(label), *([{"t": "Str", "c": ":"}, {"t": "Space"}, *title] if title else [])]
    head = {"t": "Div", "c": [["", ["callout-title"], []], [{"t": "Para", "c": line}]]}
    others = [name for name in classes if name != f"callout-{kind}"]
    kept = [[k, v] for k, v in pairs if k not in ("title", *QUARTO_ONLY)]
    attr = [
        ident,
        ["callout", f"callout-{kind}", *others],
        [["role", "note"], ["aria-label", label], *kept],
    ]
    node["c"] = [attr, [head, *blocks]]


def label_of(kind: str, lang: str) -> str:
    """The kind's name in `lang`: 'Warning', 'Advertencia'."""
    return {
        "note": translate("Note", lang),
        "tip": translate("Tip", lang),
        "important": translate("Important", lang),
        "warning": translate("Warning", lang),
        "caution": translate("Caution", lang),
    }[kind]


def _kind(label: str) -> dict:
    return {"t": "Span", "c": [["", ["callout-kind"], []], [{"t": "Strong", "c": _words(label)}]]}


def _words(text: str) -> list[dict]:
    inlines: list[dict] = []
    for word in text.split():
        inlines += [{"t": "Space"}] * bool(inlines) + [{"t": "Str", "c": word}]
    return inlines
