"""Assemble a newsletter as one message: multipart/alternative, deterministic and safe headers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from pipeline.errors import PublishError
from pipeline.project.config import EmailSettings
from pipeline.project.text import header_problem
from pipeline.source.sources import slugify

LINE_LIMIT = 78  # RFC 5322: lines SHOULD be no longer


@dataclass(frozen=True)
class Letter:
    """One issue of the newsletter, written in both forms, before it becomes a message."""

    key: str  # the article's slug or the digest's name: names the files and the Message-ID
    subject: str
    subject_field: str  # where the subject came from, in the user's words
    moment: date | datetime
    text: str
    html: str
    source: Path | None = None  # the file to name in an error, when there is one


@dataclass(frozen=True)
class Header:
    name: str
    value: str
    field: str  # where the value came from, named in the error when it is unsafe


def compose(letter: Letter, settings: EmailSettings, domain: str) -> bytes:
    """The .eml: text part then HTML part, UTF-8, quoted-printable, every header checked."""
    message = EmailMessage(policy=SMTP)
    for header in headers(letter, settings, domain):
        message[header.name] = one_line(header, letter.source)
    message.set_content(letter.text, cte="quoted-printable")
    message.add_alternative(letter.html, subtype="html", cte="quoted-printable")
    # The default boundary is random. "=_" never occurs in quoted-printable text.
    message.set_boundary(f"=_{fingerprint(letter)[:32]}")
    return message.as_bytes()


def headers(letter: Letter, settings: EmailSettings, domain: str) -> list[Header]:
    found = []
    if settings.from_:
        found.append(Header("From", settings.from_, "'email.from' in publish.yml"))
    if settings.reply_to:
        found.append(Header("Reply-To", settings.reply_to, "'email.reply_to' in publish.yml"))
    found.append(Header("Subject", letter.subject, letter.subject_field))
    found.append(Header("Date", message_date(letter.moment), "the article's 'date'"))
    found.append(Header("Message-ID", message_id(letter, domain), "the Message-ID"))
    return found + unsubscribe_headers(settings)


def unsubscribe_headers(settings: EmailSettings) -> list[Header]:
    """List-Unsubscribe (RFC 2369) and, for an https address, one-click (RFC 8058)."""
    targets = []
    if settings.unsubscribe_url:
        targets.append(f"<{settings.unsubscribe_url}>")
    if settings.unsubscribe_mailto:
        targets.append(f"<{unsubscribe_mailto(settings.unsubscribe_mailto)}>")
    if not targets:
        return []
    field = "'email.unsubscribe_url' or 'email.unsubscribe_mailto' in publish.yml"
    found = [Header("List-Unsubscribe", ", ".join(targets), field)]
    if settings.unsubscribe_url:
        found.append(Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click", field))
    return found


def unsubscribe_mailto(address: str) -> str:
    return f"mailto:{address.removeprefix('mailto:')}?subject=unsubscribe"


def one_line(header: Header, source: Path | None) -> str:
    """The header's value, or PublishError when it could forge more headers (a line break),
    or cannot be a header line at all (a control character, too long)."""
    problem = header_problem(header.value, header.name)
    if problem:
        message, hint = problem
        raise PublishError(f"{header.field} {message}", source, hint=hint)
    return header.value


def message_date(moment: date | datetime) -> str:
    """RFC 5322 date; a date without a time is midnight in an unknown zone ('-0000')."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return format_datetime(moment)


def message_id(letter: Letter, domain: str) -> str:
    """The same content always gets the same id; any change to either part gets a new one."""
    digest = fingerprint(letter)[:16]
    # The slug helps a person find the article; it is cut so the header keeps to 78 characters
    # (it cannot be folded), and slugified because the part before @ must be a dot-atom.
    room = LINE_LIMIT - len(f"Message-ID: <.{digest}@{domain}>")
    name = slugify(letter.key)[: max(room, 0)].strip("-")
    return f"<{name}.{digest}@{domain}>" if name else f"<{digest}@{domain}>"


def fingerprint(letter: Letter) -> str:
    content = "\0".join((letter.key, str(letter.moment), letter.subject, letter.text, letter.html))
    return hashlib.sha256(content.encode()).hexdigest()
