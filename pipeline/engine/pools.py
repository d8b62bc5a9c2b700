"""Where a build's tasks run: in worker processes (LocalPool), in this process (SerialPool,
`-j 1`), or on a Dask cluster (engine/dask.py). Each hands the Results back in task order, so
outputs and messages are the same whichever runs them; each holds tasks to the budget."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait

from pipeline.engine import work
from pipeline.engine.work import Result, Task
from pipeline.engine.workers import BeforeTask, Budget, Worker, crashed, over_budget, run_task
from pipeline.errors import PublishError

BUDGET_CHECK = 0.5  # seconds: how often the build looks at what its busy workers take


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

    def run(self, tasks: list[Task], meanwhile: Iterable = ()) -> Iterator[Result]:
        for task in tasks:
            yield self.run_one(task)
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
    over two workers (`work.split`): while one renders the print shop's PDF, another renders
    the screen PDF from the article the first read and passed on.
    """

    def __init__(self, jobs: int, budget: Budget | None = None, before_task: BeforeTask = None):
        self.jobs = max(1, jobs)
        self.budget = budget
        self.before_task = before_task
        self.ready: list[Worker] = []  # started by warm_up(), for run()

    def warm_up(self) -> None:
        """Start a worker ahead of run() for each article the build plans to make, two at
        most: they import WeasyPrint while it is still planning; the others start when run()
        needs them."""
        if len(self.ready) < min(self.jobs, 2):  # (called for every article planned with work)
            self.ready.append(self.worker(self.ready))

    def worker(self, others: list[Worker]) -> Worker:
        return Worker(self.before_task, others)

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


class _Run:
    """One LocalPool.run: the tasks waiting, the workers busy and idle, and the Results not yet
    handed on (they go in task order)."""

    def __init__(self, pool: LocalPool, tasks: list[Task]):
        self.pool = pool
        self.order = deque(task.index for task in tasks)
        self.pending = deque((task, 1) for task in tasks)  # (task, attempt)
        self.busy: dict[Worker, tuple[Task, int]] = {}
        self.idle, pool.ready = pool.ready, []
        self.done: dict[int, Result] = {}
        self.finished = False  # the last Result was handed on

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

    def ready_workers(self, meanwhile: Iterator) -> list[Worker]:
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

    def join_one(self, worker: Worker) -> None:
        """Take a worker's answer: a Result, or its death (the task is tried once more in a new
        worker)."""
        answer = worker.receive()
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
