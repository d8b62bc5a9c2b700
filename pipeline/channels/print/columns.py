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

# The margins at the sides of a booklet's pages other than its copy's (filler pages), inches.
MARGIN_X_IN = 0.7
TABLE_EM = 0.85  # `.copy table` font size, in em of the body (common.css.j2)
CELL_PAD_EM = 2 * 0.47  # `.copy td` padding, left and right, in em of the table's type
RULE_PT = 1  # a rule's width
CHAR_EM = 0.62  # the widest an ordinary character is, in ems (Inter's digits; Noto Sans Mono)


def column_width(sheet_width: float, margin_in: float, gap_in: float) -> float:
    """A column's width in points, on a sheet `sheet_width` points wide with margins of
    `margin_in` at the sides, `gap_in` apart."""
    return (sheet_width - 2 * margin_in * 72 - gap_in * 72) / 2


def in_columns(tree: dict, width: float, body_pt: float) -> dict:
    """A copy of `tree` whose top-level blocks are grouped: runs set in columns (a Div of
    class `columns`) and, between them, each table wider than `width` points at a body size of
    `body_pt` (class `across`). The fitting may choose any type and gap: give the largest type
    and the narrowest column it may choose, and a table set in columns fits every setting."""
    result = pandoc_ast.copy(tree)
    groups: list[dict] = []
    for block in result["blocks"]:
        across = block["t"] in ("Table", "Figure") and needed_width(block, body_pt) > width
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


def needed_width(block: dict, body_pt: float) -> float:
    """The width in points the widest table in `block` needs to break no word."""
    tables = pandoc_ast.elements({"blocks": [block]}, "Table")
    return max((_table_width(table, body_pt * TABLE_EM) for table in tables), default=0.0)


def _table_width(table: dict, table_pt: float) -> float:
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    rows = head[1] + [row for body in bodies for row in body[2] + body[3]] + foot[1]
    longest: dict[int, int] = {}
    for row in rows:
        for column, cell in enumerate(row[1]):
            words = re.split(r"[\s\u200b]+", pandoc_ast.stringify(cell[4]).replace("\u2060", ""))
            longest[column] = max(longest.get(column, 0), *(len(word) for word in words), 0)
    return sum((chars * CHAR_EM + CELL_PAD_EM) * table_pt + RULE_PT for chars in longest.values())
