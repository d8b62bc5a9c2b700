"""The studio's builds: every channel of every article built by warm workers into a temporary
folder, the articles on screen first, each pane told as soon as its channel is made; and the
article list, checked as `publish check` checks it."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipeline.engine.build import build
from pipeline.engine.options import BuildOptions, BuildReport, cores
from pipeline.engine.output import OutputWriter
from pipeline.engine.pools import LocalPool
from pipeline.engine.publishing import OutputState
from pipeline.engine.running import PoolClosed
from pipeline.engine.work import Result, Task
from pipeline.errors import BuildBug, PublishError, display_path
from pipeline.preview.listing import Listing
from pipeline.preview.watch import Change
from pipeline.project.folder import Project
from pipeline.source import pandoc
from pipeline.source.sources import find_sources

# The panes, by the part of the build that makes them: the web page, the email (its HTML and
# its text), the print shop's PDF and the screen PDF (the print channel's two PDFs).
PANES = {"web": "web page", "email": "email", "print": "print shop's PDF", "screen": "screen PDF"}
PDFS = ("print", "screen")  # the print channel's panes: its two PDFs, from one layout
SITE = Path("site")  # the job that makes the site's own pages (index, feed...)


@dataclass
class Pane:
    version: int = 0  # goes up each time its files are made again
    error: str | None = None  # why the last build of it failed, until one succeeds
    busy: bool = False  # a build of it is under way


class Studio:
    def __init__(self, project: Project, say: Callable[[str], None]):
        self.project, self.say = project, say
        self.folder = Path(tempfile.mkdtemp(prefix="publish-serve-"))
        self.out = self.folder / "output"  # what `publish build` would write to output/
        self.pool = LocalPool(max(2, cores()), kept=True)
        self.listing = Listing()
        self.state = threading.Condition()  # guards what follows; told of every change
        self.generation = 0  # goes up at every change a studio page shows
        self.site_version = 0  # goes up when the site's files change (its pages reload)
        self.panes: dict[Path, dict[str, Pane]] = {}
        self.slugs: dict[Path, str] = {}
        self.failures: dict[Path, list[str]] = {}  # the articles' (and the site's) build errors
        self.config_error: str | None = None
        self.dirty: dict[Path, None] = {}  # articles to build, in order
        self.site_stale, self.site_built = True, False
        self.to_check: set[Path] | None = None  # articles to check (None: every one)
        self.quick: Path | None = None  # an article on screen whose quick panes are due
        self.on_screen: dict[Path, int] = {}  # articles on studio pages now, how many each
        self.closed = False
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        """Build every article, the site and the list, in background threads."""
        self.pool.warm_up(self.pool.jobs)  # (first: forked while this process has one thread)
        with self.state:
            self.dirty = dict.fromkeys(self._sources())
        for work in (self._builds, self._checks):
            thread = threading.Thread(target=work, daemon=True)
            thread.start()
            self.threads.append(thread)

    def close(self) -> None:
        """Stop the builds and the workers, and remove the temporary folder."""
        with self.state:
            self.closed = True
            self.state.notify_all()
        self.pool.close()
        for thread in self.threads:
            thread.join(timeout=30)
        pandoc.stop_server()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.threads:  # (it built: the cache remembers its output folder)
            with contextlib.suppress(PublishError):
                OutputState.forget(self.project.root, self.out)

    # What changed, from the watcher.

    def changed(self, change: Change) -> None:
        with self.state:
            if change.config or change.layouts:
                self._reload()
            for path in change.articles:
                if path.is_file():
                    self.dirty[path] = None
                else:
                    self._forget(path)
            if change.config or change.layouts or change.files:
                self.dirty = dict.fromkeys([*self.dirty, *self._sources()])
            self._check(None if change.config or change.files else change.articles)
            self.site_stale = True
            self._told()

    def _reload(self) -> None:
        """Load publish.yml and the layouts again; until they load, every pane says why."""
        try:
            self.project = Project.load(self.project.root)
        except PublishError as error:
            self.config_error = str(error)
            for panes in self.panes.values():
                for pane in panes.values():
                    pane.error, pane.busy = self.config_error, False
            self.say(f"Error: {error}")
        else:
            self.config_error = None

    def _forget(self, path: Path) -> None:
        self.dirty.pop(path, None)
        self.failures.pop(path, None)
        gone = f"{display_path(path)} no longer exists"
        for pane in self.panes_of(path).values():
            pane.error, pane.busy = gone, False

    def _sources(self) -> list[Path]:
        return [path.resolve() for path in find_sources(self.project)]

    # The articles on screen, from the studio pages' event streams.

    def showing(self, path: Path, shown: bool) -> None:
        with self.state:
            self.on_screen[path] = self.on_screen.get(path, 0) + (1 if shown else -1)
            if self.on_screen[path] <= 0:
                del self.on_screen[path]
            else:  # the latest first
                self.on_screen = {path: self.on_screen.pop(path), **self.on_screen}
            self._told()

    def article_named(self, name: str) -> Path | None:
        """The article source/`name`, if there is one."""
        found = [path for path in self._sources() if path.name == name]
        return found[0] if found else None

    def latest(self) -> Path | None:
        """The article written last: the one a studio page shows first."""
        sources = self._sources()
        return max(sources, key=lambda path: path.stat().st_mtime_ns) if sources else None

    def panes_of(self, path: Path) -> dict[str, Pane]:
        if path not in self.panes:
            self.panes[path] = {name: Pane(error=self.config_error) for name in PANES}
        return self.panes[path]

    # The builds, one at a time, in their thread.

    def _builds(self) -> None:
        while (job := self._next_build()) is not None:
            try:
                self._build_site() if job is SITE else self._build_article(job)
            except PoolClosed:
                return
            except Exception as error:  # the studio goes on: the next change tries again
                self._broke(job, error)

    def _broke(self, job: Path, error: Exception) -> None:
        """A build raised: the cache could not be written, or a bug in publish (its traceback
        told). In the job's panes and the terminal."""
        known = isinstance(error, PublishError | BuildBug)
        text = str(error) if known else traceback.format_exc().rstrip()
        with self.state:
            self.quick = None
            self.failures[job] = [text]
            if job is not SITE:
                for pane in self.panes_of(job).values():
                    pane.error, pane.busy = text, False
            self._told()
        self.say(f"Error: {text}")

    def _next_build(self) -> Path | None:
        """The next job: an article on screen, the site's first build, another article, the
        site again; None once closed."""
        with self.state:
            self.state.wait_for(
                lambda: self.closed or (not self.config_error and (self.dirty or self.site_stale))
            )
            if self.closed:
                return None
            shown = [path for path in self.on_screen if path in self.dirty]
            if shown or (self.dirty and self.site_built):
                path = (shown or list(self.dirty))[0]
                del self.dirty[path]
                self.quick = path if shown else None
                return path
            self.site_stale, self.site_built = False, True
            return SITE

    def _build_article(self, path: Path) -> None:
        started = time.perf_counter()
        with self.state:
            for pane in self.panes_of(path).values():
                pane.busy = True
            self._told()
        told: dict[str, float] = {}
        on_part = partial(self._part, started, told)
        options = BuildOptions(
            sources=(path,), out=self.out, workers=self.pool, on_part=on_part, drafts=True
        )
        report = build(self.project, options)
        self._built(path, report, told)

    def _part(self, started: float, told: dict[str, float], task: Task, result: Result) -> None:
        """A part of an article's build is made: write it, and show it in its pane (or its
        error there: in every pane when the article could not be read)."""
        channels = [channel for channel in task.channels if channel in result.rendered]
        writer = OutputWriter(self.out)
        for channel in channels:
            for output in result.rendered[channel].outputs:
                writer.write(output)
        made = [name for channel in channels for name in _panes(channel)]
        with self.state:
            panes = self.panes_of(task.source)
            if result.article is not None:
                self.slugs[task.source] = result.article.slug
            failed = [*panes] if result.article is None else _failed(task, result)
            for name in failed:
                panes[name].error, panes[name].busy = str(result.error), False
            for name in made:
                panes[name].version += 1
                panes[name].error, panes[name].busy = None, False
                told[name] = time.perf_counter() - started
            if "web" in made:
                self.site_version += 1
            if self.quick == task.source and not (panes["web"].busy or panes["email"].busy):
                self.quick = None  # the checks may go on
            self._told()

    def _built(self, path: Path, report: BuildReport, told: dict[str, float]) -> None:
        """The article's build ended: the panes it did not make are as the cache had them."""
        failures = [str(failure) for failure in report.failures]
        with self.state:
            self.quick = None
            self.failures[path] = failures
            for pane in self.panes_of(path).values():
                if pane.busy and failures and not told:
                    pane.error = "\n".join(failures)
                elif pane.busy and not failures:
                    pane.version, pane.error = pane.version + 1, None
                pane.busy = False
            self.site_version += 1
            self.site_stale = True  # (its title, its date... in the site's pages)
            self._told()
        if told:
            times = ", ".join(f"{PANES[name]} {seconds:.2f} s" for name, seconds in told.items())
            self.say(f"Built {display_path(path)}: {times}")
        for failure in failures:
            self.say(f"Error: {failure}")

    def _build_site(self) -> None:
        """The site's own pages (index, feed, sitemap, assets) from the articles up to date;
        the outputs of deleted articles removed. Their warnings were told already."""
        options = BuildOptions(out=self.out, workers=self.pool, cached_only=True, drafts=True)
        logger = logging.getLogger("pipeline")
        disabled, logger.disabled = logger.disabled, True
        try:
            report = build(self.project, options)
        finally:
            logger.disabled = disabled
        failures = [str(failure) for failure in report.failures]
        with self.state:
            new = [failure for failure in failures if failure not in self.every_failure()]
            self.failures[SITE] = failures
            self.site_version += 1
            self._told()
        for failure in new:
            self.say(f"Error: {failure}")

    def every_failure(self) -> list[str]:
        """The build errors now, each once."""
        found = [self.config_error] if self.config_error else []
        found += [failure for failures in self.failures.values() for failure in failures]
        return list(dict.fromkeys(found))

    # The article list, checked in its thread.

    def _check(self, paths: set[Path] | None) -> None:
        """Have the articles `paths` (None: every one) checked again."""
        if paths is None or self.to_check is None:
            self.to_check = None
        else:
            self.to_check |= paths

    def _checks(self) -> None:
        """Check the articles that changed, once the quick panes of an article on screen are
        made (the checks would slow them down)."""
        while True:
            with self.state:
                self.state.wait_for(
                    lambda: self.closed or (self.quick is None and self.to_check != set())
                )
                if self.closed:
                    # Stopped from this thread: a pandoc is killed when the thread that
                    # started it ends (processes.py), and would leave its temporary file.
                    pandoc.stop_server()
                    return
                project, paths, self.to_check = self.project, self.to_check, set()
            self.listing.refresh(project, paths, lambda: self.closed)
            with self.state:
                self._told()

    def _told(self) -> None:
        """Tell the studio pages (and the builds and checks waiting) that something changed."""
        self.generation += 1
        self.state.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the generation is not `seen` (or `timeout` seconds); return it."""
        with self.state:
            self.state.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return self.generation

    def wait_site(self, seen: int, timeout: float) -> int:
        """Block until the site's version is not `seen` (or `timeout` seconds); return it."""
        with self.state:
            self.state.wait_for(lambda: self.site_version != seen or self.closed, timeout)
            return self.site_version


def _panes(channel: str) -> tuple[str, ...]:
    """The panes that show a channel: the print channel's two PDFs, or its own."""
    return PDFS if channel == "print" else (channel,)


def _failed(task: Task, result: Result) -> list[str]:
    """The panes of the task's channels that were not made (the first failed; the others, after
    it, were not tried)."""
    missing = [channel for channel in task.channels if channel not in result.rendered]
    return [name for channel in missing for name in _panes(channel)]
