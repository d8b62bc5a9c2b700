"""`publish send NAME --list LIST`: a built newsletter to each subscriber of a list, made
personal, over one reused SMTP connection, at the rate asked, each step in the journal first;
run again (or with --resume), it goes on where it stopped."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.channels.email import tokens
from pipeline.channels.email.database import send_lock
from pipeline.channels.email.delivery import Mailer, Outcome
from pipeline.channels.email.journal import Journal, Recipient, changed_message, earlier_send
from pipeline.channels.email.personal import Newsletter, Reader
from pipeline.channels.email.report import SendReport, forecast, report
from pipeline.channels.email.send import ServerOptions, message_file
from pipeline.channels.email.subscribers import DEFAULT_LIST, existing_list
from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project

RATE = re.compile(r"(\d+(?:\.\d+)?)/(second|s|minute|min|hour|h)")
SECONDS = {"second": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600, "h": 3600}


@dataclass(frozen=True)
class SendOptions:
    list: str = DEFAULT_LIST
    server: ServerOptions = ServerOptions()
    out: Path | None = None  # the output folder the newsletter was built into
    rate: str | None = None  # "N/hour", "N/minute" or "N/second"; None: as fast as it goes
    dry_run: bool = False
    resume: bool = False  # only go on with a send that has begun
    resend_unconfirmed: bool = False
    new_send: bool = False  # a changed newsletter may go to a list that had the earlier one
    attempts: int = 5  # tries of one message (4xx), or connections lost in a row, then give up
    retry_wait: float = 60.0  # seconds before the first retry; each next wait doubles
    on_progress: Callable[[int, int], None] | None = None  # (done, total)


def send_to_list(project: Project, name: str, options: SendOptions) -> SendReport:
    """Mail output/email/<name>.eml to everyone on the list who is not suppressed."""
    path = message_file(options.out or project.root / "output", name)
    eml = path.read_bytes()
    newsletter = listed_newsletter(eml, path)
    server = options.server.server()
    per_second(options.rate)  # a wrong rate is refused before anything is sent
    db = existing_list(project, options.list)
    digest = hashlib.sha256(eml).hexdigest()
    if options.dry_run:
        return forecast(db, journal_of(db, name, path, digest, options), name, options.list, path)
    with send_lock(project, name):
        journal = journal_of(db, name, path, digest, options)
        journal = journal or Journal.start(db, name, options.list, digest)
        journal.recover(options.resend_unconfirmed)
        run = Run(journal, newsletter, options, tokens.secret(db))
        stopped = run.run(Mailer(server, options.server.timeout))
    return report(journal, name, options.list, path, stopped)


def listed_newsletter(eml: bytes, path: Path) -> Newsletter:
    """The built newsletter, if it may go to a list: it carries a way to opt out."""
    newsletter = Newsletter(eml, path)
    if not (newsletter.url or newsletter.mailto):
        raise PublishError(
            "has no unsubscribe link, and a newsletter to a list must carry one (CAN-SPAM)",
            path,
            hint="Set 'email.unsubscribe_url' or 'email.unsubscribe_mailto' in publish.yml, then "
            "build again",
        )
    return newsletter


def journal_of(db, name: str, path: Path, digest: str, options: SendOptions) -> Journal | None:
    """The journal of this send if it has begun; None if it may begin. A changed newsletter to
    a list that had the earlier one begins only with --new-send."""
    journal = Journal.find(db, name, options.list, digest)
    if journal is None and options.resume:
        raise PublishError(
            f"there is no send of {display_path(path)} to '{options.list}' to resume",
            hint="Leave out --resume to begin it",
        )
    earlier = journal is None and earlier_send(db, name, options.list, digest)
    if earlier and not options.new_send:
        raise changed_message(display_path(path), options.list, earlier)
    return journal


def per_second(rate: str | None) -> float | None:
    if rate is None:
        return None
    found = RATE.fullmatch(rate.replace(" ", ""))
    if not found or float(found[1]) <= 0:
        raise PublishError(
            f"--rate '{rate}' is not a number of messages per hour, minute or second",
            hint="Write it as 500/hour, 20/minute or 5/second",
        )
    return float(found[1]) / SECONDS[found[2]]


class Throttle:
    """Messages spaced evenly at the rate asked, however long each one took."""

    def __init__(self, rate: float | None):
        self.gap = 1 / rate if rate else 0.0
        self.next = time.monotonic()

    def wait(self) -> None:
        pause = self.next - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.next = max(self.next, time.monotonic()) + self.gap


class Run:
    """One run of a send: each queued recipient mailed once, its state recorded around it."""

    def __init__(
        self, journal: Journal, newsletter: Newsletter, options: SendOptions, key: bytes | None
    ):
        self.journal, self.newsletter, self.options, self.key = journal, newsletter, options, key
        self.throttle = Throttle(per_second(options.rate))
        self.lost = 0  # connections lost in a row
        counts = journal.counts()
        self.total = sum(counts.values())
        self.done = self.total - counts.get("queued", 0)

    def run(self, mailer: Mailer) -> str | None:
        """Mail everyone queued; None when done, else why the send stopped (the server gone)."""
        with mailer:
            while (recipient := self.next()) is not None:
                outcome = self.mail(mailer, recipient)
                if outcome is None:
                    continue
                self.lost = self.lost + 1 if outcome.lost else 0
                if self.lost >= self.options.attempts:
                    return f"{mailer.server} failed {self.lost} times in a row ({outcome.reply})"
                if self.lost > 1:  # a dropped connection is opened again at once; not a 2nd
                    time.sleep(self.options.retry_wait * 2 ** (self.lost - 2))
        return None

    def next(self) -> Recipient | None:
        """The next recipient to mail; waits for a deferred one to be due if none else is left."""
        while (recipient := self.journal.next(time.time())) is None:
            due = self.journal.next_due()
            if due is None:
                return None
            time.sleep(max(0.0, due - time.time()))
        return recipient

    def mail(self, mailer: Mailer, recipient: Recipient) -> Outcome | None:
        reason = self.journal.suppression(recipient.email)
        if reason:  # unsubscribed or bounced since the send began
            self.journal.suppressed(recipient, reason)
            self.progress()
            return None
        self.throttle.wait()
        code = self.key and tokens.token(self.key, recipient.email)
        personal = self.newsletter.message(Reader(recipient.email, recipient.name), code)
        self.journal.sending(recipient)
        outcome = mailer.deliver(self.newsletter.sender, recipient.email, personal.data)
        self.record(recipient, outcome, personal.message_id)
        return outcome

    def record(self, recipient: Recipient, outcome: Outcome, message_id: str) -> None:
        """The outcome in the journal; a recipient to try again stays queued."""
        journal, tries = self.journal, recipient.attempts + 1
        if outcome.kind == "retry" and outcome.lost:  # the server's fault: again, at once
            return journal.deferred(recipient, outcome.reply, retry_at=None)
        if outcome.kind == "retry" and tries < self.options.attempts:
            wait = self.options.retry_wait * 2 ** (tries - 1)
            return journal.deferred(recipient, outcome.reply, retry_at=time.time() + wait)
        if outcome.kind == "sent":
            journal.sent(recipient, outcome.reply, message_id)
        elif outcome.kind == "unconfirmed":
            journal.unconfirmed(recipient, outcome.reply)
        elif outcome.kind == "failed":
            journal.failed(recipient, outcome.reply, outcome.hard)
        else:
            journal.failed(recipient, f"{outcome.reply} (gave up after {tries} tries)", False)
        self.progress()

    def progress(self) -> None:
        self.done += 1
        if self.options.on_progress:
            self.options.on_progress(self.done, self.total)
