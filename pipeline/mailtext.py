"""The email's text part: the body by pandoc's plain writer and Lua filter, and tidy plain text."""

from __future__ import annotations

from pathlib import Path

from . import pandoc

COLUMNS = 72

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


def body(tree: dict, filter_path: Path, ascii: bool, source: Path) -> str:
    """The article body as plain text: wrapped at 72 columns, links numbered, notes lettered."""
    args = ["--wrap=auto", f"--columns={COLUMNS}", "--lua-filter", str(filter_path)]
    if ascii:
        args += ["--metadata", "email-ascii=true"]
    return tidy(pandoc.write(tree, "plain", source, args))


def tidy(text: str) -> str:
    """No trailing spaces, no blank lines at either end."""
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
