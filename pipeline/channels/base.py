"""What every channel is: a name, a one-line description, and renderers that return bytes."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from dataclasses import dataclass
from typing import ClassVar

from pipeline.project.folder import Project
from pipeline.source.article import Article


@dataclass(frozen=True)
class Output:
    """One file a channel made, in memory: its path below the output folder and its bytes."""

    path: str
    data: bytes


class Channel:
    name: ClassVar[str]
    description: ClassVar[str]
    # The layout files it reads (files and folders below layouts/), for the build cache's key.
    # The default, every layout, is always right; a narrower list rebuilds less.
    layouts: ClassVar[tuple[str, ...]] = ("",)
    # It lays out PDFs with WeasyPrint, which a worker imports on first use (0.4 s).
    lays_out: ClassVar[bool] = False

    def render(self, article: Article, project: Project) -> list[Output]:
        """Every output of one article in this channel, in memory. Never touches the disk."""
        raise NotImplementedError

    def prepare(self, project: Project) -> None:
        """Check what the channel needs from the project once, before any article (so a bad
        setting is one message, not one per article). Raises PublishError."""

    def render_site(self, articles: list[Article], project: Project) -> list[Output]:
        """Outputs that depend on every article (index, feed...). None by default."""
        return []


# With `publish build --keep-html`: the HTML each PDF was made from, by the PDF's sha256.
_kept_html: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "kept_html", default=None
)


def keep_html(pdf: bytes, html: str) -> None:
    """Note `html` as the source of the finished `pdf` (kept only inside `keeping_html()`)."""
    kept = _kept_html.get()
    if kept is not None:
        kept[hashlib.sha256(pdf).hexdigest()] = html


@contextlib.contextmanager
def keeping_html():
    """Collect the HTML of every PDF written inside the block, by the PDF's sha256."""
    kept: dict[str, str] = {}
    token = _kept_html.set(kept)
    try:
        yield kept
    finally:
        _kept_html.reset(token)
