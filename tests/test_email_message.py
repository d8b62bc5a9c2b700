"""The .eml: its MIME structure, its headers, and the header values it refuses."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default

import pytest
from conftest import SAMPLE_SLUG, article, email_case_project, email_settings, make_project, publish


def parse(eml: bytes):
    return message_from_bytes(eml, policy=default)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


@pytest.fixture(scope="module")
def sample_eml(sample_build) -> bytes:
    return (sample_build / "email" / f"{SAMPLE_SLUG}.eml").read_bytes()


def test_round_trip_through_the_mail_parser(sample_build, sample_eml):
    message = parse(sample_eml)
    assert message.get_content_type() == "multipart/alternative"
    assert not message.defects
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    for part in (text, html):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert not part.defects
    email = sample_build / "email"
    # A message's lines end in CRLF (RFC 5322); the files on disk end theirs in LF.
    assert text.get_content() == crlf((email / f"{SAMPLE_SLUG}.txt").read_text(encoding="utf-8"))
    assert html.get_content() == crlf((email / f"{SAMPLE_SLUG}.html").read_text(encoding="utf-8"))


def test_sample_headers(sample_eml):
    headers = sample_eml.split(b"\r\n\r\n", 1)[0].decode("ascii")
    slug_id = "ketamine-therapy-for-pai"  # the slug, cut to keep the line within 78 columns
    assert re.fullmatch(
        "From: Albany Ketamine Infusions <newsletter@albanyketamine.example>\r\n"
        "Reply-To: Albany Ketamine Infusions <info@albanyketamine.example>\r\n"
        "Subject: What to Know About Ketamine Therapy for Pain Management\r\n"
        "Date: Wed, 25 Nov 2026 00:00:00 -0000\r\n"
        rf"Message-ID: <{slug_id}\.[0-9a-f]{{16}}@albanyketamine\.example>\r\n"
        "List-Unsubscribe: <https://albanyketamine.example/unsubscribe>,\r\n"
        " <mailto:unsubscribe@albanyketamine.example\\?subject=unsubscribe>\r\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/alternative;\r\n"
        ' boundary="=_[0-9a-f]{32}"',
        headers,
    )


def test_every_line_is_crlf_and_within_rfc_limits(sample_eml):
    lines = sample_eml.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # no bare LF anywhere
    assert max(len(line) for line in lines) <= 78  # quoted-printable keeps lines short


def test_non_ascii_subject_and_date_with_offset(email_case):
    eml = (email_case / "features.eml").read_bytes()
    # RFC 2047: the header itself stays ASCII.
    assert b"Subject: Clinic news: tables, notes & =?utf-8?b?4oCcbGlua3PigJ0=?=\r\n" in eml
    message = parse(eml)
    assert message["Subject"] == "Clinic news: tables, notes & “links”"
    assert message["Date"] == "Mon, 02 Mar 2026 09:30:00 -0500"
    assert re.fullmatch(r"<features\.[0-9a-f]{16}@albanyketamine\.example>", message["Message-ID"])


def test_same_input_same_bytes_and_new_content_new_message_id(tmp_path):
    root = email_case_project(tmp_path / "project")
    for out in ("one", "two"):
        assert publish("build", "-c", "email", "--out", out, cwd=root).exit_code == 0
    one, two = (root / out / "email" / "features.eml" for out in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    source = root / "source" / "features.md"
    source.write_text(source.read_text().replace("Text under it.", "Other text."))
    assert publish("build", "-c", "email", "--out", "three", cwd=root).exit_code == 0
    three = parse((root / "three" / "email" / "features.eml").read_bytes())
    assert three["Message-ID"] != parse(one.read_bytes())["Message-ID"]


def build_one(tmp_path, text: str, *args: str):
    root = make_project(tmp_path, {"news.md": text})
    return root, publish("build", "-c", "email", *args, cwd=root)


def test_subject_comes_from_front_matter_subject(tmp_path):
    root, result = build_one(tmp_path, article(extra="subject: Pain relief, explained\n"))
    assert result.exit_code == 0, result.output
    message = parse((root / "output" / "email" / "news.eml").read_bytes())
    assert message["Subject"] == "Pain relief, explained"


def test_long_subject_is_a_warning_and_fails_strict(tmp_path):
    subject = "A subject line that goes on and on well past what any inbox shows"
    root, result = build_one(tmp_path, article(extra=f"subject: {subject}\n"), "--strict")
    assert result.exit_code == 1
    assert result.output == (
        "Warning: source/news.md:5: 'subject' is 65 characters long; mail apps cut it after "
        "about 60. Shorten it\n"
        "Error: source/news.md: not built: --strict turns its 1 warning(s) into errors. "
        "Fix the warnings above\n"
        "Published 0 articles to email: 0 files in output; 1 problem(s)\n"
    )
    assert not (root / "output").exists()


def test_ascii_setting_applies_to_the_subject(tmp_path):
    root = make_project(tmp_path, {"news.md": article(title="“Quoted” — and more…")})
    email_settings(root, ascii=True)
    assert publish("build", "-c", "email", cwd=root).exit_code == 0
    eml = (root / "output" / "email" / "news.eml").read_bytes()
    assert b'Subject: "Quoted" -- and more...\r\n' in eml


@pytest.mark.parametrize(
    ("front_matter", "shown"),
    [
        ('subject: "Hello\\r\\nBcc: victim@example.org"\n', r"'Hello\r\nBcc: victim@example.org'"),
        ('subject: "Hello\\nBcc: victim@example.org"\n', r"'Hello\nBcc: victim@example.org'"),
        ('subject: "Hello\\rBcc: victim@example.org"\n', r"'Hello\rBcc: victim@example.org'"),
        ('subject: "Hello\\LBcc: victim@example.org"\n', r"'Hello\u2028Bcc: victim@example.org'"),
        ('subject: "Hello\\NBcc: victim@example.org"\n', r"'Hello\x85Bcc: victim@example.org'"),
    ],
)
def test_line_break_in_subject_is_refused(tmp_path, front_matter, shown):
    root, result = build_one(tmp_path, article(extra=front_matter))
    assert result.exit_code == 1
    assert result.output == (
        "Error: source/news.md:5: 'subject' in front matter: must be one line: it becomes the "
        f"email's Subject header, got {shown}\n"
        "Published 0 articles to email: 0 files in output; 1 problem(s)\n"
    )
    assert not (root / "output").exists()
    check = publish("check", cwd=root)  # check says the same, as an error
    assert check.exit_code == 1
    assert check.output.startswith(
        "source/news.md:5: error: 'subject' in front matter: must be one line: it becomes the "
        f"email's Subject header, got {shown}\n"
    )


def test_line_break_in_title_used_as_subject_is_refused(tmp_path):
    text = article(title='"Line one\\nBcc: victim@example.org"')
    root, result = build_one(tmp_path, text)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: source/news.md:2: 'title' in front matter: must be one line: it becomes the "
        "email's Subject header, got 'Line one\\nBcc: victim@example.org'\n"
    )


@pytest.mark.parametrize(
    ("key", "value", "header"),
    [
        ("from", "Clinic <news@clinic.example>\nBcc: all@example.org", "From"),
        ("reply_to", "news@clinic.example\r\nBcc: all@example.org", "Reply-To"),
        ("unsubscribe_url", "https://clinic.example/u\nX: y", "List-Unsubscribe"),
        ("unsubscribe_mailto", "u@clinic.example\rX: y", "List-Unsubscribe"),
    ],
)
def test_line_break_in_email_settings_is_refused(tmp_path, key, value, header):
    root = make_project(tmp_path, {"news.md": article()})
    email_settings(root, **{key: value})
    result = publish("build", "-c", "email", cwd=root)
    assert result.exit_code == 1
    lines = (root / "publish.yml").read_text().split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {key}:"))
    assert result.output == (
        f"Error: publish.yml:{line}: 'email.{key}' in publish.yml: must be one line: it becomes "
        f"the email's {header} header, got {value!r}\n"
    )


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("from", "the clinic", "expected an address such as News <news@clinic.example>"),
        (
            "unsubscribe_url",
            "http://clinic.example/u",
            "expected an https:// URL such as https://clinic.example/unsubscribe",
        ),
    ],
)
def test_malformed_email_settings_are_refused(tmp_path, key, value, expected):
    root = make_project(tmp_path, {"news.md": article()})
    email_settings(root, **{key: value})
    result = publish("build", "-c", "email", cwd=root)
    lines = (root / "publish.yml").read_text().split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {key}:"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: publish.yml:{line}: 'email.{key}' in publish.yml: {expected}, got {value!r}\n"
    )


def test_missing_sender_and_unsubscribe_are_warnings(tmp_path):
    root = make_project(tmp_path, {"news.md": article()})
    email_settings(root, **{"from": None, "unsubscribe_url": None, "unsubscribe_mailto": None})
    result = publish("build", "-c", "email", cwd=root)
    assert result.exit_code == 0
    assert result.output.startswith(
        "Warning: source/news.md: publish.yml has no 'email.from': the .eml has no sender and "
        "cannot be sent; add the newsletter's From address\n"
        "Warning: source/news.md: publish.yml has neither 'email.unsubscribe_url' nor "
        "'email.unsubscribe_mailto': a newsletter must tell readers how to stop receiving it\n"
    )
    message = parse((root / "output" / "email" / "news.eml").read_bytes())
    assert message["From"] is None and message["List-Unsubscribe"] is None
