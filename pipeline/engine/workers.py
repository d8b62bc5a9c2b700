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
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

from pipeline.channels.print import pdf
from pipeline.engine import work
from pipeline.engine.work import Read, Result, Task, WorkerStats
from pipeline.errors import PublishError
from pipeline.source import pandoc
from pipeline.source.processes import die_with_parent, tree_memory

# Test only: a local worker given the article with this file stem exits at once, as a worker
# that crashes in WeasyPrint or pandoc would (tests/test_build_parallel.py).
CRASH_HOOK = "PUBLISH_TEST_CRASH_ON"
MB = 1024 * 1024
PARENT_CHECK = 0.5  # seconds: how often an idle worker checks that the build is still there
BUDGET_CHECK = 0.5  # seconds: how often the build looks at what its busy workers take


@dataclass(frozen=True)
class Budget:
    """What one article may take of a worker: seconds, and bytes of memory (the worker and its
    pandoc together). A worker over either is stopped; its article fails, and nothing else."""

    seconds: float
    memory: int


class LocalPool:
    """Up to `jobs` worker processes, one task at a time each. A worker that dies is replaced;
    its article is tried once more in the new worker, and fails alone if it crashes again.

    With fewer articles than workers (one article changed, say), each article's work is split
    over two workers (`work.split`): while one renders the print shop's PDF, another renders
    the screen PDF from the article the first read and passed on.
    """

    def __init__(self, jobs: int, budget: Budget | None = None):
        self.jobs = max(1, jobs)
        self.budget = budget
        self.ready: list[_Worker] = []  # started by warm_up(), for run()

    def warm_up(self) -> None:
        """Start workers ahead of run(), when the build knows it has work: they import
        WeasyPrint while it is still planning. Two at most, enough for one article split in
        two; the others start when run() needs them."""
        wanted = min(self.jobs, 2)
        while len(self.ready) < wanted:  # (called for every article planned with work)
            self.ready.append(self.worker(self.ready))

    def worker(self, others: list[_Worker]) -> _Worker:
        return _Worker(_context(), os.environ.get(CRASH_HOOK), others)

    def close(self) -> None:
        """Stop the workers warm_up() started and no run() took."""
        for worker in self.ready:
            worker.stop()
        self.ready = []

    def run(self, tasks: list[Task], meanwhile: Iterable = ()) -> Iterator[Result]:
        """The Results in task order; while waiting for them, the steps of `meanwhile`."""
        run = _Run(self, tasks)
        try:
            yield from run.results(iter(meanwhile))
        finally:  # on Ctrl-C or any error, at once: no worker outlives its build
            run.terminate()

    @staticmethod
    def split(tasks: list[Task], waiting: dict[int, Task]) -> list[Task]:
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


class _Run:
    """One LocalPool.run: the tasks waiting, the workers busy and idle, and the Results not yet
    handed on (they go in task order)."""

    def __init__(self, pool: LocalPool, tasks: list[Task]):
        self.pool = pool
        self.order = deque(task.index for task in tasks)
        self.waiting: dict[int, Task] = {}  # second halves of split tasks, until they can go
        if len(tasks) < pool.jobs:
            tasks = pool.split(tasks, self.waiting)
        self.pending = deque((task, 1) for task in tasks)  # (task, attempt)
        self.busy: dict[_Worker, tuple[Task, int]] = {}
        self.idle, pool.ready = pool.ready, []
        self.halves: dict[int, list[tuple[Task, Result]]] = {}  # of split tasks, as they end
        self.done: dict[int, Result] = {}
        self.finished = False  # the last Result was handed on
        # Second halves go to workers started now, warm (WeasyPrint imported) by the time the
        # first halves have read their articles.
        while self.waiting and len(self.idle) < min(len(tasks) + len(self.waiting), pool.jobs):
            self.idle.append(pool.worker(self.idle))

    def results(self, meanwhile: Iterator) -> Iterator[Result]:
        while self.order:
            self.add_tasks()
            for worker in self.ready_workers(meanwhile):
                self.join_one(worker)
            yield from self.in_order()

    def add_tasks(self) -> None:
        """Give each pending task a worker, while there are idle workers or room for more."""
        while self.pending and (self.idle or len(self.busy) < self.pool.jobs):
            worker = self.idle.pop() if self.idle else self.pool.worker([*self.busy, *self.idle])
            self.busy[worker] = self.pending.popleft()
            worker.send(self.busy[worker][0])

    def ready_workers(self, meanwhile: Iterator) -> list[_Worker]:
        """The busy workers that have answered (or died). While none has, the steps of
        `meanwhile` run; then it waits, stopping workers that go over the budget."""
        ways = [way for worker in self.busy for way in worker.ways]
        ready = wait(ways, timeout=0)
        while not ready and next(meanwhile, None) is not None:
            ready = wait(ways, timeout=0)
        while not ready:
            ready = wait(ways, timeout=BUDGET_CHECK)
            if not ready and self.stop_over_budget():
                return []
        return [worker for worker in self.busy if any(way in ready for way in worker.ways)]

    def stop_over_budget(self) -> bool:
        """Stop each worker over the budget; its article fails. Whether any was."""
        budget = self.pool.budget
        over = {w: why for w in self.busy if budget and (why := w.over(budget)) is not None}
        for worker, why in over.items():
            worker.stop(wait=False)
            task, _ = self.busy.pop(worker)
            self.settle(task, over_budget(task, why))
        return bool(over)

    def join_one(self, worker: _Worker) -> None:
        """Take a worker's answer: a Result, its word that it read a shared article, or its
        death (the task is tried once more in a new worker)."""
        answer = worker.receive()
        if isinstance(answer, Read):  # the worker goes on with its task
            second = self.waiting.pop(answer.index, None)
            if second is not None:  # (None: a retry read it again)
                self.pending.append((dataclasses.replace(second, article=answer.article), 1))
            return
        task, attempt = self.busy.pop(worker)
        if answer is not None:
            self.idle.append(worker)
        elif attempt == 1:
            self.pending.appendleft((task, 2))
            return
        else:
            answer = crashed(task, worker.exit_status())
        self.settle(task, answer)

    def settle(self, task: Task, answer: Result) -> None:
        """File a task's Result; a split task's when both halves have answered."""
        if task.shares and self.waiting.pop(task.index, None) is not None:
            self.done[task.index] = answer  # it stopped before sharing the article
        elif task.shares or task.article is not None:  # half of a split task
            both = self.halves.setdefault(task.index, [])
            both.append((task, answer))
            if len(both) == 2:
                first, second = sorted(both, key=lambda half: not half[0].shares)
                self.done[task.index] = work.merge(first, second)
                del self.halves[task.index]
        else:
            self.done[task.index] = answer

    def in_order(self) -> Iterator[Result]:
        """The Results that are next in task order."""
        while self.order and self.order[0] in self.done:
            self.finished = len(self.order) == 1  # the caller need not ask past the last one
            if self.finished:  # the workers stop while the caller takes in the last Result
                for worker in [*self.busy, *self.idle]:
                    worker.ask_to_stop()
            yield self.done.pop(self.order.popleft())

    def terminate(self) -> None:
        for worker in [*self.busy, *self.idle]:
            worker.stop(wait=self.finished)


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


def pool(executor: str | None, jobs: int, budget: Budget | None = None) -> LocalPool | DaskPool:
    """The pool `publish build --executor` names: none for local processes, dask://HOST:PORT.
    A Dask cluster's workers are its own: the budget holds for local workers."""
    if not executor:
        return LocalPool(jobs, budget)
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


class _Worker:
    def __init__(self, context, crash_on: str | None, others: list[_Worker]):
        self.connection, child = context.Pipe()
        # A forked child holds copies of the build's ends of the pipes, its own included; it
        # closes them, or a worker would never see its pipe close when the build is killed (and
        # would block for ever sending an answer larger than the pipe holds).
        ends = [self.connection, *(other.connection for other in others)]
        inherited = ends if _forks(context) else []
        self.process = context.Process(
            target=_serve,
            args=(child, crash_on, inherited, os.getpid() if _forks(context) else None),
            daemon=True,
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
        seconds = time.monotonic() - self.started
        if seconds > budget.seconds:
            return f"it took more than {budget.seconds:g} s (the limit: 'build.article_seconds')"
        memory = tree_memory(self.process.pid)
        if memory > budget.memory:
            return (
                f"it took {memory // MB} MB of memory, more than {budget.memory // MB} MB "
                "(the limit: 'build.article_memory')"
            )
        return None

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


def _serve(connection, crash_on: str | None, inherited: list, parent: int | None) -> None:
    parent = die_with_parent(parent)
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # (the build's own handler raises)
    work.quiet()
    # WeasyPrint takes 0.4 s to import: import it while the first article is read and its
    # pandoc work is done (the main thread waits for it only when it lays out a PDF).
    threading.Thread(target=pdf.import_weasyprint, daemon=True).start()
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
