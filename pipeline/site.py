"""A channel's site-wide pages (index, feed, sitemap...): rendered from every article built,
and cached like an article's outputs."""

from __future__ import annotations

from . import deps, timings
from .article import Article
from .cache import Cache, Entry
from .channels import CHANNELS
from .errors import collecting_warnings, strict_failure
from .inputs import Inputs, key
from .output import Output
from .project import Project


def render_site(
    channel: str,
    articles: list[Article],
    keys: dict[str, str],
    project: Project,
    inputs: Inputs,
    cache: Cache,
    strict: bool,
) -> tuple[Entry, list[Output]]:
    """Render the pages and cache them; `keys` names each article's cache entry (a change in
    any article, or one more or fewer, makes them again)."""
    with collecting_warnings() as warned, deps.recording() as read, timings.channel(channel):
        outputs = CHANNELS[channel].render_site(articles, project)
    if strict and warned:
        raise strict_failure(len(warned), None)
    used = [inputs.name(path) for path in sorted(read)]
    now = inputs.components(channel, used) | {"articles": keys}
    shas = {output.path: cache.put(output.data) for output in outputs}
    entry = Entry(f"site|{channel}", key(now), now, shas, warnings=list(warned), used=used)
    cache.store(entry)
    return entry, outputs
