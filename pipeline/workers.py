"""Where articles are built: a pool of warm worker processes, or a Dask cluster.

Either way the main process gets the Results back in source order and does all the writing,
so outputs and messages are the same whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait

from . import pandoc, pdf, work
from .errors import PublishError
from .work import Read, Result, Task, WorkerStats

# Test only: a local worker given the article with this file stem exits at once, as a worker
# that crashes in WeasyPrint or pandoc would (tests/test_build_parallel.py).
CRASH_HOOK = "PUBLISH_TEST_CRASH_ON"
MB = 1024 * 1024
PARENT_CHECK = 0.5  # seconds: how often an idle worker checks that the build is still there


class LocalPool:
    """Up to `jobs` worker processes, one task at a time each. A worker that dies is replaced;
    its article is tried once more in the new worker, and fails alone if it crashes again.

    With fewer articles than workers (one article changed, say), each article's work is split
    over two workers (`work.split`): while one renders the print shop's PDF, another renders
    the screen PDF from the article the first read and passed on.
    """

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.ready: list[_Worker] = []  # started by warm_up(), for run()

    def warm_up(self) -> None:
        """Start workers ahead of run(), when the build knows it has work: they import
        WeasyPrint while it is still planning. Two at most, enough for one article split in
        two; the others start when run() needs them."""
        wanted = min(self.jobs, 2)
        if len(self.ready) < wanted:  # (called for every article planned with work)
            context = _context()
            while len(self.ready) < wanted:
                self.ready.append(_Worker(context, os.environ.get(CRASH_HOOK), self.ready))

    def close(self) -> None:
        """Stop the workers warm_up() started and no run() took."""
        for worker in self.ready:
            worker.stop()
        self.ready = []

    def run(self, tasks: list[Task], meanwhile: Iterable = ()) -> Iterator[Result]:
        """The Results in task order; while waiting for them, the steps of `meanwhile`."""
        meanwhile = iter(meanwhile)
        context = _context()
        crash_on = os.environ.get(CRASH_HOOK)
        order = deque(task.index for task in tasks)
        waiting: dict[int, Task] = {}  # second halves of split tasks, until their article is read
        if len(tasks) < self.jobs:
            tasks = self._split(tasks, waiting)
        pending = deque((task, 1) for task in tasks)
        busy: dict[_Worker, tuple[Task, int]] = {}
        idle, self.ready = self.ready, []  # workers waiting for a task
        # Second halves go to workers started now, warm (WeasyPrint imported) by the time the
        # first halves have read their articles.
        while waiting and len(idle) < min(len(pending) + len(waiting), self.jobs):
            idle.append(_Worker(context, crash_on, idle))
        halves: dict[int, list[tuple[Task, Result]]] = {}  # of split tasks, as they finish
        done: dict[int, Result] = {}
        finished = False
        try:
            while order:
                while pending and (idle or len(busy) < self.jobs):
                    worker = idle.pop() if idle else _Worker(context, crash_on, [*busy, *idle])
                    busy[worker] = pending.popleft()
                    worker.send(busy[worker][0])
                ways = [way for worker in busy for way in worker.ways]
                ready = wait(ways, timeout=0)
                while not ready and next(meanwhile, None) is not None:
                    ready = wait(ways, timeout=0)
                ready = ready or wait(ways)
                for worker in [w for w in busy if any(way in ready for way in w.ways)]:
                    answer = worker.receive()
                    if isinstance(answer, Read):  # the worker goes on with its task
                        second = waiting.pop(answer.index, None)
                        if second is not None:  # (None: a retry read it again)
                            pending.append((dataclasses.replace(second, article=answer.article), 1))
                        continue
                    task, attempt = busy.pop(worker)
                    if answer is not None:
                        idle.append(worker)
                    elif attempt == 1:
                        pending.appendleft((task, 2))
                        continue
                    else:
                        answer = crashed(task, worker.exit_status())
                    if task.shares and waiting.pop(task.index, None) is not None:
                        done[task.index] = answer  # it stopped before sharing the article
                    elif task.shares or task.article is not None:  # half of a split task
                        both = halves.setdefault(task.index, [])
                        both.append((task, answer))
                        if len(both) == 2:
                            first, second = sorted(both, key=lambda half: not half[0].shares)
                            done[task.index] = work.merge(first, second)
                            del halves[task.index]
                    else:
                        done[task.index] = answer
                while order and order[0] in done:
                    finished = len(order) == 1  # the caller need not ask past the last one
                    if finished:  # the workers stop while the caller takes in the last Result
                        for worker in [*busy, *idle]:
                            worker.ask_to_stop()
                    yield done.pop(order.popleft())
        finally:  # on Ctrl-C or any error, at once: no worker outlives its build
            for worker in [*busy, *idle]:
                worker.stop(wait=finished)

    @staticmethod
    def _split(tasks: list[Task], waiting: dict[int, Task]) -> list[Task]:
        """Each task that splits as its first half; its second half waits in `waiting`."""
        ready = []
        for task in tasks:
            halves = work.split(task)
            if halves is None:
                ready.append(task)
            else:
                ready.append(halves[0])
                waiting[task.index] = halves[1]
        return ready


class DaskPool:
    """The same tasks on a Dask distributed cluster; its workers must see the project's files
    at the same paths (a shared file system)."""

    def __init__(self, executor: str):
        self.executor = executor
        self.address = "tcp://" + executor.removeprefix("dask://")

    def warm_up(self) -> None:
        """Nothing to start: the cluster's workers run already."""

    def close(self) -> None:
        pass

    def run(self, tasks: list[Task], meanwhile: Iterable = ()) -> Iterator[Result]:
        try:
            import dask.config
            from dask.utils import parse_timedelta
            from distributed import Client
            from distributed.scheduler import KilledWorker
        except ImportError as error:
            raise PublishError(
                "--executor dask:// needs Dask",
                hint="Install it with: pip install 'publish-pipeline[dask]'",
            ) from error
        # Dask's own setting (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT), 30 s unless set.
        wait = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
        try:
            client = Client(self.address, timeout=wait)
        except OSError as error:
            raise PublishError(
                f"cannot reach the Dask scheduler at {self.executor} (no answer in {wait:g} s)",
                hint="Check the address, and that the scheduler runs",
            ) from error
        with client:
            futures = client.map(run_remote, tasks, pure=False)
            for task, future in zip(tasks, futures, strict=True):
                try:
                    yield future.result()
                except KilledWorker:
                    yield crashed(task, "its Dask workers died")


def pool(executor: str | None, jobs: int) -> LocalPool | DaskPool:
    """The pool `publish build --executor` names: none for local processes, dask://HOST:PORT."""
    if not executor:
        return LocalPool(jobs)
    if executor.startswith("dask://"):
        return DaskPool(executor)
    raise PublishError(
        f"unknown executor '{executor}'",
        hint="Use dask://HOST:PORT for a Dask scheduler, or leave --executor out",
    )


def memory(stats: dict[int, list[WorkerStats]]) -> list[str]:
    """Each worker's memory after its first, tenth and last article, and its pandoc's: flat
    over a batch, or growing."""
    lines = []
    for pid, after in sorted(stats.items()):
        marks = {"first": after[0], "10th": after[9] if len(after) > 10 else None}
        marks["last"] = after[-1]
        shown = {name: stats for name, stats in marks.items() if stats is not None}
        lines.append(
            f"Worker {pid}, {len(after)} article{'s' * (len(after) != 1)}: "
            + ", ".join(f"{s.rss / MB:.0f} MB after its {name}" for name, s in shown.items())
            + f"; peak {after[-1].peak / MB:.0f} MB. Its pandoc: "
            + ", ".join(f"{s.pandoc / MB:.0f}" for s in shown.values())
            + " MB"
        )
    return lines


def run_remote(task: Task) -> Result:
    work.quiet()
    return work.run(task)


def crashed(task: Task, how: str) -> Result:
    return Result(
        task.index,
        error=PublishError(
            f"not built: the build worker crashed on it twice ({how})",
            task.source,
            hint="This is a bug in publish or a library it uses: please report it "
            "with this article",
        ),
    )


def _context():
    """fork starts a warm worker in milliseconds (the modules are loaded already), but is unsafe
    in a process that runs threads (`publish serve`, a Dask client): there, forkserver."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["pipeline.workers"])
    return context


class _Worker:
    def __init__(self, context, crash_on: str | None, others: list[_Worker]):
        self.connection, child = context.Pipe()
        # A forked child holds copies of the build's ends of the pipes, its own included; it
        # closes them, or a worker would never see its pipe close when the build is killed (and
        # would block for ever sending an answer larger than the pipe holds).
        ends = [self.connection, *(other.connection for other in others)]
        inherited = ends if _forks(context) else []
        self.process = context.Process(
            target=_serve, args=(child, crash_on, inherited), daemon=True
        )
        self.process.start()
        child.close()
        self.ways = (self.connection, self.process.sentinel)
        self.asked = False  # to stop

    def send(self, task: Task) -> None:
        self.connection.send(task)

    def receive(self) -> Result | Read | None:
        """The worker's Result (or its word that it read a shared article), or None when it
        died without one."""
        try:
            answer = self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            return None
        if isinstance(answer, _Bug):
            raise RuntimeError(f"a build worker failed:\n{answer.traceback}")
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

    def stop(self, wait: bool = True) -> None:
        if wait and self.process.is_alive():
            self.ask_to_stop()
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


class _Bug:
    """Not a problem in the content: an exception in publish itself, told with its traceback."""

    def __init__(self, text: str):
        self.traceback = text


def _forks(context) -> bool:
    return context.get_start_method() == "fork"


def _serve(connection, crash_on: str | None, inherited: list) -> None:
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops us
    work.quiet()
    # WeasyPrint takes 0.4 s to import: import it while the first article is read and its
    # pandoc work is done (the main thread waits for it only when it lays out a PDF).
    threading.Thread(target=pdf.import_weasyprint, daemon=True).start()
    parent = os.getppid()
    while (task := _next_task(connection, parent)) is not None:
        if crash_on and task.source.stem == crash_on:
            os._exit(70)
        try:
            answer = work.run(task, connection.send)
        except Exception:
            answer = _Bug(traceback.format_exc())
        connection.send(answer)
    pandoc.stop_server()  # now, and not left to the system: its time counts as the worker's


def _next_task(connection, parent: int) -> Task | None:
    """The next task, or None when the build says so or is gone (killed)."""
    while not connection.poll(PARENT_CHECK):
        if os.getppid() != parent:
            return None
    try:
        return connection.recv()
    except EOFError:
        return None
