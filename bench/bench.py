"""The benchmark behind docs/benchmarks.md: `publish build` against the chain of commands a
technical user would script for the same deliverables, on N articles made from the sample.

    make bench            # N = 100
    make bench N=10       # a quick run
    .venv/bin/python bench/bench.py --articles 100 --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypandoc
from articles import make_articles
from baseline import BASELINE, dask_cluster, unpacked, weasyprint_seconds

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FILTER = REPO / "layouts/filters/plain-email.lua"
# From the issues (21 the latest): on this 2-core machine, N = 100, all channels. Each: the
# figure wanted, and whether the measured one must be at least (">=") or at most ("<=") it.
TARGETS = {
    "cold build vs hand-made chain": (5.0, ">="),
    "cold build vs hand-made chain, two at a time": (2.5, ">="),
    "-j 2 vs -j 1": (1.7, ">="),
    "wall vs unavoidable work": (1.25, "<="),
    "WeasyPrint per article vs the baseline's": (0.55, "<="),
    "no-op rebuild": (1.0, "<="),
    "one article changed": (1.0, "<="),
    "Dask (2 workers) vs -j 2": (0.8, ">="),
}
UNITS = {"no-op rebuild": " s", "one article changed": " s"}


def run(command: list, cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """Run a command; return its wall time in seconds and what it printed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{done.stdout}{done.stderr}")
    return seconds, done.stdout


# `publish build` with one pandoc process per conversion (no pandoc server), for (c).
PER_CALL = [
    sys.executable,
    "-c",
    "from pipeline.source import pandoc; pandoc.use_server(False)\n"
    "from pipeline.cli import run; run()",
]
# `publish build` from whichever `pipeline` package PYTHONPATH finds first (the baseline's).
FROM_PATH = [sys.executable, "-c", "from pipeline.cli import run; run()"]


def publish(
    project: Path, *args: str, per_call: bool = False, code: Path | None = None
) -> tuple[float, str]:
    """`publish build`; with `code`, the pipeline in that folder (baseline.py) runs instead."""
    command = PER_CALL if per_call else FROM_PATH if code else [BIN / "publish"]
    env = {**os.environ, "PYTHONPATH": str(code)} if code else None
    return run([*command, "build", *args], project, env)


def cold(project: Path, *args: str, per_call: bool = False, code: Path | None = None) -> dict:
    """A build from nothing (no output, no cache), with its --timings read back."""
    for folder in ("output", ".publish-cache"):
        shutil.rmtree(project / folder, ignore_errors=True)
    seconds, printed = publish(project, "--timings", *args, per_call=per_call, code=code)
    work = re.search(r"avoid \(pandoc, WeasyPrint\): ([\d.]+) s, ([\d.]+) s on (\d+) core", printed)
    pandoc = re.search(r"^pandoc .* ([\d.]+)$", printed, re.M)
    memory = re.findall(r"^Worker \d+, .*$", printed, re.M)
    return {
        "seconds": seconds,
        "work": float(work[1]),
        "work per core": float(work[2]),
        "pandoc": float(pandoc[1]),
        "memory": memory,
        "timings": (timings := printed[printed.index("seconds ") :]),
        "weasyprint": weasyprint_seconds(timings),
    }


class Others:
    """CPU time that processes other than the benchmark's used while it measured: on a shared
    machine, what makes figures worse than they are."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def measure(self, name: str, work):
        busy, ours = _busy(), _ours()
        result = work()
        self.seconds[name] = max(0.0, (_busy() - busy) - (_ours() - ours))
        return result


def _busy() -> float:
    """Seconds of CPU all processes used, from Linux's /proc/stat (0 elsewhere)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except OSError:
        return 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _ours() -> float:
    """Seconds of CPU this benchmark and the commands it ran used: those it waited for, and
    those still running (the Dask cluster's workers and scheduler)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _running()


def _running() -> float:
    """Seconds of CPU the benchmark's processes still running have used (psutil comes with
    Dask; without it, 0)."""
    try:
        import psutil
    except ImportError:
        return 0.0
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            total += times.user + times.system
    return total


def median(runs: int, once) -> float:
    return statistics.median(once(number) for number in range(runs))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def hand_made(project: Path, kept: Path, parallel: int) -> float:
    """(a) One weasyprint process per PDF, on the HTML the pipeline laid out (--keep-html), and
    one pandoc process per body format (HTML for the page, plain text for the email)."""
    out = Path(tempfile.mkdtemp(dir=project))
    pdfs = [html for html in sorted(kept.rglob("*.html")) if html.with_suffix(".pdf").is_file()]
    base = (project / "source").as_uri() + "/"
    commands = [
        [BIN / "weasyprint", "-u", base, html, out / f"{number}.pdf"]
        for number, html in enumerate(pdfs)
    ]
    plain = ["-t", "plain", "--wrap=auto", "--columns=72", "--lua-filter", FILTER]
    for article in sorted((project / "source").glob("*.md")):
        name = out / article.stem
        commands.append([PANDOC, "-f", "markdown", "-t", "html5", article, "-o", f"{name}.html"])
        commands.append([PANDOC, "-f", "markdown", *plain, article, "-o", f"{name}.txt"])
    return timed_all(commands, project, parallel)


def pandoc_defaults(project: Path) -> float:
    """(b) pandoc's defaults, one article at a time: -s to HTML, to PDF with WeasyPrint, to text."""
    out = Path(tempfile.mkdtemp(dir=project))
    commands = []
    for article in sorted((project / "source").glob("*.md")):
        name = out / article.stem
        commands += [
            [PANDOC, "-s", article, "-o", f"{name}.html"],
            [PANDOC, article, "--pdf-engine=weasyprint", "-o", f"{name}.pdf"],
            [PANDOC, "-t", "plain", article, "-o", f"{name}.txt"],
        ]
    return timed_all(commands, project, 1)


def timed_all(commands: list, cwd: Path, parallel: int) -> float:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda command: run(command, cwd, env), commands))
    return time.perf_counter() - start


PANDOC = pypandoc.get_pandoc_path()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100, help="N (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each cheap part (median)")
    parser.add_argument(
        "--baseline", default=BASELINE, help=f"the commit to compare with (default {BASELINE})"
    )
    parser.add_argument(
        "--builds-only",
        action="store_true",
        help="only the cold -j 2 build, the rebuilds and memory (for N = 1,000)",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as folder:
        project = Path(folder) / "project"
        project.mkdir()
        shutil.copy(REPO / "publish.yml", project)
        make_articles(project / "source", options.articles)
        code = None if options.builds_only else unpacked(options.baseline, Path(folder) / "code")
        figures = measure(project, options, code)
    report(figures, options)


def measure(project: Path, options, baseline: Path | None) -> dict:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    others = Others()
    figures = {"articles": options.articles, "others": others.seconds}
    runs = options.runs
    first = None
    if not options.builds_only:
        say("(c) cold build, -j 1")
        figures["j1"] = others.measure("(c) -j 1", lambda: cold(project, "-j", "1"))
        first = tree(project / "output")
        say(f"(c) cold build, -j 1, the baseline ({options.baseline})")
        figures["baseline"] = others.measure(
            "(c) baseline", lambda: cold(project, "-j", "1", code=baseline)
        )
    say("(c) cold build, -j 2")
    figures["j2"] = others.measure("(c) -j 2", lambda: cold(project, "-j", "2"))
    first = first or tree(project / "output")
    figures["identical -j 1 / -j 2"] = tree(project / "output") == first
    say("(d) no-op rebuild")
    figures["no-op"] = others.measure(
        "(d)", lambda: median(runs, lambda number: publish(project)[0])
    )
    figures["identical cached"] = tree(project / "output") == first
    say("(e) one article changed")
    article = project / "source/article-001.md"
    text = article.read_text()

    def change(number: int) -> float:
        article.write_text(text + f"\nA sentence added in run {number}.\n")
        return publish(project)[0]

    figures["one changed"] = others.measure("(e)", lambda: median(runs, change))
    article.write_text(text)
    if options.builds_only:
        return figures
    publish(project)  # the article as it was, for the Dask build to compare with
    say("(g) cold build on a Dask LocalCluster of 2 workers")
    with dask_cluster(2) as address:
        figures["dask"] = others.measure("(g) Dask", lambda: cold(project, "--executor", address))
    figures["identical Dask / -j 1"] = tree(project / "output") == first
    say("(c) cold build, -j 2, one pandoc process per call (no pandoc server)")
    figures["per-call"] = others.measure(
        "(c) per call", lambda: cold(project, "-j", "2", per_call=True)
    )
    say("--keep-html: the HTML each PDF is made from, for the hand-made chain")
    publish(project, "--keep-html", "--out", "kept")
    figures["pdfs"] = len(list((project / "kept").rglob("*.pdf")))
    say("(a) the hand-made chain, one command at a time")
    figures["hand-made"] = others.measure("(a)", lambda: hand_made(project, project / "kept", 1))
    say("(a) the hand-made chain, two commands at a time")
    figures["hand-made x2"] = others.measure(
        "(a) x2", lambda: hand_made(project, project / "kept", 2)
    )
    say("(b) pandoc's defaults, per article")
    figures["pandoc defaults"] = others.measure("(b)", lambda: pandoc_defaults(project))
    return figures


def report(f: dict, options) -> None:
    j2, n = f["j2"], f["articles"]
    print(f"## {n} articles, all channels, {os.cpu_count()} cores\n")
    print(f"Cheap parts: median of {options.runs} runs; the others: one run each.")
    print("CPU seconds other processes on this machine used during each part (a busy machine")
    print("makes the figures worse than they are): " + ", ".join(
        f"{name} {seconds:.1f}" for name, seconds in f["others"].items()) + ".\n")  # fmt: skip
    print("| what | seconds | per article |\n| --- | ---: | ---: |")
    rows = [
        ("(a) hand-made chain, one command at a time", f.get("hand-made")),
        ("(a) hand-made chain, two commands at a time", f.get("hand-made x2")),
        ("(b) pandoc's defaults per article", f.get("pandoc defaults")),
        ("(c) `publish build -j 1`, cold", f.get("j1", {}).get("seconds")),
        (
            f"(c) `-j 1`, cold, the baseline ({options.baseline})",
            f.get("baseline", {}).get("seconds"),
        ),
        ("(c) `publish build -j 2`, cold", j2["seconds"]),
        ("(c) `-j 2`, cold, one pandoc process per call", f.get("per-call", {}).get("seconds")),
        ("(d) no-op rebuild", f["no-op"]),
        ("(e) one article changed", f["one changed"]),
        ("(g) cold, on a Dask LocalCluster of 2 workers", f.get("dask", {}).get("seconds")),
    ]
    for name, seconds in rows:
        if seconds is not None:
            print(f"| {name} | {seconds:.2f} | {seconds / n:.3f} |")
    print("\n| target | wanted | measured | met |\n| --- | ---: | ---: | --- |")
    for name, value in measured(f).items():
        wanted, sign = TARGETS[name]
        met = value >= wanted if sign == ">=" else value <= wanted
        unit = UNITS.get(name, "x")
        print(f"| {name} | {sign} {wanted}{unit} | {value:.2f}{unit} | {'yes' if met else 'NO'} |")
    print(f"\nUnavoidable work (pandoc + WeasyPrint, from --timings, -j 2): {j2['work']:.1f} s, "
          f"{j2['work per core']:.1f} s per core.")  # fmt: skip
    if "baseline" in f:
        print(f"WeasyPrint per article (-j 1, from --timings): {f['j1']['weasyprint'] / n:.3f} s; "
              f"the baseline's: {f['baseline']['weasyprint'] / n:.3f} s.")  # fmt: skip
        print(f"pandoc time in the build: {j2['pandoc']:.2f} s with the pandoc server, "
              f"{f['per-call']['pandoc']:.2f} s with one process per call.")  # fmt: skip
    on_dask = f"; on Dask: {f['identical Dask / -j 1']}" if "dask" in f else ""
    print(f"Outputs identical for -j 1 and -j 2: {f['identical -j 1 / -j 2']}; after cached "
          f"rebuilds: {f['identical cached']}{on_dask}.\n")  # fmt: skip
    print("(f) Worker memory (resident), -j 2 cold:\n")
    for line in j2["memory"]:
        print(f"- {line}")
    print("\n--timings of the -j 2 cold build:\n\n```\n" + j2["timings"].rstrip() + "\n```")


def measured(f: dict) -> dict[str, float]:
    """The figures the targets are about, those this run measured."""
    j2 = f["j2"]
    found = {
        "wall vs unavoidable work": j2["seconds"] / j2["work per core"],
        "no-op rebuild": f["no-op"],
        "one article changed": f["one changed"],
    }
    if "hand-made" in f:
        found["cold build vs hand-made chain"] = f["hand-made"] / j2["seconds"]
        found["cold build vs hand-made chain, two at a time"] = f["hand-made x2"] / j2["seconds"]
        found["-j 2 vs -j 1"] = f["j1"]["seconds"] / j2["seconds"]
        found["WeasyPrint per article vs the baseline's"] = (
            f["j1"]["weasyprint"] / f["baseline"]["weasyprint"]
        )
    if "dask" in f:
        found["Dask (2 workers) vs -j 2"] = j2["seconds"] / f["dask"]["seconds"]
    return {name: found[name] for name in TARGETS if name in found}


if __name__ == "__main__":
    main()
