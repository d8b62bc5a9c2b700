"""One long-running `pandoc lua pandoc-server.lua` per process, spoken to in sized frames."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import subprocess
import threading
from pathlib import Path

import pypandoc

from pipeline.source.processes import dying_with_parent

SCRIPT = Path(__file__).with_name("pandoc-server.lua")
# Pandoc's memory creeps up by about 0.1 MB per article it converts: a fresh one after this
# many answers keeps a worker's memory flat over any number of articles.
ANSWERS = 400
# Pandoc's heap is capped (GHC's runtime option): the largest article allowed takes 360 MB.
HEAP_LIMIT = ["+RTS", "-M2g", "-RTS"]


class ServerError(Exception):
    """The server could not answer: pandoc refused the input, or the server is gone."""


class PandocServer:
    """Starts on first use; one per process (a forked child starts its own); thread-safe."""

    def __init__(self, reader: str):
        self.reader = reader
        self.process: subprocess.Popen | None = None
        self.owner = 0  # the pid that started `process`
        self.answers = 0  # given by `process`
        self.lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)
        atexit.register(self.stop)

    def call(self, op: str, args: list[str], body: str) -> tuple[str, list[list[str]]]:
        """Send one request; return pandoc's output text and what it logged."""
        with self.lock:
            for attempt in (1, 2):  # a server that died (killed, out of memory) is restarted once
                try:
                    return self._exchange(op, args, body)
                except (OSError, ValueError) as error:
                    self.stop()
                    if attempt == 2:
                        raise ServerError(f"pandoc server failed: {error}") from error
                except BaseException:  # stopped mid-answer (Ctrl-C, a budget): out of step
                    self.stop(kill=True)
                    raise
        raise AssertionError("unreachable")

    def _exchange(self, op: str, args: list[str], body: str) -> tuple[str, list[list[str]]]:
        process = self._running()
        head, data = json.dumps(args).encode(), body.encode()
        process.stdin.write(b"%s %d %d\n" % (op.encode(), len(head), len(data)) + head + data)
        process.stdin.flush()
        status, length, log_length = process.stdout.readline().split()
        text = _read_exactly(process.stdout, int(length)).decode()
        log = json.loads(_read_exactly(process.stdout, int(log_length)) or b"[]")
        if status != b"ok":
            raise ServerError(text)
        return text, list(log) if isinstance(log, list) else []

    def _running(self) -> subprocess.Popen:
        if self.answers >= ANSWERS:
            self.stop()
        if self.process is None or self.process.poll() is not None:
            command = [pypandoc.get_pandoc_path(), *HEAP_LIMIT, "lua", str(SCRIPT), self.reader]
            self.process = subprocess.Popen(
                dying_with_parent(command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # what it logs comes back in each answer
                # Ctrl-C goes to the build, which stops its workers; the server then sees its
                # input close and ends, rather than dying in the middle of an answer.
                start_new_session=True,
            )
            self.owner, self.answers = os.getpid(), 0
        self.answers += 1
        return self.process

    def stop(self, kill: bool = False) -> None:
        process, self.process = self.process, None
        if process is None or self.owner != os.getpid():
            return
        if kill:
            process.kill()
        with contextlib.suppress(OSError):  # (a killed server's pipe is broken)
            process.stdin.close()  # the server ends at the end of its input
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        process.stdout.close()

    def _forget(self) -> None:
        """In a forked child: the parent's server is not ours to talk to or to stop."""
        if self.process is not None:
            self.process.stdin.close()
            self.process.stdout.close()
        self.process = None
        self.lock = threading.Lock()


def _read_exactly(stream, length: int) -> bytes:
    data = stream.read(length)
    if len(data) != length:
        raise ValueError("the pandoc server's answer ended early")
    return data
