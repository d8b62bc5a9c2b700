"""The subscriber lists: importing a CSV file into one, counting, exporting, unsubscribing, and
the suppression list (unsubscribed, hard-bounced) that no send ever mails."""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipeline.channels.email import tokens
from pipeline.channels.email.database import connect, now, transaction
from pipeline.channels.email.subscriber_file import mailbox, read_subscribers
from pipeline.errors import PublishError
from pipeline.project.folder import Project

DEFAULT_LIST = "subscribers"
LIST_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# Known addresses keep their row; a name or language the file gives replaces the old one.
UPSERT = """INSERT INTO subscribers (list, email, name, language, added) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (list, email) DO UPDATE SET name = coalesce(excluded.name, name),
    language = coalesce(excluded.language, language)"""
# An opt-out is the reader's own word: it replaces a bounce, a bounce never replaces it.
SUPPRESS = """INSERT INTO suppressed (email, reason, detail, since) VALUES (?, ?, ?, ?)
    ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
    since = excluded.since WHERE excluded.reason = 'unsubscribed' AND reason != 'unsubscribed'"""


@dataclass(frozen=True)
class ImportReport:
    list: str
    added: int
    known: int  # already on the list (or twice in the file)
    suppressed: int  # of the file's addresses, unsubscribed or bounced: kept, never mailed
    problems: list[PublishError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ListCount:
    name: str
    subscribers: int
    unsubscribed: int
    bounced: int

    @property
    def mailed(self) -> int:
        return self.subscribers - self.unsubscribed - self.bounced


@dataclass(frozen=True)
class Unsubscribed:
    email: str
    lists: list[str]
    already: bool


def check_list_name(name: str) -> str:
    if not LIST_NAME.fullmatch(name):
        raise PublishError(
            f"--list '{name}' is not a list name",
            hint="Use lowercase letters, digits, hyphens and underscores, as in subscribers",
        )
    return name


def import_subscribers(project: Project, path: Path, list_name: str = DEFAULT_LIST):
    """Add the good rows of the CSV file `path` to the list; each bad row is a problem, skipped.
    Importing a file twice adds nobody twice; nobody suppressed is subscribed again."""
    check_list_name(list_name)
    found = read_subscribers(path)
    db = connect(project)
    known = {
        row[0] for row in db.execute("SELECT email FROM subscribers WHERE list = ?", (list_name,))
    }
    suppressed = {row[0] for row in db.execute("SELECT email FROM suppressed")}
    addresses = [person.email for person in found.subscribers]
    added = len(set(addresses) - known)
    with transaction(db):
        db.executemany(
            UPSERT, [(list_name, p.email, p.name, p.language, now()) for p in found.subscribers]
        )
    return ImportReport(
        list_name,
        added,
        len(addresses) - added,
        len(set(addresses) & suppressed),
        found.problems,
        found.ignored_columns,
    )


def subscriber_counts(project: Project) -> tuple[list[ListCount], dict[str, int]]:
    """Each list's counts, and the suppression list's by reason (addresses on no list too)."""
    db = connect(project, create=False)
    if db is None:
        return [], {}
    lists = db.execute(
        "SELECT list, count(*), count(reason = 'unsubscribed' OR NULL),"
        " count(reason = 'bounced' OR NULL) FROM subscribers LEFT JOIN suppressed USING (email)"
        " GROUP BY list ORDER BY list"
    )
    reasons = db.execute("SELECT reason, count(*) FROM suppressed GROUP BY reason")
    return [ListCount(*row) for row in lists], dict(reasons.fetchall())


def export_subscribers(project: Project, list_name: str, to: Path | TextIO) -> int:
    """Write the list as CSV (email, name, language, status) to a file only its owner may read,
    or to a stream; return how many rows."""
    db = existing_list(project, list_name)
    rows = db.execute(
        "SELECT email, coalesce(name, ''), coalesce(language, ''), coalesce(reason, 'subscribed')"
        " FROM subscribers LEFT JOIN suppressed USING (email) WHERE list = ? ORDER BY email",
        (list_name,),
    ).fetchall()
    if isinstance(to, Path):
        with os.fdopen(os.open(to, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w") as file:
            return export_subscribers(project, list_name, file)
    writer = csv.writer(to, lineterminator="\n")
    writer.writerows([("email", "name", "language", "status"), *rows])
    return len(rows)


def existing_list(project: Project, list_name: str) -> sqlite3.Connection:
    check_list_name(list_name)
    db = connect(project, create=False)
    names = [row[0] for row in db.execute("SELECT DISTINCT list FROM subscribers")] if db else []
    if list_name not in names:
        raise PublishError(
            f"there is no list named '{list_name}'",
            hint=f"Lists: {', '.join(sorted(names))}"
            if names
            else "Import one first: publish list import FILE.csv",
        )
    return db


def unsubscribe(project: Project, who: str) -> Unsubscribed:
    """Put the address (or the address an unsubscribe token stands for) on the suppression
    list: no send mails it again, whatever list it is on."""
    db = connect(project)
    email = _address(db, who)
    lists = [row[0] for row in db.execute("SELECT list FROM subscribers WHERE email = ?", (email,))]
    reason = db.execute("SELECT reason FROM suppressed WHERE email = ?", (email,)).fetchone()
    with transaction(db):
        suppress(db, email, "unsubscribed", "publish list unsubscribe")
    return Unsubscribed(email, sorted(lists), reason == ("unsubscribed",))


def _address(db: sqlite3.Connection, who: str) -> str:
    if "@" in who:
        try:
            return mailbox(who.strip())
        except ValueError as error:
            raise PublishError(str(error), hint="Give the address or the link's token") from error
    email = tokens.address_of(db, who.strip())
    if email is None:
        raise PublishError(
            f"'{who}' is not an unsubscribe token of this database",
            hint="Copy the whole token from the link (what follows token=), or give the address",
        )
    return email


def suppress(db: sqlite3.Connection, email: str, reason: str, detail: str) -> None:
    """Inside a transaction: `email` is never mailed again (an opt-out wins over a bounce)."""
    db.execute(SUPPRESS, (email, reason, detail, now()))
