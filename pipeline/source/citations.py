"""Citations: `[@key]`, `[@key, p. 12]` and `@key` formatted by pandoc's citeproc from the
article's bibliographies (publish.yml's and its own) in its citation style, and the list of
references put at the end under a heading in the article's language, once, when the article
is read: every channel shows the same.

A citation whose key no bibliography holds is an error naming the key and its line. Without
any bibliography a bare `@name` (a handle, say) stays text as written; `[@name]` is an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PublishError, display_path
from pipeline.project import references
from pipeline.project.words import translate
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.files import check_inside, line_of

REFS = "refs"  # the id of the list of references: pandoc's, where the writer may put it
HEADING_ID = "references"


@dataclass(frozen=True)
class Bibliography:
    """What the citations of an article are formatted from: its bibliography files (publish.yml's
    then its own) and its style's file."""

    files: tuple[Path, ...]
    style: Path

    @property
    def inputs(self) -> tuple[Path, ...]:
        return (*self.files, self.style)


def bibliography(
    project: list[str], own: list[str], style: str, root: Path, path: Path, lines: dict
) -> tuple[Bibliography | None, list[PublishError]]:
    """The article's Bibliography from its settings (publish.yml's paths from `root`, its own
    from its folder), or None and what is wrong with them."""
    found, problems = [], []
    for names, base, key in ((project, root, None), (own, path.parent, ("bibliography",))):
        for name in names:
            file, problem = _file(name, base, root, path, lines.get(key) if key else None)
            found += [file] if file else []
            problems += [problem] if problem else []
    style_file, problem = _style(style, path, root, lines)
    problems += [problem] if problem else []
    if problems:
        return None, problems
    return Bibliography(tuple(found), style_file), []


def _file(
    name: str, base: Path, root: Path, path: Path, line: int | None
) -> tuple[Path | None, PublishError | None]:
    where = path if line else root / "publish.yml"
    file = base / name
    try:
        check_inside(file, root)
    except PublishError:
        return None, PublishError(
            f"the bibliography '{name}' is outside the project", where, line,
            "Keep it in the project folder",
        )  # fmt: skip
    if not file.is_file():
        return None, PublishError(
            f"the bibliography '{name}' does not exist ({display_path(file)})", where, line,
            "Check the name: an article's paths are relative to its folder, publish.yml's to "
            "the project folder",
        )  # fmt: skip
    return file.resolve(), None


def _style(style: str, path: Path, root: Path, lines: dict) -> tuple[Path, PublishError | None]:
    builtin = references.builtin_style(style)
    if builtin is not None:
        return builtin, None
    line = lines.get(("csl",))
    base, where = (path.parent, path) if line else (root, root / "publish.yml")
    file = base / style
    if file.is_file() and file.resolve().is_relative_to(root.resolve()):
        return file.resolve(), _dependent(file, where, line)
    return file, PublishError(
        f"the citation style '{style}' is not a file of the project ({display_path(file)})",
        where,
        line,
        f"Name a .csl file in the project, or one of the styles publish ships: "
        f"{', '.join(references.builtin_styles())}",
    )


def _dependent(file: Path, where: Path, line: int | None) -> PublishError | None:
    """A dependent style only names its parent style, which pandoc would fetch from the web."""
    if 'rel="independent-parent"' not in file.read_text(encoding="utf-8", errors="replace"):
        return None
    return PublishError(
        f"the citation style '{file.name}' is a dependent style: it only names another style",
        where,
        line,
        'Use the style it names (its link rel="independent-parent"), downloaded beside it',
    )


def cite(
    tree: dict, found: Bibliography | None, lang: str, path: Path, text: str
) -> tuple[dict, list[PublishError]]:
    """The AST with its citations formatted and its references listed, and a problem for each
    citation no bibliography holds."""
    cites = list(pandoc_ast.elements(tree, "Cite"))
    if not cites:
        return tree, []
    if found is None or not found.files:
        return _uncited(tree), _unknown(_keys(cites, bracketed_only=True), path, text, None)
    placed = any(block["c"][0][0] == REFS for block in pandoc_ast.elements(tree, "Div"))
    # Each citation links to its entry; the channels that cannot be clicked show the text.
    args = ["--citeproc", f"--csl={found.style}", f"--metadata=lang={lang}"]
    args += ["--metadata=link-citations=true"]
    args += [f"--bibliography={file}" for file in found.files]
    try:
        cited = json.loads(pandoc.write(tree, "json", path, args))
    except PublishError as error:
        error.message = error.message.replace(
            "could not write json", "could not format the citations"
        )
        raise
    listed = {div["c"][0][0].removeprefix("ref-") for div in pandoc_ast.elements(cited, "Div")}
    missing = [key for key in _keys(cites) if key not in listed]
    if missing:
        return tree, _unknown(missing, path, text, found)
    return (cited if placed else _titled(cited, lang)), []


def _keys(cites: list[dict], bracketed_only: bool = False) -> list[str]:
    keys: list[str] = []
    for cite in cites:
        for citation in cite["c"][0]:
            if bracketed_only and citation["citationMode"]["t"] == "AuthorInText":
                continue
            if citation["citationId"] not in keys:
                keys.append(citation["citationId"])
    return keys


def _uncited(tree: dict) -> dict:
    """Without a bibliography, a bare `@name` is text as written (pandoc keeps it so in the
    Cite's inlines)."""
    result = pandoc_ast.copy(tree)

    def visit(node: dict) -> None:
        if node["t"] == "Cite":
            node["t"], node["c"] = "Span", [["", [], []], node["c"][1]]

    pandoc_ast.walk(result["blocks"], visit)
    return result


def _unknown(
    keys: list[str], path: Path, text: str, found: Bibliography | None
) -> list[PublishError]:
    if found is None or not found.files:
        hint = (
            "Add 'bibliography: references.bib' to the front matter (or to publish.yml) with "
            "an entry of this key, or write \\[@ to show the brackets as they are"
        )
        said = "cites '{key}', but the article has no bibliography"
    else:
        names = ", ".join(display_path(file) for file in found.files)
        said = f"unknown citation key '{{key}}': no entry of {names} has it"
        hint = "Check the key's spelling, or add the entry; write \\@ for an @ that cites nothing"
    return [
        PublishError(said.format(key=key), path, line_of(text, f"@{key}"), hint) for key in keys
    ]


def _titled(tree: dict, lang: str) -> dict:
    """The list of references under a heading, unless the body already ends with one (pandoc's
    rule: the list goes at the end, under the writer's own last heading)."""
    blocks = tree["blocks"]
    at = next(
        i for i, block in enumerate(blocks) if block["t"] == "Div" and block["c"][0][0] == REFS
    )
    if at > 0 and blocks[at - 1]["t"] == "Header":
        return tree
    words = translate("References", lang).split()
    inlines: list[dict] = []
    for word in words:
        inlines += [{"t": "Space"}] * bool(inlines) + [{"t": "Str", "c": word}]
    heading = {"t": "Header", "c": [2, [HEADING_ID, ["unnumbered"], []], inlines]}
    return {**tree, "blocks": [*blocks[:at], heading, *blocks[at:]]}
