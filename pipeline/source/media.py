"""The pictures an article shows: which project file each one is, and which may not be published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast
from pipeline.source.files import line_of
from pipeline.source.pictures import check_picture
from pipeline.source.problems import ERROR, WARNING

# Where a problem found in a picture goes: (severity, problem); the reader collects them.
Say = Callable[[str, PublishError], None]


class OutsideProject(PublishError):
    """An image outside the project: left out with a warning, never published."""


def resolve_media(
    tree: dict, path: Path, root: Path, source: str, say: Say
) -> tuple[dict, dict[str, Path]]:
    """Find the project file behind every local image; leave out any outside the project.
    What is wrong with a picture is told to `say`."""
    media: dict[str, Path] = {}

    def check(kind: str, target: str) -> str | None:
        if kind != "Image":
            return target
        line = line_of(source, target)
        try:
            file = image_file(target, path, root, source)
            removed = check_picture(file, target, path, line) if file else []
        except OutsideProject as outside:
            say(WARNING, outside)
            return None
        except PublishError as refused:
            say(ERROR, refused)
            return target
        for message in removed:
            say(WARNING, PublishError(message, path, line))
        if file:
            media[target] = file
        return target

    return pandoc_ast.map_targets(tree, check), media


def hero_media(image: str | None, path: Path, root: Path, source: str, say: Say) -> dict[str, Path]:
    """The front matter's `image:`, found (and refused) exactly like the images of the body."""
    return resolve_media(_image_para(image), path, root, source, say)[1] if image else {}


def image_file(target: str, path: Path, root: Path, source: str) -> Path | None:
    """The project file an image of article `path` shows; None for an image on the web.

    Raises PublishError when the file does not exist, OutsideProject when it is not the
    project's.
    """
    if _is_remote(target):
        return None
    project = root.resolve()
    url = urlsplit(target)
    if url.scheme or target.startswith("/"):
        file = Path(unquote(url.path))
    else:
        file = path.parent / unquote(url.path)
    file = file.resolve()
    if not file.is_relative_to(project):
        raise OutsideProject(
            f"image '{target}' is outside the project and was left out "
            "(only files inside the project are published)",
            path,
            line_of(source, target),
        )
    if not file.is_file():
        raise PublishError(
            f"image '{target}' does not exist",
            path,
            line_of(source, target),
            f"Put the file at {file.relative_to(project)} or fix the path",
        )
    return file


def _image_para(target: str) -> dict:
    """A pandoc AST holding one image, `target`."""
    image = {"t": "Image", "c": [["", [], []], [], [target, ""]]}
    return {"blocks": [{"t": "Para", "c": [image]}]}


def _is_remote(target: str) -> bool:
    return urlsplit(target).scheme in ("http", "https", "data")
