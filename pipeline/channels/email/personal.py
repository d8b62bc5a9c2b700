"""A built newsletter made personal: the .eml is parsed and split once, then each reader's message
is the same pieces joined with their To, a fresh Date and Message-ID, their unsubscribe link and
List-Unsubscribe, and their name where the article greets them. No template is rendered again."""

from __future__ import annotations

import binascii
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import unquote

from pipeline.channels.email.greeting import NAME_SLOT
from pipeline.channels.email.tokens import unsubscribe_link, unsubscribe_subject
from pipeline.errors import PublishError

PERSONAL = ("to", "date", "message-id", "list-unsubscribe")  # made again for each reader
# A URL ends where no URL character follows (a full stop may end the sentence around it).
URL_END = r"(?!\.?[\w/?#&=%~+-])"
PART_HEADERS = (
    'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable'
)


@dataclass(frozen=True)
class Reader:
    email: str
    name: str | None = None


@dataclass(frozen=True)
class Personal:
    """One reader's message, ready for SMTP."""

    message_id: str
    data: bytes


class Template:
    """A part's text split once around its slots; `fill` joins it with one reader's values."""

    def __init__(self, text: str, slots: re.Pattern, escape: bool):
        self.escape = escape
        self.literals: list[str] = []
        self.slots: list[tuple[str, str]] = []  # (kind, what stands there without a value)
        start = 0
        for found in slots.finditer(text):
            self.literals.append(text[start : found.start()])
            kind = found.lastgroup or ""
            fallback = unquote(found["fallback"]) if kind == "name" else found[0]
            self.slots.append(
                (kind, html.escape(fallback) if escape and kind == "name" else fallback)
            )
            start = found.end()
        self.literals.append(text[start:])

    def fill(self, values: dict[str, str | None]) -> str:
        if self.escape:
            values = {
                kind: html.escape(value) if value else value for kind, value in values.items()
            }
        pieces = [self.literals[0]]
        for (kind, fallback), literal in zip(self.slots, self.literals[1:], strict=True):
            pieces += [values.get(kind) or fallback, literal]
        return "".join(pieces)


class Newsletter:
    """A built .eml, ready to be made personal for any number of readers."""

    def __init__(self, eml: bytes, source: Path):
        message = BytesParser(policy=SMTP).parsebytes(eml)
        self.sender = parseaddr(str(message["From"] or ""))[1]
        if not self.sender:
            raise PublishError(
                "the message has no From address",
                hint="Set 'email.from' in publish.yml, then build again",
            )
        self.domain = str(message["Message-ID"] or "@localhost>").rsplit("@", 1)[-1].strip(">")
        self.head = header_fields(eml)
        self.url, self.mailto = unsubscribe_targets(str(message["List-Unsubscribe"] or ""))
        self.boundary = message.get_boundary() or ""
        text, page = parts(message, source)
        self.text = Template(text, self.slots(escape=False), escape=False)
        self.html = Template(page, self.slots(escape=True), escape=True)

    def slots(self, escape: bool) -> re.Pattern:
        form = html.escape if escape else str
        found = [rf"(?P<name>{NAME_SLOT})"]
        if self.url:
            found.append(rf"(?P<url>{re.escape(form(self.url))}){URL_END}")
        if self.mailto:
            found.append(rf"(?P<mailto>{re.escape(form(self.mailto))}){URL_END}")
        return re.compile("|".join(found))

    def message(self, reader: Reader, token: str | None) -> Personal:
        """`reader`'s message: their To, a fresh Date and Message-ID; with a `token`, their own
        unsubscribe link and List-Unsubscribe."""
        message_id = make_msgid(domain=self.domain)
        values = {"name": reader.name}
        if token:
            values["url"] = self.url and unsubscribe_link(self.url, token)
            values["mailto"] = self.mailto and f"{self.mailto.split('?')[0]}?subject=" + (
                unsubscribe_subject(token)
            )
        fresh = {
            "to": SMTP.fold_binary("To", formataddr((reader.name or "", reader.email))),
            "date": f"Date: {formatdate(localtime=True)}\r\n".encode(),
            "message-id": f"Message-ID: {message_id}\r\n".encode(),
            "list-unsubscribe": list_unsubscribe(
                values.get("url") or self.url, values.get("mailto") or self.mailto
            ),
        }
        head = b"".join(fresh.get(field, field) for field in self.head)
        return Personal(message_id, head + b"\r\n" + self.body(values))

    def body(self, values: dict[str, str | None]) -> bytes:
        delimiter = f"--{self.boundary}\r\n".encode()
        return b"".join(
            (
                delimiter,
                encoded_part("plain", self.text.fill(values)),
                delimiter,
                encoded_part("html", self.html.fill(values)),
                f"--{self.boundary}--\r\n".encode(),
            )
        )


def header_fields(eml: bytes) -> list:
    """The built message's header fields as they are (bytes, folded), with the name of each
    personal one in its place, and 'to' after From."""
    block = eml.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    fields: list = []
    for raw in re.findall(rb"[^\r\n]+\r\n(?:[ \t][^\r\n]*\r\n)*", block):
        name = raw.split(b":", 1)[0].decode("ascii", "replace").strip().lower()
        fields.append(name if name in PERSONAL else raw)
        if name == "from":
            fields.append("to")
    return fields


def unsubscribe_targets(value: str) -> tuple[str | None, str | None]:
    """The https opt-out page and the mailto: address of the built List-Unsubscribe."""
    targets = re.findall(r"<([^>]+)>", value)
    url = next((target for target in targets if target.startswith("https:")), None)
    mailto = next((target for target in targets if target.startswith("mailto:")), None)
    return url, mailto


def list_unsubscribe(url: str | None, mailto: str | None) -> bytes:
    """Folded between its targets, by hand: the email package would encode (RFC 2047) a
    target too long for one line, and no mail client reads an encoded URL."""
    targets = [f"<{target}>" for target in (url, mailto) if target]
    folded = ",\r\n ".join(targets)
    return f"List-Unsubscribe: {folded}\r\n".encode() if targets else b""


def parts(message: EmailMessage, source: Path):
    text, page = message.get_body(("plain",)), message.get_body(("html",))
    if message.get_content_type() != "multipart/alternative" or text is None or page is None:
        raise PublishError(
            "is not a newsletter publish built (a text and an HTML part)",
            source,
            hint="Build it again: publish build --channel email",
        )
    # Lines end in LF here, as in the built .txt and .html; encoded_part ends them in CRLF.
    return (part.get_content().replace("\r\n", "\n") for part in (text, page))


def encoded_part(subtype: str, content: str) -> bytes:
    """A MIME part in quoted-printable (binascii's, in C: the CPU of 10,000 messages)."""
    data = content.replace("\n", "\r\n").encode()
    return PART_HEADERS.format(subtype).encode() + b"\r\n\r\n" + binascii.b2a_qp(data) + b"\r\n"
