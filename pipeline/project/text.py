"""Text every output can carry: the characters XML refuses, and what an email header refuses.

XML 1.0 (the feed, the sitemap, the PDFs' metadata) forbids the C0 control characters but tab
and line breaks, lone surrogates, U+FFFE and U+FFFF. Python's email package splits a header on
CR and LF and also on \\v, \\f, \\x1c-\\x1e, U+0085, U+2028 and U+2029; RFC 5322 caps a line at
998 octets.
"""

from __future__ import annotations

import re
from email.policy import SMTP

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Word writes a line break inside a paragraph as \v, a page break as \f.
WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
HEADER_LINE = 998  # octets, RFC 5322


def forbidden(text: str) -> str | None:
    """The first character of `text` no output can carry, named ('U+0001'), or None."""
    found = FORBIDDEN.search(text)
    return f"U+{ord(found[0]):04X}" if found else None


def unreadable(text: str) -> str | None:
    """What is wrong with `text` as a value, in words, or None: a control character or a lone
    surrogate."""
    named = forbidden(text)
    if named is None:
        return None
    if 0xD800 <= int(named[2:], 16) <= 0xDFFF:
        return f"holds a lone surrogate ({named}), which is not a character"
    return f"holds the control character {named}, which no output can carry"


def header_problem(value: str, header: str) -> tuple[str, str] | None:
    """Why `value` cannot be the email's `header` header, and what to do; or None."""
    if LINE_BREAKS.search(value):
        return f"must be one line: it becomes the email's {header} header", "Remove the line break"
    said = unreadable(value)
    if said is not None:
        return f"{said} (it becomes the email's {header} header)", "Delete that character"
    longest = max(len(line.encode()) for line in SMTP.fold(header, value).split("\r\n"))
    if longest > HEADER_LINE:
        return (
            f"is too long for the email's {header} header: it folds into a line of "
            f"{longest} characters, and a line holds at most {HEADER_LINE}",
            "Shorten it",
        )
    return None


# The same mapping as layouts/filters/plain-email.lua, for text that does not pass through
# pandoc (title, summary, contact block, disclaimer, subject).
NON_BREAKING_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
ASCII_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"),
        **dict.fromkeys("\u2014\u2015", "--"),
        "\u2026": "...",
    }
)


def plain_text(value: object, ascii: bool = False) -> str:
    """`value` with ordinary spaces for non-breaking ones, and ASCII punctuation if asked."""
    text = str(value).translate(NON_BREAKING_SPACES)
    return text.translate(ASCII_PUNCTUATION) if ascii else text
