"""`publish serve`: the preview on 127.0.0.1, rebuilt on change, reloaded by Server-Sent Events.

The reload script and the build-error panel are added to pages as they are served; the files
built, like everything `publish build` writes, have no script in them.
"""

from __future__ import annotations

import errno
import queue
import signal
import threading
import webbrowser
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import watchfiles
from markupsafe import escape

from pipeline.errors import PublishError
from pipeline.preview.site import Preview, is_watched, watched
from pipeline.project.folder import Project

HOST = "127.0.0.1"  # the preview is for this machine only
EVENTS = "/__publish/events"
KEEP_ALIVE = 15  # seconds between comments on an idle event stream (finds closed pages)
RELOAD = (
    "<script>/* added by publish serve, never published */\n"
    'const publishLiveReload = new EventSource("{events}?seen={generation}");\n'
    "publishLiveReload.onmessage = () => location.reload();\n"
    "</script>\n"
)
PROBLEMS = (
    '<div role="alert" style="position:fixed;left:0;right:0;bottom:0;max-height:60vh;'
    "overflow:auto;margin:0;padding:1rem;background:#8b0000;color:#fff;z-index:2147483647;"
    'font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap">'
    "<strong>publish: the last build failed</strong>\n{problems}</div>\n"
)


def serve(
    project: Project,
    port: int,
    open_browser: bool,
    livereload: bool,
    say: Callable[[str], None],
) -> None:
    """Serve the preview until Ctrl-C; rebuild and reload on every change."""
    preview = Preview(project, say)
    stop = threading.Event()
    _stop_on_terminate()
    try:
        # Bind first: a busy port is reported before any work is done.
        server = _server(port, partial(PreviewHandler, preview=preview, livereload=livereload))
        with server:
            preview.build_all()
            url = f"http://{HOST}:{server.server_address[1]}/"
            _start_watching(preview, stop)
            say(f"Serving {url} (Ctrl-C to stop)")
            preview.tell_problems()
            if open_browser:
                webbrowser.open(url)
            server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        stop.set()
        preview.close()


def _stop_on_terminate() -> None:
    """Treat SIGTERM (a service manager, `kill`) like Ctrl-C, so the temporary folder goes too."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def _server(port: int, handler: Callable) -> ThreadingHTTPServer:
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PublishError(
                f"port {port} is already in use",
                hint="Stop the program using it, or choose another port with --port",
            ) from error
        raise PublishError(f"cannot serve on {HOST}:{port}: {error.strerror}") from error
    server.daemon_threads = True  # open event streams must not keep Ctrl-C waiting
    return server


def _start_watching(preview: Preview, stop: threading.Event) -> None:
    """Watch in background threads; one thread rebuilds, so builds never overlap."""
    changes: queue.Queue[set[Path]] = queue.Queue()
    for path, recursive in watched(preview.project):
        threading.Thread(
            target=_watch, args=(path, recursive, preview.project, changes, stop), daemon=True
        ).start()
    threading.Thread(target=_rebuild_loop, args=(preview, changes, stop), daemon=True).start()


def _watch(path: Path, recursive: bool, project: Project, changes: queue.Queue, stop) -> None:
    for batch in watchfiles.watch(path, recursive=recursive, stop_event=stop, rust_timeout=500):
        found = {Path(name) for _, name in batch if is_watched(Path(name), project)}
        if found:
            changes.put(found)


def _rebuild_loop(preview: Preview, changes: queue.Queue, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            paths = changes.get(timeout=0.5)
        except queue.Empty:
            continue
        while not changes.empty():  # several saves at once: one rebuild
            paths |= changes.get_nowait()
        preview.rebuild(paths)


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, livereload: bool, **kwargs):
        self.preview = preview
        self.livereload = livereload
        super().__init__(*args, directory=str(preview.site_dir), **kwargs)

    def do_GET(self) -> None:
        if not self._for_us():
            return
        path = urlsplit(self.path).path
        if path == EVENTS:
            return self._events()
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" or not file.exists():
            return self._page(file)
        return super().do_GET()

    def do_HEAD(self) -> None:
        if self._for_us():
            super().do_HEAD()

    def _for_us(self) -> bool:
        """Whether the request names this server in its Host header. A page of another site
        can make a browser send requests here under a name that leads to 127.0.0.1 (DNS
        rebinding): those are refused."""
        port = self.server.server_address[1]
        if self.headers.get("Host", "").lower() in (f"{HOST}:{port}", f"localhost:{port}"):
            return True
        self.send_error(HTTPStatus.FORBIDDEN, f"publish serve answers for {HOST}:{port} only")
        return False

    def _page(self, file: Path) -> None:
        status = HTTPStatus.OK
        if not file.is_file():
            status, file = HTTPStatus.NOT_FOUND, Path(self.directory) / "404.html"
        html = file.read_text(encoding="utf-8") if file.is_file() else "<!DOCTYPE html>"
        data = self._with_extras(html).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _with_extras(self, html: str) -> str:
        """The page as served: with the build's problems and the reload script."""
        extras = ""
        if self.preview.problems:
            listed = "\n".join(escape(problem) for problem in self.preview.problems)
            extras += PROBLEMS.format(problems=listed)
        if self.livereload:
            extras += RELOAD.format(events=EVENTS, generation=self.preview.generation)
        at = html.rfind("</body>")
        return html[:at] + extras + html[at:] if at >= 0 else html + extras

    def _events(self) -> None:
        """A Server-Sent Events stream: one "reload" message after the next rebuild."""
        seen = parse_qs(urlsplit(self.path).query).get("seen", ["-1"])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not self.preview.closed:
                generation = self.preview.wait(int(seen) if seen.isdigit() else -1, KEEP_ALIVE)
                if str(generation) != seen:
                    self.wfile.write(b"data: reload\n\n")
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal shows rebuilds and problems, not every request."""
