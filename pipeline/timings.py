"""Where a build's time went: seconds per stage and per channel, summed across processes."""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.errors import plural

# The stages `publish build --timings` reports, in the order a build meets them.
STAGES = (
    "start-up",
    "read",
    "pandoc",
    "templates",
    "WeasyPrint layout",
    "copyfitting",
    "repainting",
    "PDF writing",
    "preflight",
    "email finishing",
    "other",
    "cache",
    "writes",
)
# The work a build cannot avoid: laying out, painting and writing PDFs, and pandoc's reading
# and writing. (Repainting the screen PDF's pages is what is left of its own layout.)
UNAVOIDABLE = ("pandoc", "WeasyPrint layout", "repainting", "PDF writing")
ARTICLE = "article"  # the column for work shared by every channel (reading the article)
BUILD = "build"  # the column for the build's own bookkeeping (the cache, its state)


@dataclass
class Timings:
    """Seconds spent per (stage, channel): each stage's own time, without the stages inside it."""

    seconds: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))

    def add(self, other: Timings) -> None:
        for key, value in other.seconds.items():
            self.seconds[key] += value

    def stage(self, name: str) -> float:
        return sum(value for (stage, _), value in self.seconds.items() if stage == name)

    def columns(self, channels: list[str]) -> list[str]:
        """The columns with figures: reading, then the channels in build order, then the rest."""
        found = {channel for _, channel in self.seconds}
        order = [ARTICLE, *channels, *sorted(found - {ARTICLE, BUILD, *channels}), BUILD]
        return [name for name in order if name in found]

    def unavoidable(self) -> float:
        return sum(self.stage(name) for name in UNAVOIDABLE)


_timings: contextvars.ContextVar[Timings | None] = contextvars.ContextVar("timings", default=None)
_channel: contextvars.ContextVar[str] = contextvars.ContextVar("timed_channel", default=BUILD)
# The open timers of this context: a stage's time is taken out of the one that encloses it.
_open: contextvars.ContextVar[tuple[list[float], ...]] = contextvars.ContextVar(
    "open_timers", default=()
)


@contextlib.contextmanager
def collecting():
    """Collect the time of every `timed()` block inside this one into a Timings."""
    found = Timings()
    token = _timings.set(found)
    try:
        yield found
    finally:
        _timings.reset(token)


@contextlib.contextmanager
def channel(name: str):
    """Count the stages inside this block for channel `name`; the rest of its time is 'other'."""
    with for_channel(name), timed("other"):
        yield


@contextlib.contextmanager
def for_channel(name: str):
    """Count the stages inside this block for channel `name`."""
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


@contextlib.contextmanager
def timed(stage: str):
    """Time a stage. Stages nest: an enclosing stage is charged only its own time.

    Hook for any module: `with timed("preflight"): check(pdf)`.
    """
    found = _timings.get()
    if found is None:
        yield
        return
    key = (stage, _channel.get())
    inner = [0.0]  # time spent in stages opened inside this one
    token = _open.set((*_open.get(), inner))
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _open.reset(token)
        found.seconds[key] += elapsed - inner[0]
        if _open.get():
            _open.get()[-1][0] += elapsed


def table(timings: Timings, seconds: float, cores: int, channels: list[str]) -> list[str]:
    """The figures of `publish build --timings`: stages down, channels across, in seconds."""
    columns = timings.columns(channels)
    width = max(len(stage) for stage in STAGES)
    lines = [f"{'seconds':<{width}}" + "".join(f"{name:>9}" for name in [*columns, "total"])]
    for stage in [*STAGES, "total"]:
        row = [
            sum(v for (s, c), v in timings.seconds.items() if c == name and stage in (s, "total"))
            for name in columns
        ]
        if any(row):
            cells = "".join(f"{value:>9.2f}" if value else " " * 9 for value in row)
            lines.append(f"{stage:<{width}}{cells}{sum(row):>9.2f}")
    work = timings.unavoidable()
    lines.append(
        f"Wall time {seconds:.2f} s. Work no build can avoid (pandoc, WeasyPrint): {work:.2f} s, "
        f"{work / cores:.2f} s on {plural(cores, 'core')}"
        + (f": the build took {seconds / (work / cores):.2f}x that." if work else ".")
    )
    return lines
