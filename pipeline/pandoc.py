"""The one door to pandoc: Markdown in to the JSON AST, AST out to HTML or plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pypandoc

from .errors import PublishError

# Pandoc's own Markdown: tables, footnotes, definition lists, figures, fenced divs and spans.
READER = "markdown"


def parse(markdown: str, path: Path) -> dict:
    """Parse an article body into pandoc's JSON AST."""
    try:
        return json.loads(pypandoc.convert_text(markdown, "json", format=READER))
    except RuntimeError as error:
        raise PublishError(f"pandoc could not read the article: {error}", path) from error


def write(ast: dict, to: str, path: Path, args: list[str] | None = None) -> str:
    """Write an AST with one of pandoc's writers (`html5`, `plain`...)."""
    try:
        return pypandoc.convert_text(json.dumps(ast), to, format="json", extra_args=args or [])
    except RuntimeError as error:
        raise PublishError(f"pandoc could not write {to}: {error}", path) from error


def version() -> str:
    return pypandoc.get_pandoc_version()
