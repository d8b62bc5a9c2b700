"""What copyfitting costs: its seconds against WeasyPrint's layout of the same brochures, in the
same cold builds (`publish build --channel print --timings -j 1`), on N articles made from the
sample. The issue's limit: the fitting may not more than double the layout time, so its share
must stay at or under 1.0 of the layout.

    make bench-fitting            # N = 20, 3 runs
    .venv/bin/python bench/fitting.py --articles 20 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from articles import make_articles

from bench import REPO, Others, cold

LIMIT = 1.0  # copyfitting seconds per second of layout: "no more than double"


def row(timings: str, stage: str) -> float:
    """A stage's total seconds from the --timings table (its last column)."""
    return float(re.search(rf"^{re.escape(stage)} .* ([\d.]+)$", timings, re.M)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20, help="N (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds (median)")
    options = parser.parse_args()
    others = Others()
    runs = []
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as folder:
        project = Path(folder)
        shutil.copy(REPO / "publish.yml", project)
        make_articles(project / "source", options.articles)
        for number in range(options.runs):
            print(f"cold build {number + 1} of {options.runs}", file=sys.stderr, flush=True)
            built = others.measure(f"run {number + 1}", lambda: cold(project, *ARGS))
            layout, fitting = (
                row(built["timings"], "WeasyPrint layout"),
                row(built["timings"], "copyfitting"),
            )
            runs.append((built["seconds"], layout, fitting, fitting / layout))
    wall, layout, fitting, ratio = (statistics.median(r[i] for r in runs) for i in range(4))
    cores = os.cpu_count()
    print(f"## Copyfitting: {options.articles} articles, print channel, -j 1, {cores} cores\n")
    print(f"Median of {options.runs} cold builds. CPU seconds other processes used during each: "
          + ", ".join(f"{s:.1f}" for s in others.seconds.values()) + ".\n")  # fmt: skip
    print("| what | seconds | per article |\n| --- | ---: | ---: |")
    for name, seconds in (("wall time", wall), ("WeasyPrint layout", layout),
                          ("copyfitting", fitting)):  # fmt: skip
        print(f"| {name} | {seconds:.2f} | {seconds / options.articles:.2f} |")
    verdict = "within" if ratio <= LIMIT else "OVER"
    print(f"\nCopyfitting per second of layout: {ratio:.2f} (each run: "
          + ", ".join(f"{r[3]:.2f}" for r in runs)
          + f"); the print layout with its fitting takes {1 + ratio:.2f}x the layout alone, "
          f"{verdict} the limit of 2x.")  # fmt: skip


ARGS = ("--channel", "print", "-j", "1")

if __name__ == "__main__":
    main()
