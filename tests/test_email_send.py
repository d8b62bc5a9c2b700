"""`publish send`: the built message goes to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import ssl
import subprocess
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import REPO, SAMPLE_SLUG, article, email_settings, make_project, publish
from smtp import Inbox, free_port, smtp_server

READER = "reader@example.org"
PASSWORD = "correct horse battery staple"


def check_login(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"news",
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, and the server's TLS context."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def send(sample_build, *args: str):
    return publish("send", SAMPLE_SLUG, "--out", str(sample_build), *args, cwd=REPO)


def test_send_delivers_the_built_message(sample_build):
    with smtp_server() as (inbox, address):
        result = send(sample_build, "--to", READER, "--smtp", address)
    assert result.exit_code == 0, result.output
    built = sample_build / "email" / f"{SAMPLE_SLUG}.eml"
    assert result.output == f"sent {built} to {READER} through {address}\n"
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "newsletter@albanyketamine.example"
    assert envelope.rcpt_tos == [READER]
    message = message_from_bytes(envelope.original_content, policy=default)
    assert message["To"] == READER
    assert message["Subject"] == "What to Know About Ketamine Therapy for Pain Management"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    txt = (sample_build / "email" / f"{SAMPLE_SLUG}.txt").read_text(encoding="utf-8")
    assert text.get_content() == txt.replace("\n", "\r\n")  # CRLF: RFC 5322 line ends
    assert "7 Wembley Ct." in html.get_content()


def test_a_test_send_gets_a_fresh_date_and_message_id(sample_build):
    built = message_from_bytes(
        (sample_build / "email" / f"{SAMPLE_SLUG}.eml").read_bytes(), policy=default
    )
    with smtp_server() as (inbox, address):
        for _ in range(2):
            assert send(sample_build, "--to", READER, "--smtp", address).exit_code == 0
    first, second = (
        message_from_bytes(e.original_content, policy=default) for e in inbox.envelopes
    )
    assert len({built["Message-ID"], first["Message-ID"], second["Message-ID"]}) == 3
    assert built["Date"] == "Wed, 25 Nov 2026 00:00:00 -0000"  # the build stays the same
    assert first["Date"] != built["Date"]


def test_send_with_starttls_and_login(sample_build, certificate, monkeypatch):
    cert, context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
    monkeypatch.setenv("PUBLISH_SMTP_PASSWORD", PASSWORD)
    secure = dict(tls_context=context, require_starttls=True, authenticator=check_login)
    with smtp_server(**secure, auth_required=True) as (inbox, address):
        result = send(
            sample_build, "--to", READER, "--smtp", address, "--starttls", "--user", "news"
        )
    assert result.exit_code == 0, result.output
    [envelope] = inbox.envelopes
    assert message_from_bytes(envelope.original_content, policy=default)["To"] == READER


def test_wrong_password_is_reported(sample_build, certificate, monkeypatch):
    cert, context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("PUBLISH_SMTP_PASSWORD", "wrong")
    secure = dict(tls_context=context, require_starttls=True, authenticator=check_login)
    with smtp_server(**secure) as (inbox, address):
        result = send(
            sample_build, "--to", READER, "--smtp", address, "--starttls", "--user", "news"
        )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {address} refused the login of 'news': 535 5.7.8 Authentication credentials "
        "invalid. Check --user and the password in $PUBLISH_SMTP_PASSWORD\n"
    )
    assert inbox.envelopes == []


def test_untrusted_certificate_is_refused(sample_build, certificate):
    with smtp_server(tls_context=certificate[1]) as (inbox, address):
        result = send(sample_build, "--to", READER, "--smtp", address, "--starttls")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the certificate of {address} is not trusted: self-signed certificate. Check "
        "--smtp, or name the authority that signed it in SSL_CERT_FILE\n"
    )
    assert inbox.envelopes == []


def test_no_server_listening(sample_build):
    address = f"127.0.0.1:{free_port()}"
    result = send(sample_build, "--to", READER, "--smtp", address)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: could not send {sample_build / 'email' / SAMPLE_SLUG}.eml through {address}: "
        "[Errno 111] Connection refused. Check --smtp and that the server is running\n"
    )


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["--to", "reader@example.org\r\nBcc: everyone@example.org"],
            1,
            "Error: --to must be one line: it becomes the email's To header. "
            "Remove the line break\n",
        ),
        (
            ["--to", "reader"],
            1,
            "Error: --to 'reader' is not an email address. Write it as name@host\n",
        ),
        (
            ["--to", READER, "--smtp", "smtp.clinic.example"],
            1,
            "Error: --smtp 'smtp.clinic.example' is not HOST:PORT. "
            "Write it as smtp.clinic.example:587\n",
        ),
        (
            ["--to", READER, "--user", "news"],
            2,
            "Error: --user needs --starttls: a password must not cross the network in clear\n",
        ),
        (
            ["--to", READER, "--user", "news", "--starttls"],
            2,
            "Error: --user needs a password: set $PUBLISH_SMTP_PASSWORD\n",
        ),
    ],
)
def test_bad_options_are_refused(sample_build, monkeypatch, args, status, message):
    monkeypatch.delenv("PUBLISH_SMTP_PASSWORD", raising=False)
    result = send(sample_build, *args)
    assert result.exit_code == status
    assert result.output.endswith(message)


def test_unknown_or_unsafe_name_is_refused(sample_build):
    result = publish("send", "../secrets", "--to", READER, "--out", str(sample_build), cwd=REPO)
    assert result.exit_code == 1
    assert result.output == (
        "Error: '../secrets' is not an article slug or a newsletter name. Use lowercase "
        "letters, digits and hyphens, as in the file names in output/email/\n"
    )
    result = publish("send", "not-built", "--to", READER, "--out", str(sample_build), cwd=REPO)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {sample_build / 'email' / 'not-built.eml'}: no such built message. Build it "
        "first: publish build --channel email (or publish newsletter ... --name not-built)\n"
    )


class Refuser(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, options):
        return "550 5.1.1 No such mailbox"


def test_refused_recipient_is_reported(sample_build):
    with smtp_server(Refuser()) as (inbox, address):
        result = send(sample_build, "--to", READER, "--smtp", address)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {address} did not take the message to {READER}: 550 5.1.1 No such mailbox. "
        "It will not take it: check the address\n"
    )


def test_message_without_sender_cannot_be_sent(tmp_path):
    root = make_project(tmp_path, {"news.md": article()})
    email_settings(root, **{"from": None})
    assert publish("build", "-c", "email", cwd=root).exit_code == 0
    result = publish("send", "news", "--to", READER, "--smtp", "127.0.0.1:1", cwd=root)
    assert result.exit_code == 1
    assert result.output == (
        "Error: the message has no From address. "
        "Set 'email.from' in publish.yml, then build again\n"
    )
