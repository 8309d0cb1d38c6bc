"""The WebSocket Origin check compares scheme, host and port: real
handshakes against a real Daphne server (tests/asgi_server.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import websockets

from blend.services import channel_consent_set
from conftest import Personas
from messaging.services import conversation_direct_open
from tests.asgi_server import AsgiServer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://samenspraak.example"
TRUSTED = "https://werk.samenspraak.example:8443"


def _conversation_url(personas: Personas, address: str) -> str:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    return f"ws://{address}/ws/gesprekken/{conversation.public_id}/"


async def _handshake(url: str, headers: dict[str, str]) -> int:
    """101 when the socket opened, otherwise the refusing HTTP status."""
    try:
        async with websockets.connect(url, additional_headers=headers, open_timeout=10):
            return 101
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


def _statuses(personas: Personas, origins: list[str | None], **overrides: Any) -> list[int]:
    cookie = session_cookie(personas.resident)
    server = AsgiServer(**overrides)
    address = server.start()
    url = _conversation_url(personas, address)

    async def scenario() -> list[int]:
        statuses = []
        for origin in origins:
            headers = {"Cookie": cookie}
            if origin is not None:
                port = int(address.rsplit(":", 1)[1])
                headers["Origin"] = origin.format(address=address, port=port, other_port=port + 1)
            statuses.append(await _handshake(url, headers))
        return statuses

    try:
        return asyncio.run(scenario())
    finally:
        server.stop()


def test_only_the_exact_origin_of_the_server_may_open_a_socket(personas: Personas) -> None:
    statuses = _statuses(
        personas,
        [
            "http://{address}",  # the test server's own pages
            "https://{address}",  # wrong scheme
            "http://127.0.0.1:{other_port}",  # wrong port
            "http://evil.example:{port}",  # another host, same port
            "null",  # a sandboxed frame or a local file
            None,  # no Origin header at all
        ],
    )
    assert statuses == [101, 403, 403, 403, 403, 403]


def test_site_url_and_trusted_origins_are_allowed_with_their_scheme_and_port(personas: Personas) -> None:
    statuses = _statuses(
        personas,
        [
            SITE,
            SITE + ":443",  # the same origin, default port written out
            "http://samenspraak.example",  # plain HTTP: a network attacker's page
            SITE + ":8443",  # another service on the same host
            TRUSTED,
            "https://werk.samenspraak.example",  # trusted only on port 8443
            "https://evil.samenspraak.example",  # no subdomain wildcard
        ],
        SITE_URL=SITE,
        CSRF_TRUSTED_ORIGINS=[TRUSTED],
    )
    assert statuses == [101, 101, 403, 403, 101, 403, 403]


@pytest.mark.parametrize(("debug", "expected"), [(True, 101), (False, 403)])
def test_the_development_server_origin_is_allowed_only_in_debug(personas: Personas, debug: bool, expected: int) -> None:
    statuses = _statuses(personas, ["http://localhost:8000", "http://127.0.0.1:8000"], DEBUG=debug, SITE_URL=SITE)
    assert statuses == [expected, expected]
