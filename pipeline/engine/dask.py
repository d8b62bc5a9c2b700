"""The same tasks on a Dask distributed cluster; its workers must see the project's files at
the same paths (a shared file system)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.engine import work
from pipeline.engine.running import OnPart, nothing
from pipeline.engine.work import Result, Task
from pipeline.engine.workers import crashed
from pipeline.errors import PublishError


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

    def run(
        self, tasks: list[Task], meanwhile: Iterable = (), on_part: OnPart = nothing
    ) -> Iterator[Result]:
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
                    result = future.result()
                except KilledWorker:
                    result = crashed(task, "its Dask workers died")
                on_part(task, result)
                yield result


def run_remote(task: Task) -> Result:
    with work.quiet():
        return work.run(task)
