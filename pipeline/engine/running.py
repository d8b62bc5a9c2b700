"""One LocalPool.run: the tasks waiting, the workers busy and idle, the parts of split tasks,
and the Results not yet handed on (they go in task order)."""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from pipeline.engine.parts import merge, split
from pipeline.engine.work import Read, Result, Task
from pipeline.engine.workers import BUDGET_CHECK, Worker, crashed, over_budget

if TYPE_CHECKING:
    from pipeline.engine.pools import LocalPool

# Told of each Result as it comes, before the task's whole Result is handed on: a part of a
# split task, or a whole task (publish serve shows each channel as soon as it is made).
OnPart = Callable[[Task, Result], None]


def nothing(task: Task, result: Result) -> None:
    """An OnPart that does nothing with the part."""


class PoolClosed(Exception):
    """The pool was closed while a run used it (publish serve stops)."""


class Run:
    def __init__(self, pool: LocalPool, tasks: list[Task], on_part: OnPart = nothing):
        self.pool, self.on_part = pool, on_part
        self.order = deque(task.index for task in tasks)
        self.waiting: dict[int, list[Task]] = {}  # parts of split tasks, until the article is read
        self.parts: dict[int, list[tuple[Task, Result]]] = {}  # of split tasks, as they end
        self.counts: dict[int, int] = {}  # the number of parts of each split task
        if len(tasks) < pool.jobs:
            tasks = self.split(tasks)
        self.pending = deque((task, 1) for task in tasks)  # (task, attempt)
        self.busy: dict[Worker, tuple[Task, int]] = {}
        self.idle = pool.take_ready()
        self.done: dict[int, Result] = {}
        self.finished = False  # the last Result was handed on
        # The parts that wait go to workers started now, warm (WeasyPrint imported) by the time
        # the first parts have read their articles.
        waiting = sum(len(parts) for parts in self.waiting.values())
        while waiting and len(self.idle) < min(len(tasks) + waiting, pool.jobs):
            self.idle.append(pool.worker(self.idle))

    def split(self, tasks: list[Task]) -> list[Task]:
        """Each task that splits as its first part; the other parts wait in `waiting`."""
        ready = []
        for task in tasks:
            parts = split(task)
            if parts is None:
                ready.append(task)
            else:
                ready.append(parts[0])
                self.waiting[task.index] = parts[1:]
                self.counts[task.index] = len(parts)
        return ready

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
            ready = self.wait(ways)
            if not ready and self.stop_over_budget():
                return []
        return [worker for worker in self.busy if any(way in ready for way in worker.ways)]

    def wait(self, ways: list) -> list:
        """The ways that are ready within BUDGET_CHECK seconds; PoolClosed when the pool was
        closed meanwhile."""
        ready = wait(ways, timeout=BUDGET_CHECK)
        if self.pool.closed:
            raise PoolClosed
        return ready

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
        """Take a worker's answer: a Result, its word that it read a shared article, or its
        death (the task is tried once more in a new worker)."""
        answer = worker.receive()
        if isinstance(answer, Read):  # the worker goes on with its task
            for part in self.waiting.pop(answer.index, []):  # (none: a retry read it again)
                self.pending.append((dataclasses.replace(part, article=answer.article), 1))
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
        """File a task's Result; a split task's when all its parts have answered."""
        self.on_part(task, answer)
        index = task.index
        if index not in self.counts:
            self.done[index] = answer
        elif task.shares and self.waiting.pop(index, None) is not None:
            del self.counts[index]  # it stopped before sharing the article: no other part ran
            self.done[index] = answer
        else:
            parts = self.parts.setdefault(index, [])
            parts.append((task, answer))
            if len(parts) == self.counts[index]:
                self.done[index] = merge(parts)
                del self.parts[index], self.counts[index]

    def in_order(self) -> Iterator[Result]:
        """The Results that are next in task order."""
        while self.order and self.order[0] in self.done:
            self.finished = len(self.order) == 1  # the caller need not ask past the last one
            if self.finished and not self.pool.kept:  # they stop while the caller takes it in
                for worker in [*self.busy, *self.idle]:
                    worker.ask_to_stop()
            yield self.done.pop(self.order.popleft())

    def terminate(self) -> None:
        """The workers stop (or, in a kept pool, the idle ones are kept). A busy one's task was
        given up (Ctrl-C, an error): it is stopped at once (in a kept pool, publish serve's,
        cleanly: it leaves no temporary file)."""
        if self.pool.kept:
            for worker in self.busy:
                worker.interrupt()
            self.pool.give_back(self.idle)
            return
        for worker in [*self.busy, *self.idle]:
            worker.stop(wait=self.finished)
