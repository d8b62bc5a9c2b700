"""The benchmark behind docs/benchmarks.md: `publish build` against the chain of commands a
technical user would script for the same deliverables, on N articles made from the sample.

    make bench            # N = 100
    make bench N=10       # a quick run
    .venv/bin/python bench/bench.py --articles 100 --runs 5
"""

from __future__ import annotations

import argparse
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

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FILTER = REPO / "layouts/filters/plain-email.lua"
TARGETS = {  # from the issue: on this 2-core machine, N = 100, all channels
    "cold build vs hand-made chain": 3.0,
    "-j 2 vs -j 1": 1.7,
    "wall vs unavoidable work": 1.25,
    "no-op rebuild": 1.0,
    "one article changed": 1.5,
}


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


def publish(project: Path, *args: str, per_call: bool = False) -> tuple[float, str]:
    command = PER_CALL if per_call else [BIN / "publish"]
    return run([*command, "build", *args], project)


def cold(project: Path, *args: str, per_call: bool = False) -> dict:
    """A build from nothing (no output, no cache), with its --timings read back."""
    for folder in ("output", ".publish-cache"):
        shutil.rmtree(project / folder, ignore_errors=True)
    seconds, printed = publish(project, "--timings", *args, per_call=per_call)
    work = re.search(r"avoid \(pandoc, WeasyPrint\): ([\d.]+) s, ([\d.]+) s on (\d+) core", printed)
    pandoc = re.search(r"^pandoc .* ([\d.]+)$", printed, re.M)
    memory = re.findall(r"^Worker \d+, .*$", printed, re.M)
    return {
        "seconds": seconds,
        "work": float(work[1]),
        "work per core": float(work[2]),
        "pandoc": float(pandoc[1]),
        "memory": memory,
        "timings": printed[printed.index("seconds ") :],
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
    """Seconds of CPU this benchmark and the commands it ran (and waited for) used."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as folder:
        project = Path(folder)
        shutil.copy(REPO / "publish.yml", project)
        make_articles(project / "source", options.articles)
        figures = measure(project, options.articles, options.runs)
    report(figures, options)


def measure(project: Path, count: int, runs: int) -> dict:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    others = Others()
    figures = {"articles": count, "others": others.seconds}
    say("(c) cold build, -j 1")
    figures["j1"] = others.measure("(c) -j 1", lambda: cold(project, "-j", "1"))
    first = tree(project / "output")
    say("(c) cold build, -j 2")
    figures["j2"] = others.measure("(c) -j 2", lambda: cold(project, "-j", "2"))
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
    j1, j2, n = f["j1"], f["j2"], f["articles"]
    measured = {
        "cold build vs hand-made chain": f["hand-made"] / j2["seconds"],
        "-j 2 vs -j 1": j1["seconds"] / j2["seconds"],
        "wall vs unavoidable work": j2["seconds"] / j2["work per core"],
        "no-op rebuild": f["no-op"],
        "one article changed": f["one changed"],
    }
    print(f"## {n} articles, all channels ({f['pdfs']} PDFs), {os.cpu_count()} cores\n")
    print(f"Cheap parts: median of {options.runs} runs; the others: one run each.")
    print("CPU seconds other processes on this machine used during each part (a busy machine")
    print("makes the figures worse than they are): " + ", ".join(
        f"{name} {seconds:.1f}" for name, seconds in f["others"].items()) + ".\n")  # fmt: skip
    print("| what | seconds | per article |\n| --- | ---: | ---: |")
    rows = [
        ("(a) hand-made chain, one command at a time", f["hand-made"]),
        ("(a) hand-made chain, two commands at a time", f["hand-made x2"]),
        ("(b) pandoc's defaults per article", f["pandoc defaults"]),
        ("(c) `publish build -j 1`, cold", j1["seconds"]),
        ("(c) `publish build -j 2`, cold", j2["seconds"]),
        ("(c) `-j 2`, cold, one pandoc process per call", f["per-call"]["seconds"]),
        ("(d) no-op rebuild", f["no-op"]),
        ("(e) one article changed", f["one changed"]),
    ]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / n:.3f} |")
    print("\n| target | wanted | measured | met |\n| --- | ---: | ---: | --- |")
    for name, wanted in TARGETS.items():
        value = measured[name]
        ratio = name not in ("no-op rebuild", "one article changed", "wall vs unavoidable work")
        met = value >= wanted if ratio else value <= wanted
        unit = "x" if name != "no-op rebuild" and name != "one article changed" else " s"
        sign = ">=" if ratio else "<="
        print(f"| {name} | {sign} {wanted}{unit} | {value:.2f}{unit} | {'yes' if met else 'NO'} |")
    print(f"\nUnavoidable work (pandoc + WeasyPrint, from --timings, -j 2): {j2['work']:.1f} s, "
          f"{j2['work per core']:.1f} s per core.")  # fmt: skip
    print(f"pandoc time in the build: {j2['pandoc']:.2f} s with the pandoc server, "
          f"{f['per-call']['pandoc']:.2f} s with one process per call.")  # fmt: skip
    print(f"Outputs identical for -j 1 and -j 2: {f['identical -j 1 / -j 2']}; after cached "
          f"rebuilds: {f['identical cached']}.\n")  # fmt: skip
    print("(f) Worker memory (resident), -j 2 cold:\n")
    for line in j2["memory"]:
        print(f"- {line}")
    print("\n--timings of the -j 2 cold build:\n\n```\n" + j2["timings"].rstrip() + "\n```")


if __name__ == "__main__":
    main()
