"""`publish serve`, run as a user runs it: a real server process, a real browser, real edits."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import chromium
from conftest import article, make_project, publish

START_SECONDS = 30  # the first build of a small project takes well under a second


class Server:
    """A `publish serve` process and the lines it prints."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        for stream in (process.stdout, process.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()
        self.url = self.wait_for("Serving ").split()[1]

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str, seconds: float = START_SECONDS) -> str:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line.startswith(start):
                return line
        raise AssertionError(f"publish serve never printed a line starting {start!r}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        return self.process.wait(timeout=10)


@contextmanager
def serving(root: Path, *options: str) -> Iterator[Server]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(root / "tmp")}
    (root / "tmp").mkdir()
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


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", {"a.md": article(title="First title")})


def _edit_title(root: Path, old: str, new: str) -> None:
    path = root / "source/a.md"
    path.write_text(path.read_text().replace(old, new))


def test_edit_shows_in_the_open_page_within_two_seconds(project):
    with serving(project) as server, chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(5000)
        page.goto(server.url + "a/")
        assert page.text_content("h1") == "First title"
        page.wait_for_function("publishLiveReload.readyState === EventSource.OPEN")
        started = time.monotonic()
        _edit_title(project, "First title", "Second title")
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'Second title'", timeout=2000
        )
        seconds = time.monotonic() - started
        server.wait_for("Rebuilt after a change to source/a.md")
        assert page.url == server.url + "a/"  # reloaded in place
        assert server.stop() == 0
    assert seconds < 2
    assert server.wait_for("Stopped.", 1)
    assert not (project / "output").exists()  # the preview never touches output/
    assert list((project / "tmp").glob("publish-serve-*")) == []  # its temporary folder is gone


def test_build_error_shows_in_browser_and_terminal_and_serving_goes_on(project):
    with serving(project) as server, chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(5000)
        page.goto(server.url)
        page.wait_for_function("publishLiveReload.readyState === EventSource.OPEN")
        _edit_title(project, "summary:", "sumary:")
        error = server.wait_for("Error: ")
        assert error == (
            "Error: source/a.md:2: front matter is missing the required key 'summary'. "
            "Add 'summary:' with a value"
        )
        alert = page.wait_for_selector("[role=alert]", timeout=5000)
        assert alert.text_content() == (
            "publish: the last build failed\n" + error.removeprefix("Error: ")
        )
        _edit_title(project, "sumary:", "summary:")
        page.wait_for_function("!document.querySelector('[role=alert]')", timeout=5000)
        assert page.text_content(".article-list h2") == "First title"
        assert server.stop() == 0


def test_served_pages_get_the_script_but_built_files_never_do(project):
    with serving(project) as server:
        served = urllib.request.urlopen(server.url + "a/").read().decode()
        built = list((project / "tmp").glob("publish-serve-*/build-*/web/**/*.html"))
        assert "new EventSource(" in served
        assert len(built) == 3  # the article, the index, 404.html
        for path in built:
            assert "<script>" not in path.read_text()
        assert server.stop() == 0


def test_published_files_have_no_reload_script(sample_build):
    for path in (sample_build / "web").rglob("*"):
        if path.is_file():
            assert b"EventSource" not in path.read_bytes(), path
            assert b"__publish" not in path.read_bytes(), path


def test_no_livereload_serves_pages_as_built(project):
    with serving(project, "--no-livereload") as server:
        served = urllib.request.urlopen(server.url + "a/").read().decode()
        assert "<script>" not in served and "<h1>First title</h1>" in served
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "nothing/here")
        assert missing.value.code == 404
        assert "Page not found" in missing.value.read().decode()
        assert server.stop() == 0


def test_a_busy_port_is_a_clear_error(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = publish("serve", "--port", str(port), cwd=project)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {port} is already in use. Stop the program using it, or choose another "
        "port with --port\n"
    )
