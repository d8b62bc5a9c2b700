"""Every character printed in a font the project ships, and a missing glyph never passes."""

from __future__ import annotations

import pytest
import weasyprint
from conftest import REPO, article, make_project, publish
from pdfs import font_rows

from pipeline.channels.print.measure import painted_text
from pipeline.channels.print.preflight import Expect, preflight
from pipeline.channels.print.preflight.reading import differences

BODY = """\
## Signs 💡

A tip 💡, a check ✅, a warning ⚠, arrows → ⇒, a snake 🐍 and boxes ☐ ☑.

Run `pyenv --log-level debug` first.

```
├── src
│   └── main.py   # 🚀
└── --msvs_version=2017
```
"""


@pytest.fixture(scope="module")
def signs(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("signs"), {"signs.md": article("Signs", BODY)})
    result = publish("build", "--strict", "--channel", "print", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


@pytest.mark.parametrize("pdf", ["print/signs.pdf", "web/signs/brochure.pdf"])
def test_code_symbols_and_emoji_are_set_in_shipped_fonts(signs, pdf):
    """Not in whatever the machine has: the same glyphs on every machine."""
    families = {row[0].split("+", 1)[1].split("-Bold")[0] for row in font_rows(signs / pdf)}
    assert families == {"Inter", "Noto-Emoji", "Noto-Sans-Mono", "Noto-Sans-Symbols-2,"}


# A line that ends in a hyphen-minus (hyphens: none, 95 px of monospace): readers drop it.
# U+2FE0 is in no font: Unicode leaves it unassigned.
DROPPED = """<html lang="en"><style>
@font-face { font-family: Mono; src: url("MONO"); }
p { font: 10px Mono; width: 95px; hyphens: none }
</style><p>git clone pyenv-virtualenv.git now \u2fe0</p>"""


@pytest.fixture(scope="module")
def dropped():
    mono = REPO / "layouts" / "fonts" / "Noto-Sans-Mono-Regular.ttf"
    document = weasyprint.HTML(string=DROPPED.replace("MONO", mono.as_uri())).render()
    return document.write_pdf(), painted_text(document)


def test_a_glyph_no_font_has_fails_naming_the_character_and_the_page(dropped):
    data, _ = dropped
    (glyphs,) = [f for f in preflight(data).findings if f.check == "glyphs"]
    assert str(glyphs) == "glyphs: no glyph in any font for '\u2fe0' (U+2FE0) on page 1"


def test_text_a_reader_copies_differently_fails(dropped):
    data, text = dropped
    assert text == ("git clone\npyenv-\nvirtualenv.git\nnow \u2fe0",)
    (copied,) = [f for f in preflight(data, Expect(True, text=text)).findings
                 if f.check == "text copied"]  # fmt: skip
    assert str(copied) == (
        "text copied: page 1: pdftotext reads '-' (U+002D) 0 times, not 1 (in 'pyenv-'); "
        "page 1: PDFium reads U+0002 1 time, not 0; "
        "page 1: PDFium reads '-' (U+002D) 0 times, not 1 (in 'pyenv-')"
    )


def test_without_the_laid_out_text_the_readers_are_held_to_each_other(dropped):
    data, _ = dropped
    (copied,) = [f for f in preflight(data).findings if f.check == "text copied"]
    assert str(copied) == "text copied: page 1: PDFium reads U+0002 1 time, not 0"


@pytest.mark.parametrize(
    ("laid_out", "read"),
    [
        ("long-\nlasting", "long-\nlasting"),  # a hyphen-minus at a line's end is text
        ("hyphen\u2010\nation", "hyphenation"),  # WeasyPrint's hyphen (U+2010) joined back
        ("a\u2010b", "a\u2010b"),  # U+2010 inside a line is text
        ("“quoted”  words\n", "“quoted” words"),  # whitespace is layout
        ("pyenv\u200b-\u2060virtualenv", "pyenv-virtualenv"),  # marks that are not painted
        ("\u26a0\ufe0f warning", "\u26a0 warning"),  # a variation selector
    ],
)
def test_what_reads_as_written_means(laid_out, read):
    assert differences(laid_out, read, 1, "a reader") == []


@pytest.mark.parametrize(
    ("read", "difference"),
    [
        ("pyenvvirtualenv", "reads '-' (U+002D) 0 times, not 1 (in 'pyenv-virtualenv')"),
        ("pyenv\u2010virtualenv", "reads '-' (U+002D) 0 times, not 1 (in 'pyenv-virtualenv')"),
        ("pyenv\ufffevirtualenv", "reads '-' (U+002D) 0 times, not 1 (in 'pyenv-virtualenv')"),
        ('"pyenv-virtualenv"', "reads '\"' (U+0022) 2 times, not 0"),
    ],
)
def test_a_hyphen_or_quote_read_wrong_is_a_difference(read, difference):
    found = differences("“pyenv-virtualenv”" if '"' in read else "pyenv-virtualenv", read, 1, "R")
    assert f"page 1: R {difference}" in found
