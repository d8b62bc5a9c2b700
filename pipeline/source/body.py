"""An article body: its variables replaced, parsed once by pandoc, its callouts read, its top
heading made h2."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import Config
from pipeline.source import ast as pandoc_ast
from pipeline.source import callouts, pandoc, variables


def variable_data(config: Config, data: dict, slug: str, lang: str) -> dict[str, dict]:
    """What `{{< var >}}` and `{{< meta >}}` read: publish.yml, and the front matter as written
    (with the values `slug`, `lang` and `subject` take when it leaves them out)."""
    meta = {"slug": slug, "lang": lang, "subject": data.get("title"), **data}
    return {"var": config.model_dump(mode="json", by_alias=True), "meta": meta}


def parse_body(
    body: str, body_line: int, data: dict[str, dict], path: Path, lang: str
) -> tuple[dict, list[PublishError]]:
    """The body's pandoc AST, and a problem for each unknown variable (left as written)."""
    substituted = variables.substitute(body, body_line, data, path)
    tree = pandoc.parse(substituted.text, path, body_line)
    tree = variables.unescape_code(tree, substituted.escaped)
    # Before the headings are counted: a callout's title is not one of them.
    tree = callouts.read(tree, lang)
    # Gaps in the levels stay here for `publish check` to report; read_article closes them.
    return pandoc_ast.normalize_headings(tree, close_gaps=False), substituted.problems
