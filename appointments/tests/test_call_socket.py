"""The signalling socket of a video call, against a real Daphne server in a
child process (``tests/asgi_server.py``) with the real channel layer.

Only the two participants connect, only while the call window is open; the
server relays checked frames to the other person and keeps one socket per
person.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
import websockets
from django.utils import timezone

from appointments.consumers import CLOSE_OUTSIDE_WINDOW, CLOSE_REPLACED
from appointments.models import Appointment
from appointments.tests.factories import confirmed_appointment
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


def _url(address: str, appointment: Appointment, session: str = "") -> str:
    query = f"?sessie={session}" if session else ""
    return f"ws://{address}/ws/beeldbellen/{appointment.public_id}/{query}"


async def _open(address: str, appointment: Appointment, cookie: str, session: str = "") -> Any:
    headers = {"Cookie": cookie, "Origin": f"http://{address}"}
    socket = await websockets.connect(_url(address, appointment, session), additional_headers=headers)
    assert await _next(socket) == {"type": "hello"}
    return socket


async def _next(socket: Any, timeout: float = 5) -> dict[str, Any]:
    return dict(json.loads(await asyncio.wait_for(socket.recv(), timeout=timeout)))


async def _quiet(socket: Any, timeout: float = 0.5) -> bool:
    """True when nothing arrives within ``timeout``."""
    try:
        await asyncio.wait_for(socket.recv(), timeout=timeout)
    except TimeoutError:
        return True
    return False


def _run(scenario: Any, **settings_overrides: Any) -> Any:
    server = AsgiServer(**settings_overrides)
    try:
        return asyncio.run(scenario(server.start()))
    finally:
        server.stop()


@pytest.fixture
def appointment(personas: Personas) -> Appointment:
    return confirmed_appointment(resident=personas.resident, worker=personas.worker)


def test_the_two_participants_meet_and_frames_reach_the_other(personas: Personas, appointment: Appointment) -> None:
    resident_cookie, worker_cookie = session_cookie(personas.resident), session_cookie(personas.worker)

    async def scenario(address: str) -> dict[str, Any]:
        resident = await _open(address, appointment, resident_cookie, session="resident-page-1")
        assert await _quiet(resident)  # alone: nobody to meet yet
        worker = await _open(address, appointment, worker_cookie, session="worker-page-1")
        seen: dict[str, Any] = {
            "resident_meets": await _next(resident),
            "worker_meets": await _next(worker),
        }
        await resident.send(json.dumps(OFFER | {"extra": "dropped"}))
        seen["worker_gets"] = await _next(worker)
        await worker.send(json.dumps(CANDIDATE))
        seen["resident_gets"] = await _next(resident)
        await worker.send(json.dumps({"type": "media-state", "audio": False, "video": True}))
        seen["resident_media"] = await _next(resident)
        seen["sender_hears_nothing_back"] = await _quiet(worker)
        await worker.close()
        seen["resident_after_leave"] = await _next(resident)
        await resident.close()
        return seen

    seen = _run(scenario)

    assert seen["resident_meets"] == {"type": "peer-joined", "session": "worker-page-1"}
    assert seen["worker_meets"] == {"type": "peer-joined", "session": "resident-page-1"}
    assert seen["worker_gets"] == OFFER  # rebuilt from known fields only
    assert seen["resident_gets"] == CANDIDATE
    assert seen["resident_media"] == {"type": "media-state", "audio": False, "video": True}
    assert seen["sender_hears_nothing_back"]
    assert seen["resident_after_leave"] == {"type": "peer-left"}


@pytest.mark.parametrize("outsider", ["team_lead", "trusted_person", "other_worker", "foreign_worker", None])
def test_nobody_else_can_open_the_socket(personas: Personas, appointment: Appointment, outsider: str | None) -> None:
    cookie = session_cookie(getattr(personas, outsider)) if outsider else ""

    async def scenario(address: str) -> int:
        headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(_url(address, appointment), additional_headers=headers)
        return int(refused.value.response.status_code)

    assert _run(scenario) == 403


def test_a_team_lead_who_may_read_the_appointment_is_refused_too(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.team_resident, worker=personas.team_worker)
    cookie = session_cookie(personas.team_lead)

    async def scenario(address: str) -> int:
        headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(_url(address, appointment), additional_headers=headers)
        return int(refused.value.response.status_code)

    assert _run(scenario) == 403


def test_a_page_of_another_site_cannot_open_the_socket(personas: Personas, appointment: Appointment) -> None:
    cookie = session_cookie(personas.resident)

    async def scenario(address: str) -> int:
        headers = {"Cookie": cookie, "Origin": "http://evil.example"}
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(_url(address, appointment), additional_headers=headers)
        return int(refused.value.response.status_code)

    assert _run(scenario) == 403


def test_outside_the_window_the_socket_is_closed_with_a_code(personas: Personas) -> None:
    tomorrow = confirmed_appointment(
        resident=personas.resident, worker=personas.worker, starts_at=timezone.now() + timedelta(days=1)
    )
    cookie = session_cookie(personas.resident)

    async def scenario(address: str) -> tuple[dict[str, Any], int | None]:
        headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        socket = await websockets.connect(_url(address, tomorrow), additional_headers=headers)
        frame = await _next(socket)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _next(socket)
        return frame, closed.value.rcvd.code if closed.value.rcvd else None

    frame, code = _run(scenario)

    assert frame["type"] == "closed"
    assert frame["message"] == "Dit gesprek is nu niet open."
    assert code == CLOSE_OUTSIDE_WINDOW


def test_bad_frames_get_a_dutch_error_and_the_socket_stays_open(personas: Personas, appointment: Appointment) -> None:
    resident_cookie, worker_cookie = session_cookie(personas.resident), session_cookie(personas.worker)
    bad_frames = [
        "not json",
        "[1, 2, 3]",
        json.dumps({"type": "launch-missiles"}),
        json.dumps({"type": "description", "description": {"type": "rollback", "sdp": ""}}),
        json.dumps({"type": "description", "description": "v=0"}),
        json.dumps({"type": "candidate", "candidate": {"candidate": "x", "sdpMid": None, "sdpMLineIndex": None}}),
        json.dumps({"type": "candidate", "candidate": {"candidate": "x", "sdpMLineIndex": True}}),
        json.dumps({"type": "candidate", "candidate": {"candidate": "x", "sdpMid": "0" * 100}}),
        json.dumps({"type": "media-state", "audio": "off", "video": True}),
        json.dumps({"type": "description", "description": {"type": "offer", "sdp": "x" * 70_000}}),
    ]

    async def scenario(address: str) -> tuple[list[dict[str, Any]], dict[str, Any], bool]:
        resident = await _open(address, appointment, resident_cookie)
        worker = await _open(address, appointment, worker_cookie)
        await _next(resident)  # peer-joined
        await _next(worker)  # peer-joined
        answers = []
        for frame in bad_frames:
            await resident.send(frame)
            answers.append(await _next(resident))
        nothing_relayed = await _quiet(worker)
        await resident.send(json.dumps(OFFER))
        return answers, await _next(worker), nothing_relayed

    answers, relayed, nothing_relayed = _run(scenario)

    assert [a["type"] for a in answers] == ["error"] * len(bad_frames)
    assert {a["message"] for a in answers} == {
        "Dit bericht kon niet worden gelezen.",
        "Dit soort bericht kennen we niet.",
    }
    assert answers[2]["code"] == "unknown_type"
    assert nothing_relayed
    assert relayed == OFFER


def test_a_second_tab_replaces_the_first(personas: Personas, appointment: Appointment) -> None:
    resident_cookie, worker_cookie = session_cookie(personas.resident), session_cookie(personas.worker)

    async def scenario(address: str) -> dict[str, Any]:
        worker = await _open(address, appointment, worker_cookie)
        first_tab = await _open(address, appointment, resident_cookie, session="first-tab-1")
        await _next(first_tab)  # peer-joined
        assert await _next(worker) == {"type": "peer-joined", "session": "first-tab-1"}
        second_tab = await _open(address, appointment, resident_cookie, session="second-tab")
        seen: dict[str, Any] = {"first_tab": await _next(first_tab)}
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _next(first_tab)
        seen["first_code"] = closed.value.rcvd.code if closed.value.rcvd else None
        seen["second_tab"] = await _next(second_tab)
        seen["worker"] = await _next(worker)
        # The old tab's leaving is not announced: the person is still here.
        seen["worker_quiet"] = await _quiet(worker)
        await worker.send(json.dumps(OFFER))
        seen["second_tab_gets"] = await _next(second_tab)
        return seen

    seen = _run(scenario)

    assert seen["first_tab"]["type"] == "replaced"
    assert seen["first_code"] == CLOSE_REPLACED
    assert seen["second_tab"] == {"type": "peer-joined", "session": seen["second_tab"]["session"]}
    assert seen["worker"] == {"type": "peer-joined", "session": "second-tab"}
    assert seen["worker_quiet"]
    assert seen["second_tab_gets"] == OFFER


def test_a_flood_of_frames_is_limited_and_the_socket_stays_open(personas: Personas, appointment: Appointment) -> None:
    resident_cookie, worker_cookie = session_cookie(personas.resident), session_cookie(personas.worker)

    async def scenario(address: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        resident = await _open(address, appointment, resident_cookie)
        worker = await _open(address, appointment, worker_cookie)
        await _next(resident)
        await _next(worker)
        for _ in range(5):
            await resident.send(json.dumps(CANDIDATE))
        relayed = [await _next(worker) for _ in range(3)]
        errors = [await _next(resident) for _ in range(2)]
        assert await _quiet(worker)
        return relayed, errors

    relayed, errors = _run(scenario, CALL_SIGNAL_RATE_LIMIT=3)

    assert relayed == [CANDIDATE] * 3
    assert [e["code"] for e in errors] == ["rate_limited", "rate_limited"]
    assert errors[0]["message"] == "U stuurt veel berichten snel achter elkaar. Wacht even."
