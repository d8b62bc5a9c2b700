"""The problems a user can fix, and the warnings a build collects."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
from pathlib import Path

log = logging.getLogger("pipeline")


class PublishError(Exception):
    """A problem in the content or the config: the user can fix it, so no traceback."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = where_text(self.path, self.line)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}. {self.hint}" if self.hint else text

    def __reduce__(self):
        # Keep path, line and hint when a build worker sends the error to the main process.
        return (self.__class__, (self.message, self.path, self.line, self.hint))


def raise_first(problems: list[PublishError]) -> None:
    """Stop at the first of `problems` (a build does; `publish check` reports them all)."""
    if problems:
        raise problems[0]


class BuildBug(Exception):
    """Not a problem in the content: an exception in publish itself or a library it runs, with
    the traceback of the process it happened in (a build worker's, say), as Sphinx's
    SphinxParallelError carries a worker's."""

    def __init__(self, message: str, traceback: str):
        super().__init__(message, traceback)
        self.message, self.traceback = message, traceback

    def __str__(self) -> str:
        return f"{self.message}\n\nIn the build worker:\n{self.traceback}"


def where_text(path: Path | str | None, line: int | None = None) -> str:
    if path is None:
        return ""
    shown = display_path(path)
    return f"{shown}:{line}" if line else shown


def plural(count: int, noun: str, counted: bool = True) -> str:
    """'1 article', '2 articles' (or, not `counted`, the noun alone: 'page', 'pages')."""
    word = noun if count == 1 else f"{noun}s"
    return f"{count} {word}" if counted else word


_shown_from: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "shown_from", default=None
)


def display_path(path: Path | str) -> str:
    """A path as the user typed it: relative to the current folder when it is below it."""
    folder = _shown_from.get() or Path.cwd().resolve()
    # As written first: a link is shown where it is, not where it leads.
    for form in (Path(os.path.abspath(path)), Path(path).resolve()):
        if form.is_relative_to(folder):
            return str(form.relative_to(folder))
    return str(path)


@contextlib.contextmanager
def paths_shown_from(folder: Path):
    """Show paths relative to `folder` (the user's folder, for a build worker on another host)."""
    token = _shown_from.set(folder.resolve())
    try:
        yield
    finally:
        _shown_from.reset(token)


_collector: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "warning_collector", default=None
)


def warn(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Report a problem that does not stop the build (it does under --strict)."""
    where = where_text(path, line)
    text = f"{where}: {message}" if where else message
    found = _collector.get()
    if found is not None:
        if text in found:
            return  # said already for this article (by its print PDF, say, and its screen PDF)
        found.append(text)
    log.warning(text)


@contextlib.contextmanager
def collecting_warnings():
    """Collect every warn() made inside the block, so --strict can fail what caused them."""
    found: list[str] = []
    token = _collector.set(found)
    try:
        yield found
    finally:
        _collector.reset(token)


def replay(warnings: list[str]) -> None:
    """Tell again the warnings a build worker (or, for a cached article, an earlier build) saw."""
    for text in warnings:
        log.warning(text)


def strict_failure(count: int, path: Path | str | None) -> PublishError:
    """What --strict makes of an article (or site page) that warned `count` times."""
    return PublishError(
        f"not built: --strict turns its {count} warning(s) into errors",
        path,
        hint="Fix the warnings above",
    )
