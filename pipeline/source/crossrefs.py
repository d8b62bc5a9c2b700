"""Cross-references, as Quarto writes them: a figure, table or section labelled `{#fig-x}`,
`{#tbl-x}`, `{#sec-x}`, and `@fig-x`, `[-@fig-x]` where the text refers to it.

Figures and tables are numbered in the order they come ("Figure 2", "Table 1", in the article's
language), their captions saying so; an article with a labelled section has its headings
numbered ("3", "3.1"). A reference becomes a link to what it names (the channels that cannot be
clicked show its text). As in Quarto, `@` before these prefixes is a cross-reference, never a
citation. A reference to a label the article does not have is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source.files import line_of

# Prefix -> (what it labels, how to label one).
KINDS = {
    "fig": ("figure", "![Caption](picture.png){#fig-NAME}"),
    "tbl": ("table", "a caption line ': Caption {#tbl-NAME}' under the table"),
    "sec": ("section", "## Heading {#sec-NAME}"),
}
CLASS = "crossref"


@dataclass(frozen=True)
class Target:
    kind: str  # fig, tbl, sec
    number: str


def is_crossref(key: str) -> bool:
    return key.split("-", 1)[0].lower() in KINDS and "-" in key


def resolve(tree: dict, lang: str, path: Path, text: str) -> tuple[dict, list[PublishError]]:
    """The AST numbered and its references made links; a problem for each unknown label."""
    result = pandoc_ast.copy(tree)
    targets = _number(result, lang)
    problems: list[PublishError] = _given_twice(result, path, text)

    def visit(node) -> None:
        if isinstance(node, list):
            index = 0
            while index < len(node):
                item = node[index]
                if isinstance(item, dict) and item.get("t") == "Cite":
                    replacement = _replaced(item, targets, lang, path, text, problems)
                    node[index : index + 1] = replacement
                    index += len(replacement)
                    continue
                visit(item)
                index += 1
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)

    visit(result["blocks"])
    return result, problems


def _given_twice(tree: dict, path: Path, text: str) -> list[PublishError]:
    """A label names one figure, table or section: each one given it again is an error."""
    labels = [node["c"][0][0] for node in _in_order(tree["blocks"])]
    labels += [header["c"][1][0] for header in pandoc_ast.elements(tree, "Header")]
    problems, seen = [], set()
    for label in filter(is_crossref, labels):
        if label in seen:
            what = KINDS[label.split("-", 1)[0].lower()][0]
            line = _nth_line(text, re.compile(rf"#{re.escape(label)}(?![\w-])"), 2)
            problems.append(
                PublishError(
                    f"the label '{label}' is given twice: a label names one {what}",
                    path,
                    line,
                    "Give each its own label",
                )
            )
        seen.add(label)
    return problems


def _nth_line(text: str, pattern: re.Pattern, nth: int) -> int | None:
    """The line of the `nth` line of `text` that `pattern` matches."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if pattern.search(line)]
    return found[nth - 1] if len(found) >= nth else None


def _number(tree: dict, lang: str) -> dict[str, Target]:
    """Number the labelled figures and tables (their captions say it), and every heading when
    a section is labelled; the targets by label."""
    targets: dict[str, Target] = {}
    counts = {"fig": 0, "tbl": 0}
    for node in _in_order(tree["blocks"]):
        kind = {"Figure": "fig", "Table": "tbl"}.get(node["t"])
        label = node["c"][0][0]
        if kind and label.lower().startswith(f"{kind}-"):
            counts[kind] += 1
            targets[label] = Target(kind, str(counts[kind]))
            _caption(node, named(kind, str(counts[kind]), lang))
    headers = list(pandoc_ast.elements(tree, "Header"))
    if any(h["c"][1][0].lower().startswith("sec-") for h in headers):
        for header, number in zip(headers, _section_numbers(headers), strict=True):
            if number and header["c"][1][0]:
                targets[header["c"][1][0]] = Target("sec", number)
            if number:
                span = {"t": "Span", "c": [["", ["section-number"], []], [_str(number)]]}
                header["c"][2] = [span, {"t": "Space"}, *header["c"][2]]
    return targets


def _in_order(node) -> Iterator[dict]:
    """Figures and tables in reading order (a table inside a figure after it)."""
    if isinstance(node, dict):
        if node.get("t") in ("Figure", "Table"):
            yield node
        for value in node.values():
            yield from _in_order(value)
    elif isinstance(node, list):
        for item in node:
            yield from _in_order(item)


def _caption(node: dict, label: str) -> None:
    """'Figure 2: ' before the caption, or the label alone as the caption."""
    long = node["c"][1][1]
    first = long[0] if long and long[0]["t"] in ("Plain", "Para") else None
    if first is None:
        long.insert(0, {"t": "Plain", "c": _words(label)})
    else:
        first["c"] = [*_words(f"{label}:"), {"t": "Space"}, *first["c"]]


def _section_numbers(headers: list[dict]) -> list[str | None]:
    """'3', '3.1'... for each heading, by its level below the top one; gaps count as one level.
    A heading marked `{.unnumbered}` (or `-`) is not numbered."""
    numbers: list[str | None] = []
    counters: list[int] = []  # at each depth below the top: the sections so far
    open_levels: list[int] = []  # the levels of the headings the next one may be inside
    for header in headers:
        level, classes = header["c"][0], header["c"][1][1]
        if "unnumbered" in classes or "-" in classes:
            numbers.append(None)
            continue
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        depth = len(open_levels)
        counters = counters[: depth + 1] + [0] * (depth + 1 - len(counters))
        counters[depth] += 1
        open_levels.append(level)
        numbers.append(".".join(str(count) for count in counters))
    return numbers


def _replaced(
    cite: dict, targets: dict[str, Target], lang: str, path: Path, text: str, problems: list
) -> list[dict]:
    """A Cite's cross-references as links (a citation among them stays a Cite)."""
    citations = cite["c"][0]
    if not any(is_crossref(c["citationId"]) for c in citations):
        return [cite]
    out: list[dict] = []
    kept = [c for c in citations if not is_crossref(c["citationId"])]
    for citation in citations:
        key = citation["citationId"]
        if not is_crossref(key):
            continue
        label = _label(key, targets)
        if label is None:
            problems.append(_unknown(key, path, text))
            continue
        target = targets[label]
        text = target.number
        if citation["citationMode"]["t"] != "SuppressAuthor":
            text = named(target.kind, target.number, lang)
        link = {"t": "Link", "c": [["", [CLASS], []], _words(text), [f"#{label}", ""]]}
        pieces = [*citation["citationPrefix"], *[{"t": "Space"}] * bool(citation["citationPrefix"])]
        pieces += [link, *citation["citationSuffix"]]
        out += [{"t": "Str", "c": ","}, {"t": "Space"}] * bool(out) + pieces
    if kept:
        out += [{"t": "Space"}] * bool(out) + [{"t": "Cite", "c": [kept, cite["c"][1]]}]
    return out


def named(kind: str, number: str, lang: str) -> str:
    """'Figure 2', 'Tabla 1', 'Section 3.1' in `lang`."""
    if kind == "fig":
        return translate("Figure {n}", lang, n=number)
    if kind == "tbl":
        return translate("Table {n}", lang, n=number)
    return translate("Section {n}", lang, n=number)


def _label(key: str, targets: dict[str, Target]) -> str | None:
    """The label `key` refers to (`@Fig-x`, capitalised at a sentence's start, is `fig-x`)."""
    prefix, rest = key.split("-", 1)
    for candidate in (key, f"{prefix.lower()}-{rest}"):
        if candidate in targets and targets[candidate].kind == prefix.lower():
            return candidate
    return None


def _unknown(key: str, path: Path, text: str) -> PublishError:
    what, how = KINDS[key.split("-", 1)[0].lower()]
    return PublishError(
        f"unknown cross-reference '@{key}': no {what} has the label '{key}'",
        path,
        line_of(text, f"@{key}"),
        f"Check its spelling, or label the {what}: {how}",
    )


def _words(text: str) -> list[dict]:
    inlines: list[dict] = []
    for word in text.split():
        inlines += [{"t": "Space"}] * bool(inlines) + [_str(word)]
    return inlines


def _str(text: str) -> dict:
    return {"t": "Str", "c": text}
