"""A CSV file of subscribers, read row by row: each address checked with email-validator, each
bad row a problem naming its line (and skipped)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from pipeline.errors import PublishError
from pipeline.project.text import header_problem

COLUMNS = ("email", "name", "language")
EXPORTED = ("status",)  # what `publish list export` adds: read back without a word
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
NAME_LIMIT = 100  # characters: a name in a To header and a greeting, not a paragraph
SKIPPED = "Fix the row and import the file again (the other rows are imported)"


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str | None = None
    language: str | None = None


@dataclass
class SubscriberFile:
    subscribers: list[Subscriber] = field(default_factory=list)
    problems: list[PublishError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def mailbox(text: str) -> str:
    """The address as it is stored and mailed: checked by email-validator (the syntax only: no
    network here), its domain in ASCII (IDNA), lowercased as listmonk stores it. ValueError
    says what is wrong."""
    try:
        found = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        said = str(error).rstrip(".")
        raise ValueError(f"'{text}' is not an email address: {said}") from error
    return (found.ascii_email or found.normalized).lower()


def read_subscribers(path: Path) -> SubscriberFile:
    """Every good row of the CSV file at `path`; a problem for each other row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            return _read(csv.reader(lines), path)
    except UnicodeDecodeError as error:
        raise PublishError("is not UTF-8 text", path, hint="Save it as CSV UTF-8") from error
    except OSError as error:
        raise PublishError(f"cannot be read: {error.strerror}", path) from error
    except csv.Error as error:
        raise PublishError(f"is not a CSV file: {error}", path) from error


def _read(reader: Iterator[list[str]], path: Path) -> SubscriberFile:
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "email" not in header:
        raise PublishError(
            "has no 'email' column",
            path,
            1,
            hint="Its first row must name the columns: email, and name and language if given",
        )
    result = SubscriberFile(ignored_columns=[c for c in header if c not in COLUMNS + EXPORTED])
    while True:
        line = reader.line_num + 1  # where the row starts: a quoted cell may hold line breaks
        row = next(reader, None)
        if row is None:
            return result
        if any(cell.strip() for cell in row):
            _add(result, dict(zip(header, row, strict=False)), path, line)


def _add(result: SubscriberFile, row: dict[str, str], path: Path, line: int) -> None:
    try:
        result.subscribers.append(subscriber(row))
    except ValueError as error:
        result.problems.append(PublishError(str(error), path, line, hint=SKIPPED))


def subscriber(row: dict[str, str]) -> Subscriber:
    """One row's subscriber; ValueError says what is wrong with it."""
    address = (row.get("email") or "").strip()
    if not address:
        raise ValueError("no address in the email column")
    name = (row.get("name") or "").strip() or None
    language = (row.get("language") or "").strip() or None
    if name is not None:
        check_name(name)
    if language is not None and not LANGUAGE.fullmatch(language):
        raise ValueError(f"'{language}' is not a language code such as en or es-MX")
    return Subscriber(mailbox(address), name, language)


def check_name(name: str) -> None:
    problem = header_problem(name, "To")
    if problem:
        raise ValueError(f"the name {problem[0]}")
    if len(name) > NAME_LIMIT:
        raise ValueError(f"the name is {len(name)} characters long; at most {NAME_LIMIT}")
