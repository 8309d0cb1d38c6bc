"""Nothing lost, nothing doubled: real WebSockets against a real Daphne
server in a child process, with the real channel layer and database.

The client keeps every message it has not seen acknowledged and resends it
(same client key) after a reconnect, then asks for everything after the
last sequence it saw. The tests cut connections mid-stream and restart the
server (and with it the channel layer) and then check the result: every
message stored exactly once, sequences 1..N without a gap, and every
client's view complete and without duplicates.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from blend.services import channel_consent_set
from conftest import Personas
from messaging.models import Message
from messaging.services import conversation_direct_open
from tests.asgi_server import AsgiServer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

TOTAL = 1000
NO_LIMIT = {"MESSAGE_RATE_LIMIT": 1_000_000}


class ChatClient:
    """A minimal client with the same protocol as static/js/chat.js."""

    def __init__(self, address: str, conversation_id: str, cookie: str) -> None:
        self.url = f"ws://{address}/ws/gesprekken/{conversation_id}/"
        self.headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        self.socket: Any = None
        self.seen: dict[int, str] = {}  # sequence → message id
        self.acked: dict[str, int] = {}  # client key → sequence
        self.pending: dict[str, str] = {}  # client key → body

    async def connect(self, address: str | None = None) -> None:
        if address is not None:
            conversation_id = self.url.rstrip("/").rsplit("/", 1)[-1]
            self.url = f"ws://{address}/ws/gesprekken/{conversation_id}/"
            self.headers["Origin"] = f"http://{address}"
        # No keepalive pings: this client reads in bursts, and while its
        # queue is full the library stops reading, so a pong can wait longer
        # than the ping timeout on a busy machine (seen once in CI on
        # PostgreSQL + Redis). Delivery, not keepalive, is under test here.
        # And an unbounded receive queue: with a bounded one the library
        # stops reading the connection while the queue is full, so the
        # server's own pings go unanswered and the server drops the
        # connection after its ping timeout (30 s) — the longer the run, the
        # likelier.
        self.socket = await websockets.connect(
            self.url, additional_headers=self.headers, max_size=2**22, ping_interval=None, max_queue=None
        )
        hello = json.loads(await self.socket.recv())
        assert hello["type"] == "hello"
        await self.socket.send(json.dumps({"type": "sync", "after": self.last_seen}))
        for key, body in list(self.pending.items()):
            await self.socket.send(json.dumps({"type": "send", "client_key": key, "body": body}))

    @property
    def last_seen(self) -> int:
        """The highest sequence up to which nothing is missing."""
        sequence = 0
        while sequence + 1 in self.seen:
            sequence += 1
        return sequence

    def _record(self, message: dict[str, Any]) -> None:
        previous = self.seen.setdefault(message["sequence"], message["id"])
        assert previous == message["id"], "two different messages with one sequence number"

    async def send(self, key: str, body: str) -> None:
        self.pending[key] = body
        await self.socket.send(json.dumps({"type": "send", "client_key": key, "body": body}))

    async def pump(self, timeout: float = 0.5) -> bool:
        """Handle incoming frames until quiet; False when the socket closed."""
        while True:
            try:
                raw = await asyncio.wait_for(self.socket.recv(), timeout=timeout)
            except TimeoutError:
                return True
            except websockets.ConnectionClosed:
                return False
            frame = json.loads(raw)
            if frame["type"] == "ack":
                self.acked[frame["client_key"]] = frame["sequence"]
                self.pending.pop(frame["client_key"], None)
                self._record(frame["message"])
            elif frame["type"] == "message":
                self._record(frame["message"])
            elif frame["type"] == "messages":
                for message in frame["messages"]:
                    self._record(message)
                if frame["more"]:
                    await self.socket.send(json.dumps({"type": "sync", "after": self.last_seen}))
            elif frame["type"] == "error":
                raise AssertionError(f"server refused a frame: {frame}")

    async def drop(self) -> None:
        """Cut the connection without a closing handshake (like a phone
        losing its signal)."""
        self.socket.transport.abort()
        await asyncio.sleep(0.05)


def _conversation(personas: Personas) -> str:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    return str(conversation.public_id)


def _assert_complete(client: ChatClient, total: int) -> None:
    assert sorted(client.seen) == list(range(1, total + 1))
    assert len(set(client.seen.values())) == total


def _assert_stored_once(conversation_id: str, total: int) -> None:
    stored = list(Message.objects.filter(conversation__public_id=conversation_id).order_by("sequence"))
    assert [m.sequence for m in stored] == list(range(1, total + 1))
    assert sorted(m.client_key for m in stored) == sorted(f"key-{i:05d}" for i in range(total))


def test_a_thousand_sends_survive_dropped_connections_and_a_server_restart(personas: Personas) -> None:
    conversation_id = _conversation(personas)
    resident_cookie, worker_cookie = session_cookie(personas.resident), session_cookie(personas.worker)
    server = AsgiServer(**NO_LIMIT)
    address = server.start()

    async def scenario() -> tuple[ChatClient, ChatClient]:
        nonlocal server, address
        sender = ChatClient(address, conversation_id, resident_cookie)
        listener = ChatClient(address, conversation_id, worker_cookie)
        await sender.connect()
        await listener.connect()
        for i in range(TOTAL):
            await sender.send(f"key-{i:05d}", f"Bericht {i}")
            if i % 50 == 49:
                await sender.pump(timeout=0.05)
                await listener.pump(timeout=0.05)
            if i == 300:  # both phones lose their signal mid-stream
                await sender.drop()
                await listener.drop()
                await sender.connect()
                await listener.connect()
            if i == 650:  # the server restarts: a new process, a fresh channel layer
                await sender.drop()
                await listener.drop()
                server.stop()
                server = AsgiServer(**NO_LIMIT)
                address = server.start()
                await sender.connect(address)
                await listener.connect(address)
        for _round in range(40):
            await sender.pump()
            await listener.pump()
            if not sender.pending and listener.last_seen == TOTAL:
                break
            await listener.socket.send(json.dumps({"type": "sync", "after": listener.last_seen}))
        return sender, listener

    try:
        sender, listener = asyncio.run(scenario())
    finally:
        server.stop()

    assert not sender.pending, f"{len(sender.pending)} messages were never acknowledged"
    assert sorted(sender.acked) == sorted(f"key-{i:05d}" for i in range(TOTAL))
    _assert_complete(sender, TOTAL)
    _assert_complete(listener, TOTAL)
    _assert_stored_once(conversation_id, TOTAL)


def test_a_resend_of_an_acknowledged_message_is_not_stored_again(personas: Personas) -> None:
    conversation_id = _conversation(personas)
    cookie = session_cookie(personas.resident)

    async def scenario(address: str) -> list[dict[str, Any]]:
        client = ChatClient(address, conversation_id, cookie)
        await client.connect()
        await asyncio.wait_for(client.socket.recv(), timeout=5)  # the answer to the first sync
        acks = []
        for _ in range(3):
            await client.socket.send(json.dumps({"type": "send", "client_key": "key-00000", "body": "Hallo"}))
            frame = json.loads(await client.socket.recv())
            while frame["type"] != "ack":  # the broadcast of the new message reaches the sender too
                frame = json.loads(await client.socket.recv())
            acks.append(frame)
        return acks

    with_server = AsgiServer()
    try:
        acks = asyncio.run(scenario(with_server.start()))
    finally:
        with_server.stop()

    assert [a["type"] for a in acks] == ["ack", "ack", "ack"]
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert {a["sequence"] for a in acks} == {1}
    _assert_stored_once(conversation_id, 1)


def test_bad_frames_get_an_error_and_the_connection_survives(personas: Personas) -> None:
    conversation_id = _conversation(personas)
    cookie = session_cookie(personas.resident)
    bad_frames = [
        "not json",
        "[1, 2, 3]",
        json.dumps({"type": "launch-missiles"}),
        json.dumps({"type": "send", "client_key": "x", "body": "too short a key"}),
        json.dumps({"type": "send", "client_key": "key-00001", "body": ""}),
        json.dumps({"type": "send", "client_key": "key-00002", "body": "x" * 4001}),
        json.dumps({"type": "send", "client_key": "key-00003", "body": 12}),
        json.dumps({"type": "sync", "after": "everything"}),
        json.dumps({"type": "sync", "after": -5}),
        json.dumps({"type": "sync", "after": 2**70}),  # beyond the database's integers
        json.dumps({"type": ["send"]}),
        "[" * 100_000 + "]" * 100_000,  # too deep for the parser (and too long)
        "[" * 5_000 + "]" * 5_000,  # too deep for the parser
        json.dumps({"type": "send", "client_key": ["key-00004"], "body": {"text": "hallo"}}),
        json.dumps({"type": "read", "sequence": 10**12}),
        "x" * 30_000,
    ]

    async def scenario(address: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        client = ChatClient(address, conversation_id, cookie)
        await client.connect()
        await asyncio.wait_for(client.socket.recv(), timeout=5)  # the answer to the first sync
        answers = []
        for frame in bad_frames:
            await client.socket.send(frame)
            if '"type": "read"' in frame:
                continue  # a read status needs no answer; a forged one is clamped
            answers.append(json.loads(await asyncio.wait_for(client.socket.recv(), timeout=5)))
        await client.socket.send(json.dumps({"type": "send", "client_key": "key-00009", "body": "Nog steeds hier"}))
        return answers, json.loads(await asyncio.wait_for(client.socket.recv(), timeout=5))

    server = AsgiServer()
    try:
        answers, last = asyncio.run(scenario(server.start()))
    finally:
        server.stop()

    assert all(a["type"] == "error" and a["message"] for a in answers)
    assert last["type"] == "ack" and last["sequence"] == 1
    assert Message.objects.filter(conversation__public_id=conversation_id).count() == 1
    # the forged read status was clamped to what exists
    from messaging.models import Membership

    assert Membership.objects.get(user=personas.resident).last_read_sequence <= 1


def test_a_stranger_cannot_open_the_socket(personas: Personas) -> None:
    conversation_id = _conversation(personas)

    cookies = ["", session_cookie(personas.foreign_worker), session_cookie(personas.other_worker)]

    async def scenario(address: str) -> list[int]:
        statuses = []
        for cookie in cookies:
            headers = {"Cookie": cookie, "Origin": f"http://{address}"}
            with pytest.raises(websockets.InvalidStatus) as refused:
                await websockets.connect(f"ws://{address}/ws/gesprekken/{conversation_id}/", additional_headers=headers)
            statuses.append(refused.value.response.status_code)
        # A page of another site may not open the socket with our cookie.
        headers = {"Cookie": session_cookie_value, "Origin": "http://evil.example"}
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(f"ws://{address}/ws/gesprekken/{conversation_id}/", additional_headers=headers)
        statuses.append(refused.value.response.status_code)
        return statuses

    session_cookie_value = session_cookie(personas.resident)
    server = AsgiServer()
    try:
        statuses = asyncio.run(scenario(server.start()))
    finally:
        server.stop()
    # Refused at the handshake: anonymous, another organisation, a worker
    # without this resident on the caseload, and a foreign web page.
    assert statuses == [403, 403, 403, 403]
