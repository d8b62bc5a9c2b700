"""`publish serve` as a server: its outputs are `publish build`'s, nothing of the studio reaches
them; it answers for 127.0.0.1 only and never with a file outside its folder; a burst of
requests and saves does not stop it; Ctrl-C leaves no process and no temporary file."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import article, make_project, publish
from outputs import tree
from studio import Server, alive, serving

SECRET = "the-secret-in-the-project-folder"
ARTICLES = {
    "a.md": article("Clinic hours", "## Opening\n\nSee [the other](b.md).\n", "colour: blue\n"),
    "b.md": article("Other article", "## Other\n\nText.\n"),
    "c.md": article("Saved often", "## Burst\n\nText.\n"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("serve") / "project", ARTICLES)
    (root / "secret.txt").write_text(SECRET)
    return root


@pytest.fixture(scope="module")
def server(project) -> Iterator[Server]:
    with serving(project) as running:
        for _ in ARTICLES:
            running.wait_for("Built ")
        yield running
        assert running.stop() == 0


def _built(project: Path) -> Path:
    """The folder the studio builds into (what `publish build` would write to output/)."""
    (folder,) = (project / "tmp").glob("publish-serve-*/output")
    return folder


def _get(server: Server, path: str, host: str | None = None, **headers) -> tuple[int, bytes]:
    """GET exactly `path` (no normalising), as the request's target."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    if host != "":
        connection.putheader("Host", host or f"127.0.0.1:{server.port}")
    for name, value in headers.items():
        connection.putheader(name.replace("_", "-"), value)
    connection.endheaders()
    response = connection.getresponse()
    status, body = response.status, response.read()
    connection.close()
    return status, body


def _site_ready(project: Path, server: Server) -> None:
    deadline = time.monotonic() + 60
    while not (_built(project) / "web/index.html").is_file():
        assert time.monotonic() < deadline, "the site's pages were never built"
        time.sleep(0.1)
    while _get(server, "/")[0] != 200:
        time.sleep(0.1)


def test_the_studio_builds_what_publish_build_makes_and_nothing_of_its_own(
    project, server, tmp_path
):
    _site_ready(project, server)
    built = project.parent / "built"
    shutil.copytree(project / "source", built / "source")
    shutil.copy(project / "publish.yml", built / "publish.yml")
    assert publish("build", cwd=built).exit_code == 0
    deadline = time.monotonic() + 30
    while tree(_built(project)) != tree(built / "output"):  # (the site pages come last)
        assert time.monotonic() < deadline, sorted(tree(_built(project)))
        time.sleep(0.2)
    assert not (project / "output").exists()
    for path, data in tree(_built(project)).items():
        assert b"__studio" not in data and b"EventSource" not in data, path
    # A pane shows the page as built; the site's own tab gets the reload script as served.
    page = (_built(project) / "web/a/index.html").read_bytes()
    assert _get(server, "/a/", Sec_Fetch_Dest="iframe") == (200, page)
    status, served = _get(server, "/a/")
    assert status == 200 and b"new EventSource(" in served and served != page
    assert _get(server, "/", Sec_Fetch_Dest="iframe") == (
        200,
        (_built(project) / "web/index.html").read_bytes(),
    )


def test_the_studio_page_runs_only_its_own_files(project, server):
    _site_ready(project, server)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/?article=a.md")
    response = connection.getresponse()
    html = response.read().decode()
    assert response.status == 200
    assert response.getheader("Content-Security-Policy") == (
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    assert '<script src="/__studio/studio.js" defer></script>' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from elsewhere
    status, missing = _get(server, "/?article=nothing.md")
    assert status == 404 and b"There is no article nothing.md" in missing


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("attacker.example:{port}", 403),  # DNS rebinding: a name that leads here
        ("127.0.0.1", 403),
        ("127.0.0.1:1", 403),
        ("", 403),  # none at all
    ],
)
def test_the_host_header_must_name_the_bound_address(server, host, status):
    for path in ("/", "/a/", "/__studio/events", "/__studio/studio.js"):
        answer, body = _get(server, path, host=host.format(port=server.port))
        assert answer == status, path
        if status == 403:
            assert f"publish serve answers for 127.0.0.1:{server.port} only".encode() in body


TRAVERSALS = [
    "/../publish.yml",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/a/..%2f..%2f..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/%252e%252e/secret.txt",
    "/a/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%00/../secret.txt",
    "//../../secret.txt",
    "/__studio/email/..%2f..%2f..%2f..%2fsecret.txt",
    "/__studio/print/..%2f..%2f..%2fsecret.txt.pdf",
    "/__studio/pages/print/..%2f..%2f../1.png",
    "/__studio/../../secret.txt",
    "/outside/secret.txt",  # a link in the folder that leads out (made below)
    "/outside-file",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_outside_the_preview_folder_is_served(project, server, path):
    _site_ready(project, server)
    site = _built(project) / "web"
    if not (site / "outside").is_symlink():
        (site / "outside").symlink_to(project)
        (site / "outside-file").symlink_to(project / "secret.txt")
    status, body = _get(server, path)
    assert status in (400, 403, 404), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body


def test_a_burst_of_requests_and_saves_does_not_stop_it(project, server):
    _site_ready(project, server)
    paths = ["/", "/?article=a.md", "/a/", "/__studio/studio.css", "/../secret.txt"]
    paths += ["/__studio/pages/print/a/1.png", "/__studio/email/a.html", "/nothing/"]
    answers: list[int] = []

    def ask(path: str) -> None:
        try:
            answers.append(_get(server, path)[0])
        except OSError as error:  # refused or reset: the server did not keep up
            answers.append(repr(error))

    asking = [threading.Thread(target=ask, args=(paths[n % len(paths)],)) for n in range(400)]
    source = project / "source/c.md"
    text = source.read_text()
    for thread in asking[:200]:
        thread.start()
    for n in range(30):  # saves as fast as an editor's autosave
        source.write_text(text.replace("Saved often", f"Saved often {n}"))
        time.sleep(0.01)
    for thread in asking[200:]:
        thread.start()
    for thread in asking:
        thread.join(timeout=120)
    assert alive(server.process.pid)
    assert sorted(set(answers), key=str) == [200, 403, 404] or set(answers) <= {200, 403, 404}
    assert len(answers) == 400
    page = _built(project) / "web/c/index.html"
    deadline = time.monotonic() + 60
    while "Saved often 29" not in page.read_text():  # the last save is built
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert _get(server, "/c/")[0] == 200


def test_ctrl_c_stops_it_and_leaves_no_process_and_no_temporary_file(tmp_path):
    root = make_project(tmp_path, {"a.md": article("First title")})
    with serving(root, "--no-livereload") as running:
        running.wait_for("Built source/a.md")
        served = urllib.request.urlopen(running.url + "a/").read().decode()
        assert "<script>" not in served and "<h1>First title</h1>" in served
        started = running.descendants()
        assert started  # the warm workers, their pandoc, the studio's own pandoc
        # A studio page left open, and Ctrl-C while it says a build is under way.
        events = socket.create_connection(("127.0.0.1", running.port), timeout=30)
        ask = "GET /__studio/events?article=a.md HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n"
        events.sendall(ask.format(running.port).encode())
        (root / "source/a.md").write_text(article("Second title"))
        heard = b""
        while b'"busy": true' not in heard:
            heard += events.recv(65536)
        assert running.stop() == 0
        events.close()
    assert running.wait_for("Stopped.", 1)
    deadline = time.monotonic() + 10
    while [pid for pid in started if alive(pid)]:
        assert time.monotonic() < deadline, [pid for pid in started if alive(pid)]
        time.sleep(0.1)
    assert list((root / "tmp").iterdir()) == []
    assert list((root / ".publish-cache/state").iterdir()) == []
    assert not (root / "output").exists()


def test_a_busy_port_is_a_clear_error(tmp_path):
    root = make_project(tmp_path, {"a.md": article()})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        handlers = [signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)]
        result = publish("serve", "--port", str(port), cwd=root)
    # This process's own handlers are as they were: the programs it starts hear Ctrl-C.
    assert [signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)] == handlers
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {port} is already in use. Stop the program using it, or choose another "
        "port with --port\n"
    )
    assert sorted(os.listdir(root)) == ["publish.yml", "source"]  # nothing made


def test_published_files_have_no_reload_script(sample_build):
    for path in (sample_build / "web").rglob("*"):
        if path.is_file():
            assert b"EventSource" not in path.read_bytes(), path
            assert b"__studio" not in path.read_bytes(), path
