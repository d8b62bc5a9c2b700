"""Unsubscribe tokens: an HMAC of the address, so a link names its reader without showing the
address, and a token nobody issued (forged, or mistyped) is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import sqlite3
from urllib.parse import quote

from pipeline.channels.email.database import setting

SECRET_VARIABLE = "PUBLISH_UNSUBSCRIBE_SECRET"  # else a random secret kept in the database
# 128 bits of the HMAC-SHA256 in base32, lowercase: safe in a URL, in a subject line, and as a
# command's argument (base64url may begin with "-", which reads as an option).
TOKEN_LENGTH = 26


def secret(db: sqlite3.Connection | None) -> bytes | None:
    """The environment's secret, else the database's own (made on first use); None with
    neither (a test send before any list exists: its links carry no token)."""
    given = os.environ.get(SECRET_VARIABLE)
    if given:
        return given.encode()
    if db is None:
        return None
    return setting(db, "unsubscribe_secret", lambda: secrets.token_urlsafe(32)).encode()


def token(key: bytes, address: str) -> str:
    mac = hmac.digest(key, b"unsubscribe\0" + address.encode(), hashlib.sha256)
    return base64.b32encode(mac[:16]).decode().rstrip("=").lower()


def address_of(db: sqlite3.Connection, text: str) -> str | None:
    """The address whose token `text` is, among everyone the database knows; None for a token
    it never issued. Recomputed rather than stored, so no table can drift from the secret."""
    key, text = secret(db), text.lower()  # a token copied by hand may come in capitals
    if key is None or len(text) != TOKEN_LENGTH:
        return None
    known = db.execute(
        "SELECT email FROM subscribers UNION SELECT email FROM suppressed"
        " UNION SELECT email FROM deliveries"
    )
    for (address,) in known:
        if hmac.compare_digest(token(key, address), text):
            return address
    return None


def unsubscribe_link(url: str, code: str) -> str:
    """The opt-out page's address with the reader's token: ?token=... (or &token=...)."""
    return f"{url}{'&' if '?' in url else '?'}token={code}"


def unsubscribe_subject(code: str) -> str:
    """The subject of the opt-out email: what the mailbox behind it looks for, and the token."""
    return quote(f"unsubscribe {code}")
