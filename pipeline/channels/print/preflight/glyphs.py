"""Missing glyphs: characters a PDF paints with a glyph its font does not have (.notdef).

WeasyPrint 70 gives a character no font has a code of its own (`get_unused_glyph_id`), maps
that code to the character in the font's ToUnicode map, and to glyph 0, .notdef, in the
font's encoding CMap: readers show an empty box, or nothing. The check reads the codes the
pages show (two bytes each) through the encoding to glyph numbers: 0, or one past the end of
the embedded font program, is a missing glyph.
"""

from __future__ import annotations

import io
import re
import struct

import pikepdf
from fontTools.ttLib import TTFont, TTLibError
from pikepdf import Dictionary

from pipeline.channels.print.preflight.common import Expect, Finding, Pdf
from pipeline.errors import plural

CMAP_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")  # bfchar: code, text
CID_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")  # cidchar: code, glyph (CID)


def glyphs(pdf: Pdf, expect: Expect) -> Finding:
    missing: dict[str, list[int]] = {}
    fonts: dict = {}
    for page, font, shown in pdf.paint.text:
        key = font.objgen if font.is_indirect else id(font)
        if key not in fonts:
            fonts[key] = _EmbeddedFont.of(font)
        for character in fonts[key].missing(shown):
            pages = missing.setdefault(character, [])
            pages += [page] * (page not in pages)
    if not missing:
        return Finding("glyphs", True, "every character painted has its glyph")
    return Finding("glyphs", False, "no glyph in any font for " + "; ".join(
        f"{_named(character)} on {plural(len(pages), 'page', counted=False)} "
        + ", ".join(map(str, pages))
        for character, pages in missing.items()
    ))  # fmt: skip


def _named(character: str) -> str:
    codes = " ".join(f"U+{ord(c):04X}" for c in character)
    return f"'{character}' ({codes})"


class _EmbeddedFont:
    """A composite font (two-byte codes): its encoding (code -> glyph; None: identity), glyph
    count (None: unknown, no limit) and ToUnicode map. Other fonts are not judged."""

    def __init__(self, judged: bool, encoding: dict[int, int] | None = None,
                 count: int | None = None, to_unicode: dict[int, str] | None = None):  # fmt: skip
        self.judged, self.encoding, self.count = judged, encoding, count
        self.to_unicode = to_unicode or {}

    @classmethod
    def of(cls, font: Dictionary) -> _EmbeddedFont:
        encoding = font.get("/Encoding")
        if font.get("/Subtype") != "/Type0" or not (
            encoding == "/Identity-H" or isinstance(encoding, pikepdf.Stream)
        ):
            return cls(False)
        glyph_of = _cids(encoding) if isinstance(encoding, pikepdf.Stream) else None
        count = _glyph_count(font["/DescendantFonts"][0])
        return cls(True, glyph_of, count, _to_unicode(font))

    def missing(self, shown: bytes) -> list[str]:
        if not self.judged:
            return []
        codes = [int.from_bytes(shown[i : i + 2], "big") for i in range(0, len(shown) - 1, 2)]
        return [self.to_unicode.get(code, "?") for code in codes if not self._has(code)]

    def _has(self, code: int) -> bool:
        glyph = code if self.encoding is None else self.encoding.get(code, code)
        return glyph != 0 and (self.count is None or glyph < self.count)


def _glyph_count(descendant: Dictionary) -> int | None:
    """How many glyphs the embedded font program has (glyph numbers are CIDs: Identity)."""
    descriptor = descendant.get("/FontDescriptor")
    stream = next(
        (descriptor[key] for key in ("/FontFile2", "/FontFile3") if key in descriptor), None
    ) if isinstance(descriptor, Dictionary) else None  # fmt: skip
    if not isinstance(stream, pikepdf.Stream) or descendant.get("/CIDToGIDMap", "/Identity") != (
        "/Identity"
    ):
        return None
    try:
        return TTFont(io.BytesIO(stream.read_bytes()), lazy=True)["maxp"].numGlyphs
    except (TTLibError, KeyError, AssertionError, ValueError, struct.error):
        return None  # a bare CFF program, or a damaged one: not ours to judge here


def _cids(encoding: pikepdf.Stream) -> dict[int, int]:
    """An embedded encoding CMap's single entries (cidchar, as WeasyPrint writes them)."""
    return {int(code, 16): int(cid) for code, cid in CID_ENTRY.findall(encoding.read_bytes())}


def _to_unicode(font: Dictionary) -> dict[int, str]:
    """The font's ToUnicode map, its single entries (bfchar, as WeasyPrint writes them)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    found = {}
    for code, text in CMAP_ENTRY.findall(stream.read_bytes()):
        try:
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            continue
    return found
