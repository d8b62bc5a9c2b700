"""Build: ask the cache what changed, build that in worker processes, write in source order."""

from __future__ import annotations

import contextlib
import dataclasses
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline import timings
from pipeline.channels import CHANNELS
from pipeline.engine import pools, workers
from pipeline.engine.cache import Cache, Damaged, Entry
from pipeline.engine.entries import article_entries, render_site
from pipeline.engine.inputs import Inputs
from pipeline.engine.options import BuildOptions, BuildReport, cores
from pipeline.engine.plan import Plan, Publishing, plan_article, plan_site, slug_clashes
from pipeline.engine.publishing import Publisher
from pipeline.engine.work import Result, Task
from pipeline.errors import PublishError, collecting_warnings, display_path, replay, strict_failure
from pipeline.project.folder import Project
from pipeline.source.article import Article, read_article
from pipeline.source.files import check_inside
from pipeline.source.includes import while_publishing
from pipeline.source.schedule import publication_state, today
from pipeline.source.site import project_site
from pipeline.source.sources import declared, find_sources, slug_clash, slugify

# Problems are told in this order (reading, clashing slugs, rendering, site pages), each kind
# in source order: the same messages in the same order whatever the number of workers.
READ, SLUG, RENDER, SITE = range(4)


def build(project: Project, options: BuildOptions | None = None) -> BuildReport:
    """Publish `options.sources` (default: all of source/) to `options.channels` (default:
    all) under `options.out`.

    An article with a problem is left out entirely (nothing of it is written) and reported;
    the others are still built. Only what changed since the last build is built again.
    Site-wide pages are made only when building all of source/, and only when what they show
    changed.
    """
    options = options or BuildOptions()
    names = list(options.channels) or list(CHANNELS)
    try:
        for name in names:
            CHANNELS[name].prepare(project)
    except PublishError as error:
        return BuildReport(failures=[error])
    with Cache(project.root).locked() as cache:
        return _Build(project, names, cache, options).run()


class _Build:
    def __init__(self, project: Project, names: list[str], cache: Cache, options: BuildOptions):
        self.project = dataclasses.replace(project, channels=tuple(names), compiled=cache.templates)
        self.names, self.cache, self.options = names, cache, options
        out = options.out or project.root / "output"
        self.publisher = Publisher(
            cache, out, options.keep_html, options.on_write, options.on_explain
        )
        self.inputs = Inputs(self.project, {"channels": names})
        zone = project.config.site.timezone
        self.publishing = Publishing(today(zone, options.as_of), zone, options.drafts)
        self.report = BuildReport(jobs=options.jobs or cores())
        self.failures: list[tuple[int, int, PublishError]] = []
        self.keys: dict[str, dict[str, str]] = {name: {} for name in names}  # site pages' input
        self.cache_changed = False
        self.done = 0  # articles whose worker has answered
        self.pages: tuple[tuple[Path, str], ...] = ()  # every article's file and slug
        self.preloaded: dict[int, Article] = {}  # plan index -> cached article, read already
        self.build_id = uuid.uuid4().hex  # (kept workers learn the other articles again)

    def run(self) -> BuildReport:
        started = time.perf_counter()
        with timings.collecting() as self.report.timings:
            plans = self.articles()
            if not self.options.sources:
                self.site()
                self.forget_deleted(plans)
            changes = self.publisher.finish()
            if self.cache_changed:
                self.cache.prune()
        self.report.written, self.report.unchanged = changes.written, changes.unchanged
        self.report.removed = changes.removed
        self.report.failures = [error for *_, error in sorted(self.failures, key=lambda f: f[:2])]
        self.report.seconds = time.perf_counter() - started
        return self.report

    def articles(self) -> list[Plan]:
        """Plan every article, build those that changed, and finish each in source order."""
        limits = self.project.config.build
        budget = workers.Budget(limits.article_seconds, limits.article_memory * workers.MB)
        kept = self.options.workers
        if kept is not None:  # (publish.yml may have changed its limits since it started)
            kept.budget = budget
        pool = kept or pools.pool(
            self.options.executor, self.report.jobs, budget, self.options.before_task
        )
        with contextlib.nullcontext() if kept else contextlib.closing(pool):
            plans = self.plan(find_sources(self.project, self.options.sources), pool.warm_up)
            self.leave_out(plans)
            self.pages = self.every_page(plans)
            tasks = [self.task(plan) for plan in plans if plan.reasons and not plan.failed]
            self.report.built = len(tasks)
            meanwhile = self.preload(plans) if not self.options.sources else ()
            results = pool.run(tasks, meanwhile, self.options.on_part)
            self.options.on_progress(0, len(tasks))
            building = {task.index for task in tasks}
            with contextlib.closing(results):
                for plan in plans:
                    result = self.result(results, len(tasks)) if plan.index in building else None
                    self.finish(plan, result)
        return plans

    def plan(self, paths: list[Path], on_work: Callable[[], None]) -> list[Plan]:
        """What to do for each article; `on_work` is called as soon as there is something to
        build (the workers start then, while the other articles are planned)."""
        with timings.timed("cache"):
            plans = [self.plan_one(index, path) for index, path in enumerate(paths)]
            for plan in plans:
                if plan.reasons and not plan.failed:
                    on_work()
        if self.options.cached_only:  # what is not up to date is left out, not built
            for plan in plans:
                plan.failed |= bool(plan.reasons)
        for group in slug_clashes(plans):
            error = slug_clash(group[0].slug, group[0].source, [p.source for p in group[1:]])
            self.failures.append((SLUG, group[0].index, error))
            for plan in group:
                plan.failed = True
        return plans

    def plan_one(self, index: int, path: Path) -> Plan:
        try:  # here, before any path is resolved: a link is named as it is written
            check_inside(path, self.project.root)
        except PublishError as error:
            self.failures.append((READ, index, error))
            return Plan(
                index, path, self.inputs.name(path.parent.resolve() / path.name), failed=True
            )
        plan = plan_article(
            index, path, self.names, self.inputs, self.cache, self.options.force, self.publishing
        )
        self.check_restorable(plan)
        return plan

    def check_restorable(self, plan: Plan) -> None:
        """A cached render whose outputs must be put back, but whose stored copy is damaged,
        is made again instead."""
        for channel, entry in list(plan.hits.items()):
            damaged = self.publisher.damaged(plan.ident(channel), entry)
            if damaged:
                del plan.hits[channel]
                plan.reasons[channel] = "cache damaged: " + ", ".join(damaged)

    def task(self, plan: Plan) -> Task:
        return Task(
            index=plan.index,
            source=plan.source.resolve(),
            root=self.project.root,
            channels=tuple(plan.reasons),
            built=tuple(self.names),
            project_key=self.inputs.project_key,
            pages=self.pages,
            shown_from=Path.cwd(),
            build_id=self.build_id,
            today=self.publishing.today,
        )

    def leave_out(self, plans: list[Plan]) -> None:
        """The drafts and scheduled articles: told, and what an earlier build made of them
        removed (their cache entries stay: published again, they are put back)."""
        for plan in plans:
            if plan.left_out:
                self.report.left_out.append((plan.source, plan.state))
                for channel in self.names:
                    self.publisher.forget(plan.ident(channel), str(plan.state))

    def every_page(self, plans: list[Plan]) -> tuple[tuple[Path, str], ...]:
        """Every published article's file and slug, for the links between them: those planned,
        and (when only some are built) the others of source/ by their front matter."""
        pages = {p.source.resolve(): p.slug for p in plans if p.slug and not p.left_out}
        if self.options.sources:
            named = {plan.source.resolve() for plan in plans}
            others = [path for path in find_sources(self.project) if path.resolve() not in named]
            pages |= self.published(others)
        return tuple(sorted(pages.items()))

    def published(self, paths: list[Path]) -> dict[Path, str]:
        """The slugs of those of `paths` this build publishes (an unreadable one counts: its
        own build says why)."""
        found = {}
        when = self.publishing
        for path in paths:
            facts = declared(path, self.project.root)
            state = facts and publication_state(facts, when.today, when.timezone)
            if state is None or state.published or when.drafts:
                found[path.resolve()] = facts.slug if facts else slugify(path.stem)
        return found

    def result(self, results: Iterator[Result], total: int) -> Result:
        """The next Result; its figures taken in."""
        result = next(results)
        self.done += 1
        self.report.timings.add(result.timings)
        for stats in result.workers:
            self.report.workers.setdefault(stats.pid, []).append(stats)
        self.options.on_progress(self.done, total)
        return result

    def finish(self, plan: Plan, result: Result | None) -> None:
        """Tell an article's warnings, cache what was rendered, then write it or fail it."""
        if plan.failed or plan.left_out:
            return
        read_warnings = self.tell_reading(plan, result)
        if result is not None and result.article is None:
            return self.fail(plan, result.error, READ)
        if self.too_strict(read_warnings, plan.source, lambda error: self.fail(plan, error, READ)):
            return
        warned = self.tell_rendering(plan, result)
        entries = {**plan.hits, **(self.store(plan, result) if result else {})}
        if result is not None and result.error is not None:
            return self.fail(plan, result.error, RENDER)
        if self.too_strict(warned, plan.source, lambda error: self.fail(plan, error, RENDER)):
            return
        self.publish(plan, result, entries)

    def tell_reading(self, plan: Plan, result: Result | None) -> list[str]:
        first = next(iter(plan.hits.values()), None)
        said = result.read_warnings if result else first.read_warnings
        replay(said)
        return said

    def tell_rendering(self, plan: Plan, result: Result | None) -> list[str]:
        """Tell the warnings of each channel, in channel order, up to one that failed."""
        said = []
        for channel in self.names:
            part = plan.hits.get(channel) or (result.rendered.get(channel) if result else None)
            if part is None:  # rendering failed in this channel, after these
                replay(result.failing_warnings)
                break
            replay(part.warnings)
            said += part.warnings
        return said

    def too_strict(
        self, warnings: list[str], source: Path | None, fail: Callable[[PublishError], None]
    ) -> bool:
        """--strict, decided here alone: what warned (an article, or the site pages) fails."""
        if not (self.options.strict and warnings):
            return False
        fail(strict_failure(len(warnings), source))
        return True

    def publish(self, plan: Plan, result: Result | None, entries: dict[str, Entry]) -> None:
        """Write what was made, or put back from the cache what is missing."""
        for channel in self.names:
            rendered = result.rendered[channel] if channel in plan.reasons else None
            made = rendered.outputs + rendered.html if rendered else None
            with timings.for_channel(channel):
                self.publisher.publish(
                    plan.ident(channel), entries[channel], made, plan.reasons.get(channel, "")
                )
            self.keys[channel][plan.name] = entries[channel].key
        if result is not None:
            self.report.articles.append(result.article)
        else:
            self.report.articles.append(self.preloaded.pop(plan.index, None) or self.cached(plan))

    def cached(self, plan: Plan) -> Callable[[], Article]:
        """The cached listing of an article not made again, to read when a site page needs it:
        the web page's, made with what the feed needs (a print-only build did not make that)."""
        hit = plan.hits.get("web") or next(iter(plan.hits.values()))
        sha, where = hit.article, plan.source.resolve()
        return lambda: self.listing(sha, where)

    def listing(self, sha: str, path: Path) -> Article:
        """The cached listing `sha` of the article `path`; read again when it is damaged."""
        try:
            return self.cache.get_article(sha, path)
        except Damaged:
            root = self.project.root
            if self.options.on_explain:
                self.options.on_explain(
                    f"{display_path(path)}: read again (its listing in the cache was damaged)"
                )
            with collecting_warnings():  # told already, from the cache
                site = project_site(self.project.root, self.project.config, [], dict(self.pages))
                day = self.publishing.today
                return read_article(path, root, self.project.config, CHANNELS, site, day)

    def preload(self, plans: list[Plan]) -> Iterator[bool]:
        """Read the cached articles the site pages will need, one per step, while the workers
        build the others (so their reading is not added to the build's time)."""
        for plan in plans:
            if plan.hits and not plan.reasons and not plan.failed:
                self.preloaded[plan.index] = self.cached(plan)()
                yield True

    def store(self, plan: Plan, result: Result) -> dict[str, Entry]:
        self.cache_changed = True
        return article_entries(plan, result, self.inputs, self.cache)

    def site(self) -> None:
        """Each channel's site-wide pages, made again only when what they show changed."""
        for channel in self.names:
            articles = self.keys[channel]
            entry, reason = plan_site(
                channel, articles, self.inputs, self.cache, self.options.force
            )
            made = None
            if entry is None:
                entry, made = self.render_site(channel, articles)
            else:
                replay(entry.warnings)
            if entry is None or self.too_strict(entry.warnings, None, self.site_failed(channel)):
                continue
            with timings.for_channel(channel):
                self.publisher.publish(f"site|{channel}", entry, made, reason)

    def render_site(self, channel: str, articles: dict[str, str]):
        self.cache_changed = True
        project, inputs, cache = self.project, self.inputs, self.cache
        try:
            return render_site(channel, self.report.articles, articles, project, inputs, cache)
        except PublishError as error:
            self.site_failed(channel)(error)
            return None, None

    def site_failed(self, channel: str) -> Callable[[PublishError], None]:
        return lambda error: self.failures.append((SITE, self.names.index(channel), error))

    def forget_deleted(self, plans: list[Plan]) -> None:
        """What the articles deleted from source/ made in this build's channels goes."""
        forgotten = self.publisher.forget_deleted({plan.name for plan in plans}, self.names)
        self.cache_changed |= bool(forgotten)

    def fail(self, plan: Plan, error: PublishError, phase: int) -> None:
        if error.path is not None and Path(error.path).resolve() != plan.source.resolve():
            error.message = while_publishing(error.message, plan.source)
        self.failures.append((phase, plan.index, error))
        plan.failed = True
