"""The reader's name in a newsletter: where an article says {{< recipient name >}}, the build
leaves a marker in the .eml, each message sent fills it with the subscriber's name (or the
fallback), and the built .txt and .html show the fallback."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

from pipeline.source import ast as pandoc_ast

NAME_CLASS = "recipient-name"  # the Span source/variables.py makes of the shortcode
# One word, so the text part's wrapping never splits it: the fallback is percent-encoded.
NAME_SLOT = r"\{\{recipient-name\|(?P<fallback>[^{}|\s]*)\}\}"
MARKER = re.compile(NAME_SLOT)


def marker(fallback: str) -> str:
    return "{{recipient-name|" + quote(fallback, safe="") + "}}"


def mark_names(tree: dict) -> dict:
    """Turn each recipient-name Span of `tree` (a copy: changed in place) into a marker."""

    def visit(node: dict) -> None:
        if node["t"] == "Span" and NAME_CLASS in node["c"][0][1]:
            node["t"], node["c"] = "Str", marker(pandoc_ast.stringify(node["c"][1]))

    pandoc_ast.walk(tree["blocks"], visit)
    return tree


def fill_text(text: str, name: str | None) -> str:
    return MARKER.sub(lambda found: name or unquote(found["fallback"]), text)


def fill_html(page: str, name: str | None) -> str:
    return MARKER.sub(lambda found: html.escape(name or unquote(found["fallback"])), page)
