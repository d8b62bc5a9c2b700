"""The email's text part: the body by pandoc's plain writer and Lua filter, and tidy plain text."""

from __future__ import annotations

from pathlib import Path

from pipeline.project.words import translate
from pipeline.source import pandoc

COLUMNS = 72
# The words the filter adds, each given in the article's language.
FILTER_WORDS = {
    "email-notes-title": "Notes",
    "email-links-title": "Links",
    "email-image-label": "Image",
}


def body(tree: dict, filter_path: Path, ascii: bool, source: Path, lang: str = "en") -> str:
    """The article body as plain text: wrapped at 72 columns, links numbered, notes lettered."""
    args = ["--wrap=auto", f"--columns={COLUMNS}", "--lua-filter", str(filter_path)]
    if ascii:
        args += ["--metadata", "email-ascii=true"]
    for key, word in FILTER_WORDS.items():
        args += ["--metadata", f"{key}={translate(word, lang)}"]
    return tidy(pandoc.write(tree, "plain", source, args))


def tidy(text: str) -> str:
    """No trailing spaces, no blank lines at either end."""
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
