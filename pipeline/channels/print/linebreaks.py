"""Two fixes for WeasyPrint 70's line breaking.

1. No lone first word before an inline box.

WeasyPrint lays out the text before an inline box (emphasis, a link, inline code) as a text
box of its own, which ends in the space before that box. `split_first_line` measures the
line with that trailing space, although a space at the end of a line takes no room (CSS
Text 3, 4.1.3). When the words fit and only the space does not, it takes the line for one
word too long to break anywhere and sets the first word alone: "to" on one line, "the
community" on the next, then the emphasis. The minimal reproduction:

    <p style="font: 10px 'DejaVu Sans Mono'; width: 100px">to the community <em>word</em></p>

"to the community" is 96 px wide, 102 px with its space: WeasyPrint prints "to" alone.

2. `overflow-wrap: anywhere` breaks a word only at the start of a line. WeasyPrint decides
whether a text box starts its line by counting what the line holds so far, but it counts only
the line's own children once each is laid out: text inside an inline box that begins the line
(a paragraph in emphasis, a link) counts as starting it wherever it falls. Code in such a box
is then broken at any letter where the next line had room for it whole. The minimal
reproduction (200 px hold 33 letters):

    <p style="font: 10px 'DejaVu Sans Mono'; width: 200px"><em>construct invalid such as
    <code style="overflow-wrap: anywhere">MultipleOf(x)</code> or</em></p>

prints "construct invalid such as Multipl" and "eOf(x) or"; without the `em`, "MultipleOf(x)"
goes whole to the second line.
"""

from __future__ import annotations

import functools
import math

WHITE = " \xa0"  # what Pango leaves out of a line's width at its end: spaces, no-break spaces


@functools.cache
def install() -> None:
    """Wrap WeasyPrint's `split_first_line` where inline layout calls it (once a process).
    Only in the version it was written against: another may have fixed the bug or changed the
    function, and tests/test_print_lines.py then says which."""
    import weasyprint
    from weasyprint.layout import inline

    if not weasyprint.__version__.startswith("70."):
        return

    inline.split_first_line = _lay_out_whole_when_only_a_space_overflows(inline.split_first_line)
    inline.split_inline_box = _line_starts_noted(inline.split_inline_box)
    inline.split_text_box = _at_line_start_only_where_it_starts(inline.split_text_box)


_line_starts: list[float] = []  # the x where each line being laid out starts, innermost last


def _line_starts_noted(split_inline_box):
    def split(context, box, position_x, *args, **kwargs):
        from weasyprint.formatting_structure import boxes

        if not isinstance(box, boxes.LineBox):
            return split_inline_box(context, box, position_x, *args, **kwargs)
        _line_starts.append(position_x)
        try:
            return split_inline_box(context, box, position_x, *args, **kwargs)
        finally:
            _line_starts.pop()

    return split


def _at_line_start_only_where_it_starts(split_text_box):
    def split(context, box, available_width, skip, is_line_start=True):
        if is_line_start and _line_starts and box.position_x > _line_starts[-1] + 0.01:
            is_line_start = False
        return split_text_box(context, box, available_width, skip, is_line_start=is_line_start)

    return split


def _lay_out_whole_when_only_a_space_overflows(split_first_line):
    def split(text, style, context, max_width, justification_spacing, *args, **kwargs):
        found = split_first_line(
            text, style, context, max_width, justification_spacing, *args, **kwargs
        )
        if found[2] is None or not text.endswith(tuple(WHITE)) or not text.strip(WHITE):
            return found
        words = split_first_line(
            text.rstrip(WHITE), style, context, max_width, justification_spacing, *args, **kwargs
        )
        if words[2] is None and words[3] <= max_width:  # the words fit: keep them together
            return split_first_line(
                text, style, context, math.inf, justification_spacing, *args, **kwargs
            )
        return found

    return split
