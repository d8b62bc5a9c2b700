"""What a build is asked to do (BuildOptions: one object from the command line to the engine),
and what it reports."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline import timings
from pipeline.channels import CHANNELS
from pipeline.engine import workers
from pipeline.engine.cache import Articles
from pipeline.engine.pools import LocalPool
from pipeline.engine.running import OnPart, nothing
from pipeline.engine.work import WorkerStats
from pipeline.errors import PublishError
from pipeline.source.schedule import State


@dataclass(frozen=True)
class BuildOptions:
    """What `publish build` was asked for: one object from the command line to the engine."""

    sources: tuple[Path, ...] = ()  # the articles to build; default: all of source/
    channels: tuple[str, ...] = ()  # default: every channel
    out: Path | None = None  # default: output/ in the project
    strict: bool = False  # an article that warns fails
    force: bool = False  # rebuild everything, whatever the cache says
    keep_html: bool = False  # write the HTML each PDF is made from beside it
    jobs: int = 0  # worker processes; 0: one per core; 1: in this process
    executor: str | None = None  # dask://HOST:PORT to build on a Dask cluster
    drafts: bool = False  # build drafts and scheduled articles too, marked as drafts
    as_of: date | None = None  # "today" for what is published (default: the clock's day)
    on_write: Callable[[Path], None] = lambda path: None
    on_explain: Callable[[str], None] | None = None  # why each output was (not) made
    # (articles built so far, articles to build), as workers finish them
    on_progress: Callable[[int, int], None] = lambda done, total: None
    before_task: workers.BeforeTask = None  # run by a worker before each task (for tests)
    # publish serve's: worker processes kept warm between builds (default: started for this
    # one); told of each channel of an article as it is made; a build of the site pages and
    # of what the cache holds up to date, which leaves out (not builds) the rest.
    workers: LocalPool | None = None
    on_part: OnPart = nothing
    cached_only: bool = False


@dataclass
class BuildReport:
    articles: Articles = field(default_factory=Articles)
    written: list[Path] = field(default_factory=list)
    failures: list[PublishError] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # outputs already up to date
    removed: list[Path] = field(default_factory=list)  # of deleted articles and such
    left_out: list[tuple[Path, State]] = field(default_factory=list)  # drafts, scheduled
    built: int = 0  # articles rendered this time; the others came from the cache
    timings: timings.Timings = field(default_factory=timings.Timings)
    workers: dict[int, list[WorkerStats]] = field(default_factory=dict)  # pid -> after each task
    seconds: float = 0.0
    jobs: int = 1  # worker processes it could use

    def timing_lines(self, channels: Sequence[str], executor: str | None = None) -> list[str]:
        """`publish build --timings`: where the time went, and each worker's memory."""
        used = len(self.workers) if executor else min(len(self.workers), cores())
        names = list(channels or CHANNELS)
        lines = timings.table(self.timings, self.seconds, max(used, 1), names)
        return lines + workers.memory(self.workers)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
