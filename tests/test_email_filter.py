"""Edge cases of the text part's Lua filter (layouts/filters/plain-email.lua), run by pandoc."""

from __future__ import annotations

from pathlib import Path

from pipeline.channels.email import text as mailtext
from pipeline.project.templates import BUILTIN_LAYOUTS, display_width
from pipeline.source import pandoc

FILTER = BUILTIN_LAYOUTS / "filters" / "plain-email.lua"


def plain(markdown: str, ascii: bool = False) -> str:
    path = Path("edge.md")
    return mailtext.body(pandoc.parse(markdown, path), FILTER, ascii, path)


def test_heading_keeps_inline_conversions_and_numbers_its_link():
    text = plain("## A **bold** and *emph* heading with [a link](https://x.example/)\n\ntext\n")
    title = "A *bold* and _emph_ heading with a link [1]"
    assert text.split("\n")[:2] == [title, "=" * len(title)]
    assert text.endswith("Links\n-----\n\n[1] https://x.example/")


def test_note_labels_go_on_past_z():
    markdown = "text" + "".join(f" n{i}[^{i}]" for i in range(1, 29)) + "\n\n"
    markdown += "".join(f"[^{i}]: note {i}\n" for i in range(1, 29))
    text = plain(markdown)
    assert "n26[z]" in text and "n27[aa]" in text and "n28[ab]" in text
    assert "\n[aa] note 27\n" in text


def test_three_columns_too_wide_become_row_blocks():
    row = " | ".join(["word " * 12] * 3)
    text = plain(f"| a | b | c |\n|---|---|---|\n| {row} |\n")
    assert text.startswith("a: word word word")
    assert "\n  b: word word" in text
    assert all(display_width(line) <= 72 for line in text.split("\n"))


def test_heading_levels_each_look_different():
    levels = "".join(f"{'#' * level} Level {level}\n\n" for level in (2, 3, 4, 5, 6, 5, 4, 3, 4))
    assert plain(levels).split("\n\n") == [
        "Level 2\n=======",
        "Level 3\n-------",
        "1 Level 4",
        "1.1 Level 5",
        "1.1.1 Level 6",
        "1.2 Level 5",
        "2 Level 4",
        "Level 3\n-------",
        "1 Level 4",  # numbers start again in each section
    ]


def test_a_long_numbered_heading_hangs_under_its_words():
    text = plain("### S\n\n#### " + "word " * 16 + "\n\n##### Short\n")
    assert text.split("\n")[3:6] == [
        "1 word word word word word word word word word word word word word word",
        "  word word",
        "",
    ]
    assert text.endswith("\n1.1 Short")


def test_every_table_header_is_kept_in_row_blocks():
    text = plain(
        "| Week | Dose | Notes | Where | Who |\n|---|---|---|---|---|\n"
        "| 1 | 0.5 mg/kg | first | clinic | nurse |\n| | 0.7 mg/kg | | home | |\n"
    )
    assert text.split("\n\n") == [
        "Week: 1\n  Dose: 0.5 mg/kg\n  Notes: first\n  Where: clinic\n  Who: nurse",
        "  Dose: 0.7 mg/kg\n  Where: home",  # empty cells are left out
    ]


def test_a_caption_stands_before_its_table_without_attributes():
    table = "| Week | Dose |\n|---|---|\n| 1 | 0.5 |\n\n: Typical doses {#tbl-doses}\n"
    wide = "| A | B | C | D |\n|---|---|---|---|\n| 1 | 2 | 3 | 4 |\n\n: Wide one {#tbl-wide}\n"
    assert plain(table) == "Typical doses\n\n  Week   Dose\n  ------ ------\n  1      0.5"
    assert plain(wide) == "Wide one\n\nA: 1\n  B: 2\n  C: 3\n  D: 4"


def test_a_table_with_a_list_in_a_cell_is_not_drawn_as_a_grid():
    text = plain(
        "+---------+------------+\n| Fruit   | Price      |\n+=========+============+\n"
        "| Bananas | - built-in |\n|         | - wrapper  |\n+---------+------------+\n"
    )
    assert text == "Fruit: Bananas\n  Price:\n    - built-in\n    - wrapper"


def test_dollars_are_text_as_written():
    """The reader takes no TeX math (pandoc.READER): a price is a price."""
    text = plain("Save $20 today, $5 later: $x^2$ and $$y$$.\n")
    assert text == "Save $20 today, $5 later: $x^2$ and $$y$$."


def test_tex_the_writer_cannot_show_as_text_loses_its_dollars():
    """Math still reaches the filter from documents `publish import` reads (a Word equation)."""
    tree = pandoc.parse("Inline X and Y.\n\nSee Z here.\n", Path("edge.md"))
    inline, display = {"t": "InlineMath"}, {"t": "DisplayMath"}
    words = tree["blocks"][0]["c"]
    words[2] = {"t": "Math", "c": [inline, "\\frac{a}{b}"]}
    words[6:] = [{"t": "Math", "c": [inline, "x^2"]}, {"t": "Str", "c": "."}]
    tree["blocks"][1]["c"][2] = {"t": "Math", "c": [display, "\\frac{d}{dx} f(x)"]}
    text = mailtext.body(tree, FILTER, False, Path("edge.md"))
    assert text == "Inline \\frac{a}{b} and x².\n\nSee\n\\frac{d}{dx} f(x)\nhere."


def test_figure_shows_alt_then_a_different_caption():
    text = plain(
        '![The *front* door of the clinic](media/door.jpg){fig-alt="Photo of the door"}\n\n'
        "See [site](https://s.example/ ) and [more ](https://s.example/).\n"
    )
    assert text.startswith("[Image: Photo of the door]\nThe _front_ door of the clinic\n")
    assert "See site [1] and more [1]." in text
    assert "media/" not in text


def test_link_whose_text_is_its_url_is_written_once_without_number():
    text = plain(
        "Visit <https://clinic.example/> or [https://clinic.example](https://clinic.example/)."
    )
    assert text == "Visit https://clinic.example/ or https://clinic.example/."
