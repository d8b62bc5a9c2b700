"""Comparing what an article holds with what each channel shows, element kind by element kind.

An element is found in a channel when its words (letters and digits, case and typography
aside) stand in that channel's text in the same order, one after the other. The PDFs' text is
poppler's; the hyphens WeasyPrint adds at line ends (U+2010) are joined back first.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import tinyhtml5

from pipeline.source import ast as pandoc_ast

CHANNELS = ("web page", "print PDF", "screen PDF", "email text", "HTML email")
BLOCK_KINDS = {
    "Header": "heading",
    "Para": "paragraph",
    "BlockQuote": "block quote",
    "CodeBlock": "code block",
    "Note": "footnote",
}


def words(text: str) -> str:
    """' word word word ': the text's words, as the comparison sees them."""
    found = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    return f" {' '.join(found)} "


@dataclass
class Element:
    kind: str
    text: str

    @property
    def said(self) -> str:
        return words(self.text)

    def found_in(self, text: str) -> bool:
        """Its words stand in `text` in order, one after the other; numbers between them (a
        footnote's call, a code line's number) aside."""
        said = self.said.split()
        pattern = r"(?: \d+)* ".join(map(re.escape, said))
        return re.search(f" {pattern} ", text) is not None


def elements(ast: dict) -> list[Element]:
    """Every element of the article with words in it, of the kinds the corpus test counts."""
    found: list[Element] = []

    def visit(node: dict) -> None:
        kind = node["t"]
        if kind in BLOCK_KINDS:
            text = node["c"][1] if kind == "CodeBlock" else shown(node)
            found.append(Element(BLOCK_KINDS[kind], text))
        elif kind in ("BulletList", "OrderedList"):
            items = node["c"] if kind == "BulletList" else node["c"][1]
            found.extend(Element("list item", shown(item[:1])) for item in items)
        elif kind == "DefinitionList":
            for term, definitions in node["c"]:
                found.append(Element("definition", shown(term)))
                found.extend(Element("definition", shown(d)) for d in definitions)
        elif kind == "Table":
            found.extend(_table(node))
        elif kind == "Figure":
            found.append(Element("caption", shown(node["c"][1])))

    pandoc_ast.walk(ast["blocks"], visit)
    return [element for element in found if element.said.strip()]


BLOCKS = {
    "Para", "Plain", "BlockQuote", "CodeBlock", "Div", "Header", "BulletList", "OrderedList",
    "DefinitionList", "Table", "Figure", "LineBlock", "HorizontalRule", "RawBlock",
}  # fmt: skip


def shown(node) -> str:
    """An element's own text, in its place, a space between blocks: pictures (counted on
    their own), footnotes (elements of their own, shown at the page's or the text's end) and
    raw HTML (the sanitiser's to judge) left out."""
    if isinstance(node, dict) and node["t"] == "Note":
        node = node["c"]
    parts: list[str] = []

    def visit(item) -> None:
        if isinstance(item, list):
            for part in item:
                visit(part)
        elif isinstance(item, dict) and "t" in item:
            kind = item["t"]
            if kind in ("Image", "Note", "RawInline", "RawBlock"):
                return
            if kind == "Str":
                parts.append(item["c"])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif kind in ("Code", "Math", "CodeBlock"):
                parts.append(f" {item['c'][1]} " if kind == "CodeBlock" else item["c"][1])
            else:
                parts.append(" " * (kind in BLOCKS))
                visit(item.get("c"))
                parts.append(" " * (kind in BLOCKS))

    visit(node)
    return "".join(parts)


def local_pictures(ast: dict) -> int:
    targets = [image["c"][2][0] for image in pandoc_ast.elements(ast, "Image")]
    return sum(not re.match(r"^[a-z]+:", target) for target in targets)


def _table(table: dict) -> list[Element]:
    cells = [Element("caption", shown(table["c"][1]))]
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    rows = head[1] + [row for body in bodies for row in body[2] + body[3]] + foot[1]
    for row in rows:
        cells.extend(Element("table cell", shown(cell[4])) for cell in row[1])
    return cells


# What the PDFs add after a link: " (its address)", which may break over lines.
PRINTED_ADDRESS = re.compile(
    r"\s?\((?:[a-z][a-z0-9+.-]*://[^\s()]*|[^\s()@]+@[^\s()]+)(?:\n[^\s()]+)*\)"
)


EMAIL_MARK = re.compile(r"\[(?:\d+|[a-z]{1,2}|Image: [^\]]*)\]|\b[a-z]+://")
RAISED = re.compile(r"[_^]\(([^()]*)\)")
EMPHASIS = re.compile(r"(?<![^\W_])_(\S[^_]*?)_(?![^\W_])")


def unmarked(text: str) -> str:
    """The text part without its marks: a link's [1], a footnote's [a], a picture's [Image:
    its description] (an element's text leaves pictures out), the scheme of an address shown
    for its link's text, the _ _ around emphasis and the ^( ) and _( ) around a superscript
    and a subscript."""
    return RAISED.sub(r"\1", EMPHASIS.sub(r"\1", EMAIL_MARK.sub("", text)))


def channel_texts(out: Path, slug: str, title: str) -> dict[str, str]:
    """Each channel's text; the PDFs' without their page furniture (running head: the title;
    folio), which stands between the two halves of a paragraph that crosses a page."""
    return {
        "web page": words(_html_text(out / "web" / slug / "index.html")),
        "print PDF": _printed(_pdf_text(out / "print" / f"{slug}.pdf", title)),
        "screen PDF": _printed(_pdf_text(out / "web" / slug / "brochure.pdf", title)),
        "email text": words(mail := (out / "email" / f"{slug}.txt").read_text(encoding="utf-8"))
        + "|"
        + words(unmarked(mail)),
        "HTML email": words(_html_text(out / "email" / f"{slug}.html")),
    }


def _printed(text: str) -> str:
    """A PDF's words as printed, and without what looks like a printed address (code may hold
    one): an element is found in either. "|" is no word: no match runs from one into the
    other."""
    return words(text) + "|" + words(PRINTED_ADDRESS.sub("", text))


def channel_pictures(out: Path, slug: str) -> dict[str, int]:
    """How many of the article's own pictures (files, not addresses on the web) each channel
    shows: <img> elements, the PDF's image objects, the text part's "[Image" marks."""
    text = (out / "email" / f"{slug}.txt").read_text(encoding="utf-8")
    return {
        "web page": _local_imgs(out / "web" / slug / "index.html", remote=False),
        "print PDF": _pdf_images(out / "print" / f"{slug}.pdf"),
        "screen PDF": _pdf_images(out / "web" / slug / "brochure.pdf"),
        "email text": text.count("[Image"),
        "HTML email": _local_imgs(out / "email" / f"{slug}.html", remote=True),
    }


INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip


def _html_text(path: Path) -> str:
    """The page's text as a browser lays it out: a space between blocks (a cell, a paragraph),
    none around inline elements (emphasis inside a word)."""
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"), namespace_html_elements=False)
    parts: list[str] = []

    def visit(element) -> None:
        if element.tag in ("script", "style", "head"):
            parts.append(" " + (element.tail or ""))
            return
        gap = "" if element.tag in INLINE_TAGS else " "
        parts.append(gap + (element.text or ""))
        for child in element:
            visit(child)
        parts.append(gap + (element.tail or ""))

    visit(root)
    return "".join(parts)


def _pdf_text(path: Path, title: str) -> str:
    """The PDF's text in the order it was written (pdftotext -raw: WeasyPrint writes a page's
    text box by box, in reading order; poppler's default reorders table cells by position)."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True
    ).stdout
    text = re.sub(rf"^{re.escape(title)}\n\d+\n\f?", "", text, flags=re.MULTILINE)
    return re.sub("\u2010\n", "", text)  # WeasyPrint's own line-end hyphens


def _local_imgs(path: Path, remote: bool) -> int:
    """<img> elements of the article's own pictures (the HTML email names them by the site's
    address; the web page by a path beside it)."""
    html = path.read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]*\ssrc="([^"]+)"', html)
    site = "https://albanyketamine.example/"
    return sum(source.startswith(site) if remote else "://" not in source for source in sources)


def _pdf_images(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        found = set()
        for page in pdf.pages:
            for image in page.get_images().values():
                found.add(image.objgen)
        return len(found)


@dataclass
class Table:
    """Found and total per (element kind, channel), and what was missed, for the report."""

    counts: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    missed: list[str] = field(default_factory=list)

    def add(self, article: str, kind: str, what: str, channel: str, found: int, total: int = 1):
        cell = self.counts[(kind, channel)]
        cell[0] += min(found, total)
        cell[1] += total
        if found < total:
            self.missed.append(f"{article}: {kind} {what[:60]!r} not in {channel}")

    def text(self) -> str:
        kinds = sorted({kind for kind, _ in self.counts})
        width = max(map(len, kinds))
        lines = [f"{'':<{width}}" + "".join(f"{name:>14}" for name in CHANNELS)]
        for kind in kinds:
            cells = [self.counts.get((kind, name)) for name in CHANNELS]
            lines.append(
                f"{kind:<{width}}" + "".join(f"{f'{c[0]}/{c[1]}' if c else '-':>14}" for c in cells)
            )
        return "\n".join(lines)

    @property
    def complete(self) -> bool:
        return all(found == total for found, total in self.counts.values())
