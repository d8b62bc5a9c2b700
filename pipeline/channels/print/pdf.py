"""WeasyPrint in-process: one shared font configuration, project-only fetching, logged problems.

WeasyPrint is imported on first use, not with this module: the import takes about 0.4 s, which
a build with nothing to render should not pay (importing it lazily is what its maintainers
advise, Kozea/WeasyPrint#2073).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import mimetypes
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from pipeline import deps
from pipeline.errors import warn
from pipeline.timings import timed

if TYPE_CHECKING:
    from weasyprint.document import Document


class Served(NamedTuple):
    """A file's content as the PDF gets it (an image converted to CMYK, an ICC profile)."""

    data: bytes
    media_type: str


Files = dict[Path | str, Served]  # a file, or a picture's data: URL


def import_weasyprint() -> None:
    """Import WeasyPrint, finding its C libraries in the ldconfig cache only.

    WeasyPrint tries several names for each library, and cffi hands every name that does not
    load to ctypes.util.find_library, which on Linux looks in the ldconfig cache and then runs
    gcc and ld for each name not there (Kozea/WeasyPrint#1125): 17 misses, 0.13 s of the
    0.35 s import. Skipping gcc and ld loses nothing: the dynamic linker could not load a
    library they find but the cache lacks, while WeasyPrint's list also names each library's
    soname, which the linker loads directly. Should the import still fail, it runs again as
    WeasyPrint does it, for WeasyPrint's own message.
    """
    import ctypes.util

    in_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)  # glibc Linux only
    if in_cache is not None:
        find_library, ctypes.util.find_library = ctypes.util.find_library, in_cache
        try:
            import weasyprint  # noqa: F401
        except OSError:
            pass
        finally:
            ctypes.util.find_library = find_library
    import weasyprint  # noqa: F401, F811


_fonts_made_in = 0  # the process that made fonts()' configuration (a forked one inherits it)


@functools.cache
def fonts():
    """One FontConfiguration per process: loading fonts is a large part of a cold render."""
    from weasyprint.text.fonts import FontConfiguration

    global _fonts_made_in
    _fonts_made_in = os.getpid()
    return FontConfiguration()


def remove_fonts_folder() -> None:
    """Remove the temporary folder of this process's fonts, before it ends. WeasyPrint removes
    it when their configuration is collected, which it never is in a process ended by os._exit
    (as multiprocessing ends a worker). A configuration inherited from the process that forked
    this one is that process's, and its folder is left to it."""
    if fonts.cache_info().currsize and _fonts_made_in == os.getpid():
        from pipeline.channels.print import stylesheets

        stylesheets.forget()  # they hold the configuration
        fonts.cache_clear()
        gc.collect()


def __getattr__(name: str):
    if name == "ProjectFetcher":  # made on first use, with WeasyPrint
        return _classes()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _classes():
    """The fetcher and its in-memory response, made when WeasyPrint is first imported."""
    import weasyprint

    class FromMemory(weasyprint.urls.URLFetcherResponse):
        """A response with no file behind it. For a file:// URL WeasyPrint 70 reads the image
        again from `response.path` (images.py, LazyLocalImage): the original, not the converted
        bytes."""

        path = None

    class ProjectFetcher(weasyprint.URLFetcher):
        """Serve files from the allowed folders only; refuse every other file and any network
        URL. WeasyPrint reads file:// URLs and fetches http(s) by default, so an article with
        ![](/etc/passwd) or a URL on the local network would otherwise be embedded in the PDF.
        """

        def __init__(self, allowed: list[Path], article: Path, files: Files | None = None):
            super().__init__(allowed_protocols=["file", "data"])
            self.allowed = [folder.resolve() for folder in allowed]
            self.article = article
            self.files = {
                key.resolve() if isinstance(key, Path) else key: served
                for key, served in (files or {}).items()
            }
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data" and url in self.files:  # a picture, in the press's CMYK
                served = self.files[url]
                return FromMemory(url, served.data, {"Content-Type": served.media_type})
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                if path in self.files:
                    deps.record(path)
                    served = self.files[path]
                    return FromMemory(url, served.data, {"Content-Type": served.media_type})
                if path.is_file() and any(path.is_relative_to(d) for d in self.allowed):
                    deps.record(path)
                    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return weasyprint.urls.URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": media_type}
                    )
            self.refused.append(url)
            if scheme not in ("http", "https"):  # a picture on the web: the reader warned
                warn(
                    f"'{url}' was left out of the PDF: only files inside the project are embedded",
                    self.article,
                )
            raise ValueError(f"refused by the project fetcher: {url}")

    return ProjectFetcher, FromMemory


class Records(logging.Handler):
    """What a logger says at WARNING and above, kept in order."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_warnings(article: Path, fetcher=None):
    """Turn what WeasyPrint logs (bad CSS, missing images: it never raises) into warnings."""
    logger = logging.getLogger("weasyprint")
    handler = Records()
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
        if any(url in message for url in refused) or message.startswith(NOTDEF):
            continue  # reported in plainer words: by the fetcher, by the glyph preflight
        warn(f"WeasyPrint: {message.splitlines()[0]}", article)


# WeasyPrint's log line for a character no font has: the preflight's glyph check fails the
# PDF instead, naming every such character and its pages.
NOTDEF = ".notdef glyph rendered"


def layout(
    html: str, base: Path, allowed: list[Path], article: Path, files: Files | None = None, **options
) -> Document:
    """Lay out `html` into pages (relative URLs resolved against folder `base`).

    `files` serves the given paths from memory instead of the disk; `options` are WeasyPrint's
    (`color_profiles`, `pdf_variant`...).
    """
    return Source(html, base, allowed, article, files).pages(**options)


class Source:
    """An HTML document parsed once, laid out as often as asked, each time with its own
    stylesheet added (the copyfitting tries several settings of the type)."""

    def __init__(
        self, html: str, base: Path, allowed: list[Path], article: Path, files: Files | None = None
    ):
        with timed("start-up"):  # the first render in a process imports WeasyPrint
            import weasyprint

            from pipeline.channels.print import linebreaks, multicol, stylesheets

            linebreaks.install()
            multicol.install()
            stylesheets.install()
            self.fetcher = _classes()[0](allowed, article, files)
            self.font_config = fonts()
        self.article = article
        self.source = weasyprint.HTML(
            string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=self.fetcher
        )

    def parents(self) -> dict:
        """Each element of the document (as WeasyPrint's boxes name them) and its parent."""
        if not hasattr(self, "_parents"):
            root = self.source.etree_element
            self._parents = {child: parent for parent in root.iter() for child in parent}
        return self._parents

    def pages(self, css: str = "", stage: str = "WeasyPrint layout", **options) -> Document:
        """The document laid out, `css` added as a user stylesheet (which wins over the
        document's own only where it says `!important`); its time counted as `stage`."""
        import weasyprint

        with weasyprint_warnings(self.article, self.fetcher), timed(stage):
            stylesheets = [weasyprint.CSS(string=css, font_config=self.font_config)] if css else []
            return self.source.render(
                font_config=self.font_config, stylesheets=stylesheets, **options
            )


def write(document: Document, article: Path, **options) -> bytes:
    """The PDF bytes of laid-out pages (`options`: WeasyPrint's `pdf_variant`...)."""
    with weasyprint_warnings(article), timed("PDF writing"):
        return document.write_pdf(**options)
