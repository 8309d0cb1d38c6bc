"""Socket entries record the client's address by the HTTP rule: the peer,
or behind ``TRUSTED_PROXY_COUNT`` proxies of our own the address the nearest
one appended to X-Forwarded-For, never an address the client wrote itself."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from django.test import RequestFactory

from audit.context import audit_context_for_socket
from audit.middleware import client_ip
from audit.models import AccessLogEntry
from blend.services import channel_consent_set
from conftest import Personas
from messaging.services import conversation_direct_open
from tests.asgi_server import AsgiServer, session_cookie

PROXY = "10.0.0.2"  # the socket peer: our own proxy
CLIENT = "198.51.100.23"  # what the proxy appended
FORGED = "192.0.2.66"  # what the client wrote into the header itself


def scope(*headers: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": "/ws/gesprekken/6f1c1d3e-3b1a-4c1e-9f1a-1234567890ab/",
        "client": (PROXY, 51234),
        "headers": [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers],
    }


@pytest.mark.parametrize(
    ("proxy_count", "headers", "expected"),
    [
        (0, [("x-forwarded-for", f"{FORGED}, {CLIENT}")], PROXY),  # no proxy trusted: the header is ignored
        (1, [("x-forwarded-for", f"{FORGED}, {CLIENT}")], CLIENT),
        (1, [("x-forwarded-for", CLIENT)], CLIENT),
        (1, [("x-forwarded-for", FORGED), ("x-forwarded-for", CLIENT)], CLIENT),  # repeated header
        (1, [], PROXY),  # nothing appended: the peer
        (2, [("x-forwarded-for", f"{FORGED}, {CLIENT}, 10.0.0.1")], CLIENT),
        (2, [("x-forwarded-for", CLIENT)], PROXY),  # fewer entries than proxies: not to be trusted
        (1, [("x_forwarded_for", FORGED)], PROXY),  # an underscore look-alike is not the header
    ],
)
def test_the_socket_address_follows_the_trusted_proxy_rule(
    settings: Any, proxy_count: int, headers: list[tuple[str, str]], expected: str
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxy_count

    assert audit_context_for_socket(scope(*headers)).ip_address == expected


@pytest.mark.parametrize("proxy_count", [0, 1])
def test_socket_and_page_give_the_same_address(settings: Any, proxy_count: int) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxy_count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")

    socket_address = audit_context_for_socket(scope(("x-forwarded-for", f"{FORGED}, {CLIENT}"))).ip_address

    assert socket_address == client_ip(request)


# What ``daphne --proxy-headers`` passes to the server: it then puts the
# *first* X-Forwarded-For address (the one the client can write) in the
# scope's ``client``. The rule above does not rely on it.
DAPHNE_PROXY_HEADERS = {"proxy_forwarded_address_header": "X-Forwarded-For"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("proxy_count", "daphne_proxy_headers", "expected"),
    [(0, False, "127.0.0.1"), (1, False, CLIENT), (1, True, CLIENT)],
)
def test_a_socket_read_through_a_real_server_logs_the_client_address(
    personas: Personas, proxy_count: int, daphne_proxy_headers: bool, expected: str
) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    cookie = session_cookie(personas.worker)
    path = f"/ws/gesprekken/{conversation.public_id}/"
    server = AsgiServer(ALLAUTH_TRUSTED_PROXY_COUNT=proxy_count)
    if daphne_proxy_headers:
        server.process.kwargs = DAPHNE_PROXY_HEADERS
    address = server.start()

    async def open_socket() -> str:
        headers = {"Cookie": cookie, "Origin": f"http://{address}", "X-Forwarded-For": f"{FORGED}, {CLIENT}"}
        async with websockets.connect(f"ws://{address}{path}", additional_headers=headers) as socket:
            hello: str = json.loads(await socket.recv())["type"]
            return hello

    try:
        assert asyncio.run(open_socket()) == "hello"
    finally:
        server.stop()

    entry = AccessLogEntry.objects.filter(request_path=path, actor=personas.worker).first()
    assert entry is not None
    assert entry.ip_address == expected
