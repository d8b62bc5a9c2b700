"""What a reader copies from a PDF: its text as poppler (pdftotext) and PDFium extract it.

"Reads as written", page by page: the characters a reader extracts are the characters the
layout painted (`Expect.text`), each as many times, once both sides are normalised alike:
whitespace removed (line ends, spaces, the order of columns are layout, not text); a hyphen
WeasyPrint added at a line's end (U+2010) removed, the word joined back; characters that are
not painted removed (Unicode format characters: zero width space, word joiner, soft hyphen,
zero width joiner; variation selectors). So a hyphen-minus a reader drops at a line's end, a
glyph read as another character, U+FFFE or a control character all fail. Without the painted
text (a PDF checked on its own) the two readers are held to each other, and to no control or
non-character.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter

from pipeline.channels.print.preflight.common import Expect, Finding, Pdf
from pipeline.errors import plural

LINE_END_HYPHEN = re.compile(r"\u2010(?=\s|$)")
SHOWN = 3  # differences named in a failure
NOT_TEXT = ("Cc", "Cs")  # control characters, surrogates


def reads_as_written(pdf: Pdf, expect: Expect) -> Finding:
    poppler = pdftotext(pdf.data)
    if poppler is None:
        return Finding("text copied", False, "poppler's pdftotext is not installed "
                       "(Debian: apt-get install poppler-utils)")  # fmt: skip
    readers = {"pdftotext": poppler, "PDFium": pdf.page_texts}
    written = expect.text or [_readable(page) for page in pdf.page_texts]
    problems = [
        problem
        for name, pages in readers.items()
        for number, (page, read) in enumerate(zip(written, pages, strict=False), start=1)
        for problem in differences(page, read, number, name)
    ]
    if problems:
        return Finding("text copied", False, "; ".join(problems[:SHOWN]))
    held = "the text laid out" if expect.text else "each other"
    return Finding("text copied", True, f"pdftotext and PDFium read as {held}")


def differences(written: str, read: str, page: int, reader: str) -> list[str]:
    """What `reader` reads differently on `page`: characters more or fewer than written."""
    want, got = Counter(letters(written)), Counter(letters(read))
    found = []
    for character in sorted(set(want) | set(got)):
        if want[character] != got[character]:
            found.append(
                f"page {page}: {reader} reads {_named(character)} "
                f"{plural(got[character], 'time')}, not {want[character]}"
                + _near(character, written, read)
            )
    return found


def letters(text: str) -> str:
    """The text without what the definition above leaves out."""
    text = LINE_END_HYPHEN.sub("", text)
    return "".join(
        char
        for char in text
        if not char.isspace()
        and unicodedata.category(char) != "Cf"
        and not ("\ufe00" <= char <= "\ufe0f")
    )


def _readable(text: str) -> str:
    """Text without control characters and non-characters (U+FFFE...), which no page shows."""
    return "".join(c for c in text if c.isspace() or not _not_text(c))


def _not_text(character: str) -> bool:
    """A control character, a surrogate, a non-character (U+FFFE...) or U+FFFD."""
    code = ord(character)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return unicodedata.category(character) in NOT_TEXT or noncharacter or code == 0xFFFD


def _near(character: str, written: str, read: str) -> str:
    """Where: the first written word holding `character` that the reader does not give."""
    extracted = letters(read)
    for word in written.split():
        if character in word and letters(word) not in extracted:
            return f" (in '{letters(word)}')"
    return ""


def _named(character: str) -> str:
    shown = character if character.isprintable() else ""
    return f"'{shown}' (U+{ord(character):04X})" if shown else f"U+{ord(character):04X}"


def pdftotext(data: bytes) -> list[str] | None:
    """Each page's text as poppler extracts it (pages end in a form feed), None without it."""
    if shutil.which("pdftotext") is None:
        return None
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=False
    ).stdout.decode("utf-8", "replace")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")
