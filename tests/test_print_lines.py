"""Lines of the brochure: no word left alone on a line when the next one would fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.formatting_structure import boxes

from pipeline.channels.print import pdf

INTER = Path(__file__).resolve().parent.parent / "layouts" / "fonts" / "Inter-Regular.otf"
PAGE = """<html lang="en"><style>
@font-face {{ font-family: Inter; src: url("{font}"); }}
p {{ font: 10pt Inter; width: {width}px; margin: 0; hyphens: manual; }}
</style><p>{text}</p>"""


def lines(text: str, width: float, tmp_path: Path) -> list[str]:
    """The lines a paragraph of `text` (HTML) is set in, `width` CSS pixels wide."""
    html = PAGE.format(font=INTER.as_uri(), width=width, text=text)
    document = pdf.layout(html, tmp_path, [INTER.parent], tmp_path / "lines.md")
    return [
        "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox))
        for line in document.pages[0]._page_box.descendants()
        if isinstance(line, boxes.LineBox)
    ]


def width_of(text: str, tmp_path: Path) -> float:
    """How wide `text` is set on one line, in CSS pixels."""
    html = PAGE.format(font=INTER.as_uri(), width=10_000, text=f"<span>{text}</span>")
    document = pdf.layout(html, tmp_path, [INTER.parent], tmp_path / "lines.md")
    return next(
        box.width
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, boxes.InlineBox)
    )


@pytest.mark.parametrize(
    ("before", "inline", "first_line"),
    [
        ("to the community ", "<em>word</em>", "to the community"),  # a space, then emphasis
        ("to the community ", '<a href="https://example.org/">link</a>', "to the community"),
        # A no-break space holds "e.g." to the code: the line breaks before them.
        ("set it, e.g.&nbsp;", "<code>PLATFORM=fallback</code>", "set it,"),
    ],
    ids=["emphasis", "link", "no-break space"],
)
def test_the_words_before_an_inline_box_stay_together(tmp_path, before, inline, first_line):
    """WeasyPrint 70 set the first word alone when the words fit and only the space after
    them did not (pipeline/channels/print/linebreaks.py)."""
    room = width_of(before.replace("&nbsp;", "").strip(), tmp_path) + 0.5
    assert lines(before + inline, room, tmp_path)[0].strip("\xa0 ") == first_line


@pytest.mark.parametrize("inside", ["", "<em>{}</em>", '<a href="https://example.org/">{}</a>'])
def test_code_that_fits_the_next_line_goes_there_whole(tmp_path, inside):
    """`overflow-wrap: anywhere` breaks a word only where it starts a line; WeasyPrint 70 took
    every word in an inline box that starts the line for a line start, and broke the code at
    any letter (pipeline/channels/print/linebreaks.py)."""
    code = '<code style="overflow-wrap: anywhere">MultipleOf(number)</code>'
    text = (inside or "{}").format(f"constructs such as {code} or")
    room = width_of("constructs such as Multiple", tmp_path)
    assert [line.strip() for line in lines(text, room, tmp_path)[:2]] == [
        "constructs such as",
        "MultipleOf(number) or",
    ]


def test_code_longer_than_a_line_is_still_broken_to_fit(tmp_path):
    code = '<code style="overflow-wrap: anywhere">a_very_long_identifier_with_no_break</code>'
    room = width_of("a_very_long_identifier", tmp_path)
    found = lines(f"<em>Use {code} here</em>", room, tmp_path)
    assert found[0].strip() == "Use"
    assert "".join(found[1:]).replace(" ", "").startswith("a_very_long_identifier_with_no_break")
    assert all(width_of(line.strip(), tmp_path) <= room + 0.5 for line in found if line.strip())
