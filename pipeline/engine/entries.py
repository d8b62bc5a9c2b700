"""Cache entries made from renders: an article's channels, from a worker's Result, and a
channel's site-wide pages (index, feed, sitemap...), rendered here from every article built."""

from __future__ import annotations

from pipeline import deps, timings
from pipeline.channels import CHANNELS
from pipeline.channels.base import Output
from pipeline.engine.cache import Cache, Entry
from pipeline.engine.inputs import Inputs, key
from pipeline.engine.plan import Plan, components
from pipeline.engine.work import Result
from pipeline.errors import collecting_warnings
from pipeline.project.folder import Project
from pipeline.source.article import Article


def article_entries(plan: Plan, result: Result, inputs: Inputs, cache: Cache) -> dict[str, Entry]:
    """Cache each channel the worker rendered: its outputs, then the entry naming them."""
    article = cache.put_article(result.article)
    entries = {}
    for channel, rendered in result.rendered.items():
        used = [inputs.name(path) for path in rendered.read]
        now = components(inputs, channel, used, plan)
        entries[channel] = entry = Entry(
            plan.ident(channel),
            key(now),
            now,
            {output.path: cache.put(output.data) for output in rendered.outputs},
            html={output.path: cache.put(output.data) for output in rendered.html},
            warnings=rendered.warnings,
            read_warnings=result.read_warnings,
            used=used,
            article=article,
            slug=result.article.slug,
            schedule=[result.article.meta.draft, result.article.meta.date.isoformat()],
        )
        cache.store(entry)
    return entries


def render_site(
    channel: str,
    articles: list[Article],
    keys: dict[str, str],
    project: Project,
    inputs: Inputs,
    cache: Cache,
) -> tuple[Entry, list[Output]]:
    """Render the pages and cache them; `keys` names each article's cache entry (a change in
    any article, or one more or fewer, makes them again)."""
    with collecting_warnings() as warned, deps.recording() as read, timings.channel(channel):
        outputs = CHANNELS[channel].render_site(articles, project)
    used = [inputs.name(path) for path in sorted(read)]
    now = inputs.components(channel, used) | {"articles": keys}
    shas = {output.path: cache.put(output.data) for output in outputs}
    entry = Entry(f"site|{channel}", key(now), now, shas, warnings=list(warned), used=used)
    cache.store(entry)
    return entry, outputs
