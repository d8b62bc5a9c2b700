"""The subscriber database: where it lives, opening it (SQLite, private to its owner), its tables,
and the lock that keeps two sends of one newsletter from running at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project

VERSION = 1  # PRAGMA user_version of the tables below

# A send's journal is `deliveries`: one row per recipient, its state committed before and after
# each message (mailing.py). `suppressed` is global: an opt-out covers every list (CAN-SPAM).
SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscribers (
    list TEXT NOT NULL, email TEXT NOT NULL, name TEXT, language TEXT, added TEXT NOT NULL,
    PRIMARY KEY (list, email));
CREATE TABLE IF NOT EXISTS suppressed (
    email TEXT PRIMARY KEY, reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced')),
    detail TEXT NOT NULL, since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sends (
    id INTEGER PRIMARY KEY, newsletter TEXT NOT NULL, list TEXT NOT NULL, message TEXT NOT NULL,
    started TEXT NOT NULL, UNIQUE (newsletter, list, message));
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY, send INTEGER NOT NULL REFERENCES sends (id),
    email TEXT NOT NULL, name TEXT,
    state TEXT NOT NULL CHECK (state IN
        ('queued', 'sending', 'sent', 'failed', 'suppressed', 'unconfirmed')),
    detail TEXT, message_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, retry_at REAL,
    updated TEXT NOT NULL, UNIQUE (send, email));
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (send, state, retry_at);
"""


def database_path(project: Project) -> Path:
    """`email.subscribers` of publish.yml: a path in the project, or a sqlite:/// URL (three
    slashes then a relative path, four for an absolute one, as SQLAlchemy writes them)."""
    setting = project.config.email.subscribers
    path = Path(setting.removeprefix("sqlite:///"))
    return path if path.is_absolute() else project.root / path


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(project: Project, create: bool = True) -> sqlite3.Connection | None:
    """The open database (made, private to its owner, when `create`); None when there is none
    and `create` is false."""
    path = database_path(project)
    if not path.exists():
        if not create:
            return None
        make_private(path)
    return open_database(path)


def make_private(path: Path) -> None:
    """An empty file only its owner may read (mode 0600), in a folder only it may enter: the
    database holds people's addresses. SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_database(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise PublishError(
                f"was written by a newer publish (tables version {version})",
                path,
                hint="Upgrade publish before using this database",
            )
        # WAL: a commit is one append. FULL: each commit reaches the disk before the next
        # SMTP step, so a power cut cannot undo a recipient's 'sending' (mailing.py).
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.executescript(SCHEMA + f"PRAGMA user_version = {VERSION};")
    except sqlite3.DatabaseError as error:
        raise PublishError(
            f"is not a subscriber database SQLite can open: {error}",
            path,
            hint="Check 'email.subscribers' in publish.yml",
        ) from error
    return db


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One committed step: all of it or none of it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextlib.contextmanager
def send_lock(project: Project, newsletter: str) -> Iterator[None]:
    """Hold the lock of `newsletter`'s sends, or refuse: a second send of it would interleave.
    The kernel drops an flock when its process ends, however it ends (kill -9 too)."""
    path = database_path(project).with_name(f"send-{newsletter}.lock")
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise PublishError(
                f"'{newsletter}' is being sent already, by another publish send",
                hint=f"Wait for it to finish (its lock: {display_path(path)})",
            ) from error
        yield
    finally:
        os.close(descriptor)


def setting(db: sqlite3.Connection, name: str, make) -> str:
    """The value of setting `name`, stored as `make()` gives it the first time it is asked for."""
    found = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
    if found:
        return found[0]
    db.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (name, make()))
    return db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()[0]
