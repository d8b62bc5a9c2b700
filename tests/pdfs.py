"""Reading PDFs in tests with the tools a print shop uses: pypdf, poppler (pdffonts, pdftotext)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream

POINTS_PER_IN = 72


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def operators(reader: PdfReader) -> set[str]:
    """Every operator in every page's content stream."""
    found = set()
    for page in reader.pages:
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            found.add(operator.decode("latin-1"))
    return found


def colour_spaces(reader: PdfReader) -> set[str]:
    """The colour spaces the pages select for filling and stroking (`cs`, `CS`)."""
    found = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"cs", b"CS"):
                found.add(str(operands[0]))
    return found


def image_spaces(reader: PdfReader) -> list[str]:
    """The colour space of every image the pages draw (each image once)."""
    spaces = {}
    for page in reader.pages:
        for reference in page["/Resources"].get("/XObject", {}).values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                spaces[reference.idnum] = str(xobject["/ColorSpace"])
    return list(spaces.values())


def font_rows(pdf: Path) -> list[list[str]]:
    """`pdffonts` rows, split on spaces (name, type..., emb, sub, uni, object, id)."""
    return [line.split() for line in run("pdffonts", str(pdf)).splitlines()[2:]]


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Words on a page with their box (xMin, yMin, xMax, yMax) in points, from `pdftotext -bbox`."""
    xhtml = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml)
    ns = "{http://www.w3.org/1999/xhtml}"
    return [
        (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
        for w in ElementTree.fromstring(xhtml).iter(f"{ns}word")
    ]


def page_image(pdf: Path, page: int, prefix: Path, dpi: int = 36) -> Image.Image:
    """One page rendered by poppler (its MediaBox: with the bleed, where there is one)."""
    run("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf), str(prefix))
    digits = len(str(len(PdfReader(pdf).pages)))
    return Image.open(f"{prefix}-{page:0{digits}d}.png").convert("RGB")


def outline_titles(reader: PdfReader) -> list[str]:
    def flatten(entries):
        for entry in entries:
            yield from flatten(entry) if isinstance(entry, list) else [entry.title]

    return list(flatten(reader.outline))


def photo(path: Path, size: tuple[int, int]) -> Path:
    """A picture to print: sky blue above, a yellow sun, dark ground (sRGB)."""
    image = Image.new("RGB", size, (90, 170, 230))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, height * 2 // 3, width, height), fill=(40, 60, 40))
    sun = (width // 3, height // 6, width * 2 // 3, height // 6 + width // 3)
    draw.ellipse(sun, fill=(250, 210, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path
