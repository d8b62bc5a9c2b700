"""The benchmark's yardsticks that are not the hand-made chain: the pipeline as it was at an
earlier commit (its code unpacked from git, run on this checkout's Python packages), what
WeasyPrint's share of a build is, and a Dask LocalCluster to scale out on."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# main just before issue 21 (one layout for both PDFs): issue 20's copyfitting merged, each
# PDF laid out on its own. Its WeasyPrint seconds per article are the "today's".
BASELINE = "9992788"
# The --timings rows that are WeasyPrint's work: laying out (and copyfitting's layouts),
# repainting the screen PDF's pages, writing the PDFs.
WEASYPRINT = ("WeasyPrint layout", "copyfitting", "repainting", "PDF writing")


def unpacked(commit: str, folder: Path) -> Path:
    """The pipeline's code at `commit`, unpacked into `folder` (for PYTHONPATH)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="tar")
    return folder


def weasyprint_seconds(timings: str) -> float:
    """WeasyPrint's seconds in a --timings table (each row's total, its last column)."""
    rows = dict(re.findall(r"^(\S.*?) {2,}.* ([\d.]+)$", timings, re.M))
    return sum(float(rows.get(stage, 0)) for stage in WEASYPRINT)


@contextlib.contextmanager
def dask_cluster(workers: int) -> Iterator[str]:
    """A Dask LocalCluster of `workers` single-threaded worker processes on this machine; its
    address as `--executor` takes it."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield "dask://" + cluster.scheduler_address.removeprefix("tcp://")
