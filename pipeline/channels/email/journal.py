"""A send's journal: each recipient's state (queued, sending, sent, failed, suppressed,
unconfirmed), committed to the subscriber database before and after each message, so that an
interrupted send goes on where it stopped and mails nobody confirmed twice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from pipeline.channels.email.database import now, transaction
from pipeline.channels.email.subscribers import suppress
from pipeline.errors import PublishError

# Who the send mails is fixed when it starts (as listmonk and Mailchimp fix a campaign's
# audience): a resume mails no one who joined the list since.
QUEUE = """INSERT OR IGNORE INTO deliveries (send, email, name, state, detail, updated)
    SELECT ?, email, name, CASE WHEN reason IS NULL THEN 'queued' ELSE 'suppressed' END,
    reason, ? FROM subscribers LEFT JOIN suppressed USING (email) WHERE list = ?
    ORDER BY subscribers.rowid"""
# Both read the index deliveries_due in order: no sort, however long the list.
DUE = """SELECT id, email, name, attempts FROM deliveries WHERE send = ? AND state = 'queued'
    AND retry_at <= ? ORDER BY retry_at LIMIT 1"""
FRESH = """SELECT id, email, name, attempts FROM deliveries WHERE send = ? AND state = 'queued'
    AND retry_at IS NULL ORDER BY id LIMIT 1"""
INTERRUPTED = "the send stopped before the server confirmed it"


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str | None
    attempts: int


@dataclass(frozen=True)
class Earlier:
    """A send of an earlier build of the same newsletter to the same list."""

    started: str
    sent: int


class Journal:
    def __init__(self, db: sqlite3.Connection, send: int):
        self.db, self.send = db, send

    @classmethod
    def find(cls, db: sqlite3.Connection, newsletter: str, list_name: str, digest: str):
        """The journal of this very message to this list, or None if it was never sent."""
        found = db.execute(
            "SELECT id FROM sends WHERE newsletter = ? AND list = ? AND message = ?",
            (newsletter, list_name, digest),
        ).fetchone()
        return cls(db, found[0]) if found else None

    @classmethod
    def start(cls, db: sqlite3.Connection, newsletter: str, list_name: str, digest: str):
        """A new send, its recipients queued in the same transaction: all of them or none."""
        with transaction(db):
            send = db.execute(
                "INSERT INTO sends (newsletter, list, message, started) VALUES (?, ?, ?, ?)",
                (newsletter, list_name, digest, now()),
            ).lastrowid
            db.execute(QUEUE, (send, now(), list_name))
        return cls(db, send)

    def recover(self, resend_unconfirmed: bool) -> None:
        """Under the send's lock, a recipient still 'sending' was being mailed when the send
        was interrupted: the server may or may not have it. Only the user may mail it again."""
        with transaction(self.db):
            self._move("sending", "unconfirmed", INTERRUPTED)
            if resend_unconfirmed:
                self._move("unconfirmed", "queued", None)

    def _move(self, state: str, to: str, detail: str | None) -> None:
        self.db.execute(
            "UPDATE deliveries SET state = ?, detail = coalesce(?, detail), retry_at = NULL,"
            " updated = ? WHERE send = ? AND state = ?",
            (to, detail, now(), self.send, state),
        )

    def next(self, moment: float) -> Recipient | None:
        """The next recipient to mail: a deferred one that is due, else the next in the list."""
        found = self.db.execute(DUE, (self.send, moment)).fetchone()
        found = found or self.db.execute(FRESH, (self.send,)).fetchone()
        return Recipient(*found) if found else None

    def next_due(self) -> float | None:
        """When the first deferred recipient is due; None when no one is queued."""
        found = self.db.execute(
            "SELECT coalesce(retry_at, 0) FROM deliveries WHERE send = ? AND state = 'queued'"
            " ORDER BY retry_at LIMIT 1",
            (self.send,),
        ).fetchone()
        return found[0] if found else None

    def suppression(self, email: str) -> str | None:
        found = self.db.execute("SELECT reason FROM suppressed WHERE email = ?", (email,))
        return (found.fetchone() or (None,))[0]

    def sending(self, recipient: Recipient) -> None:
        """Committed, to the disk, before the message leaves: after a crash this recipient is
        'in doubt', never queued again unasked."""
        self._set(recipient, "sending", None, attempts=recipient.attempts + 1, durable=True)

    def sent(self, recipient: Recipient, reply: str, message_id: str) -> None:
        self._set(recipient, "sent", reply, message_id=message_id)

    def failed(self, recipient: Recipient, reason: str, hard: bool) -> None:
        """A permanent failure; a hard bounce (no such mailbox) is also suppressed."""
        self._set(recipient, "failed", reason, bounced=hard)

    def deferred(self, recipient: Recipient, reason: str, retry_at: float) -> None:
        self._set(recipient, "queued", reason, retry_at=retry_at)

    def unconfirmed(self, recipient: Recipient, reason: str) -> None:
        self._set(recipient, "unconfirmed", reason)

    def suppressed(self, recipient: Recipient, reason: str) -> None:
        self._set(recipient, "suppressed", reason)

    def _set(self, recipient: Recipient, state: str, detail: str | None, **change) -> None:
        # Only 'sending' must reach the disk before the next step; it also carries the commits
        # before it (one WAL file), so the others may wait for it: one fsync per message.
        self.db.execute(f"PRAGMA synchronous = {'FULL' if change.get('durable') else 'NORMAL'}")
        with transaction(self.db):
            self.db.execute(
                "UPDATE deliveries SET state = ?, detail = ?, attempts = coalesce(?, attempts),"
                " message_id = coalesce(?, message_id), retry_at = ?, updated = ? WHERE id = ?",
                (state, detail, change.get("attempts"), change.get("message_id"),
                 change.get("retry_at"), now(), recipient.id),
            )  # fmt: skip
            if change.get("bounced"):
                suppress(self.db, recipient.email, "bounced", detail or "")

    def counts(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT state, count(*) FROM deliveries WHERE send = ? GROUP BY state", (self.send,)
        )
        return dict(rows.fetchall())

    def details(self, state: str) -> list[tuple[str, str, int]]:
        """(email, detail, attempts) of each recipient in `state`, in list order."""
        return self.db.execute(
            "SELECT email, coalesce(detail, ''), attempts FROM deliveries"
            " WHERE send = ? AND state = ? ORDER BY id",
            (self.send, state),
        ).fetchall()


def earlier_send(db: sqlite3.Connection, newsletter: str, list_name: str, digest: str):
    """The latest send of another build of `newsletter` to the list, if any."""
    found = db.execute(
        "SELECT started, (SELECT count(*) FROM deliveries WHERE send = sends.id"
        " AND state = 'sent') FROM sends WHERE newsletter = ? AND list = ? AND message != ?"
        " ORDER BY id DESC LIMIT 1",
        (newsletter, list_name, digest),
    ).fetchone()
    return Earlier(*found) if found else None


def changed_message(path: str, list_name: str, earlier: Earlier) -> PublishError:
    return PublishError(
        f"has changed since it was sent to '{list_name}' ({earlier.started}, "
        f"{earlier.sent} sent): a new send would mail the whole list again",
        path,
        hint="Pass --new-send to send the changed newsletter to everyone on the list, or "
        "build the newsletter that was sent",
    )
