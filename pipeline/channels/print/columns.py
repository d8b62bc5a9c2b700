"""The booklet's copy in two columns, and the tables too wide for one, set across the page.

A table whose longest words, side by side, are wider than a column would have its words and
numbers broken inside ("4.3" above "0 KB"). Such a table leaves the columns: the text before
it is set in balanced columns, the table across the page, the text after it in columns again
(as magazines set a wide table). The width a table needs is estimated, not laid out: each
column's longest word at the widest a character of the table's type is (CHAR_EM: digits and
code), plus the cell's padding.
"""

from __future__ import annotations

import re

from pipeline.source import ast as pandoc_ast

# The booklet's page margins at the sides and its gap between columns (booklet.css.j2 is
# rendered with these), in inches.
MARGIN_X_IN = 0.7
GAP_IN = 0.3
TABLE_PT = 8.5  # `.copy table` font size (common.css.j2)
CELL_PAD_PT = 8 + 1  # `.copy td` padding, left and right, and a rule's width
CHAR_EM = 0.62  # the widest an ordinary character is, in ems (Inter's digits; Noto Sans Mono)


def column_width(sheet_width: float) -> float:
    """A column's width in points, on a sheet `sheet_width` points wide."""
    return (sheet_width - 2 * MARGIN_X_IN * 72 - GAP_IN * 72) / 2


def in_columns(tree: dict, width: float) -> dict:
    """A copy of `tree` whose top-level blocks are grouped: runs set in columns (a Div of
    class `columns`) and, between them, each table wider than `width` points (class `across`)."""
    result = pandoc_ast.copy(tree)
    groups: list[dict] = []
    for block in result["blocks"]:
        across = block["t"] in ("Table", "Figure") and needed_width(block) > width
        kind = "across" if across else "columns"
        if across or not groups or groups[-1]["c"][0][1] != ["columns"]:
            groups.append({"t": "Div", "c": [["", [kind], []], []]})
        groups[-1]["c"][1].append(block)
    result["blocks"] = groups
    return result


def natural_widths(tree: dict) -> dict:
    """A copy of `tree` whose tables' columns take the widths their contents need. pandoc gives
    a table's columns the share of its source's dashes when a line is long (pipe, multiline
    and grid tables): the proportions of a text editor's line, which crush a column of a
    narrow page to a few letters each line."""
    result = pandoc_ast.copy(tree)
    for table in pandoc_ast.elements(result, "Table"):
        table["c"][2] = [[align, {"t": "ColWidthDefault"}] for align, _ in table["c"][2]]
    return result


def needed_width(block: dict) -> float:
    """The width in points the widest table in `block` needs to break no word."""
    tables = pandoc_ast.elements({"blocks": [block]}, "Table")
    return max((_table_width(table) for table in tables), default=0.0)


def _table_width(table: dict) -> float:
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    rows = head[1] + [row for body in bodies for row in body[2] + body[3]] + foot[1]
    longest: dict[int, int] = {}
    for row in rows:
        for column, cell in enumerate(row[1]):
            words = re.split(r"[\s\u200b]+", pandoc_ast.stringify(cell[4]).replace("\u2060", ""))
            longest[column] = max(longest.get(column, 0), *(len(word) for word in words), 0)
    return sum(chars * CHAR_EM * TABLE_PT + CELL_PAD_PT for chars in longest.values())
