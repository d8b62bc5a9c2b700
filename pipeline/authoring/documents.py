"""Word, OpenDocument and HTML files read by pandoc, with the title, author and date they carry."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc

ODT = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
# Paragraph styles of an OpenDocument title block; pandoc's odt reader does not read them.
ODT_TITLE_BLOCK = {"Title": "title", "Subtitle": "subtitle", "Author": "author", "Date": "date"}


@dataclass
class Document:
    ast: dict
    meta: dict[str, str]  # title, author, date, abstract, description: as the file gives them
    form: str  # docx, odt, html or text
    images_in: Path | None = None  # an image whose file is in this folder is the document's
    guesses: list[str] = field(default_factory=list)
    title: str = ""
    title_from: str = ""

    def set_title(self, title: str | None, source: str, file: Path) -> None:
        if title:
            self.title, self.title_from = title, source
        else:
            self.title = " ".join(re.sub(r"[-_]+", " ", file.stem).split()) or "Untitled"
            self.title_from = "the file name: the document has no heading"

    def date(self) -> tuple[date, str]:
        own = self.meta.get("date") or self.meta.get("dcterms.date", "")  # the last: HTML's
        try:
            return date.fromisoformat(own), "the document's date"
        except ValueError:
            said = f" (the document's date '{own}' is not YYYY-MM-DD)" if own else ""
            return date.today(), f"today{said}; set it with --date"

    def note_images(self, slug: str) -> None:
        for image in pandoc_ast.elements(self.ast, "Image"):
            target = image["c"][2][0]
            if not pandoc_ast.stringify(image["c"][1]).strip():
                self.guesses.append(f"image {target} has no alt text: say what it shows")
            if urlsplit(target).scheme in ("http", "https"):
                self.guesses.append(
                    f"image {target} is on another site: save it in source/media/{slug}/ "
                    "if you may use it, or remove it"
                )
            elif not target.startswith((f"media/{slug}/", "data:")):
                self.guesses.append(f"image {target} was not found: put it there or remove it")

    def note_headings(self) -> None:
        headings = pandoc_ast.headings(self.ast)
        if not headings:
            self.guesses.append("headings: none")
            return
        self.guesses.append(f"headings ({len(headings)}), their levels from the document:")
        self.guesses += [
            "  " + "  " * (h.level - 2) + "#" * h.level + " " + h.text for h in headings
        ]


def read(file: Path, form: str, scratch: Path) -> Document:
    """Read `file` (docx, odt or html); an office file's images are extracted under `scratch`."""
    if form == "html":
        folder = file.parent.resolve()
        tree = _local_images(pandoc.read_document(file, form), folder)
    else:
        folder = scratch
        tree = pandoc.read_document(file, form, scratch)
    tree = _without_empty_spans(tree)
    # Pandoc's and Quarto's standalone HTML repeat the page's metadata in this block.
    tree["blocks"] = [b for b in tree["blocks"] if not _is_title_block(b)]
    # A document sizes its images for its own page; the layouts fit them to their columns.
    pandoc_ast.walk(tree["blocks"], _unsized)
    meta = {key: _text(value) for key, value in tree["meta"].items()}
    if form == "odt":
        meta = {**_odt_title_block(file, tree), **meta}
    document = Document(tree, meta, form, folder)
    _take_title(document, file)
    document.ast = pandoc_ast.normalize_headings(document.ast)
    return document


def _take_title(document: Document, file: Path) -> None:
    """An office file's title, a page's first h1, the title a page declares, its first
    heading, its file name: the first there is. A heading taken is taken out of the body."""
    title = document.meta.get("title")
    headings = list(pandoc_ast.elements(document.ast, "Header"))
    h1 = next((h for h in headings if h["c"][0] == 1), None)
    if document.form != "html" and title:
        document.set_title(title, "the document's title", file)
    elif h1 is not None or (headings and not title):
        heading = h1 or headings[0]
        document.set_title(pandoc_ast.stringify(heading["c"][2]), "the first heading", file)
        document.ast["blocks"] = _without(document.ast["blocks"], heading)
    else:  # a web page's <title> often carries the site's name too: after its h1
        document.set_title(title, "the page's <title>", file)


def _without(node, unwanted: dict):
    """`node` without the element `unwanted` (that very one), at any depth."""
    if isinstance(node, list):
        return [_without(item, unwanted) for item in node if item is not unwanted]
    if isinstance(node, dict):
        return {key: _without(value, unwanted) for key, value in node.items()}
    return node


def _is_title_block(block: dict) -> bool:
    return block["t"] == "Div" and block["c"][0][0] == "title-block-header"


def _local_images(tree: dict, folder: Path) -> dict:
    """A web page's images that are files in its folder, as absolute paths; others as they are.

    Files elsewhere on the disk are not taken: a page could name any file on the machine.
    """
    folder = folder.resolve()

    def locate(kind: str, target: str) -> str:
        url = urlsplit(target)
        if kind != "Image" or url.scheme or url.netloc:
            return target
        file = (folder / unquote(url.path)).resolve()
        return str(file) if file.is_relative_to(folder) and file.is_file() else target

    return pandoc_ast.map_targets(tree, locate)


def _unsized(node: dict) -> None:
    if node["t"] == "Image":
        attr = node["c"][0]
        attr[2] = [[key, value] for key, value in attr[2] if key not in ("width", "height")]


def _text(value: dict) -> str:
    if value["t"] == "MetaString":
        return value["c"]
    if value["t"] == "MetaList":
        return ", ".join(_text(item) for item in value["c"])
    if value["t"] in ("MetaInlines", "MetaBlocks"):
        return " ".join(pandoc_ast.stringify(value["c"]).split())
    return ""


def _without_empty_spans(node):
    """Drop the empty spans office files leave as bookmarks (`[]{#anchor}`)."""
    if isinstance(node, dict):
        return {key: _without_empty_spans(value) for key, value in node.items()}
    if isinstance(node, list):
        return [
            _without_empty_spans(item)
            for item in node
            if not (isinstance(item, dict) and item.get("t") == "Span" and not item["c"][1])
        ]
    return node


def _odt_title_block(file: Path, tree: dict) -> dict[str, str]:
    """The Title, Subtitle, Author and Date paragraphs that open an OpenDocument text.

    They are taken out of the body, where pandoc's odt reader leaves them as paragraphs.
    """
    with zipfile.ZipFile(file) as odt:
        root = ElementTree.fromstring(odt.read("content.xml"))
    name, parent = f"{{{ODT['style']}}}name", f"{{{ODT['style']}}}parent-style-name"
    # An automatic style (direct formatting) stands in for the named style it is based on.
    parents = {
        style.get(name): style.get(parent) for style in root.iter(f"{{{ODT['style']}}}style")
    }
    found: dict[str, str] = {}
    text = root.find("office:body/office:text", ODT)
    for element in text if text is not None else []:
        if element.tag == f"{{{ODT['text']}}}p":
            style = element.get(f"{{{ODT['text']}}}style-name")
            key = ODT_TITLE_BLOCK.get(parents.get(style) or style)
            if key is None:
                break
            found.setdefault(key, " ".join("".join(element.itertext()).split()))
        elif element.tag == f"{{{ODT['text']}}}h":
            break
    blocks = tree["blocks"]
    while blocks and blocks[0]["t"] in ("Para", "Plain"):
        if pandoc_ast.stringify(blocks[0]["c"]) not in found.values():
            break
        blocks.pop(0)
    return found
