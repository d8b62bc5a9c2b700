"""`brochure.excerpt`, the shorter copy a tri-fold prints instead of the body, read as the body
is: its callouts, made safe, its own cross-references numbered (the tri-fold shows only its own
figures, tables and sections), its citations formatted from the article's bibliographies and
listed after it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import Config
from pipeline.source import ast as pandoc_ast
from pipeline.source import callouts, pandoc
from pipeline.source.front_matter import FrontMatter
from pipeline.source.referencing import referenced
from pipeline.source.sanitize import sanitize

WHERE = " in brochure.excerpt (a tri-fold's copy refers only to what it holds itself)"


def read_excerpt(
    meta: FrontMatter,
    config: Config,
    paths: tuple[Path, Path],
    text: tuple[str, dict],
    lang: str,
    warn: Callable[[str, Path, int | None], None],
) -> tuple[dict | None, list[PublishError], tuple[Path, ...]]:
    """The excerpt's AST (None when it cannot be read), every problem with it, and the files
    its citations were formatted from. `paths`: the project folder and the article; `text`:
    the article's text and its front matter's lines."""
    path, source = paths[1], text[0]
    try:
        parsed = callouts.read(pandoc.parse(meta.brochure.excerpt or "", path), lang)
    except PublishError as error:
        return None, [error], ()
    safe = sanitize(pandoc_ast.normalize_headings(parsed), path, source, warn=warn)
    tree, problems, files = referenced(safe, meta, config, paths, text, lang)
    for problem in problems:
        if problem.message.startswith("unknown cross-reference"):
            problem.message += WHERE
    return tree, problems, files
