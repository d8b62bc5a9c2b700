"""The one door to pandoc: Markdown in to the JSON AST, AST out to HTML or plain text.

Conversions go to one long-running pandoc per process (pandoc-server.lua): a pandoc process
costs about 40 ms to start, a conversion in a warm one a few. Options the server does not
handle, and any conversion that fails there, run as one pandoc process per call, so results
and error messages are pandoc's own either way. PUBLISH_PANDOC=per-call turns the server off
(the benchmark compares both).
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pypandoc

from . import deps
from .errors import PublishError
from .pandoc_server import PandocServer, ServerError
from .timings import timed

# Pandoc's own Markdown: tables, footnotes, definition lists, figures, fenced divs and spans.
READER = "markdown"
TAB_STOP = 4  # the pandoc command line expands tabs in its input to this width; do the same
# Options the server applies exactly as the command line does (anything else: one process).
SERVED = re.compile(
    r"^(--wrap=\w+|--columns=\d+|--lua-filter=.+|--metadata=[^=]+=.*|--syntax-highlighting=none)$"
)
_LONG = {"--wrap", "--columns", "--lua-filter", "--metadata", "-M"}
_server = PandocServer(READER)


def parse(markdown: str, path: Path) -> dict:
    """Parse an article body into pandoc's JSON AST."""
    with timed("pandoc"):
        try:
            served = markdown.expandtabs(TAB_STOP)
            return json.loads(_convert("read", [], served, lambda: _parse_per_call(markdown)))
        except RuntimeError as error:
            raise PublishError(f"pandoc could not read the article: {error}", path) from error


def write(ast: dict, to: str, path: Path, args: list[str] | None = None) -> str:
    """Write an AST with one of pandoc's writers (`html5`, `plain`...)."""
    text = json.dumps(ast)
    options = served_options(args or [])
    with timed("pandoc"):
        try:
            if options is None:
                return _write_per_call(text, to, args or [])
            return _convert(
                "write", [f"--to={to}", *options], text, lambda: _write_per_call(text, to, args)
            )
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


def stop_server() -> None:
    _server.stop()


def server_pid() -> int | None:
    """The process id of this process's pandoc server, if it runs (for memory figures)."""
    process = _server.process
    return process.pid if process is not None and process.poll() is None else None


def served_options(args: list[str]) -> list[str] | None:
    """`args` in the `--name=value` form the server takes, or None if it cannot apply them."""
    joined: list[str] = []
    rest = list(args)
    while rest:
        option = rest.pop(0)
        if option in _LONG and rest:
            option = f"{'--metadata' if option == '-M' else option}={rest.pop(0)}"
        if not SERVED.match(option):
            return None
        if option.startswith("--lua-filter="):
            filter_path = Path(option.split("=", 1)[1]).resolve()
            deps.record(filter_path)
            option = f"--lua-filter={filter_path}"
        joined.append(option)
    return joined


def _convert(op: str, args: list[str], body: str, per_call) -> str:
    if os.environ.get("PUBLISH_PANDOC") == "per-call":
        return per_call()
    try:
        text, log = _server.call(op, args, body)
    except ServerError:
        return per_call()  # pandoc's own message, from the command line
    for level, message in log:
        # Pandoc's warnings, told the way pypandoc tells them for one process per call.
        logging.getLogger("pypandoc").log(logging.getLevelName(level), message)
    return text


def _parse_per_call(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "json", format=READER)


def _write_per_call(text: str, to: str, args: list[str] | None) -> str:
    return pypandoc.convert_text(text, to, format="json", extra_args=args or [])
