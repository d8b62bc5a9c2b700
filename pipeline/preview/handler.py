"""publish serve's HTTP answers: the studio page and its files, the panes' files, and the site
at its own paths; for this machine only, and never a file outside the preview folder."""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote

from markupsafe import escape

from pipeline.preview import view
from pipeline.preview.pages import Pages
from pipeline.preview.studio import Studio

HOST = "127.0.0.1"  # the studio is for this machine only
STUDIO = "/__studio/"  # the studio's own paths; the site has every other
KEEP_ALIVE = 15  # seconds between comments on an idle event stream (finds closed pages)
STREAMS = 32  # event streams open at once, at most (each holds a thread)
ASSETS = {"studio.css": "text/css; charset=utf-8", "studio.js": "text/javascript; charset=utf-8"}
PAGE = re.compile(r"pages/(print|screen)/([^/]+)/([0-9]{1,4})\.png")
# The studio page runs its own script and loads this server's files only.
POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
RELOAD = (
    "<script>/* added by publish serve, never published */\n"
    'new EventSource("{events}?seen={version}").onmessage = () => location.reload();\n'
    "</script>\n"
)
PROBLEMS = (
    '<div role="alert" style="position:fixed;left:0;right:0;bottom:0;max-height:60vh;'
    "overflow:auto;margin:0;padding:1rem;background:#8b0000;color:#fff;z-index:2147483647;"
    'font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap">'
    "<strong>publish: the last build failed</strong>\n{problems}</div>\n"
)


class StudioHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a page's pictures over a few connections
    timeout = 10  # seconds a connection may stay silent
    streams = threading.BoundedSemaphore(STREAMS)

    def __init__(self, *args, studio: Studio, pages: Pages, livereload: bool, **kwargs):
        self.studio, self.pages, self.livereload = studio, pages, livereload
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.answer(head=False)

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def answer(self, head: bool) -> None:
        self.head = head
        if not self._for_us():
            return
        target, _, query = self.path.partition("#")[0].partition("?")
        path = unquote(target, errors="strict") if target.startswith("/") else None
        if path is None or "\0" in path:
            return self.send_error(HTTPStatus.BAD_REQUEST)
        self.query = parse_qs(query)
        if path == "/" and self.headers.get("Sec-Fetch-Dest") != "iframe":
            return self._studio()
        if path.startswith(STUDIO):
            return self._studio_file(path.removeprefix(STUDIO))
        return self._site(path)

    def _for_us(self) -> bool:
        """Whether the request names this server in its Host header. A page of another site
        can make a browser send requests here under a name that leads to 127.0.0.1 (DNS
        rebinding): those are refused."""
        port = self.server.server_address[1]
        if self.headers.get("Host", "").lower() in (f"{HOST}:{port}", f"localhost:{port}"):
            return True
        self.send_error(HTTPStatus.FORBIDDEN, f"publish serve answers for {HOST}:{port} only")
        return False

    # The studio.

    def _studio(self) -> None:
        names = self.query.get("article")
        path = self.studio.article_named(names[0]) if names else self.studio.latest()
        if names and path is None:
            html = view.page(self.studio, self.pages, None, f"There is no article {names[0]}")
            return self._send(html.encode(), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
        html = view.page(self.studio, self.pages, path, "No articles yet")
        self._send(html.encode(), "text/html; charset=utf-8", policy=POLICY)

    def _studio_file(self, name: str) -> None:
        out = self.studio.out
        if name in ASSETS:
            return self._send((view.ASSETS / name).read_bytes(), ASSETS[name])
        if name == "events":
            return self._events()
        if match := PAGE.fullmatch(name):
            return self._page_picture(*match.groups())
        if name.startswith("email/") and name.endswith((".html", ".txt")):
            return self._email(_inside(out, name))
        if name.startswith("print/") and name.endswith(".pdf"):
            return self._file(_inside(out, name))
        self.send_error(HTTPStatus.NOT_FOUND)

    def _page_picture(self, variant: str, slug: str, number: str) -> None:
        file = _inside(self.studio.out, view.pdf_path(variant, slug))
        picture = self.pages.picture(file.read_bytes(), int(number)) if file else None
        if picture is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        self._send(picture, "image/png")

    def _email(self, file: Path | None) -> None:
        """The HTML email with its pictures from this server rather than from the site's
        address (where they are not published yet), or its text."""
        if file is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        data = file.read_bytes()
        if file.suffix == ".html":
            base = self.studio.project.config.site.base_url
            data = data.replace(b'src="' + str(escape(base)).encode(), b'src="/')
            return self._send(data, "text/html; charset=utf-8")
        self._send(data, "text/plain; charset=utf-8")

    def _events(self) -> None:
        """A Server-Sent Events stream: the studio's state for a studio page (`article=`), or
        one "reload" for a page of the site (`seen=`) after the next change to the site."""
        if not self.streams.acquire(blocking=False):
            return self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many open pages")
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.close_connection = True
            names = self.query.get("article")
            path = self.studio.article_named(names[0]) if names else None
            self.wfile.write(b"retry: 500\n\n")
            if path is not None:
                self._studio_events(path)
            else:
                self._site_events(self.query.get("seen", ["-1"])[0])
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        finally:
            self.streams.release()

    def _studio_events(self, path: Path) -> None:
        studio, seen = self.studio, -1
        studio.showing(path, True)
        try:
            while not studio.closed:
                generation = studio.wait(seen, KEEP_ALIVE)
                if generation == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = generation
                    state = json.dumps(view.state(studio, self.pages, path))
                    self.wfile.write(b"data: " + state.encode() + b"\n\n")
                self.wfile.flush()
        finally:
            studio.showing(path, False)

    def _site_events(self, seen: str) -> None:
        while not self.studio.closed:
            version = self.studio.wait_site(int(seen) if seen.isdigit() else -1, KEEP_ALIVE)
            if str(version) != seen:
                self.wfile.write(b"data: reload\n\n")
                self.wfile.flush()
                return
            self.wfile.write(b": still here\n\n")
            self.wfile.flush()

    # The site, at its own paths.

    def _site(self, path: str) -> None:
        site = self.studio.out / "web"
        file = _inside(site, path.lstrip("/"))
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            file = _inside(site, path.lstrip("/") + "index.html")
        if file is None:
            return self._page(_inside(site, "404.html"), HTTPStatus.NOT_FOUND)
        if file.suffix == ".html":
            return self._page(file)
        self._file(file)

    def _page(self, file: Path | None, status: HTTPStatus = HTTPStatus.OK) -> None:
        """A page of the site; in a tab of its own (not in a studio pane), with the build's
        errors and the script that reloads it after a rebuild."""
        html = file.read_text(encoding="utf-8") if file else "<!DOCTYPE html>"
        if self.headers.get("Sec-Fetch-Dest") != "iframe":
            html = self._with_extras(html)
        self._send(html.encode(), "text/html; charset=utf-8", status)

    def _with_extras(self, html: str) -> str:
        extras = ""
        failures = self.studio.every_failure()
        if failures:
            extras += PROBLEMS.format(problems="\n".join(escape(f) for f in failures))
        if self.livereload:
            extras += RELOAD.format(events=STUDIO + "events", version=self.studio.site_version)
        at = html.rfind("</body>")
        return html[:at] + extras + html[at:] if at >= 0 else html + extras

    # Sending.

    def _file(self, file: Path | None) -> None:
        if file is None or not file.is_file():
            return self.send_error(HTTPStatus.NOT_FOUND)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        self._send(file.read_bytes(), kind + charset)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(
        self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK, policy: str = ""
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if not self.head:
            self.wfile.write(data)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal shows builds and problems, not every request."""


def _inside(folder: Path, relative: str) -> Path | None:
    """The file or folder `relative` (a decoded URL path) names below `folder`, or None when
    there is none, or it would be outside: '..', a backslash, a link that leads out."""
    parts = relative.split("/")
    if any(part == ".." or "\\" in part for part in parts):
        return None
    try:
        found = folder.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a loop of links
        return None
    return found if found.is_relative_to(folder.resolve()) else None
