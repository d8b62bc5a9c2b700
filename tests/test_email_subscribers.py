"""Subscriber lists in SQLite: a CSV import (bad and duplicate rows), counts, export, unsubscribing
by address or token, the suppression list, bounces read from an mbox and a Maildir."""

from __future__ import annotations

import mailbox
import sqlite3
import stat

import pytest
from conftest import REPO, article, email_settings, make_project, publish

from pipeline.channels.email.tokens import token

CSV = """\
email,name,language,phone
ana@example.org,Ana Example,en,1
Bob@Example.ORG,,es,
bad@,x,,
ana@example.org,Ana E.,,
carol@example.org,"Carol
Two",,
dave@example.org,Dave,english,
eve@example.org,Eve,,
"""
SKIPPED = "Fix the row and import the file again (the other rows are imported)"
IMPORT_OUTPUT = (
    "Warning: subscribers.csv: ignored the columns phone (only email, name and language are "
    "read)\n"
    "Error: subscribers.csv:4: 'bad@' is not an email address: There must be something after "
    f"the @-sign. {SKIPPED}\n"
    "Error: subscribers.csv:6: the name must be one line: it becomes the email's To header. "
    f"{SKIPPED}\n"
    f"Error: subscribers.csv:8: 'english' is not a language code such as en or es-MX. {SKIPPED}\n"
)


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path / "clinic", {"news.md": article()})
    (root / "subscribers.csv").write_text(CSV, encoding="utf-8")
    return root


def listed(root, *args: str):
    return publish("list", *args, cwd=root)


def test_import_skips_bad_rows_by_line_and_twice_adds_no_one(project):
    first = listed(project, "import", "subscribers.csv")
    assert (first.exit_code, first.output) == (
        1,
        IMPORT_OUTPUT + "Imported subscribers.csv into the list 'subscribers': 3 added, "
        "1 already on it, 3 rows skipped\n",
    )
    again = listed(project, "import", "subscribers.csv")
    assert again.output.endswith("0 added, 4 already on it, 3 rows skipped\n")
    export = listed(project, "export")
    assert (export.exit_code, export.output) == (
        0,
        "email,name,language,status\n"
        "ana@example.org,Ana E.,en,subscribed\n"  # the later row's name; the earlier language
        "bob@example.org,,es,subscribed\n"  # lowercased, as listmonk stores addresses
        "eve@example.org,Eve,,subscribed\n",
    )


def test_the_database_is_private_and_git_ignored(project):
    listed(project, "import", "subscribers.csv")
    database = project / ".publish" / "subscribers.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert "/.publish/" in (REPO / ".gitignore").read_text().split()
    init = publish("init", "other", "--name", "Other Clinic", cwd=project.parent)
    assert init.exit_code == 0
    assert "/.publish/" in (project.parent / "other" / ".gitignore").read_text().split()


def test_show_counts_and_names_no_one(project):
    assert listed(project, "show").output == (
        "No lists yet: import one with publish list import FILE.csv\n"
        "Database: .publish/subscribers.db\n"
    )
    listed(project, "import", "subscribers.csv")
    listed(project, "import", "subscribers.csv", "--list", "staff")
    listed(project, "unsubscribe", "eve@example.org")
    assert listed(project, "show").output == (
        "staff: 3 subscribers, 1 unsubscribed, 0 bounced, 2 to mail\n"
        "subscribers: 3 subscribers, 1 unsubscribed, 0 bounced, 2 to mail\n"
        "Never mailed, on any list: 1 unsubscribed, 0 bounced\n"
        "Database: .publish/subscribers.db\n"
    )


def test_unsubscribe_by_address_or_token_and_refuse_a_forged_token(project, monkeypatch):
    monkeypatch.setenv("PUBLISH_UNSUBSCRIBE_SECRET", "a secret for the test")
    listed(project, "import", "subscribers.csv")
    by_address = listed(project, "unsubscribe", "Eve@Example.org")
    assert by_address.output == (
        "Unsubscribed eve@example.org (on the list subscribers): no send mails it again\n"
    )
    code = token(b"a secret for the test", "bob@example.org")
    by_token = listed(project, "unsubscribe", code)
    assert by_token.output == (
        "Unsubscribed bob@example.org (on the list subscribers): no send mails it again\n"
    )
    assert (
        listed(project, "unsubscribe", code).output == "bob@example.org was unsubscribed already\n"
    )
    forged = code[:-1] + ("a" if code[-1] != "a" else "b")
    refused = listed(project, "unsubscribe", forged)
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: '{forged}' is not an unsubscribe token of this database. Copy the whole token "
        "from the link (what follows token=), or give the address\n",
    )
    # An import never subscribes again someone who unsubscribed.
    again = listed(project, "import", "subscribers.csv")
    assert again.output.endswith("; 2 of them unsubscribed or bounced\n")
    assert "eve@example.org,Eve,,unsubscribed\n" in listed(project, "export").output


def test_export_to_a_private_file(project):
    listed(project, "import", "subscribers.csv", "--list", "staff")
    result = listed(project, "export", "--list", "staff", "--out", "staff.csv")
    assert result.output == "wrote 3 subscribers of 'staff' to staff.csv\n"
    assert stat.S_IMODE((project / "staff.csv").stat().st_mode) == 0o600
    assert (project / "staff.csv").read_text().startswith("email,name,language,status\n")


def test_the_database_may_live_elsewhere(project):
    email_settings(project, subscribers="sqlite:///data/people.db")
    listed(project, "import", "subscribers.csv")
    assert (project / "data" / "people.db").is_file()
    assert listed(project, "show").output.endswith("Database: data/people.db\n")


def dsn(address: str, action: str, status: str) -> str:
    """A delivery-status notification (RFC 3464), as a mail server sends back."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
        "To: newsletter@albanyketamine.example\nSubject: Delivery Status Notification\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
        ' boundary="b"\n\n'
        f"--b\nContent-Type: text/plain\n\nYour message to {address} was not delivered.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        f"Final-Recipient: rfc822; {address}\nAction: {action}\nStatus: {status}\n\n--b--\n"
    )


BOUNCES = [
    dsn("ana@example.org", "failed", "5.1.1"),
    dsn("nobody@example.org", "failed", "5.1.1"),
    dsn("bob@example.org", "delayed", "4.4.1"),
    "From: reader@example.org\nTo: info@albanyketamine.example\nSubject: Thanks\n\nThank you!\n",
]


@pytest.mark.parametrize("kind", [mailbox.mbox, mailbox.Maildir])
def test_bounces_suppress_the_hard_ones(project, kind):
    listed(project, "import", "subscribers.csv")
    box = kind(project / "bounces", create=True)
    for message in BOUNCES:
        box.add(message)
    box.close()
    result = listed(project, "bounces", "bounces")
    assert (result.exit_code, result.output) == (
        0,
        "Read 4 messages from bounces: 2 addresses bounced for good (2 newly suppressed, 1 on "
        "no list); 1 failed for now only (not suppressed)\n",
    )
    assert "ana@example.org,Ana E.,en,bounced\n" in listed(project, "export").output
    assert listed(project, "bounces", "bounces").output.startswith(
        "Read 4 messages from bounces: 2 addresses bounced for good (0 newly suppressed"
    )


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (
            ["import", "people.csv", "--list", "Big List"],
            {"people.csv": "email\n"},
            "Error: --list 'Big List' is not a list name. Use lowercase letters, digits, "
            "hyphens and underscores, as in subscribers\n",
        ),
        (
            ["import", "people.csv"],
            {"people.csv": "address,name\nana@example.org,Ana\n"},
            "Error: people.csv:1: has no 'email' column. Its first row must name the columns: "
            "email, and name and language if given\n",
        ),
        (
            ["import", "people.csv"],
            {"people.csv": "email\nana@exämple.org\n".encode("latin-1")},
            "Error: people.csv: is not UTF-8 text. Save it as CSV UTF-8\n",
        ),
        (
            ["import", "missing.csv"],
            {},
            "Error: missing.csv: cannot be read: No such file or directory\n",
        ),
        (
            ["export"],
            {},
            "Error: there is no list named 'subscribers'. Import one first: publish list "
            "import FILE.csv\n",
        ),
        (
            ["unsubscribe", "ana@"],
            {},
            "Error: 'ana@' is not an email address: There must be something after the @-sign. "
            "Give the address or the link's token\n",
        ),
        (
            ["bounces", "nowhere"],
            {},
            "Error: nowhere: no such file or folder. Give an mbox file or a Maildir\n",
        ),
        (
            ["bounces", "notes.txt"],
            {"notes.txt": "no mail here\n"},
            "Error: notes.txt: holds no messages. Give an mbox file or a Maildir folder of "
            "bounces\n",
        ),
    ],
)
def test_bad_input_is_refused(project, args, files, message):
    for name, content in files.items():
        target = project / name
        target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)
    result = listed(project, *args)
    assert (result.exit_code, result.output) == (1, message)


def test_export_names_the_lists_there_are(project):
    listed(project, "import", "subscribers.csv", "--list", "staff")
    result = listed(project, "export", "--list", "patients")
    assert result.output == "Error: there is no list named 'patients'. Lists: staff\n"


def test_only_sqlite_is_accepted(project):
    email_settings(project, subscribers="postgresql://db.clinic.example/news")
    result = listed(project, "show")
    assert (result.exit_code, result.output) == (
        1,
        "Error: publish.yml:40: 'email.subscribers' in publish.yml: expected a path or a "
        "sqlite:/// URL: subscribers are kept in SQLite only, got "
        "'postgresql://db.clinic.example/news'\n",
    )


def test_addresses_never_reach_a_build(project):
    listed(project, "import", "subscribers.csv")
    assert publish("build", "-c", "email", "-c", "web", cwd=project).exit_code == 0
    for path in (project / "output").rglob("*"):
        if path.is_file():
            assert b"@example.org" not in path.read_bytes(), path
    rows = sqlite3.connect(project / ".publish" / "subscribers.db").execute(
        "SELECT count(*) FROM subscribers"
    )
    assert rows.fetchone() == (3,)
