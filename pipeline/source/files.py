"""An article's file as text: read whole (UTF-8, within the limits), split into front matter
and body, and the line where a piece of it stands."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.text import FORBIDDEN, WORD_BREAKS, unreadable

MAX_BYTES = 1_000_000  # of an article's file: a long book
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def read_text(path: Path, root: Path | None = None) -> str:
    """The text of an article (of the project in `root`, when given: a file outside it, or a
    link to one, is refused unread)."""
    if root is not None:
        check_inside(path, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise PublishError(
            "no such file",
            path,
            hint="Check the path, or run 'publish build' with no argument "
            "to build every article in source/",
        ) from error
    except IsADirectoryError as error:
        raise PublishError(
            "is a folder, not an article",
            path,
            hint="Name a .md file, or the articles inside the folder",
        ) from error
    if len(data) > MAX_BYTES:
        raise PublishError(
            f"is {len(data) / 1e6:.1f} MB; an article may be at most {MAX_BYTES // 1_000_000} MB",
            path,
            hint="Split it into several articles (a long book is about 1 MB of text)",
        )
    if b"\x00" in data[:8192]:  # (a NUL further on is refused with its line: readable())
        raise PublishError(
            "is a binary file, not a Markdown article",
            path,
            hint="Articles are UTF-8 text files ending in .md",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PublishError(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read)",
            path,
            line,
            "Save the file with UTF-8 encoding",
        ) from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return readable(text.translate(WORD_BREAKS), path)


def readable(text: str, path: Path) -> str:
    """`text`, when every character of it can be published."""
    problem = unreadable(text)
    if problem is None:
        return text
    at = FORBIDDEN.search(text).start()
    raise PublishError(
        problem,
        path,
        text.count("\n", 0, at) + 1,
        f"Delete it (column {at - text.rfind(chr(10), 0, at)}): most editors do not show it",
    )


def check_inside(path: Path, root: Path) -> None:
    """PublishError unless `path`, its links followed, is inside the project folder `root`."""
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        link = f" (it is a link to {real})" if real != path.absolute() else ""
        raise PublishError(
            f"is outside the project{link}: only files inside the project folder are published",
            path,
            hint="Copy the article into source/",
        )


def split_front_matter(text: str, path: Path) -> tuple[str, int, str, int]:
    """Split `---` front matter from the body; return both with their first line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise PublishError(
            "has no front matter",
            path,
            1,
            "Start the file with a '---' line, then 'title:', 'summary:' and "
            "'date:', then a closing '---' line",
        )
    for number, line in enumerate(lines[1:], start=1):
        if FENCE.match(line):
            meta = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return meta, 2, body, number + 2
    raise PublishError(
        "the front matter that starts on line 1 is never closed",
        path,
        1,
        "Add a line with '---' after its last key",
    )


def line_of(source: str, needle: str) -> int | None:
    """The first line of the file that holds `needle` (pandoc's Markdown AST has no positions)."""
    for number, line in enumerate(source.split("\n"), start=1):
        if needle in line:
            return number
    return None
