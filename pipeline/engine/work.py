"""The work of one article, wherever it runs: read it once, render it in each channel asked for."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline import deps, timings
from pipeline.channels import CHANNELS
from pipeline.channels.base import Output, keeping_html
from pipeline.engine.cache import Cache
from pipeline.errors import PublishError, collecting_warnings, paths_shown_from
from pipeline.project.folder import Project
from pipeline.source import pandoc
from pipeline.source.article import Article, read_article
from pipeline.source.links import Site
from pipeline.source.site import project_site


@dataclass(frozen=True)
class Task:
    """One article to build: everything a worker needs, in a form that can be sent to it."""

    index: int  # the article's place in source order
    source: Path
    root: Path
    channels: tuple[str, ...]  # the channels to render it in
    built: tuple[str, ...]  # every channel of this build (the web page links the brochure...)
    project_key: str  # changes when publish.yml or the layouts do
    pages: tuple[tuple[Path, str], ...] = ()  # every article's file and slug, for its links
    shown_from: Path = Path(".")  # the user's folder: messages show paths relative to it
    today: date | None = None  # what is published is decided on this day (schedule.py)
    # When one article's work is split over workers (parts.py): the article when another
    # worker read it, and whether to send the article on (as a Read) as soon as it is read.
    article: Article | None = None
    shares: bool = False
    build_id: str = ""  # which build: a kept worker (publish serve's) reads the others again


@dataclass(frozen=True)
class Read:
    """A worker's word that it read the article of task `index`: another worker can render
    the rest of it now."""

    index: int
    article: Article


@dataclass
class Rendered:
    """One channel's part of an article: its outputs, its warnings, the files it read, and the
    HTML each of its PDFs was made from (for `--keep-html`)."""

    outputs: list[Output]
    warnings: list[str]
    read: list[Path]
    html: list[Output]


@dataclass
class WorkerStats:
    """A worker's memory after a task, in bytes: its own, its pandoc's, its own highest."""

    pid: int
    rss: int
    pandoc: int
    peak: int


@dataclass
class Result:
    index: int
    article: Article | None = None
    read_warnings: list[str] = field(default_factory=list)
    rendered: dict[str, Rendered] = field(default_factory=dict)
    failing_warnings: list[str] = field(default_factory=list)  # the channel that failed
    error: PublishError | None = None
    timings: timings.Timings = field(default_factory=timings.Timings)
    workers: list[WorkerStats] = field(default_factory=list)  # two for a split task


_projects: dict[tuple, Project] = {}


def run(task: Task, on_read: Callable[[Read], None] = lambda read: None) -> Result:
    """Read the article once and render it; problems come back in the Result, never raised.
    With `task.shares`, `on_read` gets the article as soon as it is read."""
    result = Result(task.index)
    with paths_shown_from(task.shown_from), timings.collecting() as result.timings:
        try:
            _build(task, _project(task), result, on_read)
        except PublishError as error:
            result.error = error
    result.workers = [worker_stats()]
    return result


def _build(task: Task, project: Project, result: Result, on_read: Callable[[Read], None]) -> None:
    if task.article is not None:  # read by another worker, which tells its warnings
        article = task.article
    else:
        # The warnings are kept as they come: a problem after them does not lose them.
        with (
            collecting_warnings() as result.read_warnings,
            timings.channel(timings.ARTICLE),
            timings.timed("read"),
        ):
            site = _site(task, project)
            article = read_article(
                task.source, project.root, project.config, CHANNELS, site, task.today
            )
    result.article = article
    if task.shares:
        on_read(Read(task.index, article))
    # The channels that lay out PDFs go last: the others render while the worker is still
    # importing WeasyPrint (workers.py). A failure is told as if met in channel order.
    failures: dict[str, tuple[list[str], PublishError]] = {}
    for name in sorted(task.channels, key=lambda name: CHANNELS[name].lays_out):
        with collecting_warnings() as warned:
            try:
                result.rendered[name] = render(article, project, name, warned)
            except PublishError as error:
                failures[name] = (warned, error)
    for position, name in enumerate(task.channels):
        if name in failures:  # nothing of it or of the channels after it
            result.failing_warnings, result.error = failures[name]
            for later in task.channels[position:]:
                result.rendered.pop(later, None)
            break


def render(article: Article, project: Project, name: str, warned: list[str]) -> Rendered:
    """The outputs of `article` in channel `name`, with the files it read; it warns into
    `warned`."""
    channel = CHANNELS[name]
    with deps.recording() as read, keeping_html() as kept, timings.channel(name):
        read.update(article.media.values())
        read.update(article.depends)  # its links' warnings came from them
        read.update(article.files)  # included, its bibliographies and citation style
        outputs = channel.render(article, project)
    html = [
        Output(output.path.removesuffix(".pdf") + ".html", kept[sha].encode())
        for output in outputs
        if (sha := hashlib.sha256(output.data).hexdigest()) in kept
    ]
    return Rendered(outputs, warned, sorted(read), html)


def _project(task: Task) -> Project:
    """The project, loaded once per worker process and build settings (templates stay warm);
    a worker kept between builds keeps the latest only."""
    key = (task.root, task.built, task.project_key)
    if key not in _projects:
        _projects.clear()
        project = Project.load(task.root)
        compiled = Cache(task.root).templates
        _projects[key] = dataclasses.replace(project, channels=task.built, compiled=compiled)
    return _projects[key]


def _site(task: Task, project: Project) -> Site:
    """The articles the task's links may reach, made once per build in a worker (the anchors
    of each one read once)."""
    key = (task.build_id, task.project_key, hash(task.pages))
    if key not in _sites:
        _sites.clear()
        _sites[key] = project_site(project.root, project.config, [], dict(task.pages))
    return _sites[key]


_sites: dict[tuple, Site] = {}


@contextlib.contextmanager
def quiet():
    """Warnings travel back in the Result, for the build to tell in order: not told as said."""
    logger = logging.getLogger("pipeline")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


def worker_stats() -> WorkerStats:
    server = pandoc.server_pid()
    own = _memory("self")
    return WorkerStats(
        os.getpid(), own["VmRSS"], _memory(server)["VmRSS"] if server else 0, own["VmHWM"]
    )


def _memory(pid) -> dict[str, int]:
    """Resident memory now (VmRSS) and at its highest (VmHWM), from Linux's /proc."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # not Linux, or gone
        return {"VmRSS": 0, "VmHWM": 0}
    found = dict(line.split(":", 1) for line in lines if line.startswith(("VmRSS", "VmHWM")))
    return {name: int(found.get(name, "0 kB").split()[0]) * 1024 for name in ("VmRSS", "VmHWM")}
