"""Real SMTP servers for the send tests: aiosmtpd on 127.0.0.1, keeping what it receives, and one
that misbehaves on cue (drops the connection, answers 421, 451, 550, stops answering)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One message the server took: its envelope recipient and its headers' ids."""

    rcpt: str
    to: str
    message_id: str
    data: bytes


class Inbox:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted"

    def received(self) -> list[Received]:
        with self.lock:
            envelopes = list(self.envelopes)
        return [received(envelope) for envelope in envelopes]

    def count(self) -> Counter:
        """How many messages each address received."""
        return Counter(item.rcpt for item in self.received())


def received(envelope) -> Received:
    message = message_from_bytes(envelope.original_content, policy=default)
    [rcpt] = envelope.rcpt_tos
    return Received(rcpt, str(message["To"]), str(message["Message-ID"]), envelope.content)


class Faults(Inbox):
    """An inbox that misbehaves for some addresses, as their local part says, `times` times
    each (then behaves): drop-rcpt (the connection dropped after RCPT), drop-data (dropped
    while the message comes in, before any answer), busy-rcpt and busy-data (421), later
    (451), never (451 always), gone (550 5.1.1), spam (554 5.7.1), slow-rcpt and slow-data
    (no answer for `pause` seconds; slow-data keeps the message)."""

    def __init__(self, times: int = 1, pause: float = 2.0):
        super().__init__()
        self.times, self.pause = times, pause
        self.seen: Counter = Counter()

    def fault(self, address: str, stage: str) -> str | None:
        kind = address.split("@")[0].rstrip("0123456789")
        if kind.endswith(stage) or (stage == "rcpt" and kind in ("later", "never", "gone", "spam")):
            self.seen[address, stage] += 1
            if kind == "never" or self.seen[address, stage] <= self.times:
                return kind.removesuffix(f"-{stage}")
        return None

    async def handle_RCPT(self, server, session, envelope, address, options):
        answer = await self.misbehave(server, self.fault(address, "rcpt"))
        if answer is None:
            envelope.rcpt_tos.append(address)
            return "250 OK"
        return answer

    async def handle_DATA(self, server, session, envelope):
        kind = self.fault(envelope.rcpt_tos[0], "data")
        if kind == "slow":  # kept, then answered too late: the client has given up waiting
            answer = await super().handle_DATA(server, session, envelope)
            await asyncio.sleep(self.pause)
            return answer
        answer = await self.misbehave(server, kind)
        return answer or await super().handle_DATA(server, session, envelope)

    async def misbehave(self, server, kind: str | None) -> str | None:
        if kind == "drop":
            server.transport.abort()
            return "451 (never heard: the connection is gone)"
        if kind == "slow":
            await asyncio.sleep(self.pause)
        return ANSWERS.get(kind)


ANSWERS = {
    "busy": "421 4.3.2 Service shutting down",
    "later": "451 4.7.1 Greylisted, try again later",
    "never": "451 4.3.0 Mailbox busy",
    "gone": "550 5.1.1 No such mailbox",
    "spam": "554 5.7.1 Message refused as spam",
}


def free_port() -> int:
    # aiosmtpd's Controller(port=0) cannot report the port it got: find one first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(inbox: Inbox | None = None, **options):
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield inbox, f"127.0.0.1:{controller.port}"
    finally:
        controller.stop()
