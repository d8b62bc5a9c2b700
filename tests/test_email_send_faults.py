"""A send to a list through a server that misbehaves (tests/smtp.py's Faults): the connection
dropped before and during DATA, 421, 451, 550, 554, a server that stops answering, one that
vanishes. None stops the send; nobody is lost; nobody confirmed is mailed twice; whoever is in
doubt is named. The library is called directly, with short waits (the command waits a minute
before a retry)."""

from __future__ import annotations

import shutil
import time
from collections import Counter

import pytest
from conftest import REPO, SAMPLE_SLUG, make_project, publish
from smtp import Faults, free_port, smtp_server

import pipeline

FAULTY = [
    "ok1", "drop-rcpt1", "drop-data1", "busy-rcpt1", "busy-data1", "later1", "never1",
    "gone1", "spam1", "slow-rcpt1", "slow-data1", "ok2",
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    sample = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    root = make_project(tmp_path_factory.mktemp("faults") / "clinic", {"news.md": sample})
    assert publish("build", "-c", "email", cwd=root).exit_code == 0
    return root


def project_with(built, folder, locals_: list[str]):
    root = shutil.copytree(built, folder / "clinic")
    people = "".join(f"{name}@example.org\n" for name in locals_)
    (root / "people.csv").write_text("email\n" + people, encoding="utf-8")
    assert publish("list", "import", "people.csv", cwd=root).exit_code == 0
    return pipeline.load_project(root)


def send(project, address: str, **options):
    # 2 s: a loaded machine answers within it; the slow server answers after 3 s (or never).
    server = pipeline.ServerOptions(address, timeout=2.0)
    settings = dict(server=server, attempts=3, retry_wait=0.05) | options
    return pipeline.send_to_list(project, "news", pipeline.SendOptions(**settings))


def test_every_fault_is_survived_and_reported(built, tmp_path):
    project = project_with(built, tmp_path, FAULTY)
    with smtp_server(Faults(pause=3.0)) as (inbox, address):
        report = send(project, address)
        received = inbox.count()
        assert report.lines() == [
            "Sending news to the list 'subscribers': 7 sent, 3 failed, 0 suppressed, 0 left",
            "  1 failed: 451 4.3.0 Mailbox busy (gave up after 3 tries)",
            "  1 failed: 550 5.1.1 No such mailbox",
            "  1 failed: 554 5.7.1 Message refused as spam",
            "2 in doubt: the server may or may not have their message, and no send mails them "
            "again unasked:",
            "  drop-data1@example.org: connection lost before the server answered: Connection "
            "unexpectedly closed",
            "  slow-data1@example.org: connection lost before the server answered: Connection "
            "unexpectedly closed: timed out",
            "To mail them again (each may get it twice): publish send news --list subscribers "
            "--resend-unconfirmed",
        ]
        # Each one sent reached the server once; of the two in doubt, one did and one did not.
        sent = {f"{name}@example.org" for name in FAULTY} - {
            "never1@example.org", "gone1@example.org", "spam1@example.org",
            "drop-data1@example.org", "slow-data1@example.org",
        }  # fmt: skip
        assert received == Counter({**dict.fromkeys(sent, 1), "slow-data1@example.org": 1})
        again = send(project, address, resend_unconfirmed=True)
    assert again.lines()[0] == (
        "Sent news to the list 'subscribers': 9 sent, 3 failed, 0 suppressed, 0 left"
    )
    # The doubt was real for one: it has the newsletter twice now, and no one else has.
    assert inbox.count() - received == Counter(["drop-data1@example.org", "slow-data1@example.org"])
    counts, suppressed = pipeline.subscriber_counts(project)
    assert suppressed == {"bounced": 1}  # gone1 (5.1.1); not spam1 (5.7.1), not never1 (4xx)


def test_a_server_that_stops_answering_stops_the_send_and_another_finishes_it(built, tmp_path):
    project = project_with(built, tmp_path, [f"reader{n}" for n in range(8)])

    class Hangs(Faults):
        async def handle_RCPT(self, server, session, envelope, address, options):
            if len(self.envelopes) >= 3:  # after three messages, it answers nothing more
                return await self.misbehave(server, "slow") or "250 OK"
            return await super().handle_RCPT(server, session, envelope, address, options)

    with smtp_server(Hangs(pause=5.0)) as (inbox, address):
        stopped = send(project, address)
        assert len(inbox.envelopes) == 3
    assert stopped.lines() == [
        "Sending news to the list 'subscribers': 3 sent, 0 failed, 0 suppressed, 5 left",
        f"Stopped: {address} failed 3 times in a row (connection lost: Connection unexpectedly "
        "closed: timed out). 5 left: run the same command again to go on",
    ]
    gone = f"127.0.0.1:{free_port()}"  # and now no server at all
    vanished = send(project, gone)
    assert vanished.lines()[-1] == (
        f"Stopped: {gone} failed 3 times in a row ([Errno 111] Connection refused). "
        "5 left: run the same command again to go on"
    )
    with smtp_server() as (inbox, address):
        finished = send(project, address)
    assert finished.lines() == [
        "Sent news to the list 'subscribers': 8 sent, 0 failed, 0 suppressed, 0 left"
    ]
    assert sorted(inbox.count().values()) == [1] * 5  # the five left, each once


def test_the_rate_spaces_messages(built, tmp_path):
    project = project_with(built, tmp_path, ["a", "b", "c"])
    progress = []
    with smtp_server() as (inbox, address):
        start = time.monotonic()
        send(project, address, rate="20/second", on_progress=lambda *seen: progress.append(seen))
        elapsed = time.monotonic() - start
    assert progress == [(1, 3), (2, 3), (3, 3)] and len(inbox.envelopes) == 3
    assert elapsed >= 0.1  # the 2nd message 1/20 s after the 1st, the 3rd 1/20 s after it
