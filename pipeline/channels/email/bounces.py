"""`publish list bounces FILE`: delivery-status notifications read from an mbox file or a Maildir
folder by flufl.bounce (RFC 3464 DSNs and the formats of the common mail servers); each address
that bounced for good is suppressed, a temporary failure only counted."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from pathlib import Path

from flufl.bounce import all_failures

from pipeline.channels.email.database import connect, transaction
from pipeline.channels.email.subscriber_file import mailbox as checked_address
from pipeline.channels.email.subscribers import suppress
from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project


@dataclass(frozen=True)
class BounceReport:
    messages: int  # read from the mailbox
    hard: int  # addresses that bounced for good
    suppressed: int  # of those, suppressed now (the others were already)
    unlisted: int  # of those, on no list
    temporary: int  # addresses that failed for now only: not suppressed


def read_bounces(project: Project, path: Path) -> BounceReport:
    """Suppress every address a delivery report in the mbox file or Maildir `path` says is
    gone for good."""
    messages, hard, temporary = scan(path)
    db = connect(project)
    known = {row[0] for row in db.execute("SELECT DISTINCT email FROM subscribers")}
    already = {row[0] for row in db.execute("SELECT email FROM suppressed")}
    with transaction(db):
        for email in sorted(hard):
            suppress(db, email, "bounced", f"a delivery report in {display_path(path)}")
    return BounceReport(
        messages, len(hard), len(hard - already), len(hard - known), len(temporary - hard)
    )


def scan(path: Path) -> tuple[int, set[str], set[str]]:
    """How many messages, and the addresses failing for good and for now."""
    box = open_mailbox(path)
    count, hard, temporary = 0, set(), set()
    for message in box:
        count += 1
        for_now, for_good = all_failures(message)
        hard |= addresses(for_good)
        temporary |= addresses(for_now)
    if not count:
        raise PublishError(
            "holds no messages", path, hint="Give an mbox file or a Maildir folder of bounces"
        )
    return count, hard, temporary


def open_mailbox(path: Path) -> mailbox.Mailbox:
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise PublishError(
                "is a folder but not a Maildir (no cur/ and new/ in it)",
                path,
                hint="Give a Maildir folder or an mbox file",
            )
        return mailbox.Maildir(path, factory=None, create=False)
    if not path.is_file():
        raise PublishError("no such file or folder", path, hint="Give an mbox file or a Maildir")
    return mailbox.mbox(path, create=False)


def addresses(found) -> set[str]:
    """The addresses flufl.bounce found (bytes), as stored; a malformed one is no subscriber."""
    result = set()
    for raw in found:
        try:
            result.add(checked_address(raw.decode("utf-8", "replace").strip("<>")))
        except ValueError:
            continue
    return result
