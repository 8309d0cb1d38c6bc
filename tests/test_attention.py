"""What needs a person: the registry of counts and the socket that keeps
the menu badges live (``samenspraak.attention``).

A counter registered here counts real rows (accounts with a marker name),
so the tests go through the database as the capabilities' counters do.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import transaction

from accounts.models import User
from conftest import Personas
from samenspraak import attention
from samenspraak.asgi import application
from samenspraak.attention import AttentionCounter, attention_changed, attention_counts
from tests.asgi_server import AsgiServer, session_cookie

MARKER = "Wachtend"


def _waiting(user: User) -> int | None:
    if user.role == "resident":
        return None  # this counter is for staff only
    return User.objects.filter(first_name=MARKER).count()


@pytest.fixture
def waiting_counter() -> Iterator[None]:
    counter = AttentionCounter(name="test_waiting", count=_waiting, url_name="pages:resident_home", order=1)
    attention.attention_counter_register(counter)
    try:
        yield
    finally:
        attention._counters.pop("test_waiting", None)


def _waiting_one(personas: Personas) -> None:
    User.objects.filter(pk=personas.other_resident.pk).update(first_name=MARKER)


@pytest.mark.django_db
def test_counts_hold_only_the_counters_that_apply(personas: Personas, waiting_counter: None) -> None:
    _waiting_one(personas)
    assert attention_counts(personas.worker)["test_waiting"] == 1
    assert "test_waiting" not in attention_counts(personas.resident)
    assert attention.attention_url("test_waiting") == "/mijn/"
    assert attention.attention_url("no_such_counter") == ""


@pytest.mark.django_db(transaction=True)
def test_the_socket_says_hello_with_the_counts_and_answers_refresh(personas: Personas, waiting_counter: None) -> None:
    cookie = session_cookie(personas.worker)

    async def scenario(address: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        async with websockets.connect(f"ws://{address}/ws/aandacht/", additional_headers=headers) as socket:
            hello = json.loads(await asyncio.wait_for(socket.recv(), timeout=5))
            # A change behind the server's back: the page asks again when it
            # comes back from the background.
            await asyncio.to_thread(_waiting_one, personas)
            await socket.send(json.dumps({"type": "refresh"}))
            counts = json.loads(await asyncio.wait_for(socket.recv(), timeout=5))
            await socket.send(json.dumps({"type": "geheim", "body": "x" * 10}))
            error = json.loads(await asyncio.wait_for(socket.recv(), timeout=5))
            return hello, counts, error

    server = AsgiServer()
    try:
        hello, counts, error = asyncio.run(scenario(server.start()))
    finally:
        server.stop()
    assert hello == {"type": "hello", "counts": {**hello["counts"], "test_waiting": 0}}
    assert counts["type"] == "counts" and counts["counts"]["test_waiting"] == 1
    assert error["type"] == "error" and error["message"]


@pytest.mark.django_db(transaction=True)
def test_a_change_reaches_the_open_page_after_commit_and_a_rollback_sends_nothing(
    personas: Personas, waiting_counter: None, settings: Any
) -> None:
    settings.WEBSOCKET_EXTRA_ORIGINS = ["http://localhost"]
    cookie = session_cookie(personas.worker).encode()

    async def scenario() -> tuple[dict[str, Any], bool, dict[str, Any]]:
        socket = WebsocketCommunicator(
            application, "/ws/aandacht/", headers=[(b"cookie", cookie), (b"origin", b"http://localhost")]
        )
        connected, _ = await socket.connect()
        assert connected
        hello = await socket.receive_json_from(timeout=5)

        def rolled_back() -> None:
            try:
                with transaction.atomic():
                    _waiting_one(personas)
                    attention_changed([personas.worker])
                    raise RuntimeError("undo")
            except RuntimeError:
                pass

        await asyncio.to_thread(rolled_back)
        quiet = await socket.receive_nothing(timeout=1)

        def committed() -> None:
            with transaction.atomic():
                _waiting_one(personas)
                # Three changes in a row become one frame.
                for _ in range(3):
                    attention_changed([personas.worker, personas.worker.public_id])

        await asyncio.to_thread(committed)
        counts = await socket.receive_json_from(timeout=5)
        assert await socket.receive_nothing(timeout=0.6)
        await socket.disconnect()
        return hello, quiet, counts

    hello, quiet, counts = async_to_sync(scenario)()
    assert hello["counts"]["test_waiting"] == 0
    assert quiet, "a rolled-back change reached the page"
    assert counts == {"type": "counts", "counts": {**counts["counts"], "test_waiting": 1}}


@pytest.mark.django_db(transaction=True)
def test_someone_not_signed_in_cannot_open_it(personas: Personas, settings: Any) -> None:
    settings.WEBSOCKET_EXTRA_ORIGINS = ["http://localhost"]

    async def scenario() -> bool:
        socket = WebsocketCommunicator(application, "/ws/aandacht/", headers=[(b"origin", b"http://localhost")])
        connected, _ = await socket.connect()
        return bool(connected)

    assert not async_to_sync(scenario)()
