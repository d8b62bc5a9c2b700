"""`{{< include _snippets/aftercare.md >}}`: another Markdown file of the project, put where the
shortcode stands before the article is read (Quarto's include), and every line of the result
traced back to the file and line it came from, so a problem is told where it was written.

The shortcode stands alone on its line. Its path is relative to the file that holds it (or, with
a leading `/`, to the project folder); it must stay inside the project. An included file may
include others, MAX_DEPTH deep, never itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PublishError, display_path
from pipeline.source.files import MAX_BYTES, check_inside, read_text
from pipeline.source.problems import Problem

ALONE = re.compile(r"^[ \t]*\{\{<[ \t]*include[ \t]+(?P<target>[^\n]*?)[ \t]*>\}\}[ \t]*$")
ANY = re.compile(r"(?<!\{)\{\{<[ \t]*include\b")
MAX_DEPTH = 8  # files included inside included files


@dataclass
class Expanded:
    """A text with its includes in place; `origins[n]` is the (file, line) line n + 1 of it
    was written at."""

    text: str
    origins: list[tuple[Path, int]]
    files: list[Path] = field(default_factory=list)  # every file included, once each


def expand(text: str, path: Path, root: Path) -> Expanded:
    """`text` (the whole of article `path`) with every include in place; PublishError, naming
    the file and line of the shortcode, when one cannot be."""
    expanded = Expanded("", [])
    try:
        lines = _expand(text, path, root, (path.resolve(),), expanded)
    except PublishError as error:
        if error.path is not None and Path(error.path).resolve() != path.resolve():
            error.message = while_publishing(error.message, path)
        raise
    expanded.text = "\n".join(line for line, _ in lines)
    expanded.origins = [origin for _, origin in lines]
    if len(expanded.text.encode()) > MAX_BYTES:
        raise PublishError(
            f"is {len(expanded.text.encode()) / 1e6:.1f} MB with the files it includes; an "
            f"article may be at most {MAX_BYTES // 1_000_000} MB",
            path,
            hint="Split it into several articles",
        )
    return expanded


def _expand(
    text: str, path: Path, root: Path, chain: tuple[Path, ...], expanded: Expanded
) -> list[tuple[str, tuple[Path, int]]]:
    lines: list[tuple[str, tuple[Path, int]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        alone = ALONE.match(line)
        if alone is None:
            if ANY.search(line):
                raise PublishError(
                    "an include must stand alone on its line",
                    path,
                    number,
                    "Put {{< include FILE >}} on a line of its own, with nothing else on it",
                )
            lines.append((line, (path, number)))
            continue
        target = _target(alone["target"], path, number, root)
        if target in chain:
            shown = " -> ".join(display_path(step) for step in (*chain, target))
            raise PublishError(
                f"includes itself: {shown}", path, number, "Take out one of these includes"
            )
        if len(chain) > MAX_DEPTH:
            raise PublishError(
                f"includes files more than {MAX_DEPTH} deep", path, number, "Include fewer levels"
            )
        if target not in expanded.files:
            expanded.files.append(target)
        inner = read_text(target, root)
        lines += _expand(inner.rstrip("\n"), target, root, (*chain, target), expanded)
    return lines


def _target(written: str, path: Path, number: int, root: Path) -> Path:
    """The file an include names, inside the project and there."""
    name = written.strip().strip("\"'")
    if not name:
        raise PublishError(
            "an include names no file", path, number, "Write {{< include _snippets/FILE.md >}}"
        )
    base = root if name.startswith("/") else path.parent
    target = base / name.lstrip("/")
    try:
        check_inside(target, root)
    except PublishError as error:
        raise PublishError(
            f"includes '{name}', which is outside the project",
            path,
            number,
            "Keep shared text in the project, in a folder such as source/_snippets/",
        ) from error
    if not target.is_file():
        raise PublishError(
            f"includes '{name}', and there is no such file ({display_path(target)})",
            path,
            number,
            "Check the name: the path is relative to the file that includes it",
        )
    return target.resolve()


def traced(problem: Problem, expanded: Expanded | None, article: Path) -> Problem:
    """`problem` (found in the expanded text) told where it was written: in an included file,
    at its line, and naming the article that includes it."""
    if expanded is None or problem.path is None or problem.line is None:
        return problem
    if Path(problem.path).resolve() != article.resolve() or problem.line > len(expanded.origins):
        return problem
    origin, line = expanded.origins[problem.line - 1]
    if origin == article:
        return Problem(problem.severity, problem.message, problem.path, line, problem.hint)
    message = while_publishing(problem.message, article)
    return Problem(problem.severity, message, origin, line, problem.hint)


def while_publishing(message: str, article: Path) -> str:
    """`message` about another file, saying which article it was met in (once)."""
    said = f" (while publishing {display_path(article)})"
    return message if message.endswith(said) else message + said
