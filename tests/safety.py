"""What every built file must be, whatever the article held: no script, no event handler, no
javascript: address, well-formed XML, email lines within RFC 5322's limit. Used by the hostile
tests and the property-based ones."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email import message_from_bytes
from email.policy import SMTP
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = {
    "href", "src", "cite", "action", "formaction", "poster", "background", "longdesc",
    "usemap", "data", "xlink:href", "srcset", "ping", "manifest", "codebase", "lowsrc",
}  # fmt: skip
UNSAFE_URL = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp|avif)[;,]", re.IGNORECASE)
# The page's JSON-LD is data, never run (its type says so): the only script a page may hold.
DATA_SCRIPT = re.compile(r'<script type="application/ld\+json">.*?</script>', re.DOTALL)


class _Active(HTMLParser):
    """Collects what a browser would run in some HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "iframe", "object", "embed", "frame", "base") or (
            tag in ("meta", "link") and self._refreshes(attrs)
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20]+", "", value or "")
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            elif (
                name in URL_ATTRIBUTES
                and UNSAFE_URL.match(compact)
                and not SAFE_DATA.match(compact)
            ):
                self.found.append(f"{name}={value!r} on <{tag}>")
            elif name == "style" and re.search(r"expression|javascript:|url\(", compact, re.I):
                self.found.append(f"style={value!r} on <{tag}>")

    @staticmethod
    def _refreshes(attrs) -> bool:
        return any(name == "http-equiv" for name, _ in attrs)


def active_content(html: str) -> list[str]:
    """What in `html` a browser would run or fetch on its own."""
    parser = _Active()
    parser.feed(DATA_SCRIPT.sub("", html))
    parser.close()
    return parser.found


def check_outputs(out: Path) -> None:
    """Assert that every file under `out` is safe and valid."""
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".svg"):
            text = path.read_text(encoding="utf-8")
            head = text.split("<body", 1)[0]  # the page's own <meta> and <link> are the layout's
            found = active_content(text[len(head) :] if path.suffix == ".html" else text)
            assert not found, f"{path}: {found}"
        elif path.suffix == ".xml":
            root = ET.fromstring(path.read_bytes())  # raises when it is not well-formed
            for content in root.iter("{http://www.w3.org/2005/Atom}content"):
                assert not active_content(content.text or ""), f"{path}: {content.text}"
        elif path.suffix == ".eml":
            check_message(path.read_bytes(), path)


def check_message(data: bytes, path: Path) -> None:
    for number, line in enumerate(data.split(b"\r\n"), start=1):
        assert len(line) <= 998, f"{path}:{number}: a line of {len(line)} octets"
    assert b"\x00" not in data, f"{path}: a NUL"
    message = message_from_bytes(data, policy=SMTP)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            found = active_content(part.get_content())
            assert not found, f"{path}: {found}"
