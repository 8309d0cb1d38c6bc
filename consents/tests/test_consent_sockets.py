"""Withdrawing chat on the privacy page closes the resident's open chat
sockets at once (the worker's too): real sockets against a real Daphne
server, with the helpers of ``tests/test_socket_access_ends.py``."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Personas
from consents.models import ConsentRecord
from messaging.models import Message
from messaging.tests.helpers import direct_conversation
from tests.asgi_server import session_cookie
from tests.test_socket_access_ends import Http, _assert_ended, _chat, _frames_until_closed, _run

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdrawing_chat_on_the_privacy_page_closes_the_open_chat_sockets(personas: Personas) -> None:
    p = personas
    conversation = direct_conversation(p.resident, p.worker)
    record = ConsentRecord.objects.active().get(subject=p.resident, kind=ConsentRecord.Kind.CHAT)
    resident, worker = session_cookie(p.resident), session_cookie(p.worker)

    async def scenario(address: str) -> tuple[Any, ...]:
        worker_socket = await _chat(address, conversation, worker)
        resident_socket = await _chat(address, conversation, resident)
        response = await Http(address, resident).post(
            f"/mijn/privacy/toestemming/{record.public_id}/intrekken/", form_page="/mijn/privacy/"
        )
        resident_end = await _frames_until_closed(resident_socket)
        worker_end = await _frames_until_closed(worker_socket)
        return response.status_code, resident_end, worker_end

    status, (resident_frames, resident_code), (worker_frames, worker_code) = _run(scenario)
    assert status == 302
    _assert_ended(resident_frames, resident_code)
    _assert_ended(worker_frames, worker_code)
    assert not Message.objects.filter(conversation=conversation).exists()
