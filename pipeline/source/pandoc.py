"""The one door to pandoc: Markdown in to the JSON AST, AST out to HTML or plain text.

Conversions go to one long-running pandoc per process (pandoc-server.lua): a pandoc process
costs about 40 ms to start, a conversion in a warm one a few. Options the server does not
handle, and any conversion that fails there, run as one pandoc process per call, so results
and error messages are pandoc's own either way. `use_server(False)` turns the server off (the
benchmark compares both).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pypandoc

from pipeline import deps
from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast
from pipeline.source.pandoc_server import HEAP_LIMIT, PandocServer, ServerError
from pipeline.timings import timed

# Pandoc's own Markdown: tables, footnotes, definition lists, figures, fenced divs and spans.
# Without TeX: raw TeX would take a backslash and the letters after it ("C:\Users", "\A") for
# LaTeX and leave them out of every channel; TeX math between dollars would turn prices ("$20
# off, now $5") into formulas no email client shows. A dollar sign is a dollar sign.
READER = "markdown-raw_tex-tex_math_dollars"
# Elements inside elements (a list item's paragraph's emphasis...): deeper trees exhaust the
# recursion of the AST helpers and of WeasyPrint's layout.
MAX_NESTING = 64
TAB_STOP = 4  # the pandoc command line expands tabs in its input to this width; do the same
# Options the server applies exactly as the command line does (anything else: one process).
SERVED = re.compile(
    r"^(--wrap=\w+|--columns=\d+|--lua-filter=.+|--metadata=[^=]+=.*|--syntax-highlighting=none"
    r"|--citeproc|--bibliography=.+|--csl=.+)$"
)
_LONG = {"--wrap", "--columns", "--lua-filter", "--metadata", "-M"}
# One pandoc process per call: its heap capped as the server's, no file or URL read but its
# input (pandoc's --sandbox).
PER_CALL = [*HEAP_LIMIT, "--sandbox"]
_server = PandocServer(READER)
SERVER = True  # use_server()


def parse(markdown: str, path: Path, first_line: int = 1) -> dict:
    """Parse an article body (its first line is `first_line` of the file) into pandoc's JSON
    AST, refusing one nested deeper than MAX_NESTING elements."""
    with timed("pandoc"):
        try:
            served = markdown.expandtabs(TAB_STOP)
            text = _convert("read", [], served, lambda: _parse_per_call(markdown))
            tree = json.loads(text)
        except RecursionError:  # json's own limit, far past ours
            tree = None
        except RuntimeError as error:
            raise PublishError(f"pandoc could not read the article: {error}", path) from error
    depth, deepest = pandoc_ast.deepest(tree) if tree is not None else (None, None)
    if tree is None or depth > MAX_NESTING:
        raise PublishError(
            f"nests lists, block quotes or other elements more than {MAX_NESTING} deep",
            path,
            _line_of_text(deepest, markdown, first_line),
            "Flatten the deepest of them: a reader follows a few levels at most",
        )
    return tree


def _line_of_text(element: dict | None, markdown: str, first_line: int) -> int | None:
    """The line of `element` (the deepest one: a word, mostly): of the lines holding it, the
    most indented or quoted."""
    word = element["c"] if element and element["t"] == "Str" else None
    rows = [
        (n, row) for n, row in enumerate(markdown.split("\n"), first_line) if word and word in row
    ]
    if not rows:
        return None
    return max(rows, key=lambda row: len(row[1]) - len(row[1].lstrip(" \t>-*+")))[0]


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
    # --sandbox: a web page's iframes and images are never fetched (pandoc's HTML reader
    # would read each iframe's address, on the network or the disk).
    args = [*PER_CALL, "--quiet"] + ([f"--extract-media={media}"] if media else [])
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


def use_server(on: bool) -> None:
    """Convert in the long-running server (the default), or in one pandoc process per call."""
    global SERVER
    SERVER = on


def _convert(op: str, args: list[str], body: str, per_call) -> str:
    if not SERVER:
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
    return pypandoc.convert_text(markdown, "json", format=READER, extra_args=PER_CALL)


def _write_per_call(text: str, to: str, args: list[str] | None) -> str:
    return pypandoc.convert_text(text, to, format="json", extra_args=PER_CALL + (args or []))
