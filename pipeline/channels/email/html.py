"""The HTML email's finishing: image sizes for Outlook, CSS inlined by css-inline, size checked."""

from __future__ import annotations

from pathlib import Path

import css_inline
import PIL.Image

from pipeline.errors import PublishError, warn
from pipeline.source import ast as pandoc_ast

CONTENT_WIDTH = 536  # px: the 600 px column less its padding (layouts/email/style.css.j2)
GMAIL_CLIPS_AT = 102 * 1024  # bytes of HTML; Gmail hides the rest behind "View entire message"
LIMIT = 100 * 1024
CHARSET = '<meta charset="utf-8">'  # as layouts/base.html.j2 writes it

# keep_at_rules: without it css-inline drops @media (dark mode, phones). No remote stylesheet
# is ever fetched while building.
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def prepared(tree: dict, media: dict[str, Path]) -> dict:
    """A copy of the AST for the HTML email: sized images, each with an alt; scrolling tables.

    Outlook ignores max-width: without a width attribute a large photo widens the column.
    """
    result = pandoc_ast.copy(tree)
    pandoc_ast.walk(result["blocks"], lambda node: _size(node, media))
    _wrap_tables(result["blocks"])
    result["blocks"] = _callout_cells(result["blocks"])
    return pandoc_ast.unlinked_references(result)


def _callout_cells(blocks: list) -> list:
    """Each callout in a bordered table cell: the one box every mail client draws (Outlook
    draws no border or background on a div)."""
    result = []
    for block in blocks:
        if block.get("t") == "Div":
            block["c"][1] = _callout_cells(block["c"][1])
            classes = block["c"][0][1]
            if "callout" in classes:
                kinds = " ".join(classes)
                result += [
                    _raw(
                        f'<table role="presentation" class="{kinds}"><tr><td class="callout-cell">'
                    ),
                    block,
                    _raw("</td></tr></table>"),
                ]
                continue
        elif block.get("t") == "BlockQuote":
            block["c"] = _callout_cells(block["c"])
        result.append(block)
    return result


def _raw(html: str) -> dict:
    return {"t": "RawBlock", "c": ["html", html]}


def _wrap_tables(node) -> None:
    """Put each table in a box that scrolls sideways, so a wide one never widens a phone's page."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and item.get("t") == "Table":
                node[index] = {"t": "Div", "c": [["", ["table-scroll"], []], [item]]}
            else:
                _wrap_tables(item)
    elif isinstance(node, dict):
        for value in node.values():
            _wrap_tables(value)


def _size(node: dict, media: dict[str, Path]) -> None:
    if node["t"] != "Image":
        return
    attributes = node["c"][0][2]
    keys = {key for key, _ in attributes}
    if not node["c"][1] and "alt" not in keys:
        attributes.append(["alt", ""])  # a picture with no description is decorative
    file = media.get(node["c"][2][0])
    if file and not keys & {"width", "height"}:
        width = _pixel_width(file)
        if width:
            attributes.append(["width", str(min(width, CONTENT_WIDTH))])


def _pixel_width(file: Path) -> int | None:
    try:
        with PIL.Image.open(file) as image:
            return image.width
    except (OSError, PIL.UnidentifiedImageError):
        return None  # SVG and other formats Pillow cannot read: CSS max-width still applies


def inline_css(html: str, source: Path | None) -> str:
    """Move every style rule into style="" attributes; keep @media rules in the head."""
    try:
        inlined = INLINER.inline(html)
    except css_inline.InlineError as error:
        raise PublishError(f"the HTML email's CSS could not be inlined: {error}", source) from error
    # css-inline puts the kept @media rules first in <head>, which pushes <meta charset> past
    # the first 1024 bytes, the only place a browser looks for it: put it back in front.
    if CHARSET in inlined:
        inlined = inlined.replace(CHARSET, "", 1).replace("<head>", f"<head>{CHARSET}", 1)
    return inlined


def check_size(html: str, source: Path | None) -> None:
    size = len(html.encode())
    if size > LIMIT:
        warn(
            f"the HTML email is {size // 1024} KB; Gmail cuts messages over about "
            f"{GMAIL_CLIPS_AT // 1024} KB (shorten the article, or send a digest)",
            source,
        )
