"""The press's ink rules for type and solids, page by page (paint.py follows what is painted).

- Black text is 100 % K alone: a black under 100 % prints as a screen of dots, and black
  with other inks (rich black) blurs on the slightest misregister.
- Text under 12 pt is in at most two inks: a fine letter in three or four inks shows each
  one's edge when the plates are a hair apart.
- Rich black (K with other inks) only on large solid areas, where it looks deeper than K
  alone; on type, rules and small shapes it is the same blur.
"""

from __future__ import annotations

from pipeline.channels.print.preflight.common import Expect, Finding, Pdf
from pipeline.channels.print.preflight.paint import Inked

BLACK = 0.5  # K above this, with no other ink: the text is meant black
RICH = 0.9  # K at or above this, with another ink: rich black
SMALL_PT = 12  # type under this size: two inks at most
LARGE_SOLID = 1.0 * 72 * 72  # square points: a solid of at least a square inch
SHOWN = 3  # findings named in a failure


def black_text(pdf: Pdf, expect: Expect) -> Finding:
    found = [
        f"{_where(item)} in {_inks(item.cmyk)}"
        for item in _once(pdf.paint.inked)
        if item.what == "text" and _black(item.cmyk) and item.cmyk[3] < 1
    ]
    return _finding("black text", found, "black text is 100 % K only",
                    "black text is not 100 % K alone (a screen of dots)")  # fmt: skip


def small_text(pdf: Pdf, expect: Expect) -> Finding:
    found = [
        f"{_where(item)} in {_count(item.cmyk)} inks ({_inks(item.cmyk)})"
        for item in _once(pdf.paint.inked)
        if item.what == "text" and item.size < SMALL_PT and _count(item.cmyk) > 2
    ]
    return _finding("small text", found, f"text under {SMALL_PT} pt in two inks at most",
                    f"text under {SMALL_PT} pt in more than two inks")  # fmt: skip


def rich_black(pdf: Pdf, expect: Expect) -> Finding:
    found = [
        f"{_where(item)} in rich black ({_inks(item.cmyk)})"
        for item in _once(pdf.paint.inked)
        if _rich(item.cmyk) and (item.what == "text" or item.size < LARGE_SOLID)
    ]
    return _finding("rich black", found, "rich black on large solid areas only",
                    "rich black on type or small shapes")  # fmt: skip


def _finding(check: str, found: list[str], ok: str, failed: str) -> Finding:
    if not found:
        return Finding(check, True, ok)
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return Finding(check, False, f"{failed}: " + "; ".join(found[:SHOWN]) + more)


def _once(items: list[Inked]) -> list[Inked]:
    """Each kind of type or shape once per page (a page sets many lines of one font)."""
    seen, found = set(), []
    for item in items:
        size = round(item.size, 1) if item.what == "text" else 0
        key = (item.page, item.what, item.font, size, item.cmyk)
        if key not in seen:
            seen.add(key)
            found.append(item)
    return found


def _where(item: Inked) -> str:
    if item.what == "text":
        return f"page {item.page}: {item.size:.3g} pt text in {_font(item.font)}"
    side = item.size**0.5 / 72
    return f"page {item.page}: a shape of {item.size / 72 / 72:.2g} sq in ({side:.2g} in square)"


def _font(name: str) -> str:
    """A font's name without the subset tag WeasyPrint adds ('LNXIQZ+Inter' -> 'Inter')."""
    return name.split("+", 1)[-1]


def _count(cmyk: tuple[float, ...]) -> int:
    return sum(1 for ink in cmyk if ink > 0)


def _black(cmyk: tuple[float, ...]) -> bool:
    return not any(cmyk[:3]) and cmyk[3] > BLACK


def _rich(cmyk: tuple[float, ...]) -> bool:
    return any(cmyk[:3]) and cmyk[3] >= RICH


def _inks(cmyk: tuple[float, ...]) -> str:
    """'C 86 M 30 Y 38 K 30 %': the inks a colour uses."""
    parts = [f"{name} {ink * 100:.3g}" for name, ink in zip("CMYK", cmyk, strict=True) if ink]
    return " ".join(parts) + " %" if parts else "no ink"
