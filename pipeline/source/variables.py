"""Variables in an article body: `{{< var key >}}` (publish.yml), `{{< meta key >}}` (front matter),
and the newsletter's `{{< recipient name >}}` (a Span the email channel fills when it is sent).

They are replaced in the Markdown text before pandoc reads it, so a heading that holds one gets
the id of its final text. A value is text, never code: its punctuation is escaped so Markdown
shows it as written, and `unescape_code` takes the escapes out again where Markdown keeps them
(code, raw HTML). The body is never run as a Jinja template, so `{{ x }}` stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import PublishError
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast

# `{{{< var x >}}}` is Quarto's way to show a shortcode as it is written.
SHORTCODE = re.compile(r"\{\{\{<(?P<literal>.*?)>\}\}\}|\{\{<(?P<inside>.*?)>\}\}")
PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SOURCES = {"var": "publish.yml", "meta": "the front matter"}
RECIPIENT = re.compile(r'\s*recipient\s+name(\s+fallback="(?P<fallback>[^"]*)")?\s*')
VERBATIM = ("Code", "CodeBlock", "RawInline", "RawBlock")


@dataclass
class Substituted:
    text: str
    problems: list[PublishError] = field(default_factory=list)
    # The escaped form of each value put in the text -> the value itself.
    escaped: dict[str, str] = field(default_factory=dict)


class _Unknown(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def substitute(body: str, first_line: int, data: dict[str, dict], path: Path) -> Substituted:
    """Replace every shortcode in `body` with its value from `data["var"]` or `data["meta"]`.

    Every unknown key becomes a problem naming the key, the article and the line.
    """
    result = Substituted(body)

    def replace(match: re.Match) -> str:
        if match["literal"] is not None:
            return "{{<" + match["literal"] + ">}}"
        try:
            if match["inside"].split()[:1] == ["recipient"]:
                return _recipient(match["inside"], data)
            value = _value(match["inside"].split(), data)
        except _Unknown as unknown:
            line = first_line + body.count("\n", 0, match.start())
            result.problems.append(PublishError(unknown.message, path, line, unknown.hint))
            return match[0]
        if _in_autolink(body, match):
            return value  # `<{{< var site.base_url >}}>`: escapes would unmake the link
        escaped = PUNCTUATION.sub(r"\\\1", value)
        result.escaped[escaped] = value
        return escaped

    result.text = SHORTCODE.sub(replace, body)
    return result


def _in_autolink(body: str, match: re.Match) -> bool:
    return body[match.start() - 1 : match.start()] == "<" and body[match.end() :].startswith(">")


def _recipient(inside: str, data: dict[str, dict]) -> str:
    """A Span the email channel fills with each reader's name; the fallback (for readers the
    list has no name for, and for the web and print) is its text."""
    found = RECIPIENT.fullmatch(inside)
    if not found:
        raise _Unknown(
            f"'{{{{< {' '.join(inside.split())} >}}}}' is not a recipient field",
            'Write {{< recipient name >}}, or {{< recipient name fallback="friend" >}} to '
            "choose what readers without a name on the list see",
        )
    fallback = found["fallback"]
    if fallback is None:
        fallback = translate("reader", str(data["meta"].get("lang") or "en"))
    return "[" + PUNCTUATION.sub(r"\\\1", fallback) + "]{.recipient-name}"


def _value(words: list[str], data: dict[str, dict]) -> str:
    shown = "{{< " + " ".join(words) + " >}}"
    if not words or words[0] not in SOURCES or len(words) != 2:
        raise _Unknown(
            f"'{shown}' is not a variable",
            "Write {{< var KEY >}} for a publish.yml key or {{< meta KEY >}} for a front matter "
            "key; write {{{< ... >}}} to show the braces as they are",
        )
    kind, key = words
    where = SOURCES[kind]
    value = _find(data[kind], key, where)
    if value is None:
        raise _Unknown(
            f"variable '{key}' has no value in {where}", "Give it one there, or take it out"
        )
    if isinstance(value, dict) or (isinstance(value, list) and any(_grouped(v) for v in value)):
        raise _Unknown(
            f"variable '{key}' is a group of keys in {where}, not one value",
            "Name one of them: " + ", ".join(_keys(value, key)),
        )
    return _text(value)


def _find(data: Any, key: str, where: str) -> Any:
    current, walked = data, []
    for part in key.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            under = f"under '{'.'.join(walked)}'" if walked else "at the top"
            raise _Unknown(
                f"unknown variable '{key}': {where} has no such key",
                f"Keys {under}: {', '.join(_keys(current, '')) or 'none'}",
            )
        walked.append(part)
    return current


def _grouped(value: Any) -> bool:
    return isinstance(value, dict | list)


def _keys(value: Any, prefix: str) -> list[str]:
    names = list(value) if isinstance(value, dict) else [str(i) for i in range(len(value or []))]
    return [f"{prefix}.{name}" if prefix else name for name in sorted(names, key=str)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return " ".join(str(value).split())  # a line break in a value must not end the paragraph


def unescape_code(ast: dict, escaped: dict[str, str]) -> dict:
    """Put values back as written where Markdown does not read escapes: code and raw HTML."""
    changed = {form: value for form, value in escaped.items() if form != value}
    if changed:
        pandoc_ast.walk(ast["blocks"], lambda node: _unescape(node, changed))
    return ast


def _unescape(node: dict, changed: dict[str, str]) -> None:
    if node["t"] in VERBATIM:
        text = node["c"][1]
        for form, value in changed.items():
            text = text.replace(form, value)
        node["c"][1] = text
