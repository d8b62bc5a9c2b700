"""What a build has to do: for each article and channel, a cache hit, or the reasons to rebuild."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.engine.cache import Cache, Entry
from pipeline.engine.inputs import Inputs, key, layout_name
from pipeline.project.folder import Project
from pipeline.source.front_matter import parse_moment
from pipeline.source.schedule import PUBLISHED, State, publication_state
from pipeline.source.sources import Declared, declared

MOST_NAMED = 3  # changed files named in an explanation; the rest are counted
# The components of an output's key (inputs.py), in the order `--explain` names their changes.
CHANGES = [
    ("article", "article changed"),
    ("config", "publish.yml changed"),
    ("layouts", "layouts changed"),
    ("files", "files changed"),
    ("tools", "tools changed"),
    ("options", "build options changed"),
    ("state", "publication state changed"),
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
    state: State = PUBLISHED  # on the build's day
    left_out: bool = False  # a draft or scheduled article this build does not publish

    def ident(self, channel: str) -> str:
        return f"{self.name}|{channel}"


@dataclass(frozen=True)
class Publishing:
    """Which articles a build publishes: those published on `today`, and with `drafts` the
    drafts and scheduled ones too (marked)."""

    today: date
    timezone: str
    drafts: bool = False


def plan_article(
    index: int,
    source: Path,
    names: list[str],
    inputs: Inputs,
    cache: Cache,
    force: bool,
    publishing: Publishing,
) -> Plan:
    """Look each channel of the article up in the cache: hit, or rebuild and why. An article
    the build does not publish is only left out."""
    plan = Plan(index, source, inputs.name(source.resolve()))
    entries = {channel: cache.load(plan.ident(channel)) for channel in names}
    facts = _declared(source, entries.values(), inputs)
    plan.slug = facts.slug if facts else None
    if facts is not None:
        plan.state = publication_state(facts, publishing.today, publishing.timezone)
    if not (plan.state.published or publishing.drafts):
        plan.left_out = True
        return plan
    for channel, entry in entries.items():
        used = entry.used if entry else []
        now = components(inputs, channel, used, plan)
        if entry is not None and not force and entry.key == key(now):
            plan.hits[channel] = entry
        else:
            plan.reasons[channel] = why(entry, now, force, inputs.project)
    return plan


def components(inputs: Inputs, channel: str, used: list[str], plan: Plan) -> dict:
    """What an output of the article of `plan` is made from (inputs.py), and its state."""
    return inputs.components(channel, used, plan.source.resolve()) | {"state": str(plan.state)}


def _declared(source: Path, entries: Iterable[Entry | None], inputs: Inputs) -> Declared | None:
    """The article's slug, `draft` and `date`: as a cache entry of the same text keeps them,
    else from its front matter (the YAML alone, a millisecond an article)."""
    sha = inputs.file(source.resolve())
    for entry in entries:
        if entry and entry.schedule and entry.slug and entry.components.get("article") == sha:
            draft, moment = entry.schedule
            return Declared(entry.slug, bool(draft), parse_moment(moment) if moment else None)
    return declared(source, inputs.project.root)


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
        if plan.slug is not None and not plan.left_out:
            by_slug.setdefault(plan.slug, []).append(plan)
    return [group for group in by_slug.values() if len(group) > 1]
