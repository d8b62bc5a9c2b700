"""Where a build's tasks run: in worker processes (LocalPool), in this process (SerialPool,
`-j 1`), or on a Dask cluster (engine/dask.py). Each hands the Results back in task order, so
outputs and messages are the same whichever runs them; each holds tasks to the budget."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator

from pipeline.engine import work
from pipeline.engine.running import OnPart, PoolClosed, Run, nothing
from pipeline.engine.work import Result, Task
from pipeline.engine.workers import (
    BUDGET_CHECK,
    BeforeTask,
    Budget,
    Worker,
    over_budget,
    run_task,
)
from pipeline.errors import PublishError


def pool(executor: str | None, jobs: int, budget: Budget, before_task: BeforeTask = None):
    """The pool `publish build -j N --executor` names: this process for one job, worker
    processes for more, a Dask cluster (dask://HOST:PORT), whose workers are its own: the
    budget holds for this machine's."""
    if executor and executor.startswith("dask://"):
        from pipeline.engine.dask import DaskPool  # Dask: only when asked for

        return DaskPool(executor)
    if executor:
        raise PublishError(
            f"unknown executor '{executor}'",
            hint="Use dask://HOST:PORT for a Dask scheduler, or leave --executor out",
        )
    if jobs == 1 and threading.current_thread() is threading.main_thread():
        return SerialPool(budget, before_task)  # (the budget's alarm needs the main thread)
    return LocalPool(jobs, budget, before_task)


class SerialPool:
    """The tasks one after the other in this process, as Sphinx's SerialTasks runs them: one
    job forks nothing. The budget is kept by an alarm every BUDGET_CHECK seconds, which stops
    the task over it by an exception (OverBudget: not an Exception, so that no library's
    `except Exception` swallows it)."""

    def __init__(self, budget: Budget, before_task: BeforeTask = None):
        self.budget = budget
        self.before_task = before_task

    def warm_up(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        pass

    def run(
        self, tasks: list[Task], meanwhile: Iterable = (), on_part: OnPart = nothing
    ) -> Iterator[Result]:
        for task in tasks:
            result = self.run_one(task)
            on_part(task, result)
            yield result
        for _ in meanwhile:  # (nothing to do it beside)
            pass

    def run_one(self, task: Task) -> Result:
        started, pid = time.monotonic(), os.getpid()

        def check(signum, frame) -> None:
            why = self.budget.overrun(started, pid)
            if why is not None:
                raise OverBudget(why)

        previous = signal.signal(signal.SIGALRM, check)
        signal.setitimer(signal.ITIMER_REAL, BUDGET_CHECK, BUDGET_CHECK)
        try:
            with work.quiet():
                answer = run_task(task, self.before_task)
        except OverBudget as over:
            return over_budget(task, str(over))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if isinstance(answer, Exception):
            raise answer
        return answer


class OverBudget(BaseException):
    """The task in this process went over its budget (raised by SerialPool's alarm)."""


class LocalPool:
    """Up to `jobs` worker processes, one task at a time each. A worker that dies is replaced;
    its article is tried once more in the new worker, and fails alone if it crashes again.

    With fewer articles than workers (one article changed, say), each article's work is split
    into parts (`parts.split`): one worker reads the article, renders the web page and passes
    the article on; the others render the email and the PDFs (both in one part) from it.

    A `kept` pool (publish serve's) keeps its workers warm between runs, until it is closed.
    """

    def __init__(
        self,
        jobs: int,
        budget: Budget | None = None,
        before_task: BeforeTask = None,
        kept: bool = False,
    ):
        self.jobs = max(1, jobs)
        self.budget = budget
        self.before_task = before_task
        self.kept = kept
        self.closed = False
        self.ready: list[Worker] = []  # started by warm_up() or kept from a run, for run()
        self.lock = threading.Lock()  # over `ready`: a kept pool is closed from another thread

    def warm_up(self, count: int = 2) -> None:
        """Start workers ahead of run(), when the build knows it has work: they import
        WeasyPrint while it is still planning. Two by default, enough for one article split
        over two; the others start when run() needs them."""
        with self.lock:
            while len(self.ready) < min(self.jobs, count):  # (called for each article with work)
                self.ready.append(self.worker(self.ready))

    def worker(self, others: list[Worker]) -> Worker:
        if self.closed:
            raise PoolClosed
        return Worker(self.before_task, others)

    def take_ready(self) -> list[Worker]:
        """The warm workers, for a run (those that died since are stopped and left out)."""
        with self.lock:
            ready, self.ready = self.ready, []
        for worker in ready:
            if not worker.process.is_alive():
                worker.stop()
        return [worker for worker in ready if worker.process.is_alive()]

    def give_back(self, workers: list[Worker]) -> None:
        """The idle workers of a finished run: kept warm, or stopped when the pool is closed."""
        with self.lock:
            if not self.closed:
                self.ready += workers
                return
        for worker in workers:
            worker.stop()

    def close(self) -> None:
        """Stop the workers no run() took; a run under way in another thread stops with
        PoolClosed, its workers with it."""
        with self.lock:
            self.closed = True
            ready, self.ready = self.ready, []
        for worker in ready:
            worker.stop()

    def run(
        self, tasks: list[Task], meanwhile: Iterable = (), on_part: OnPart = nothing
    ) -> Iterator[Result]:
        """The Results in task order; while waiting for them, the steps of `meanwhile`."""
        run = Run(self, tasks, on_part)
        try:
            yield from run.results(iter(meanwhile))
        finally:  # on Ctrl-C or any error, at once: no worker outlives its build
            run.terminate()
