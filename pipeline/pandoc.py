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


def read_document(path: Path, form: str, media: Path | None = None) -> dict:
    """Read a .docx, .odt or .html file into the JSON AST; with `media`, its images go there.

    Only office files should be given `media`: for a web page pandoc would fetch every
    image from the network to extract it.
    """
    args = ["--quiet"] + ([f"--extract-media={media}"] if media else [])
    try:
        text = pypandoc.convert_file(str(path), "json", format=form, extra_args=args)
    except RuntimeError as error:
        # pypandoc's message starts 'Pandoc died with exitcode "63" during conversion: '.
        said = str(error).split("during conversion: ", 1)[-1].strip()
        raise PublishError(f"pandoc could not read it as {form}: {said}", path) from error
    return json.loads(text)


def version() -> str:
    return pypandoc.get_pandoc_version()
