"""`publish send --list` killed with SIGKILL at 20 random moments of a 500-recipient send, resumed
each time, and held to the journal's promises by the server's own record of what it received:
nobody lost, nobody confirmed sent mailed twice, at most one recipient in doubt per kill, and
those named."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from conftest import REPO, SAMPLE_SLUG, make_project, publish
from smtp import smtp_server

RECIPIENTS = 500
KILLS = 20
SEED = int(os.environ.get("KILL_SEED", time.time_ns() % 100_000))


def project(folder):
    sample = (REPO / "source" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    root = make_project(folder / "clinic", {f"{SAMPLE_SLUG}.md": sample})
    assert publish("build", "-c", "email", cwd=root).exit_code == 0
    people = "".join(f"reader{n:03d}@example.org,Reader {n}\n" for n in range(RECIPIENTS))
    (root / "people.csv").write_text("email,name\n" + people, encoding="utf-8")
    assert publish("list", "import", "people.csv", cwd=root).exit_code == 0
    return root


def start(root, address: str, *more: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "send", SAMPLE_SLUG, "--list", "subscribers"]
    return subprocess.Popen(
        [*command, "--smtp", address, *more],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def states(root) -> dict[str, tuple[str, str | None]]:
    """Each recipient's state and Message-ID, as the journal has them."""
    with sqlite3.connect(root / ".publish" / "subscribers.db") as db:
        rows = db.execute("SELECT email, state, message_id FROM deliveries").fetchall()
    return {email: (state, message_id) for email, state, message_id in rows}


def kill_at_random(process: subprocess.Popen, inbox, rng: random.Random) -> None:
    """Kill after a random number of messages more (none: while it starts), then a random few
    milliseconds: inside a commit, an SMTP step, or between them."""
    target = len(inbox.envelopes) + rng.randint(0, 20)
    deadline = time.monotonic() + 30
    while len(inbox.envelopes) < target and process.poll() is None:
        assert time.monotonic() < deadline, "the send stopped sending"
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, 0.004))
    process.send_signal(signal.SIGKILL)
    process.communicate()


def test_sigkill_at_random_moments_loses_no_one_and_mails_no_confirmed_one_twice(tmp_path):
    rng = random.Random(SEED)
    print(f"KILL_SEED={SEED}")  # to run the same kills again
    root = project(tmp_path)
    with smtp_server() as (inbox, address):
        for _ in range(KILLS):
            kill_at_random(start(root, address), inbox, rng)
            sending = [email for email, (state, _) in states(root).items() if state == "sending"]
            assert len(sending) <= 1, sending  # at most one in doubt per interruption
        resumed = start(root, address)
        output = resumed.communicate(timeout=120)[0]
        journal = states(root)
        received = Counter(item.rcpt for item in inbox.received())
        ids = {item.message_id: item.rcpt for item in inbox.received()}
        doubtful = {email for email, (state, _) in journal.items() if state == "unconfirmed"}
        print(f"in doubt: {len(doubtful)}, the server had {sum(received[e] for e in doubtful)}")
        check_the_promises(journal, received, ids, doubtful, output, resumed.returncode)
        finished = start(root, address, "--resend-unconfirmed")
        assert finished.wait(timeout=60) == 0, finished.communicate()[0]
        again = Counter(item.rcpt for item in inbox.received())
    assert set(again) == set(journal)  # everyone has it now
    assert all(state == "sent" for state, _ in states(root).values())
    assert {email for email, count in again.items() if count > 1} <= doubtful


def check_the_promises(journal, received, ids, doubtful, output, status) -> None:
    assert len(journal) == RECIPIENTS
    assert {state for state, _ in journal.values()} <= {"sent", "unconfirmed"}  # none lost
    assert len(doubtful) <= KILLS
    for email, (state, message_id) in journal.items():
        if state == "sent":  # confirmed: the server has exactly that message, once
            assert received[email] == 1 and ids[message_id] == email, email
        else:
            assert received[email] <= 1, email
    assert max(received.values()) == 1  # no one mailed twice
    for email in doubtful:  # the report names each one in doubt
        assert f"  {email}: the send stopped before the server confirmed it\n" in output
    assert status == (1 if doubtful else 0), output
