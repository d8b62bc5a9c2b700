"""Pictures on another site: the web page and the HTML email load them each time a reader opens
them (badges, counters, tracking pixels), so that site learns who reads the article, and when;
the PDFs leave them out (they embed the project's files only: print/brochure.py). One warning
for each, with its file and line, saying what happens to it in the channels that show it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.errors import PublishError
from pipeline.source import ast as pandoc_ast
from pipeline.source import conditional
from pipeline.source.files import line_of
from pipeline.source.sanitize import HTML_FORMATS

ONLINE = ("web", "email")  # the channels a reader opens online
WHAT_TO_DO = "save the picture in the project and show that file, or remove it"


def remote_image_problems(
    tree: dict, hero: str | None, path: Path, source: str
) -> list[PublishError]:
    """A warning for each remote picture a channel shows: the body's (Markdown images and raw
    HTML <img>, in the content each channel shows) and the front matter's `image` (online)."""
    online = [hero] if hero and _is_remote(hero) else []
    for channel in ONLINE:
        online += [url for url in _image_urls(conditional.select(tree, channel)) if _is_remote(url)]
    printed = [url for url in _image_urls(conditional.select(tree, "print")) if _is_remote(url)]
    return [
        _problem(url, url in online, url in printed, path, source)
        for url in dict.fromkeys(online + printed)
    ]


def _problem(url: str, online: bool, printed: bool, path: Path, source: str) -> PublishError:
    host = urlsplit(url).hostname
    if online:
        effect = (
            f"loads from {host} whenever a reader opens the web page or the HTML email, telling "
            "that site who reads it and when" + (", and is left out of the PDFs" if printed else "")
        )
    else:
        effect = (
            f"is on another site ({host}): the PDFs, which embed the project's files, leave it out"
        )
    return PublishError(f"image '{url}' {effect}: {WHAT_TO_DO}", path, line_of(source, url))


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
