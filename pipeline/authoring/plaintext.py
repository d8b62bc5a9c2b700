"""Plain text, such as text scraped from a web page, read into pandoc blocks by stated heuristics.

The heuristics (docs/authoring.md, "Importing", says the same to writers):

1. Blank lines separate blocks. A block of one short line (at most 12 words, starting with a
   capital or a digit, not ending in `.`, `,`, `;` or `:`) is a heading; any other is a paragraph.
2. Lines starting with a bullet (`•`, `●`, `◦`, `▪`, `‣`, `-`, `*`, `–`) are items of one
   bulleted list; lines starting with `1.` or `1)` items of a numbered list.
3. Page furniture is left out where web pages put it, before the first paragraph and after
   the last: street addresses, "City, ST 12345" lines, opening hours, phone numbers, share
   and navigation links ("Share Now", "Back to top"...), copyright lines.
4. The first heading is the title. The same line again right after it (a page title repeated
   as the article's heading) is left out.
5. Levels: a heading followed directly by another heading opens a section (h2) whose first
   subsection (h3) is the next; a heading after text is at the level of the heading before it;
   a closing heading ("Conclusion", "Parting Words", "Final Thoughts"...) is back at h2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING_WORDS = 12
LIST_ITEMS = {"bullets": "bullet points", "numbered": "numbered lines"}
BULLET = re.compile(r"^\s*[•●◦▪‣*\-–]\s+")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+")
DAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
FURNITURE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # street address: "7 Wembley Ct.", "120 Main Street, Suite 4"
        r"^\d+[a-z]?\s+([\w'.-]+\s+){0,4}(st|street|ave|avenue|rd|road|ct|court|blvd|"
        r"boulevard|dr|drive|ln|lane|way|pl|place|pkwy|parkway|hwy|highway|sq|square|"
        r"ter|terrace|cir|circle)\.?(,?\s*(suite|ste\.?|unit|#)\s*\w+)?$",
        r"^[a-z][a-z .'-]+,\s*[a-z]{2}\s+\d{5}(-\d{4})?$",  # "Albany, NY 12205"
        rf"^{DAY}.*(\d{{1,2}}(:\d\d)?|closed)",  # opening hours: "Monday - Friday - 9:00 - 5:00"
        r"^(phone|tel|call( us)?)?[:\s]*\+?[\d\s().-]{10,}$",
        r"^(share( now| this( article| post)?)?|tweet|pin it|follow us|back to top|menu|"
        r"skip to (main )?content|read more|(previous|next)( post| article)?|"
        r"related (posts|articles))\s*:?$",
        r"^(©|\(c\)|copyright\b)",
    )
]
CLOSING = {
    "conclusion",
    "conclusions",
    "in conclusion",
    "parting words",
    "final thoughts",
    "final words",
    "closing thoughts",
    "summary",
    "in summary",
    "to sum up",
    "bottom line",
    "the bottom line",
    "key takeaways",
    "takeaways",
    "wrapping up",
}


@dataclass
class Block:
    kind: str  # "heading", "para", "bullets" or "numbered"
    lines: list[str]
    line: int  # where it starts in the file
    level: int = 2


@dataclass
class PlainText:
    title: str | None
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)  # what was guessed, for the writer to review


def read_plain_text(text: str) -> PlainText:
    blocks = _blocks(text.replace("\u00a0", " "))
    notes = _drop_furniture(blocks)
    title = None
    if blocks and blocks[0].kind == "heading":
        title = blocks.pop(0).lines[0]
        while blocks and blocks[0].kind == "heading" and blocks[0].lines[0] == title:
            notes.append(f'left out line {blocks.pop(0).line}, a repeat of the title "{title}"')
    notes += _set_levels(blocks)
    notes += [
        f"line {b.line}: {len(b.lines)} {LIST_ITEMS[b.kind]} made a list"
        for b in blocks
        if b.kind in LIST_ITEMS
    ]
    return PlainText(title, blocks, notes)


def _blocks(text: str) -> list[Block]:
    """Blocks of lines between blank lines; list items split from the text around them."""
    blocks: list[Block] = []
    start = None
    lines = text.split("\n") + [""]
    for number, line in enumerate(lines, start=1):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            blocks += _split_lists(lines[start - 1 : number - 1], start)
            start = None
    return _merge_lists(blocks)


def _split_lists(lines: list[str], first: int) -> list[Block]:
    found: list[Block] = []
    for offset, raw in enumerate(lines):
        kind = "bullets" if BULLET.match(raw) else "numbered" if NUMBERED.match(raw) else "para"
        line = raw.strip()
        if kind == "para" and found and (found[-1].kind == "para" or raw[:1].isspace()):
            found[-1].lines[-1] += " " + line  # a line wrapped by hand, or an item's next line
        elif kind == "para":
            found.append(Block("para", [line], first + offset))
        elif found and found[-1].kind == kind:
            found[-1].lines.append(_item(line))
        else:
            found.append(Block(kind, [_item(line)], first + offset))
    for block in found:
        if block.kind == "para" and _heading_like(block.lines[0]):
            block.kind = "heading"
    return found


def _item(line: str) -> str:
    return NUMBERED.sub("", BULLET.sub("", line, count=1), count=1)


def _heading_like(line: str) -> bool:
    words = line.split()
    return (
        len(words) <= HEADING_WORDS
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith((".", ",", ";", ":"))
    )


def _merge_lists(blocks: list[Block]) -> list[Block]:
    """Items separated by blank lines are still one list."""
    merged: list[Block] = []
    for block in blocks:
        if merged and block.kind in ("bullets", "numbered") and merged[-1].kind == block.kind:
            merged[-1].lines += block.lines
        else:
            merged.append(block)
    return merged


def _drop_furniture(blocks: list[Block]) -> list[str]:
    """Leave out the page furniture before the first paragraph and after the last one."""
    dropped: list[Block] = []
    for index in (0, -1):
        while blocks and blocks[index].kind != "bullets" and _furniture(blocks[index]):
            dropped.append(blocks.pop(index))
    if not dropped:
        return []
    shown = ", ".join(f'line {b.line} "{" ".join(b.lines)}"' for b in sorted(dropped, key=_at))
    return [f"left out as page furniture: {shown}"]


def _at(block: Block) -> int:
    return block.line


def _furniture(block: Block) -> bool:
    return all(any(p.search(line) for p in FURNITURE) for line in block.lines)


def _set_levels(blocks: list[Block]) -> list[str]:
    notes = []
    level = 2
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        before = blocks[index - 1] if index else None
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.lines[0].lower().strip("!? ") in CLOSING:
            level = 2
            if any(b.level > 2 for b in blocks[:index] if b.kind == "heading"):
                notes.append(f'"{block.lines[0]}" is a closing heading: put at the top level')
        elif before is not None and before.kind == "heading":
            level = min(before.level + 1, 6)
        elif after is not None and after.kind == "heading":
            level = 2
        block.level = level
    return notes


def to_blocks(text: PlainText) -> list[dict]:
    """The blocks as pandoc's JSON AST (its Markdown writer then escapes what needs it)."""
    return [_block(block) for block in text.blocks]


def _block(block: Block) -> dict:
    if block.kind == "heading":
        return {"t": "Header", "c": [block.level, ["", [], []], _inlines(block.lines[0])]}
    if block.kind == "para":
        return {"t": "Para", "c": _inlines(" ".join(block.lines))}
    items = [[{"t": "Plain", "c": _inlines(item)}] for item in block.lines]
    if block.kind == "bullets":
        return {"t": "BulletList", "c": items}
    return {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}


def _inlines(text: str) -> list[dict]:
    inlines: list[dict] = []
    for word in text.split():
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines
