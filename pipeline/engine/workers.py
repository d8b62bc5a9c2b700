"""One build worker: a warm process that runs one article's task at a time, its end of the
pipes, and what the build says when it crashes or goes over its budget."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.channels.print import pdf
from pipeline.engine import work
from pipeline.engine.work import Read, Result, Task, WorkerStats
from pipeline.errors import BuildBug, PublishError, plural
from pipeline.source import pandoc
from pipeline.source.processes import die_with_parent, tree_memory

MB = 1024 * 1024
BUDGET_CHECK = 0.5  # seconds: how often the build looks at what its busy workers take
STOPPING = 10  # seconds a worker told to stop at once has to clean up before it is killed
PARENT_CHECK = 0.5  # seconds: how often an idle worker checks that the build is still there
# A function run in the worker before each task (tests crash a worker with it).
BeforeTask = Callable[[Task], None] | None


@dataclass(frozen=True)
class Budget:
    """What one article may take of a worker: seconds, and bytes of memory (the worker and its
    pandoc together). A worker over either is stopped; its article fails, and nothing else."""

    seconds: float
    memory: int

    def overrun(self, started: float, pid: int) -> str | None:
        """How a task started at `started` (time.monotonic) in process `pid` (with its
        children) goes over the budget, in words; None while it does not."""
        if time.monotonic() - started > self.seconds:
            return f"it took more than {self.seconds:g} s (the limit: 'build.article_seconds')"
        memory = tree_memory(pid)
        if memory > self.memory:
            return (
                f"it took {memory // MB} MB of memory, more than {self.memory // MB} MB "
                "(the limit: 'build.article_memory')"
            )
        return None


class Worker:
    """A worker process, and the build's end of its pipe."""

    def __init__(self, before_task: BeforeTask, others: list[Worker]):
        context = _context()
        self.connection, child = context.Pipe()
        # A forked child holds copies of the build's ends of the pipes, its own included; it
        # closes them, or a worker would never see its pipe close when the build is killed (and
        # would block for ever sending an answer larger than the pipe holds).
        forks = context.get_start_method() == "fork"
        inherited = [self.connection, *(other.connection for other in others)] if forks else []
        parent = os.getpid() if forks else None  # (a forkserver's child has another parent)
        self.process = context.Process(
            target=_serve, args=(child, before_task, inherited, parent), daemon=True
        )
        self.process.start()
        child.close()
        self.ways = (self.connection, self.process.sentinel)
        self.asked = False  # to stop
        self.started = 0.0  # when it was given its task (time.monotonic)

    def send(self, task: Task) -> None:
        self.connection.send(task)
        self.started = time.monotonic()

    def over(self, budget: Budget) -> str | None:
        """How this worker's task goes over `budget`, in words; None while it does not."""
        return budget.overrun(self.started, self.process.pid)

    def receive(self) -> Result | Read | None:
        """The worker's Result (or its word that it read a shared article), or None when it
        died without one. A bug in the worker is raised here, with the worker's traceback."""
        try:
            answer = self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            return None
        if isinstance(answer, BuildBug):
            raise answer
        return answer

    def exit_status(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exit status {code}"

    def ask_to_stop(self) -> None:
        """No more tasks: the worker stops its pandoc and exits."""
        if not self.asked:
            with contextlib.suppress(OSError):  # it may be dying already
                self.connection.send(None)
            self.asked = True

    def interrupt(self) -> None:
        """Stop a busy worker at once, cleanly: its task is given up, and it exits as an idle
        one does, its pandoc and its temporary files with it (SIGTERM: see _serve); killed if
        it has not after STOPPING seconds."""
        self.ask_to_stop()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGTERM)
        self.process.join(timeout=STOPPING)
        self.stop()

    def stop(self, wait: bool = True) -> None:
        if wait and self.process.is_alive():
            self.ask_to_stop()
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def crashed(task: Task, how: str) -> Result:
    return failed(
        task,
        f"not built: the build worker crashed on it twice ({how})",
        "This is a bug in publish or a library it uses: please report it with this article",
    )


def over_budget(task: Task, why: str) -> Result:
    return failed(
        task,
        f"not built: {why}",
        "Shorten the article or split it; or raise the limit under 'build:' in publish.yml "
        "(docs/authoring.md)",
    )


def failed(task: Task, message: str, hint: str) -> Result:
    return Result(task.index, error=PublishError(message, task.source, hint=hint))


def memory(stats: dict[int, list[WorkerStats]]) -> list[str]:
    """Each worker's memory after its first, tenth and last article, and its pandoc's: flat
    over a batch, or growing."""
    lines = []
    for pid, after in sorted(stats.items()):
        marks = {"first": after[0], "10th": after[9] if len(after) > 10 else None}
        marks["last"] = after[-1]
        shown = {name: stats for name, stats in marks.items() if stats is not None}
        lines.append(
            f"Worker {pid}, {plural(len(after), 'article')}: "
            + ", ".join(f"{s.rss / MB:.0f} MB after its {name}" for name, s in shown.items())
            + f"; peak {after[-1].peak / MB:.0f} MB. Its pandoc: "
            + ", ".join(f"{s.pandoc / MB:.0f}" for s in shown.values())
            + " MB"
        )
    return lines


def run_task(
    task: Task, before_task: BeforeTask = None, on_read: Callable[[Read], None] = lambda read: None
) -> Result | BuildBug:
    """A task's Result; an exception that is not the content's fault becomes a BuildBug that
    carries its traceback to the build."""
    try:
        if before_task is not None:
            before_task(task)
        return work.run(task, on_read)
    except Exception as error:
        return BuildBug(f"{type(error).__name__}: {error}", traceback.format_exc())


def _context():
    """fork starts a warm worker in milliseconds (the modules are loaded already), but is unsafe
    in a process that runs threads (`publish serve`, a Dask client): there, forkserver."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["pipeline.engine.workers"])
    return context


def _serve(connection, before_task: BeforeTask, inherited: list, parent: int | None) -> None:
    parent = die_with_parent(parent)
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops us
    signal.signal(signal.SIGTERM, _stop_now)  # (Worker.interrupt; not the build's own handler)
    # WeasyPrint takes 0.4 s to import: import it while the first article is read and its
    # pandoc work is done (the main thread waits for it only when it lays out a PDF).
    threading.Thread(target=pdf.import_weasyprint, daemon=True).start()
    try:
        with work.quiet():
            while (task := _next_task(connection, parent)) is not None:
                connection.send(run_task(task, before_task, connection.send))
    except _StopNow:
        pass  # its task given up: its answer is not awaited
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the cleaning below goes on
    pandoc.stop_server()  # now, and not left to the system: its time counts as the worker's
    pdf.remove_fonts_folder()


class _StopNow(BaseException):
    """Raised in a worker by SIGTERM: not an Exception, so that no task's error handling takes
    it for the article's failure."""


def _stop_now(signum, frame) -> None:
    raise _StopNow


def _next_task(connection, parent: int) -> Task | None:
    """The next task, or None when the build says so or is gone (killed)."""
    while not connection.poll(PARENT_CHECK):
        if os.getppid() != parent:
            return None
    try:
        return connection.recv()
    except EOFError:
        return None
