"""`publish import`: a .docx, .odt, .html or plain-text file turned into a draft article."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.authoring import documents
from pipeline.authoring.new import front_matter, refuse_to_overwrite
from pipeline.authoring.plaintext import read_plain_text, to_blocks
from pipeline.errors import PublishError, display_path
from pipeline.project.files import write_atomic
from pipeline.project.folder import Project
from pipeline.source import ast as pandoc_ast
from pipeline.source import pandoc
from pipeline.source.files import read_text
from pipeline.source.rules import SUMMARY_LENGTH
from pipeline.source.sources import slugify

FORMATS = {".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html", ".txt": "text"}
MARKDOWN = "markdown-smart-simple_tables-multiline_tables-grid_tables"  # pipe tables


@dataclass
class Imported:
    path: Path
    media: list[Path] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)  # for the writer to review

    def report(self) -> str:
        lines = [f"wrote {display_path(self.path)}"]
        lines += [f"wrote {display_path(file)}" for file in self.media]
        lines += ["Guessed (review these before you publish):"]
        lines += [f"  {guess}" for guess in self.guesses]
        lines += [f"Then run: publish check {display_path(self.path)}"]
        return "\n".join(lines)


def import_document(project: Project, file: Path, day: date | None = None) -> Imported:
    """Write `source/<slug>.md` (and its images under source/media/<slug>/) from `file`."""
    form = _format(file)
    with tempfile.TemporaryDirectory() as scratch:
        document = _read(file, form, Path(scratch))
        slug = slugify(document.title)
        target = project.source_dir / f"{slug}.md"
        refuse_to_overwrite(target, "publish import")
        images = _move_images(document, project.source_dir, slug)
        text = _article(document, day, file)
        for path, data in images.items():
            write_atomic(path, data)
    write_atomic(target, text.encode())
    return Imported(target, list(images), document.guesses)


def _format(file: Path) -> str:
    if not file.is_file():
        raise PublishError("no such file", file, hint="Check the path")
    form = FORMATS.get(file.suffix.lower(), "text" if not file.suffix else None)
    if form is None:
        raise PublishError(
            f"cannot import '{file.suffix}' files",
            file,
            hint="publish import reads .docx, .odt, .html, .htm and plain text (.txt)",
        )
    return form


def _read(file: Path, form: str, scratch: Path) -> documents.Document:
    if form != "text":
        return documents.read(file, form, scratch)
    text = read_plain_text(read_text(file))
    tree = pandoc.parse("", file)  # an empty document: pandoc's API version for the blocks
    tree["blocks"] = to_blocks(text)
    document = documents.Document(tree, {}, "text", guesses=list(text.notes))
    document.set_title(text.title, "the first heading", file)
    return document


def _move_images(document: documents.Document, source: Path, slug: str) -> dict[Path, bytes]:
    """The document's images -> their place under source/media/<slug>/, with their bytes.

    A web page's images keep their names; an office file's internal ones (rId23.png,
    Pictures/0.png) become image-1.png, image-2.png... in reading order.
    """
    images: dict[Path, bytes] = {}
    folder = source / "media" / slug

    def move(kind: str, target: str) -> str:
        extracted = Path(target)
        if kind != "Image" or not document.images_in or not extracted.is_absolute():
            return target
        if not extracted.is_relative_to(document.images_in):
            return target
        name = extracted.name
        if document.form != "html":
            name = f"image-{len(images) + 1}{extracted.suffix}"
        name = _unique(name, {path.name for path in images})
        images[folder / name] = extracted.read_bytes()
        return f"media/{slug}/{name}"

    document.ast = pandoc_ast.map_targets(document.ast, move)
    if images and folder.exists():
        raise PublishError(
            "already exists, and publish import never overwrites",
            folder,
            hint="Move that folder away, or give the document another title",
        )
    document.note_images(slug)
    return images


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name` numbered when a web page has two images of that name in two folders."""
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}" if dot else f"{name}-{number}"
    return candidate


def _article(document: documents.Document, day: date | None, file: Path) -> str:
    """The article's text: drafted front matter, then the body in pandoc's Markdown."""
    summary, said = _summary(document)
    when, how = (day, "given with --date") if day else document.date()
    document.guesses[:0] = [
        f'title: "{document.title}" ({document.title_from})',
        f'summary: "{summary}" ({said})',
        f"date: {when.isoformat()} ({how})",
    ]
    document.note_headings()
    fields = {"title": document.title, "summary": summary, "date": when}
    fields["author"] = document.meta.get("author")
    body = pandoc.write(document.ast, MARKDOWN, file, ["--wrap=none"])
    return front_matter(fields) + "\n" + body.rstrip("\n") + "\n"


def _summary(document: documents.Document) -> tuple[str, str]:
    """The document's own abstract or description, else the opening sentences."""
    low, high = SUMMARY_LENGTH
    for key in ("abstract", "description", "summary"):
        own = document.meta.get(key, "")
        if low <= len(own) <= high:
            return own, f"the document's {key}"
    first = next(pandoc_ast.elements(document.ast, "Para"), None)
    text = " ".join(pandoc_ast.stringify(first["c"]).split()) if first else ""
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(summary) >= low or len(summary) + len(sentence) + 1 > high:
            break
        summary = f"{summary} {sentence}".strip()
    if not summary and text:
        summary = text[: high - 1].rsplit(" ", 1)[0] + "…"
    return summary, "the opening sentences; say what readers will learn, in 50 to 160 characters"
