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
    assert text.startswith("*word word word")
    assert "\n  b: word word" in text
    assert all(display_width(line) <= 72 for line in text.split("\n"))


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
