"""A fix for WeasyPrint 70's line breaking: no lone first word before an inline box.

WeasyPrint lays out the text before an inline box (emphasis, a link, inline code) as a text
box of its own, which ends in the space before that box. `split_first_line` measures the
line with that trailing space, although a space at the end of a line takes no room (CSS
Text 3, 4.1.3). When the words fit and only the space does not, it takes the line for one
word too long to break anywhere and sets the first word alone: "to" on one line, "the
community" on the next, then the emphasis. The minimal reproduction:

    <p style="font: 10px 'DejaVu Sans Mono'; width: 100px">to the community <em>word</em></p>

"to the community" is 96 px wide, 102 px with its space: WeasyPrint prints "to" alone.
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
