"""What an article's text refers to, resolved once it is read: its cross-references numbered
and linked (crossrefs.py), then its citations formatted from its bibliographies (citations.py)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import Config
from pipeline.source import citations, crossrefs
from pipeline.source.front_matter import FrontMatter


def referenced(
    tree: dict,
    meta: FrontMatter | None,
    config: Config,
    paths: tuple[Path, Path],
    text: tuple[str, dict],
    lang: str,
) -> tuple[dict, list[PublishError], tuple[Path, ...]]:
    """The body resolved, every problem with it, and the files it was resolved from (its
    bibliographies and style). `paths`: the project folder and the article; `text`: the
    article's text and its front matter's lines."""
    (root, path), (source, lines) = paths, text
    tree, problems = crossrefs.resolve(tree, lang, path, source)
    own = meta.bibliography if meta else []
    style = (meta.csl if meta else None) or config.csl
    found, wrong = citations.bibliography(config.bibliography, own, style, root, path, lines)
    problems += wrong
    try:
        tree, unknown = citations.cite(tree, found, lang, path, source)
    except PublishError as error:
        unknown = [error]
    return tree, [*problems, *unknown], found.inputs if found else ()
