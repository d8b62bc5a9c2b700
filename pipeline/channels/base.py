"""What every channel is: a name, a one-line description, and renderers that return bytes."""

from __future__ import annotations

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
    # Parts of its work on one article that can be made apart, in two workers at once (the
    # print channel: the print shop's PDF, then the screen PDF); `render` makes them in order.
    pieces: ClassVar[tuple[str, ...]] = ()
    # It lays out PDFs with WeasyPrint, which a worker imports on first use (0.4 s).
    lays_out: ClassVar[bool] = False

    def render(self, article: Article, project: Project) -> list[Output]:
        """Every output of one article in this channel, in memory. Never touches the disk."""
        if not self.pieces:
            raise NotImplementedError
        return [out for piece in self.pieces for out in self.render_piece(article, project, piece)]

    def render_piece(self, article: Article, project: Project, piece: str) -> list[Output]:
        """The outputs of one of `pieces`."""
        raise NotImplementedError

    def prepare(self, project: Project) -> None:
        """Check what the channel needs from the project once, before any article (so a bad
        setting is one message, not one per article). Raises PublishError."""

    def render_site(self, articles: list[Article], project: Project) -> list[Output]:
        """Outputs that depend on every article (index, feed...). None by default."""
        return []
