"""Make the web builds of the brand fonts: WOFF2, cut to the Latin characters the site uses.

    .venv/bin/python scripts/web_fonts.py        (or: make web-fonts)

Reads layouts/fonts/<Family>-<Style>.otf|ttf and writes layouts/web/fonts/<same name>.woff2,
which the web channel serves instead of the full font (about 30 KB instead of 260 KB each).
A character outside these ranges still shows, in the next font of the CSS font stack.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement and Latin Extended-A (Spanish, French, German...)
    (0x2000, 0x206F),  # General Punctuation: dashes, quotes, ellipsis
    (0x20A0, 0x20CF),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols
    (0x2190, 0x21FF),  # arrows (pandoc's footnote back link is U+21A9)
    (0x2212, 0x2212),  # minus sign
]


def make(source: Path, target: Path) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)  # same input, same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")


def main() -> int:
    fonts = (ROOT / "layouts" / "fonts").glob("*-*.*")
    for source in sorted(font for font in fonts if font.suffix in (".otf", ".ttf")):
        make(source, ROOT / "layouts" / "web" / "fonts" / f"{source.stem}.woff2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
