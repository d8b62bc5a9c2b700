"""`publish send NAME --to ADDRESS`: a built newsletter to one address, for a test, made
personal as each message to a list is (its own To, a fresh Date and Message-ID)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from pathlib import Path

from pipeline.channels.email import tokens
from pipeline.channels.email.database import connect
from pipeline.channels.email.delivery import TIMEOUT, Mailer, Outcome, Server, parse_server
from pipeline.channels.email.message import Header, one_line
from pipeline.channels.email.personal import Newsletter, Reader
from pipeline.errors import PublishError, display_path
from pipeline.project.folder import Project

TRY_AGAIN = {
    "failed": "It will not take it: check the address",
    "retry": "It may take it later: try again in a few minutes",
    "unconfirmed": "Look in that mailbox before you send it again",
}


@dataclass(frozen=True)
class ServerOptions:
    """How to reach the SMTP server: `smtp` is HOST:PORT."""

    smtp: str = "localhost:25"
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT  # seconds to wait for the server at each step

    def server(self) -> Server:
        return Server(*parse_server(self.smtp), self.starttls, self.user, self.password)


def send_newsletter(
    project: Project, name: str, to: str, options: ServerOptions, out: Path | None = None
) -> tuple[Path, Server]:
    """Send output/email/<name>.eml to `to`, with the unsubscribe link `to` would get on a list
    (when a subscriber database exists, or $PUBLISH_UNSUBSCRIBE_SECRET is set)."""
    email = checked_recipient(to)
    server = options.server()
    path = message_file(out or project.root / "output", name)
    newsletter = Newsletter(path.read_bytes(), path)
    key = tokens.secret(connect(project, create=False))
    personal = newsletter.message(
        Reader(email, parseaddr(to)[0] or None), key and tokens.token(key, email.lower())
    )
    with Mailer(server, options.timeout) as mailer:
        outcome = mailer.deliver(newsletter.sender, email, personal.data)
    if outcome.kind != "sent":
        raise not_sent(outcome, path, server, to)
    return path, server


def checked_recipient(to: str) -> str:
    """The address of `--to`: one line, one address."""
    one_line(Header("To", to, "--to"), None)
    addresses = [address for _, address in getaddresses([to]) if address]
    if len(addresses) > 1:
        raise PublishError(
            f"--to '{to}' names {len(addresses)} addresses; it takes one",
            hint="Send to each address with its own publish send, or import them as a list",
        )
    email = parseaddr(to)[1]
    if "@" not in email:
        raise PublishError(f"--to '{to}' is not an email address", hint="Write it as name@host")
    return email


def not_sent(outcome: Outcome, path: Path, server: Server, to: str) -> PublishError:
    if outcome.kind == "retry" and outcome.lost:
        return PublishError(
            f"could not send {display_path(path)} through {server}: {outcome.reply}",
            hint="Check --smtp and that the server is running",
        )
    return PublishError(
        f"{server} did not take the message to {to}: {outcome.reply}", hint=TRY_AGAIN[outcome.kind]
    )


def message_file(out: Path, name: str) -> Path:
    """The built .eml of an article (its slug) or of a digest (its name)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise PublishError(
            f"'{name}' is not an article slug or a newsletter name",
            hint="Use lowercase letters, digits and hyphens, as in the file names in output/email/",
        )
    path = out / "email" / f"{name}.eml"
    if not path.is_file():
        raise PublishError(
            "no such built message",
            path,
            hint=f"Build it first: publish build --channel email (or publish newsletter ... "
            f"--name {name})",
        )
    return path
