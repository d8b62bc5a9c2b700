"""Pictures that load from another site each time a reader opens the web page or the HTML email
(badges, counters, tracking pixels): that site learns who reads the article, and when. A
warning for each, with its file and line; the PDFs never fetch them (print/pdf.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast
from pipeline.source import conditional
from pipeline.source.files import line_of
from pipeline.source.sanitize import HTML_FORMATS

SHOWN_IN = ("web", "email")  # the channels a reader opens online


def remote_image_problems(
    tree: dict, hero: str | None, path: Path, source: str
) -> list[PublishError]:
    """A warning for each remote picture the web page or the HTML email shows: the body's
    (Markdown images and raw HTML <img>, in the content those channels show) and the front
    matter's `image`."""
    found = [hero] if hero and _is_remote(hero) else []
    for channel in SHOWN_IN:
        found += [url for url in _image_urls(conditional.select(tree, channel)) if _is_remote(url)]
    return [_problem(url, path, source) for url in dict.fromkeys(found)]


def _problem(url: str, path: Path, source: str) -> PublishError:
    return PublishError(
        f"image '{url}' loads from {urlsplit(url).hostname} whenever a reader opens the web "
        "page or the HTML email, telling that site who reads it and when: save the picture in "
        "the project and show that file, or remove it",
        path,
        line_of(source, url),
    )


def _image_urls(tree: dict) -> list[str]:
    urls: list[str] = []

    def visit(node: dict) -> None:
        if node["t"] == "Image":
            urls.append(node["c"][2][0])
        elif node["t"] in ("RawBlock", "RawInline") and node["c"][0].lower() in HTML_FORMATS:
            urls.extend(_Sources(node["c"][1]).urls)

    pandoc_ast.walk(tree["blocks"], visit)
    return urls


class _Sources(HTMLParser):
    """The src of every <img> in some HTML (the safe list keeps no other way to load one)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src")
        if tag == "img" and src:
            self.urls.append(src.strip())


def _is_remote(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in ("http", "https")
