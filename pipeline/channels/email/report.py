"""What a send did, or would do (--dry-run): its recipients counted by state, the failures by
reason, and who is in doubt."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.channels.email.journal import INTERRUPTED, Journal


@dataclass(frozen=True)
class SendReport:
    newsletter: str
    list: str
    path: Path  # the built .eml
    counts: dict[str, int]  # recipients by state (queued, sent, failed, suppressed, unconfirmed)
    failures: list[tuple[str, int]] = field(default_factory=list)  # (reason, recipients)
    suppressed: list[tuple[str, int]] = field(default_factory=list)  # (reason, recipients)
    unconfirmed: list[tuple[str, str]] = field(default_factory=list)  # (address, what happened)
    stopped: str | None = None  # why the send stopped with recipients left
    dry_run: bool = False
    begun: bool = True  # the send has begun (a dry run may come before it)

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def left(self) -> int:
        return self.count("queued")

    def lines(self) -> list[str]:
        """The closing report, as `publish send` prints it."""
        return summary(self)

    @property
    def finished(self) -> bool:
        """Everyone sent, failed with a reason, or suppressed: no one left, no one in doubt."""
        return not self.left and not self.unconfirmed


def report(journal: Journal, name: str, list_name: str, path: Path, stopped: str | None):
    return SendReport(
        name,
        list_name,
        path,
        journal.counts(),
        reasons(journal, "failed"),
        reasons(journal, "suppressed"),
        [(email, detail) for email, detail, _ in journal.details("unconfirmed")],
        stopped,
    )


def reasons(journal: Journal, state: str) -> list[tuple[str, int]]:
    return Counter(detail for _, detail, _ in journal.details(state)).most_common()


def forecast(
    db: sqlite3.Connection, journal: Journal | None, name: str, list_name: str, path: Path
):
    """What a send would do now, changing nothing: a recipient still 'sending' (no send holds
    the lock, or one is mailing it this moment) is counted in doubt."""
    if journal is not None:
        counts = journal.counts()
        counts["unconfirmed"] = counts.get("unconfirmed", 0) + counts.pop("sending", 0)
        doubtful = journal.details("unconfirmed") + [
            (email, INTERRUPTED, tries) for email, _, tries in journal.details("sending")
        ]
        return SendReport(
            name, list_name, path, counts, reasons(journal, "failed"),
            reasons(journal, "suppressed"), [(e, d) for e, d, _ in doubtful], dry_run=True,
        )  # fmt: skip
    rows = db.execute(
        "SELECT coalesce(reason, 'queued'), count(*) FROM subscribers"
        " LEFT JOIN suppressed USING (email) WHERE list = ? GROUP BY 1 ORDER BY 2 DESC",
        (list_name,),
    ).fetchall()
    suppressed = [(reason, count) for reason, count in rows if reason != "queued"]
    counts = {"queued": dict(rows).get("queued", 0), "suppressed": sum(n for _, n in suppressed)}
    return SendReport(name, list_name, path, counts, [], suppressed, dry_run=True, begun=False)


def summary(report: SendReport) -> list[str]:
    """The closing report, line by line, as `publish send` prints it."""
    counted = (
        f"{report.count('sent')} sent, {report.count('failed')} failed, "
        f"{report.count('suppressed')} suppressed, {report.left} left"
    )
    where = f"{report.newsletter} to the list '{report.list}'"
    if report.dry_run:
        head = f"Dry run, nothing sent: {where}" + (
            f": {counted}" if report.begun else f" would go to {report.left}"
        )
    else:
        head = f"{'Sent' if report.finished else 'Sending'} {where}: {counted}"
    lines = [head]
    lines += [f"  {count} failed: {reason}" for reason, count in report.failures]
    lines += [f"  {count} suppressed: {reason}" for reason, count in report.suppressed]
    return lines + doubt_lines(report) + stop_lines(report)


def doubt_lines(report: SendReport) -> list[str]:
    if not report.unconfirmed:
        return []
    return [
        f"{len(report.unconfirmed)} in doubt: the server may or may not have their message, "
        "and no send mails them again unasked:",
        *(f"  {email}: {detail}" for email, detail in report.unconfirmed),
        "To mail them again (each may get it twice): publish send "
        f"{report.newsletter} --list {report.list} --resend-unconfirmed",
    ]


def stop_lines(report: SendReport) -> list[str]:
    if report.dry_run or not report.left:
        return []
    why = f"Stopped: {report.stopped}. " if report.stopped else ""
    return [f"{why}{report.left} left: run the same command again to go on"]
