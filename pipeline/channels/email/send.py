"""Send a built newsletter (.eml) to one address over SMTP."""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import SMTP
from email.utils import getaddresses, parseaddr
from pathlib import Path

from pipeline.channels.email.message import Header, one_line
from pipeline.errors import PublishError, display_path

PASSWORD_VARIABLE = "PUBLISH_SMTP_PASSWORD"  # the password is never an argument: ps shows those
TIMEOUT = 30  # seconds to wait for the server at each step


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    starttls: bool = False
    user: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def send_newsletter(
    out: Path,
    name: str,
    to: str,
    smtp: str = "localhost:25",
    starttls: bool = False,
    user: str | None = None,
    password: str | None = None,
) -> tuple[Path, Server]:
    """Send output/email/<name>.eml to `to` through the server `smtp` ('HOST:PORT')."""
    server = Server(*parse_server(smtp), starttls, user, password)
    path = message_file(out, name)
    send(path, to, server)
    return path, server


def parse_server(text: str) -> tuple[str, int]:
    """'HOST:PORT' (or '[IPv6]:PORT') -> (host, port)."""
    match = re.fullmatch(r"\[?([^\s\[\]]+?)\]?:(\d{1,5})", text)
    if not match or not 0 < int(match[2]) < 65536:
        raise PublishError(
            f"--smtp '{text}' is not HOST:PORT", hint="Write it as smtp.clinic.example:587"
        )
    return match[1], int(match[2])


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


def addressed(eml: bytes, to: str) -> tuple[str, bytes]:
    """The sender's address and the message with a To header for `to`; the parts untouched."""
    message = BytesParser(policy=SMTP).parsebytes(eml)
    sender = parseaddr(str(message["From"] or ""))[1]
    if not sender:
        raise PublishError(
            "the message has no From address",
            hint="Set 'email.from' in publish.yml, then build again",
        )
    del message["To"]
    message["To"] = to
    return sender, message.as_bytes()


def send(path: Path, to: str, server: Server) -> None:
    """Send the message in `path` to `to` through `server`."""
    one_line(Header("To", to, "--to"), None)
    addresses = [address for _, address in getaddresses([to]) if address]
    if len(addresses) > 1:
        raise PublishError(
            f"--to '{to}' names {len(addresses)} addresses; it takes one",
            hint="Send to each address with its own publish send",
        )
    if "@" not in parseaddr(to)[1]:
        raise PublishError(f"--to '{to}' is not an email address", hint="Write it as name@host")
    sender, data = addressed(path.read_bytes(), to)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=TIMEOUT) as smtp:
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.user:
                smtp.login(server.user, server.password or "")
            smtp.sendmail(sender, [parseaddr(to)[1]], data)
    except smtplib.SMTPAuthenticationError as error:
        raise PublishError(
            f"{server} refused the login of '{server.user}': {_reply(error)}",
            hint=f"Check --user and the password in ${PASSWORD_VARIABLE}",
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise PublishError(
            f"{server}: {error}", hint="Check --smtp, --starttls and --user"
        ) from error
    except smtplib.SMTPResponseException as error:
        raise PublishError(f"{server} refused the message: {_reply(error)}") from error
    except smtplib.SMTPRecipientsRefused as error:
        raise PublishError(f"{server} refused the address {to}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise PublishError(
            f"could not send {display_path(path)} through {server}: {error}",
            hint="Check --smtp and that the server is running",
        ) from error


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    return f"{error.smtp_code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
