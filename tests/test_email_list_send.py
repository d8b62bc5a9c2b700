"""`publish send NAME --list LIST` to a real SMTP server (aiosmtpd) on 127.0.0.1: each message
personal, the suppressed never mailed, a second run mails no one twice, a lock, a dry run, and
each message's SpamAssassin score."""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from email import message_from_bytes
from email.policy import default

import pytest
from conftest import REPO, SAMPLE_SLUG, article, email_settings, make_project, publish
from smtp import smtp_server

PEOPLE = "email,name\nana@example.org,Ana Example\nbob@example.org,\neve@example.org,Eve\n"
GREETING = 'Hello {{< recipient name fallback="dear friend" >}}, and welcome.\n'
BUILT_DATE = "Wed, 25 Nov 2026 00:00:00 -0000"  # the article's date, in the built .eml


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with the sample article and a greeting one, built to the email channel."""
    sample = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    root = make_project(
        tmp_path_factory.mktemp("sending") / "clinic",
        {f"{SAMPLE_SLUG}.md": sample, "hello.md": article("A note", GREETING)},
    )
    assert publish("build", "-c", "email", "-c", "web", cwd=root).exit_code == 0
    (root / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return root


@pytest.fixture
def project(built, tmp_path):
    """The built project, its own copy, with ana, bob and eve on the list and eve unsubscribed."""
    root = shutil.copytree(built, tmp_path / "clinic")
    assert publish("list", "import", "people.csv", cwd=root).exit_code == 0
    assert publish("list", "unsubscribe", "eve@example.org", cwd=root).exit_code == 0
    return root


def send(root, *args: str, name: str = SAMPLE_SLUG):
    return publish("send", name, *args, cwd=root)


def parsed(inbox) -> dict:
    """The messages the server received, by recipient."""
    return {
        envelope.rcpt_tos[0]: message_from_bytes(envelope.original_content, policy=default)
        for envelope in inbox.envelopes
    }


def parts(message) -> tuple[str, str]:
    text, html = message.iter_parts()
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def test_each_reader_gets_their_own_message(project):
    with smtp_server() as (inbox, address):
        result = send(project, "--list", "subscribers", "--smtp", address)
    assert (result.exit_code, result.output) == (
        0,
        f"Sent {SAMPLE_SLUG} to the list 'subscribers': 2 sent, 0 failed, 1 suppressed, "
        "0 left\n  1 suppressed: unsubscribed\n",
    )
    messages = parsed(inbox)
    assert sorted(messages) == ["ana@example.org", "bob@example.org"]  # never eve
    ana, bob = messages["ana@example.org"], messages["bob@example.org"]
    assert (ana["To"], bob["To"]) == ("Ana Example <ana@example.org>", "bob@example.org")
    assert ana["Message-ID"] != bob["Message-ID"]
    assert ana["Date"] != BUILT_DATE and re.fullmatch(
        r"<\d+\.\d+\.\d+@albanyketamine\.example>", ana["Message-ID"]
    )
    email = project / "output" / "email"
    for reader, message in messages.items():
        code = re.search(r"token=([a-z2-7]{26})>", message["List-Unsubscribe"])[1]
        page = f"https://albanyketamine.example/unsubscribe?token={code}"
        mailto = f"mailto:unsubscribe@albanyketamine.example?subject=unsubscribe%20{code}"
        assert message["List-Unsubscribe"] == f"<{page}>, <{mailto}>"
        text, html = parts(message)
        built_text = (email / f"{SAMPLE_SLUG}.txt").read_text(encoding="utf-8")
        assert text == built_text.replace("https://albanyketamine.example/unsubscribe", page)
        built_html = (email / f"{SAMPLE_SLUG}.html").read_text(encoding="utf-8")
        assert html == built_html.replace(
            'href="https://albanyketamine.example/unsubscribe"', f'href="{page}"'
        ).replace("?subject=unsubscribe", f"?subject=unsubscribe%20{code}")
        # The token stands for the reader: the unsubscribe command takes it.
        unsubscribed = publish("list", "unsubscribe", code, cwd=project)
        assert unsubscribed.output.startswith(f"Unsubscribed {reader} (on the list subscribers)")


def test_the_greeting_names_the_reader_or_falls_back(project):
    with smtp_server() as (inbox, address):
        assert (
            send(project, "--list", "subscribers", "--smtp", address, name="hello").exit_code == 0
        )
    greetings = {reader: parts(message) for reader, message in parsed(inbox).items()}
    assert "Hello Ana Example, and welcome." in greetings["ana@example.org"][0]
    assert "<p>Hello Ana Example, and welcome.</p>" in re.sub(
        r' style="[^"]*"', "", greetings["ana@example.org"][1]
    )
    assert "Hello dear friend, and welcome." in greetings["bob@example.org"][0]
    # The built files show the fallback; the .eml keeps the marker a send fills.
    email = project / "output" / "email"
    assert "Hello dear friend, and welcome." in (email / "hello.txt").read_text()
    assert (
        b"Hello {{recipient-name|dear%20friend}}, and welcome."
        in (email / "hello.eml").read_bytes()
    )
    page = (project / "output" / "web" / "hello" / "index.html").read_text()
    assert '<span class="recipient-name">dear friend</span>' in page


def test_running_the_send_again_mails_no_one_twice(project):
    with smtp_server() as (inbox, address):
        send(project, "--list", "subscribers", "--smtp", address)
        again = send(project, "--list", "subscribers", "--smtp", address, "--resume")
    assert again.output.startswith(f"Sent {SAMPLE_SLUG} to the list 'subscribers': 2 sent,")
    assert len(inbox.envelopes) == 2


def test_a_dry_run_says_what_a_send_would_do(project):
    with smtp_server() as (inbox, address):
        before = send(project, "--list", "subscribers", "--smtp", address, "--dry-run")
        send(project, "--list", "subscribers", "--smtp", address)
        after = send(project, "--list", "subscribers", "--dry-run")
    assert (before.exit_code, before.output) == (
        0,
        f"Dry run, nothing sent: {SAMPLE_SLUG} to the list 'subscribers' would go to 2\n"
        "  1 suppressed: unsubscribed\n",
    )
    assert after.output == (
        f"Dry run, nothing sent: {SAMPLE_SLUG} to the list 'subscribers': 2 sent, 0 failed, "
        "1 suppressed, 0 left\n  1 suppressed: unsubscribed\n"
    )
    assert len(inbox.envelopes) == 2


def test_two_sends_of_one_newsletter_at_once_are_refused(project):
    lock = project / ".publish" / f"send-{SAMPLE_SLUG}.lock"
    with lock.open("w") as held, smtp_server() as (inbox, address):
        fcntl.flock(held, fcntl.LOCK_EX)  # as the send running already holds it
        result = send(project, "--list", "subscribers", "--smtp", address)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: '{SAMPLE_SLUG}' is being sent already, by another publish send. Wait for it "
        f"to finish (its lock: .publish/send-{SAMPLE_SLUG}.lock)\n",
    )
    assert inbox.envelopes == []


def test_a_changed_newsletter_is_a_new_send(project):
    with smtp_server() as (inbox, address):
        assert (
            send(project, "--list", "subscribers", "--smtp", address, name="hello").exit_code == 0
        )
        source = project / "source" / "hello.md"
        source.write_text(source.read_text() + "\nOne more line.\n")
        assert publish("build", "-c", "email", cwd=project).exit_code == 0
        refused = send(project, "--list", "subscribers", "--smtp", address, name="hello")
        assert len(inbox.envelopes) == 2
        again = send(
            project, "--list", "subscribers", "--smtp", address, "--new-send", name="hello"
        )
    started = re.search(r"\((\S+), 2 sent\)", refused.output)[1]
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: output/email/hello.eml: has changed since it was sent to 'subscribers' "
        f"({started}, 2 sent): a new send would mail the whole list again. Pass --new-send to "
        "send the changed newsletter to everyone on the list, or build the newsletter that was "
        "sent\n",
    )
    assert again.exit_code == 0 and len(inbox.envelopes) == 4


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        ([], 2, "Error: give --to ADDRESS (a test) or --list NAME (a whole list), not both\n"),
        (
            ["--to", "a@example.org", "--list", "subscribers"],
            2,
            "Error: give --to ADDRESS (a test) or --list NAME (a whole list), not both\n",
        ),
        (
            ["--to", "a@example.org", "--dry-run"],
            2,
            "Error: --dry-run goes with --list: a test send (--to) is sent at once\n",
        ),
        (
            ["--list", "subscribers", "--rate", "fast"],
            1,
            "Error: --rate 'fast' is not a number of messages per hour, minute or second. "
            "Write it as 500/hour, 20/minute or 5/second\n",
        ),
        (
            ["--list", "subscribers", "--resume"],
            1,
            f"Error: there is no send of output/email/{SAMPLE_SLUG}.eml to 'subscribers' to "
            "resume. Leave out --resume to begin it\n",
        ),
        (
            ["--list", "patients"],
            1,
            "Error: there is no list named 'patients'. Lists: subscribers\n",
        ),
    ],
)
def test_bad_options_are_refused(project, args, status, message):
    result = send(project, *args, "--smtp", "127.0.0.1:1")
    assert (result.exit_code, result.output[-len(message) :]) == (status, message)
    if status == 1:
        assert result.output == message


def test_a_newsletter_without_an_unsubscribe_link_goes_to_no_list(project):
    email_settings(project, unsubscribe_url=None, unsubscribe_mailto=None)
    assert publish("build", "-c", "email", cwd=project).exit_code == 0
    result = send(project, "--list", "subscribers", "--smtp", "127.0.0.1:1")
    assert (result.exit_code, result.output) == (
        1,
        f"Error: output/email/{SAMPLE_SLUG}.eml: has no unsubscribe link, and a newsletter to a "
        "list must carry one (CAN-SPAM). Set 'email.unsubscribe_url' or "
        "'email.unsubscribe_mailto' in publish.yml, then build again\n",
    )


def spam_score(message: bytes) -> tuple[float, str]:
    """SpamAssassin's score of `message` with its local rules (no network), and its rules."""
    assert shutil.which("spamassassin"), "SpamAssassin is missing: run make test-setup"
    done = subprocess.run(
        ["spamassassin", "-t", "-L"], input=message, capture_output=True, check=True
    )
    report = done.stdout.decode(errors="replace").split("Content analysis details:", 1)[1]
    return float(re.search(r"\((-?[\d.]+) points", report)[1]), report


def test_each_sent_message_scores_at_most_one_in_spamassassin(project):
    with smtp_server() as (inbox, address):
        send(project, "--list", "subscribers", "--smtp", address)
    for envelope in inbox.envelopes:
        score, rules = spam_score(envelope.original_content)
        print(f"SpamAssassin, {envelope.rcpt_tos[0]}: {score}{rules}")
        assert score <= 1.0, rules
