"""The signalling socket of a group session's video room, against a real
Daphne server in a child process (``tests/asgi_server.py``).

The newcomer hears who is there, the others that someone joined; offers,
answers and candidates reach only the named peer; the hand, media state and
chat lines reach everyone else; the seventh person hears that the room is
full; outside the window the socket closes with a code.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
import websockets
from django.utils import timezone

from appointments.consumers import CLOSE_FULL, CLOSE_OUTSIDE_WINDOW, CLOSE_REPLACED
from appointments.models import GroupCallPresence, GroupSession
from appointments.tests.factories import extra_residents, online_group_session
from conftest import Personas
from tests.asgi_server import AsgiServer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

OFFER = {"type": "description", "description": {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}}
CANDIDATE = {
    "type": "candidate",
    "candidate": {
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
        "usernameFragment": "abcd",
    },
}


def _url(address: str, session: GroupSession) -> str:
    return f"ws://{address}/ws/groepsbellen/{session.public_id}/"


async def _connect(address: str, session: GroupSession, cookie: str) -> Any:
    headers = {"Cookie": cookie, "Origin": f"http://{address}"}
    return await websockets.connect(_url(address, session), additional_headers=headers)


async def _open(address: str, session: GroupSession, cookie: str) -> tuple[Any, dict[str, Any]]:
    socket = await _connect(address, session, cookie)
    hello = await _next(socket)
    assert hello["type"] == "hello", hello
    return socket, hello


async def _next(socket: Any, timeout: float = 5) -> dict[str, Any]:
    return dict(json.loads(await asyncio.wait_for(socket.recv(), timeout=timeout)))


async def _quiet(socket: Any, timeout: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(socket.recv(), timeout=timeout)
    except TimeoutError:
        return True
    return False


async def _closed(socket: Any) -> tuple[list[dict[str, Any]], int | None]:
    frames = []
    try:
        while True:
            frames.append(await _next(socket))
    except websockets.ConnectionClosed as closed:
        return frames, closed.rcvd.code if closed.rcvd else None


def _run(scenario: Any, **settings_overrides: Any) -> Any:
    server = AsgiServer(**settings_overrides)
    try:
        return asyncio.run(scenario(server.start()))
    finally:
        server.stop()


def test_three_people_meet_and_signals_reach_only_the_named_peer(personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident, personas.other_resident])
    host, fatima, other = (
        session_cookie(personas.worker),
        session_cookie(personas.resident),
        session_cookie(personas.other_resident),
    )

    async def scenario(address: str) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        host_socket, seen["host_hello"] = await _open(address, session, host)
        fatima_socket, seen["fatima_hello"] = await _open(address, session, fatima)
        seen["host_hears"] = await _next(host_socket)
        other_socket, seen["other_hello"] = await _open(address, session, other)
        seen["host_hears_other"] = await _next(host_socket)
        seen["fatima_hears_other"] = await _next(fatima_socket)
        host_peer, fatima_peer = seen["host_hello"]["peer"], seen["fatima_hello"]["peer"]

        # An offer to Fatima reaches Fatima only.
        await host_socket.send(json.dumps(OFFER | {"to": fatima_peer, "extra": "dropped"}))
        seen["fatima_gets"] = await _next(fatima_socket)
        seen["other_hears_nothing"] = await _quiet(other_socket)
        await fatima_socket.send(json.dumps(CANDIDATE | {"to": host_peer}))
        seen["host_gets"] = await _next(host_socket)
        seen["other_still_nothing"] = await _quiet(other_socket, 0.3)
        # A peer id that is not in this room: refused, nothing relayed.
        await host_socket.send(json.dumps(OFFER | {"to": "someone-elsewhere"}))
        seen["unknown_peer"] = await _next(host_socket)
        await host_socket.send(json.dumps(OFFER))
        seen["no_peer"] = await _next(host_socket)

        # The state for a newcomer goes to that newcomer only.
        await host_socket.send(json.dumps({"type": "media-state", "audio": True, "video": False, "to": fatima_peer}))
        seen["state_for_one"] = await _next(fatima_socket)
        seen["state_not_for_other"] = await _quiet(other_socket, 0.3)

        # The hand, the media state and a chat line go to everyone else.
        await fatima_socket.send(json.dumps({"type": "hand", "raised": True}))
        seen["hand"] = (await _next(host_socket), await _next(other_socket))
        await other_socket.send(json.dumps({"type": "chat", "text": "  Hallo allemaal\u0007 "}))
        seen["chat"] = (await _next(host_socket), await _next(fatima_socket))
        seen["sender_hears_nothing_back"] = await _quiet(other_socket, 0.3)
        await fatima_socket.send(json.dumps({"type": "chat", "text": "x" * 1001}))
        seen["long_chat"] = await _next(fatima_socket)
        await fatima_socket.send(json.dumps({"type": "hand", "raised": "ja"}))
        seen["bad_hand"] = await _next(fatima_socket)

        await fatima_socket.close()
        seen["left"] = (await _next(host_socket), await _next(other_socket))
        seen["rows_left"] = await asyncio.to_thread(
            lambda: sorted(GroupCallPresence.objects.values_list("peer_id", flat=True))
        )
        await host_socket.close()
        await other_socket.close()
        return seen

    seen = _run(scenario)
    host_peer, fatima_peer, other_peer = (seen[f"{n}_hello"]["peer"] for n in ("host", "fatima", "other"))
    assert len({host_peer, fatima_peer, other_peer}) == 3
    assert seen["host_hello"]["peers"] == []
    assert seen["fatima_hello"]["peers"] == [{"peer": host_peer, "name": personas.worker.full_name, "host": True}]
    assert [p["peer"] for p in seen["other_hello"]["peers"]] == [host_peer, fatima_peer]
    assert seen["other_hello"]["peers"][1]["name"] == "Fatima"
    assert seen["host_hears"] == {"type": "peer-joined", "peer": fatima_peer, "name": "Fatima", "host": False}
    assert seen["host_hears_other"]["peer"] == other_peer
    assert seen["fatima_hears_other"]["peer"] == other_peer
    assert seen["fatima_gets"] == OFFER | {"from": host_peer}
    assert seen["other_hears_nothing"] and seen["other_still_nothing"]
    assert seen["host_gets"] == CANDIDATE | {"from": fatima_peer}
    assert seen["unknown_peer"]["code"] == "unknown_peer"
    assert seen["no_peer"]["code"] == "unknown_peer"
    assert seen["state_for_one"] == {"type": "media-state", "audio": True, "video": False, "from": host_peer}
    assert seen["state_not_for_other"]
    assert seen["hand"] == ({"type": "hand", "raised": True, "from": fatima_peer},) * 2
    assert seen["chat"] == ({"type": "chat", "text": "Hallo allemaal", "from": other_peer},) * 2
    assert seen["sender_hears_nothing_back"]
    assert seen["long_chat"]["code"] == "bad_frame"
    assert seen["bad_hand"]["code"] == "bad_frame"
    assert seen["left"] == ({"type": "peer-left", "peer": fatima_peer},) * 2
    assert seen["rows_left"] == sorted([host_peer, other_peer])


@pytest.mark.parametrize(
    "outsider", ["other_resident", "team_lead", "trusted_person", "other_worker", "foreign_worker", None]
)
def test_nobody_else_can_open_the_socket(personas: Personas, outsider: str | None) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident])
    cookie = session_cookie(getattr(personas, outsider)) if outsider else ""

    async def scenario(address: str) -> int:
        with pytest.raises(websockets.InvalidStatus) as refused:
            await _connect(address, session, cookie)
        return int(refused.value.response.status_code)

    assert _run(scenario) == 403


def test_the_seventh_person_hears_the_room_is_full_with_the_jitsi_link(personas: Personas) -> None:
    residents = extra_residents(personas.resident, 6)
    session = online_group_session(host=personas.worker, residents=residents)
    cookies = [session_cookie(person) for person in [personas.worker, *residents]]

    async def scenario(address: str) -> tuple[Any, ...]:
        sockets = [(await _open(address, session, cookie))[0] for cookie in cookies[:6]]
        seventh = await _connect(address, session, cookies[6])
        frames, code = await _closed(seventh)
        for socket in sockets:
            await socket.close()
        return frames, code

    frames, code = _run(scenario)
    assert code == CLOSE_FULL
    assert frames == [
        {
            "type": "full",
            "message": "De online bijeenkomst is vol: er kunnen 6 mensen tegelijk in.",
            "jitsi_url": f"https://meet.example.nl/{session.video_room}",
        }
    ]


def test_outside_the_window_the_socket_closes_with_a_code(personas: Personas) -> None:
    session = online_group_session(
        host=personas.worker, residents=[personas.resident], starts_at=timezone.now() + timedelta(hours=2)
    )

    cookie = session_cookie(personas.resident)

    async def scenario(address: str) -> tuple[list[dict[str, Any]], int | None]:
        return await _closed(await _connect(address, session, cookie))

    frames, code = _run(scenario)
    assert code == CLOSE_OUTSIDE_WINDOW
    assert frames == [{"type": "closed", "message": "Deze online bijeenkomst is nu niet open."}]


def test_a_second_tab_replaces_the_first(personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident])
    fatima, host = session_cookie(personas.resident), session_cookie(personas.worker)

    async def scenario(address: str) -> tuple[Any, ...]:
        host_socket, _ = await _open(address, session, host)
        first, first_hello = await _open(address, session, fatima)
        await _next(host_socket)  # peer-joined
        second, second_hello = await _open(address, session, fatima)
        first_end = await _closed(first)
        heard = [await _next(host_socket), await _next(host_socket)]
        await second.close()
        await host_socket.close()
        return first_hello["peer"], second_hello, first_end, heard

    first_peer, second_hello, (frames, code), heard = _run(scenario)
    assert code == CLOSE_REPLACED
    assert frames[-1]["type"] == "replaced"
    assert [p["host"] for p in second_hello["peers"]] == [True]
    assert {frame["type"] for frame in heard} == {"peer-left", "peer-joined"}
    assert {"type": "peer-left", "peer": first_peer} in heard
