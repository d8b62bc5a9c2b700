"""One SMTP connection, kept open for a whole send, and each message's fate on it: sent, failed
(a 5xx answer), to retry (a 4xx answer, or the connection lost before the message was all
out), or unconfirmed (the connection lost after it was all out, before the server answered)."""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass

from pipeline.errors import PublishError

PASSWORD_VARIABLE = "PUBLISH_SMTP_PASSWORD"  # the password is never an argument: ps shows those
TIMEOUT = 30  # seconds to wait for the server at each step
# A 5xx that says the address itself is wrong (RFC 3463 5.1.x; 550, 551, 553 without an
# enhanced code): a hard bounce, suppressed. Others (552 too big, 554 or 5.7.x refused as
# spam) fail this message only.
HARD = re.compile(r"5\.1\.\d+")


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    starttls: bool = False
    user: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    kind: str  # "sent", "failed", "retry" or "unconfirmed"
    reply: str  # the server's answer, or what happened to the connection
    hard: bool = False  # a failed address that must never be mailed again
    lost: bool = False  # the connection is gone: the next message opens another


class ConnectionLost(Exception):
    """The server could not be reached, or dropped the connection before a message was out."""


def parse_server(text: str) -> tuple[str, int]:
    """'HOST:PORT' (or '[IPv6]:PORT') -> (host, port)."""
    match = re.fullmatch(r"\[?([^\s\[\]]+?)\]?:(\d{1,5})", text)
    if not match or not 0 < int(match[2]) < 65536:
        raise PublishError(
            f"--smtp '{text}' is not HOST:PORT", hint="Write it as smtp.clinic.example:587"
        )
    return match[1], int(match[2])


class Mailer:
    """Messages through one reused connection, opened again whenever it was lost."""

    def __init__(self, server: Server, timeout: float = TIMEOUT):
        self.server, self.timeout = server, timeout
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    def deliver(self, sender: str, recipient: str, data: bytes) -> Outcome:
        """Send `data` (a whole message, CRLF line ends) to `recipient`. PublishError when the
        server refuses the login or its certificate: no message could go through it."""
        try:
            smtp = self.connection()
        except ConnectionLost as error:
            return Outcome("retry", str(error), lost=True)
        try:
            refused = self.envelope(smtp, sender, recipient)
            if refused:
                return refused
            smtp.send(re.sub(rb"(?m)^\.", b"..", data) + b".\r\n")  # RFC 5321 dot-stuffing
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            return Outcome("retry", f"connection lost: {error}", lost=True)
        try:
            return answer(*smtp.getreply())
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            return Outcome(
                "unconfirmed", f"connection lost before the server answered: {error}", lost=True
            )

    def envelope(self, smtp: smtplib.SMTP, sender: str, recipient: str) -> Outcome | None:
        """MAIL, RCPT and DATA; the answer of the first the server refuses, else None."""
        for command in (
            lambda: smtp.mail(sender),
            lambda: smtp.rcpt(recipient),
            lambda: smtp.docmd("DATA"),
        ):
            code, text = command()
            if code // 100 not in (2, 3):
                refused = answer(code, text)
                self.reset(refused)
                return refused
        return None

    def reset(self, refused: Outcome) -> None:
        """Clear the refused transaction; after a 421 the server is closing: so do we."""
        try:
            if refused.lost or self.smtp is None:
                raise ConnectionLost
            self.smtp.rset()
        except (ConnectionLost, smtplib.SMTPException, OSError):
            self.close()

    def connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self.connect()
        return self.smtp

    def connect(self) -> smtplib.SMTP:
        """A connection, greeted and, if asked, encrypted and logged in. ConnectionLost when the
        server cannot be reached now; PublishError when it never will be as configured."""
        try:
            smtp = smtplib.SMTP(self.server.host, self.server.port, timeout=self.timeout)
        except smtplib.SMTPConnectError as error:  # it answered, but not 220 (421: busy)
            raise ConnectionLost(reply_text(error.smtp_code, error.smtp_error)) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ConnectionLost(str(error)) from error
        try:
            self.greet(smtp)
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()
            raise refusal(self.server, error) or ConnectionLost(str(error)) from error
        return smtp

    def greet(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo_or_helo_if_needed()
        if self.server.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()  # again, over TLS: the server may offer more (AUTH) now
        if self.server.user:
            smtp.login(self.server.user, self.server.password or "")

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def refusal(server: Server, error: Exception) -> PublishError | None:
    """What no retry can mend: a refused login, a missing feature, an untrusted certificate."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        said = reply_text(error.smtp_code, error.smtp_error)
        return PublishError(
            f"{server} refused the login of '{server.user}': {said}",
            hint=f"Check --user and the password in ${PASSWORD_VARIABLE}",
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PublishError(f"{server}: {error}", hint="Check --smtp, --starttls and --user")
    if isinstance(error, ssl.SSLCertVerificationError):
        return PublishError(
            f"the certificate of {server} is not trusted: {error.verify_message}",
            hint="Check --smtp, or name the authority that signed it in SSL_CERT_FILE",
        )
    return None


def answer(code: int, text: bytes | str) -> Outcome:
    reply = reply_text(code, text)
    if code // 100 == 2:
        return Outcome("sent", reply)
    if code // 100 == 5:
        hard = bool(HARD.match(reply[4:])) or (
            code in (550, 551, 553) and not re.match(r"5\.\d", reply[4:])
        )
        return Outcome("failed", reply, hard=hard)
    return Outcome("retry", reply, lost=code == 421)


def reply_text(code: int, text: bytes | str) -> str:
    said = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(said.split())}"
