"""The pictures an article shows: files of a kind browsers show, of a size a build can hold,
an SVG made safe to serve (svg.py)."""

from __future__ import annotations

import base64
import functools
import io
import re
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from pipeline.errors import PublishError
from pipeline.source.svg import NotSvg, clean_svg

KINDS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
# A 61-megapixel camera's photo fits; decoding one takes about 250 MB (in CMYK for the press).
MAX_PIXELS = 80_000_000


def check_picture(file: Path, target: str, path: Path, line: int | None) -> list[str]:
    """What publishing `file` (image `target` of article `path`) removes from it, in words;
    PublishError when it cannot be published at all."""
    suffix = file.suffix.lower()
    if suffix not in KINDS:
        raise PublishError(
            f"image '{target}' is not a picture browsers show ({suffix or 'no extension'})",
            path,
            line,
            "Use a PNG, JPEG, GIF, WebP, AVIF or SVG file",
        )
    if suffix == ".svg":
        try:
            return [
                f"removed from image '{target}' (not safe to serve): {what}"
                for what in _clean(file).removed
            ]
        except NotSvg as error:
            raise PublishError(
                f"image '{target}' cannot be read as SVG ({error})",
                path,
                line,
                "Export it again from the drawing program",
            ) from error
    _check_pixels(file, target, path, line)
    return []


def published(file: Path) -> bytes:
    """The bytes a picture is published with: an SVG cleaned, any other file as it is."""
    return _clean(file).data if file.suffix.lower() == ".svg" else file.read_bytes()


def _clean(file: Path):
    return _clean_bytes(file.read_bytes())


@functools.lru_cache(maxsize=32)
def _clean_bytes(data: bytes):
    return clean_svg(data)


def data_picture(url: str, path: Path) -> bytes:
    """The bytes of a picture written in the article as a data: URL (checked as a file is)."""
    head, _, data = url.partition(",")
    try:
        picture = base64.b64decode(data) if head.lower().endswith(";base64") else data.encode()
    except ValueError as error:
        raise PublishError(f"a data: picture cannot be read ({error})", path) from error
    _check_pixels(io.BytesIO(picture), f"{url[:30]}...", path, None)
    return picture


def _check_pixels(file: Path | io.BytesIO, target: str, path: Path, line: int | None) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # ours is lower
            with Image.open(file) as picture:  # reads the header only
                width, height = picture.size
            size = f"{width} × {height} pixels ({width * height / 1e6:.0f} megapixels)"
    except Image.DecompressionBombError as error:
        # Over twice Pillow's own limit it refuses the header too, saying only the pixels.
        width, height = int(re.search(r"\d+", str(error))[0]), 1
        size = f"{width / 1e6:.0f} megapixels"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise PublishError(
            f"image '{target}' cannot be read as a picture ({error})",
            path,
            line,
            "Open it in an image editor and save it again as PNG or JPEG",
        ) from error
    if width * height > MAX_PIXELS:
        raise PublishError(
            f"image '{target}' is {size}; the limit is {MAX_PIXELS // 1_000_000} megapixels",
            path,
            line,
            "Scale it down: 300 ppi of its printed size is plenty (a whole letter page is "
            "2550 × 3300)",
        )
