"""The authorization matrix for WebSocket routes.

Every socket route and every persona, against a real Daphne server: who may
open the socket, and who is refused at the handshake (403). A route without
an entry fails, like a URL without an entry in the HTTP matrix. Access that
ends while a socket is open (sign-out, block, idle limit, handover, removed
member, cancelled appointment, closed visit) is tested per case in
``tests/test_socket_access_ends.py``; ``REVOCATIONS`` names those tests per
route, and a test here checks they exist.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from appointments.tests.factories import confirmed_appointment, online_group_session
from conftest import Personas
from messaging.services import conversation_group_create
from messaging.tests.helpers import chat_switched, direct_conversation
from samenspraak.asgi import application
from tests import test_socket_access_ends
from tests.asgi_server import AsgiServer, session_cookie
from tests.test_socket_access_ends import picked_up_visit

pytestmark = pytest.mark.django_db(transaction=True)

OK, REFUSED = "open", 403

PERSONAS = [
    "anonymous",
    "visitor",
    "resident",
    "other_resident",
    "trusted_person",
    "worker",
    "other_worker",
    "team_lead",
    "admin",
    "privacy_officer",
    "researcher",
    "platform_admin",
    "foreign_worker",
    "foreign_resident",
    "foreign_admin",
]

# route → the personas that may open it; everyone else is refused.
ROUTES: dict[str, set[str]] = {
    # Fatima's conversation with her worker Sanne.
    "ws/gesprekken/<uuid:public_id>/ direct": {"resident", "worker"},
    # A group Sanne leads with Fatima in it.
    "ws/gesprekken/<uuid:public_id>/ group": {"resident", "worker"},
    # An anonymous visitor of the consultation hour, picked up by Sanne.
    "ws/gesprekken/<uuid:public_id>/ consultation": {"visitor", "worker"},
    # Fatima's video appointment with Sanne: only the two of them (not the
    # team lead, not the trusted person with the appointments scope).
    "ws/beeldbellen/<uuid:public_id>/": {"resident", "worker"},
    # The video room of an online group session Sanne hosts, Fatima signed
    # up (not the other resident, not the team lead).
    "ws/groepsbellen/<uuid:public_id>/": {"resident", "worker"},
    # Counts for the menu badges: every signed-in person, about themselves.
    "ws/aandacht/": set(PERSONAS) - {"anonymous", "visitor"},
}

REVOCATIONS: dict[str, list[str]] = {
    "ws/gesprekken/<uuid:public_id>/": [
        "test_a_member_removed_by_the_moderator_is_closed_out_at_once",
        "test_without_a_notice_the_next_push_and_the_next_sync_are_refused",
        "test_sync_after_zero_is_refused_once_membership_ended",
        "test_a_worker_after_a_handover_is_closed_out_and_their_socket_reads_were_logged",
        "test_a_visitor_is_closed_out_when_the_worker_closes_the_visit",
        "test_sign_out_closes_that_sessions_sockets_and_not_the_other_device",
        "test_sign_out_everywhere_closes_the_other_sessions_sockets",
        "test_a_password_change_ends_the_sockets_of_sessions_made_with_the_old_password",
        "test_a_blocked_account_is_closed_out_at_once",
        "test_a_send_after_the_account_was_blocked_behind_the_servers_back_is_not_stored",
        "test_an_idle_session_closes_its_socket_when_the_limit_passes",
        "test_a_send_frame_after_the_idle_limit_is_not_stored",
    ],
    "ws/beeldbellen/<uuid:public_id>/": [
        "test_cancelling_an_appointment_closes_its_call_sockets",
        "test_offers_are_not_relayed_once_the_appointment_was_cancelled_behind_the_servers_back",
    ],
    "ws/groepsbellen/<uuid:public_id>/": [
        "test_signing_off_closes_the_residents_group_call_socket_at_once",
        "test_cancelling_a_group_session_closes_its_call_sockets",
    ],
    "ws/aandacht/": [
        "test_sign_out_closes_the_attention_socket",
        "test_a_blocked_account_loses_its_attention_socket",
    ],
}


def _socket_routes() -> set[str]:
    """Every WebSocket route the ASGI application serves."""
    router = application.application_mapping["websocket"]
    # Through the middleware (origin check, auth) to the URL router.
    while not hasattr(router, "routes"):
        router = next(getattr(router, name) for name in ("inner", "application", "app") if hasattr(router, name))
    return {str(route.pattern) for route in router.routes}


def test_every_socket_route_has_an_entry_and_revocation_tests() -> None:
    routes = _socket_routes()
    assert routes == {key.split(" ")[0] for key in ROUTES}, "a socket route without a matrix entry"
    assert set(REVOCATIONS) == routes
    for names in REVOCATIONS.values():
        for name in names:
            assert callable(getattr(test_socket_access_ends, name, None)), f"missing revocation test {name}"


def test_who_may_open_each_socket(personas: Personas) -> None:
    chat_switched(personas.resident)
    direct = direct_conversation(personas.resident, personas.worker)
    group = conversation_group_create(title="Samen koken", created_by=personas.worker, residents=[personas.resident])
    visitor_cookie, visit = picked_up_visit(personas)
    consultation = visit.conversation
    assert consultation is not None
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    group_session = online_group_session(host=personas.worker, residents=[personas.resident])
    paths = {
        "ws/gesprekken/<uuid:public_id>/ direct": f"/ws/gesprekken/{direct.public_id}/",
        "ws/gesprekken/<uuid:public_id>/ group": f"/ws/gesprekken/{group.public_id}/",
        "ws/gesprekken/<uuid:public_id>/ consultation": f"/ws/gesprekken/{consultation.public_id}/",
        "ws/beeldbellen/<uuid:public_id>/": f"/ws/beeldbellen/{appointment.public_id}/",
        "ws/groepsbellen/<uuid:public_id>/": f"/ws/groepsbellen/{group_session.public_id}/",
        "ws/aandacht/": "/ws/aandacht/",
    }
    cookies = {"anonymous": "", "visitor": visitor_cookie}
    for name in PERSONAS:
        if name not in cookies:
            cookies[name] = session_cookie(getattr(personas, name))

    async def try_all(address: str) -> dict[tuple[str, str], Any]:
        outcomes: dict[tuple[str, str], Any] = {}
        for route, path in paths.items():
            for persona, cookie in cookies.items():
                headers = {"Cookie": cookie, "Origin": f"http://{address}"}
                try:
                    socket = await websockets.connect(f"ws://{address}{path}", additional_headers=headers)
                except websockets.InvalidStatus as refused:
                    outcomes[route, persona] = refused.response.status_code
                    continue
                hello = json.loads(await asyncio.wait_for(socket.recv(), timeout=5))
                outcomes[route, persona] = OK if hello["type"] == "hello" else hello
                await socket.close()
        return outcomes

    server = AsgiServer()
    try:
        outcomes = asyncio.run(try_all(server.start()))
    finally:
        server.stop()

    expected = {
        (route, persona): OK if persona in allowed else REFUSED
        for route, allowed in ROUTES.items()
        for persona in PERSONAS
    }
    wrong = {cell: (outcomes[cell], want) for cell, want in expected.items() if outcomes[cell] != want}
    assert not wrong, f"(route, persona): (got, expected) → {wrong}"
