"""What needs a person, counted and kept live: the consultation-hour queue
for workers on duty and unread conversations for staff and residents.

The socket tests run against a real Daphne server (``tests/asgi_server``);
every change goes through that server (HTTP or a chat socket), as in real
use, so its notices start in the server process."""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import time as clock
from typing import Any

import pytest
import requests
from django.utils import timezone

from conftest import Personas
from messaging.consultation import VISIT_COOKIE, hour_add, visit_pick_up, visit_start
from messaging.selectors import attention_consultation_queue, attention_unread_conversations
from messaging.services import read_mark
from messaging.tests.helpers import direct_conversation, say
from organisations.tests.test_caseload import residents_on_caseload
from samenspraak.attention import attention_counts
from tests.asgi_server import AsgiServer, session_cookie
from tests.test_socket_access_ends import Http, _attention, _chat, _frame_of_type


def open_all_day(personas: Personas) -> None:
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=clock(0, 0),
        ends_at=clock(23, 59, 59),
        on_duty=[personas.worker],
    )


# --- The counts ----------------------------------------------------------------------------


def test_the_queue_counts_only_for_a_worker_on_duty(personas: Personas, django_assert_num_queries: Any) -> None:
    open_all_day(personas)
    visit_start(organisation=personas.organisation, name="Ans")
    picked = visit_start(organisation=personas.organisation, name="Bob")
    visit_pick_up(visit=picked, worker=personas.worker)
    # 1. is the worker on duty now, 2. count the waiting visitors.
    with django_assert_num_queries(2):
        assert attention_consultation_queue(personas.worker) == 1
    assert attention_consultation_queue(personas.other_worker) is None
    assert attention_consultation_queue(personas.resident) is None
    assert "consultation_queue" not in attention_counts(personas.other_worker)


def test_unread_conversations_for_the_worker_and_the_resident(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    assert attention_unread_conversations(personas.worker) == 0
    say(conversation, personas.resident, "Hallo Sanne")
    assert attention_unread_conversations(personas.worker) == 1
    assert attention_unread_conversations(personas.resident) == 0
    read_mark(conversation=conversation, user=personas.worker, sequence=1)
    assert attention_unread_conversations(personas.worker) == 0
    say(conversation, personas.worker, "Hallo Fatima")
    assert attention_unread_conversations(personas.resident) == 1
    # Not a person who chats: no count at all.
    assert attention_unread_conversations(personas.admin) is None
    assert attention_unread_conversations(personas.trusted_person) is None


def test_a_caseload_residents_first_message_counts_before_the_worker_opened_it(personas: Personas) -> None:
    """The worker has no membership until they open the conversation."""
    conversation = direct_conversation(personas.resident, personas.resident)
    say(conversation, personas.resident, "Bent u er?")
    assert attention_unread_conversations(personas.worker) == 1
    assert attention_unread_conversations(personas.other_worker) == 0


@pytest.mark.parametrize("residents", [5, 20])
def test_unread_conversations_take_one_query_whatever_the_caseload(
    personas: Personas, residents: int, django_assert_num_queries: Any
) -> None:
    for resident in residents_on_caseload(personas, personas.worker, residents):
        say(direct_conversation(resident, personas.worker), resident, "Een vraag")
    # 1. the conversations with a message after what the worker read.
    with django_assert_num_queries(1):
        assert attention_unread_conversations(personas.worker) == residents


# --- Live over the socket ---------------------------------------------------------------------


def _run(scenario: Any) -> Any:
    server = AsgiServer()
    try:
        return asyncio.run(scenario(server.start()))
    finally:
        server.stop()


async def _counts_until(socket: Any, name: str, value: int, timeout: float = 5) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        frame = await _frame_of_type(socket, "counts", timeout=max(0.01, deadline - time.monotonic()))
        if frame["counts"].get(name) == value:
            return dict(frame["counts"])


def _visitor_joins(address: str, code: str) -> str:
    """A visitor (no account) joins the queue through the server: their cookie."""
    session = requests.Session()
    page = session.get(f"http://{address}/spreekuur/{code}/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    response = session.post(
        f"http://{address}/spreekuur/{code}/",
        data={"csrfmiddlewaretoken": token.group(1), "name": "Ans"},
        headers={"Referer": f"http://{address}/spreekuur/{code}/"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    return f"{VISIT_COOKIE}={session.cookies[VISIT_COOKIE]}"


def test_the_worker_on_duty_sees_the_queue_change_live(personas: Personas, transactional_db: None) -> None:
    open_all_day(personas)
    worker = session_cookie(personas.worker)
    code = personas.organisation.consultation_code
    assert code is not None

    async def scenario(address: str) -> list[dict[str, int]]:
        seen = []
        socket = await _attention(address, worker)
        visitor = await asyncio.to_thread(_visitor_joins, address, code)
        seen.append(await _counts_until(socket, "consultation_queue", 1))
        # The first question changes the preview: the page is told again.
        visit = await asyncio.to_thread(_waiting_visit)
        chat = await _chat(address, visit.conversation, visitor)
        await chat.send(json.dumps({"type": "send", "client_key": "visitor-0001", "body": "Mijn vraag"}))
        seen.append(await _counts_until(socket, "consultation_queue", 1))
        await Http(address, worker).post(f"/werk/spreekuur/{visit.public_id}/aannemen/", form_page="/werk/spreekuur/")
        seen.append(await _counts_until(socket, "consultation_queue", 0))
        await chat.close()
        await socket.close()
        return seen

    seen = _run(scenario)
    assert [counts["consultation_queue"] for counts in seen] == [1, 1, 0]


def _waiting_visit() -> Any:
    from messaging.models import ConsultationVisit

    return ConsultationVisit.objects.select_related("conversation").get(status=ConsultationVisit.Status.WAITING)


def test_a_message_and_its_reading_reach_the_counts_and_the_author_live(
    personas: Personas, transactional_db: None
) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    resident, worker = session_cookie(personas.resident), session_cookie(personas.worker)

    async def scenario(address: str) -> tuple[dict[str, int], dict[str, int], dict[str, Any]]:
        counts = await _attention(address, worker)
        resident_chat = await _chat(address, conversation, resident)
        await resident_chat.send(json.dumps({"type": "send", "client_key": "resident-001", "body": "Hallo"}))
        unread = await _counts_until(counts, "unread_conversations", 1)
        worker_chat = await _chat(address, conversation, worker)
        await worker_chat.send(json.dumps({"type": "read", "sequence": 1}))
        read = await _counts_until(counts, "unread_conversations", 0)
        receipt = await _frame_of_type(resident_chat, "read")
        for socket in (counts, resident_chat, worker_chat):
            await socket.close()
        return unread, read, receipt

    unread, read, receipt = _run(scenario)
    assert unread["unread_conversations"] == 1
    assert read["unread_conversations"] == 0
    assert receipt["reader"] == personas.worker.full_name
    assert receipt["reader_id"] == str(personas.worker.public_id)
    assert receipt["sequence"] == 1
