"""`publish serve` as a user runs it, for the tests and the benchmark: a real server process
(its lines and its processes), and what a studio page shows in a real browser."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 60  # the first build of every channel, workers started cold, on a busy machine
STOP_SECONDS = 30  # from Ctrl-C to the end of the process (a busy worker is stopped at once)


class Server:
    """A `publish serve` process and the lines it prints."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        for stream in (process.stdout, process.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()
        self.url = self.wait_for("Serving ").split()[1]
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str, seconds: float = START_SECONDS) -> str:
        """The next line that starts with `start` (the lines before it are kept in `said`)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.said.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"publish serve never printed a line starting {start!r}")

    def descendants(self) -> list[int]:
        """The processes it started (workers, pandoc...), and theirs."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, waiting = [], [self.process.pid]
        while waiting:
            for child in children.get(waiting.pop(), []):
                found.append(child)
                waiting.append(child)
        return sorted(found)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # its threads' stacks (PYTHONFAULTHANDLER)
            self.process.wait()
            time.sleep(1)  # (the readers take in what it printed)
            while not self.lines.empty():
                self.said.append(self.lines.get())
            said = "\n".join(self.said)
            raise AssertionError(f"not stopped {STOP_SECONDS} s after Ctrl-C:\n{said}") from None


@contextmanager
def serving(root: Path, *options: str) -> Iterator[Server]:
    """`publish serve` in the project `root`, its temporary files in root/tmp."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
    env["TMPDIR"] = str(root / "tmp")
    (root / "tmp").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", "0", "--no-open", *options],
        cwd=root, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield Server(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# What each pane of a studio page shows: its text (the brochure's: the text of its pages, for
# those who cannot see their pictures), and whether the pictures of its pages are loaded.
PANES = """() => {
  const frame = (name) => document.querySelector(`[data-frame="${name}"]`).contentDocument;
  const pages = (variant) => [...document.querySelectorAll(`[data-pages="${variant}"] figure`)];
  const loaded = (figure) => figure.querySelector("img").complete
    && figure.querySelector("img").naturalWidth > 0;
  const shown = document.querySelector("[data-variant]").dataset.variant;
  return {
    web: frame("web")?.body?.innerText ?? "",
    email: frame("email")?.body?.innerText ?? "",
    text: document.querySelector("[data-text]").textContent,
    print: pages("print").map((figure) => figure.textContent).join("\\n"),
    screen: pages("screen").map((figure) => figure.textContent).join("\\n"),
    pictures: pages(shown).slice(0, 2).every(loaded),
    status: document.getElementById("status").textContent,
    errors: Object.fromEntries([...document.querySelectorAll("[data-error]")].map(
      (box) => [box.dataset.error, box.hidden ? "" : box.querySelector("p").textContent])),
  };
}"""


def panes(page) -> dict:
    return page.evaluate(PANES)


def wait_until(page, test, seconds: float) -> dict:
    """The panes once `test(panes)` holds; AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        shown = panes(page)
        if test(shown):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"not shown within {seconds} s: {shown}")
        time.sleep(0.02)


def settled(page, seconds: float = START_SECONDS) -> dict:
    """The panes once every one is built and nothing is being made."""
    return wait_until(
        page,
        lambda shown: shown["status"] == "Up to date" and shown["print"] and shown["pictures"],
        seconds,
    )
