"""`publish serve`: the studio on 127.0.0.1, every channel of the article being written, rebuilt
on every change, shown as soon as each is made; the site at its own paths beside it.

Nothing of the studio reaches a built file: its page, script and styles are served from
assets/, and the site's pages get their reload script as they are served.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import threading
import webbrowser
from collections.abc import Callable, Iterator
from functools import partial
from http.server import ThreadingHTTPServer

from pipeline.errors import PublishError
from pipeline.preview.handler import HOST, StudioHandler
from pipeline.preview.pages import Pages
from pipeline.preview.studio import Studio
from pipeline.preview.watch import Watcher
from pipeline.project.folder import Project

CONNECTIONS = 64  # connections served at once; more wait their turn (a burst cannot stop it)


def serve(
    project: Project,
    port: int,
    open_browser: bool,
    livereload: bool,
    say: Callable[[str], None],
) -> None:
    """Serve the studio until Ctrl-C (or SIGTERM); build and show every change."""
    with _signals() as cleaning:
        studio = Studio(project, say)
        watcher = Watcher(project, studio.changed)
        try:
            # Bind first: a busy port is reported before any work is done.
            handler = partial(StudioHandler, studio=studio, pages=Pages(), livereload=livereload)
            with _server(port, handler) as server:
                studio.start()
                watcher.start()
                url = f"http://{HOST}:{server.server_address[1]}/"
                say(f"Serving {url} (Ctrl-C to stop)")
                if open_browser:
                    webbrowser.open(url)
                server.serve_forever()
        except KeyboardInterrupt:
            say("Stopped.")
        finally:
            cleaning()
            watcher.stop.set()
            studio.close()


@contextlib.contextmanager
def _signals() -> Iterator[Callable[[], None]]:
    """SIGTERM (a service manager, `kill`) stops the studio as Ctrl-C does, so the temporary
    folder goes too; the function given ignores a second Ctrl-C while it cleans up. The
    handlers are put back afterwards: a process that calls serve() and goes on (a test, a
    notebook) keeps its own, and the programs it starts later are not deaf to Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():  # (signals are the main's)
        yield lambda: None
        return
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


class _Server(ThreadingHTTPServer):
    """A thread per connection, CONNECTIONS at most; a burst waits in the listen queue."""

    daemon_threads = True  # open event streams must not keep Ctrl-C waiting
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        self.slots = threading.BoundedSemaphore(CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def _server(port: int, handler: Callable) -> ThreadingHTTPServer:
    try:
        return _Server((HOST, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PublishError(
                f"port {port} is already in use",
                hint="Stop the program using it, or choose another port with --port",
            ) from error
        raise PublishError(f"cannot serve on {HOST}:{port}: {error.strerror}") from error
