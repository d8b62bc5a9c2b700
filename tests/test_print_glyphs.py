"""Every character printed in a font the project ships, and a missing glyph never passes."""

from __future__ import annotations

import pytest
from conftest import article, make_project, publish
from pdfs import font_rows

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
