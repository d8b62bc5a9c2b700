"""WeasyPrint in-process: one shared font configuration, project-only fetching, logged problems.

WeasyPrint is imported on first use, not with this module: the import takes about 0.4 s, which
a build with nothing to render should not pay (importing it lazily is what its maintainers
advise, Kozea/WeasyPrint#2073).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from . import deps
from .errors import warn
from .timings import timed


@functools.cache
def fonts():
    """One FontConfiguration per process: loading fonts is a large part of a cold render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def __getattr__(name: str):
    if name == "ProjectFetcher":  # made on first use, with WeasyPrint
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _fetcher_class():
    import weasyprint

    class ProjectFetcher(weasyprint.URLFetcher):
        """Serve files from the allowed folders only; refuse every other file and any network URL.

        WeasyPrint reads file:// URLs and fetches http(s) by default, so an article with
        ![](/etc/passwd) or a URL on the local network would otherwise be embedded in the PDF.
        """

        def __init__(self, allowed: list[Path], article: Path):
            super().__init__(allowed_protocols=["file", "data"])
            self.allowed = [folder.resolve() for folder in allowed]
            self.article = article
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                if path.is_file() and any(path.is_relative_to(folder) for folder in self.allowed):
                    deps.record(path)
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

    return ProjectFetcher


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_warnings(article: Path, fetcher):
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
    for record in handler.records:
        message = record.getMessage()
        if any(url in message for url in fetcher.refused):
            continue  # already reported by the fetcher, in plainer words
        warn(f"WeasyPrint: {message.splitlines()[0]}", article)


# With `publish build --keep-html`: the HTML each PDF was made from, by the PDF's sha256.
_kept_html: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "kept_html", default=None
)


def render_pdf(html: str, base: Path, allowed: list[Path], article: Path, **options) -> bytes:
    """Lay out `html` (relative URLs resolved against folder `base`) and return the PDF bytes."""
    with timed("start-up"):  # the first render in a process imports WeasyPrint
        import weasyprint

        fetcher = _fetcher_class()(allowed, article)
        font_config = fonts()
    with weasyprint_warnings(article, fetcher):
        # Laid out and written apart, so `--timings` can tell the two costs apart.
        layout, writing = _split_options(options)
        with timed("WeasyPrint layout"):
            source = weasyprint.HTML(
                string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher
            )
            document = source.render(font_config=font_config, **layout)
        with timed("PDF writing"):
            pdf = document.write_pdf(**writing)
    kept = _kept_html.get()
    if kept is not None:
        kept[hashlib.sha256(pdf).hexdigest()] = html
    return pdf


@contextlib.contextmanager
def keeping_html():
    """Collect the HTML of every PDF rendered inside the block, by the PDF's sha256."""
    kept: dict[str, str] = {}
    token = _kept_html.set(kept)
    try:
        yield kept
    finally:
        _kept_html.reset(token)


def _split_options(options: dict) -> tuple[dict, dict]:
    """write_pdf()'s options for render() and for Document.write_pdf(), divided the way
    HTML.write_pdf() divides them in WeasyPrint 70."""
    import weasyprint

    options = dict(options)
    layout_only, writing_only = ("counter_style", "color_profiles"), ("zoom", "finisher")
    layout = {key: options.pop(key) for key in layout_only if key in options}
    writing = {key: options.pop(key) for key in writing_only if key in options}
    merged = {**weasyprint.DEFAULT_OPTIONS, **options}
    return layout | merged, writing | {key: merged[key] for key in weasyprint.DEFAULT_OPTIONS}
