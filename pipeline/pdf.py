"""WeasyPrint in-process: one shared font configuration, project-only fetching, logged problems."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .errors import warn

# One FontConfiguration per process: loading fonts is a large part of a cold render.
FONTS = FontConfiguration()


class Served(NamedTuple):
    """A file's content as the PDF gets it (an image converted to CMYK, an ICC profile)."""

    data: bytes
    media_type: str


Files = dict[Path, Served]


class _FromMemory(weasyprint.urls.URLFetcherResponse):
    """A response with no file behind it. For a file:// URL WeasyPrint 70 reads the image again
    from `response.path` (images.py, LazyLocalImage): the original, not the converted bytes."""

    path = None


class ProjectFetcher(weasyprint.URLFetcher):
    """Serve files from the allowed folders only; refuse every other file and any network URL.

    WeasyPrint reads file:// URLs and fetches http(s) by default, so an article with
    ![](/etc/passwd) or a URL on the local network would otherwise be embedded in the PDF.
    """

    def __init__(self, allowed: list[Path], article: Path, files: Files | None = None):
        super().__init__(allowed_protocols=["file", "data"])
        self.allowed = [folder.resolve() for folder in allowed]
        self.article = article
        self.files = {path.resolve(): served for path, served in (files or {}).items()}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
            if path in self.files:
                served = self.files[path]
                return _FromMemory(url, served.data, {"Content-Type": served.media_type})
            if path.is_file() and any(path.is_relative_to(folder) for folder in self.allowed):
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return weasyprint.urls.URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": media_type}
                )
        self.refused.append(url)
        warn(
            f"'{url}' was left out of the PDF: only files inside the project are embedded",
            self.article,
        )
        raise ValueError(f"refused by the project fetcher: {url}")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_warnings(article: Path, fetcher: ProjectFetcher | None = None):
    """Turn what WeasyPrint logs (bad CSS, missing images: it never raises) into warnings."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    refused = fetcher.refused if fetcher else []
    for record in handler.records:
        message = record.getMessage()
        if any(url in message for url in refused):
            continue  # already reported by the fetcher, in plainer words
        warn(f"WeasyPrint: {message.splitlines()[0]}", article)


def layout(
    html: str, base: Path, allowed: list[Path], article: Path, files: Files | None = None, **options
) -> Document:
    """Lay out `html` into pages (relative URLs resolved against folder `base`).

    `files` serves the given paths from memory instead of the disk; `options` are WeasyPrint's
    (`color_profiles`, `pdf_variant`...).
    """
    fetcher = ProjectFetcher(allowed, article, files)
    with weasyprint_warnings(article, fetcher):
        document = weasyprint.HTML(
            string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher
        )
        return document.render(font_config=FONTS, **options)


def write(document: Document, article: Path, **options) -> bytes:
    """The PDF bytes of laid-out pages (`options`: WeasyPrint's `pdf_variant`...)."""
    with weasyprint_warnings(article):
        return document.write_pdf(**options)
