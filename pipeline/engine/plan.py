"""What a build has to do: for each article and channel, a cache hit, or the reasons to rebuild."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.engine.cache import Cache, Entry
from pipeline.engine.inputs import Inputs, key, layout_name
from pipeline.project.folder import Project
from pipeline.source.sources import declared_slug

MOST_NAMED = 3  # changed files named in an explanation; the rest are counted
# The components of an output's key (inputs.py), in the order `--explain` names their changes.
CHANGES = [
    ("article", "article changed"),
    ("config", "publish.yml changed"),
    ("layouts", "layouts changed"),
    ("files", "files changed"),
    ("tools", "tools changed"),
    ("options", "build options changed"),
    ("articles", "articles changed"),
]
NAMED = {"layouts", "files", "tools"}  # components of several files, each named when it changed


@dataclass
class Plan:
    """One article's part of the build."""

    index: int
    source: Path
    name: str  # the source as the cache names it
    hits: dict[str, Entry] = field(default_factory=dict)  # channel -> its up-to-date entry
    reasons: dict[str, str] = field(default_factory=dict)  # channel to rebuild -> why
    slug: str | None = None
    failed: bool = False

    def ident(self, channel: str) -> str:
        return f"{self.name}|{channel}"


def plan_article(
    index: int, source: Path, names: list[str], inputs: Inputs, cache: Cache, force: bool
) -> Plan:
    """Look each channel of the article up in the cache: hit, or rebuild and why."""
    plan = Plan(index, source, inputs.name(source.resolve()))
    for channel in names:
        entry = cache.load(plan.ident(channel))
        used = entry.used if entry else []
        now = inputs.components(channel, used, source.resolve())
        if entry is not None and not force and entry.key == key(now):
            plan.hits[channel] = entry
        else:
            plan.reasons[channel] = why(entry, now, force, inputs.project)
    first = next(iter(plan.hits.values()), None)
    plan.slug = (
        first.slug if first and not plan.reasons else declared_slug(source, inputs.project.root)
    )
    return plan


def plan_site(channel: str, articles: dict[str, str], inputs: Inputs, cache: Cache, force: bool):
    """The channel's site pages (index, feed...): (their entry if it is up to date, else None,
    and why they are made again). `articles` maps each article built to its entry's key."""
    entry = cache.load(f"site|{channel}")
    now = inputs.components(channel, entry.used if entry else []) | {"articles": articles}
    if entry is not None and not force and entry.key == key(now):
        return entry, ""
    return None, why(entry, now, force, inputs.project)


def why(entry: Entry | None, now: dict, force: bool, project: Project) -> str:
    """Why an output is made again, in a few words: what changed since it was made."""
    if force:
        return "--force"
    if entry is None:
        return "not built before"
    before = entry.components
    reasons = []
    for component, said in CHANGES:
        if before.get(component) == now.get(component):
            continue
        if component in NAMED:  # which of its files changed
            changed = _changed(before.get(component) or {}, now.get(component) or {})
            if component == "layouts":
                changed = [layout_name(name, project) for name in changed]
            said += ": " + _names(changed)
        reasons.append(said)
    return ", ".join(reasons) or "cache entry incomplete"


def _changed(before: dict, now: dict) -> list[str]:
    return sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))


def _names(names: list[str]) -> str:
    shown = ", ".join(sorted(set(names))[:MOST_NAMED])
    more = len(set(names)) - MOST_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def slug_clashes(plans: list[Plan]) -> list[list[Plan]]:
    """The groups of articles that would be published under one slug."""
    by_slug: dict[str, list[Plan]] = {}
    for plan in plans:
        if plan.slug is not None:
            by_slug.setdefault(plan.slug, []).append(plan)
    return [group for group in by_slug.values() if len(group) > 1]
