"""Content for some channels only: Quarto's `.content-visible` and `.content-hidden` markup."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast

# Outputs that show what another channel shows: the screen PDF is the brochure, unprinted.
SHOWN_AS = {"screen": "print"}
VISIBLE, HIDDEN = "content-visible", "content-hidden"
CONDITIONS = ("when-channel", "unless-channel")
QUARTO_ONLY = ("when-format", "unless-format", "when-meta", "unless-meta", "when-profile")
MARKER = re.compile(r"content-(visible|hidden)")


def select(ast: dict, channel: str) -> dict:
    """A copy of `ast` without what `channel` must not show, and without the condition markup."""
    result = pandoc_ast.copy({key: value for key, value in ast.items() if key != "blocks"})
    result["blocks"] = _select(ast["blocks"], SHOWN_AS.get(channel, channel))  # builds anew
    return result


def _select(node, channel: str):
    if isinstance(node, dict):
        return {key: _select(value, channel) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    kept: list = []
    for item in node:
        if _is_conditional(item):
            attr, content = item["c"]
            if _shown(attr, channel):
                kept.extend(_unwrap(item, _without_condition(attr), _select(content, channel)))
        elif not _emptied(item, selected := _select(item, channel)):
            kept.append(selected)
    return _single_spaces(kept) if len(kept) < len(node) else kept


def _emptied(item, selected) -> bool:
    """A paragraph that held only hidden spans: leave it out rather than leave it empty."""
    return (
        isinstance(item, dict) and item.get("t") in ("Para", "Plain") and item["c"] != []
    ) and selected["c"] == []


def _single_spaces(inlines: list) -> list:
    """Where a hidden span stood between two spaces, keep one of them."""
    spaced: list = []
    for item in inlines:
        if not (_is_space(item) and (not spaced or _is_space(spaced[-1]))):
            spaced.append(item)
    return spaced[:-1] if spaced and _is_space(spaced[-1]) else spaced


def _is_space(item) -> bool:
    return isinstance(item, dict) and item.get("t") in ("Space", "SoftBreak")


def _is_conditional(node) -> bool:
    return (
        isinstance(node, dict)
        and node.get("t") in ("Div", "Span")
        and (VISIBLE in node["c"][0][1] or HIDDEN in node["c"][0][1])
    )


def _shown(attr: list, channel: str) -> bool:
    settings = dict(attr[2])
    when = settings.get("when-channel", "").split()
    unless = settings.get("unless-channel", "").split()
    matches = (not when or channel in when) and channel not in unless
    return matches if VISIBLE in attr[1] else not matches


def _without_condition(attr: list) -> list:
    ident, classes, settings = attr
    classes = [c for c in classes if c not in (VISIBLE, HIDDEN)]
    return [ident, classes, [[k, v] for k, v in settings if k not in CONDITIONS]]


def _unwrap(node: dict, attr: list, content: list) -> list:
    """The content alone, or still in its div/span when that has an id, a class or attributes."""
    if attr == ["", [], []]:
        return content
    return [{"t": node["t"], "c": [attr, content]}]


def problems(ast: dict, source: str, path: Path, channels: Collection[str]) -> list[PublishError]:
    """Every conditional div or span whose condition names no channel, or one that is not
    among `channels` (the registry's names)."""
    found = []
    nodes = _conditionals(ast["blocks"])
    lines = _marker_lines(source)
    for index, node in enumerate(nodes):
        for message, hint, needle in _condition_problems(node["c"][0], channels):
            # Pandoc's Markdown AST has no positions: the n-th marker in the text is the n-th
            # conditional in the tree, unless code shows the syntax; then search for the name.
            line = lines[index] if len(lines) == len(nodes) else _line_holding(source, needle)
            found.append(PublishError(message, path, line, hint))
    return found


def _conditionals(node) -> list[dict]:
    found: list[dict] = []
    if isinstance(node, dict):
        if _is_conditional(node):
            found.append(node)
        for value in node.values():
            found.extend(_conditionals(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_conditionals(item))
    return found


def _condition_problems(attr: list, channels: Collection[str]) -> list[tuple[str, str, str]]:
    """(message, hint, a word on the faulty line) for each fault of one condition."""
    kind = VISIBLE if VISIBLE in attr[1] else HIDDEN
    settings = dict(attr[2])
    known = ", ".join(channels)
    example = f'Write {{.{kind} when-channel="print"}} with one or more of: {known}'
    given = [name for name in CONDITIONS if name in settings]
    if not given:
        quarto = [name for name in QUARTO_ONLY if name in settings]
        said = f" ('{quarto[0]}' is Quarto's; publish chooses by channel)" if quarto else ""
        return [(f"'.{kind}' needs when-channel or unless-channel{said}", example, kind)]
    choose = f"Use one or more of: {known}, separated by spaces"
    found = []
    for condition in given:
        names = settings[condition].split()
        if not names:
            found.append((f"'.{kind}' has an empty {condition}", example, condition))
        found += [
            (f"'.{kind}' names an unknown channel '{name}' in {condition}", choose, name)
            for name in names
            if name not in channels
        ]
    return found


def _marker_lines(source: str) -> list[int]:
    return [
        number
        for number, line in enumerate(source.split("\n"), start=1)
        for _ in MARKER.finditer(line)
    ]


def _line_holding(source: str, needle: str) -> int | None:
    for number, line in enumerate(source.split("\n"), start=1):
        if MARKER.search(line) and needle in line:
            return number
    return None
