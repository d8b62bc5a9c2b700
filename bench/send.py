"""The send benchmark behind docs/benchmarks.md: `publish send --list` to N recipients through a
loopback SMTP server (aiosmtpd, in a process of its own), against the loop a technical user
would script with smtplib on the same .eml (one connection, the To header set for each
reader, no journal, nothing personal but To), in the same run.

    .venv/bin/python bench/send.py --recipients 10000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import Others

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "ketamine-therapy-for-pain-management"
TARGET = 100  # messages per second, from the issue: on this 2-core machine
HAND_MADE = """\
import smtplib, sqlite3, sys
from email import message_from_bytes
from email.policy import SMTP
eml, database, host, port = sys.argv[1:]
message = message_from_bytes(open(eml, "rb").read(), policy=SMTP)
readers = [row[0] for row in sqlite3.connect(database).execute("SELECT email FROM subscribers")]
with smtplib.SMTP(host, int(port)) as smtp:
    for reader in readers:
        del message["To"]
        message["To"] = reader
        smtp.sendmail("newsletter@albanyketamine.example", [reader], message.as_bytes())
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time, start-up included
    cpu: float  # the sender's user + system seconds
    peak: float  # its peak resident memory, MB


def serve(port: int) -> None:
    """The loopback server: takes every message, keeps none."""
    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    Controller(Discard(), hostname="127.0.0.1", port=port).start()
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_cpu(pid: int) -> float:
    """Seconds of CPU the server process used so far (Linux's /proc), to tell it apart from the
    other processes of a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(command: list, cwd: Path) -> Run:
    """Run `command`; its wall time, CPU and peak memory, from the kernel's own account."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{output}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def project(folder: Path, recipients: int) -> Path:
    """The sample article built to the email channel, and a list of `recipients` readers."""
    root = folder / f"clinic-{recipients}"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "publish.yml", root)
    shutil.copy(REPO / "source" / f"{SLUG}.md", root / "source")
    subprocess.run(
        [BIN / "publish", "build", "-c", "email"], cwd=root, check=True, capture_output=True
    )
    people = "".join(f"reader{n:05d}@example.org,Reader {n}\n" for n in range(recipients))
    (root / "people.csv").write_text("email,name\n" + people)
    subprocess.run(
        [BIN / "publish", "list", "import", "people.csv"], cwd=root, check=True, capture_output=True
    )
    shutil.copytree(root / ".publish", root / "imported")
    return root


def publish_send(root: Path, address: str) -> Run:
    """A fresh send (the database as imported, no journal yet) to the whole list."""
    shutil.rmtree(root / ".publish")
    shutil.copytree(root / "imported", root / ".publish")
    return measured(
        [BIN / "publish", "send", SLUG, "--list", "subscribers", "--smtp", address], root
    )


def hand_made(root: Path, address: str) -> Run:
    eml = root / "output" / "email" / f"{SLUG}.eml"
    database = root / "imported" / "subscribers.db"
    return measured([sys.executable, "-c", HAND_MADE, eml, database, *address.split(":")], root)


def medians(runs: list[Run]) -> Run:
    return Run(
        *(statistics.median(getattr(r, f) for r in runs) for f in ("seconds", "cpu", "peak"))
    )


def row(name: str, run: Run, recipients: int) -> str:
    return (
        f"| {name} | {run.seconds:.1f} | {recipients / run.seconds:.0f} | "
        f"{1000 * run.cpu / recipients:.2f} | {run.peak:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
    time.sleep(1.0)  # aiosmtpd starts listening
    address = f"127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            report(args, Path(folder), address, server.pid)
    finally:
        server.terminate()


def report(args, folder: Path, address: str, server: int) -> None:
    n = args.recipients
    big, small = project(folder, n), project(folder, n // 10)
    others, served, runs = Others(), {}, {}
    for name, send in (("publish", publish_send), ("hand-made", hand_made)):
        before = server_cpu(server)
        runs[name] = others.measure(
            name, lambda s=send: [s(big, address) for _ in range(args.runs)]
        )
        served[name] = server_cpu(server) - before
        others.seconds[name] = max(0.0, others.seconds[name] - served[name])
    tenth = publish_send(small, address)
    print(f"{n} recipients, medians of {args.runs} runs. CPU seconds the server used: "
          f"{', '.join(f'{k} {v:.1f}' for k, v in served.items())}; other processes: "
          f"{', '.join(f'{k} {v:.1f}' for k, v in others.seconds.items())}\n")  # fmt: skip
    print("| sender | seconds | messages/s | sender CPU per message, ms | peak memory, MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    ours = medians(runs["publish"])
    print(row("`publish send --list` (journal, personal messages)", ours, n))
    print(row("hand-made smtplib loop (no journal, To only)", medians(runs["hand-made"]), n))
    print(row(f"`publish send --list`, {n // 10} recipients", tenth, n // 10))
    met = "met" if n / ours.seconds >= TARGET else "NOT met"
    print(f"\nTarget: at least {TARGET} messages/s: {n / ours.seconds:.0f} ({met}).")


if __name__ == "__main__":
    main()
