"""Anti-abuse: a warning banner under messages with a link or a question
for codes or bank details, and a rate limit per person that holds for the
socket and for the plain form alike."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import time_machine
import websockets
from django.test import Client

from casefiles.tests.helpers import messages_of, page_text
from conftest import Personas, client_for
from messaging.models import Conversation, Message
from messaging.tests.helpers import conversation_url, direct_conversation, say, send_url
from messaging.tests.test_consultation import OPEN_MOMENT, open_hours, start_page
from tests.asgi_server import AsgiServer, session_cookie

LINK_WARNING = "Let op: dit bericht bevat een link."
CODES_WARNING = "Let op: geef nooit uw DigiD-code, pincode, wachtwoord of bankgegevens door"
SLOW_DOWN = "U stuurt veel berichten snel achter elkaar. Wacht even."


@pytest.fixture
def conversation(personas: Personas) -> Conversation:
    return direct_conversation(personas.resident, personas.worker)


# --- The warning banner --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        ("Kijk op https://toeslag-terug.example/claim", LINK_WARNING),
        ("Ga naar www.gratis-geld.example", LINK_WARNING),
        ("Stuur mij even uw DigiD-code", CODES_WARNING),
        ("Wat is uw pincode?", CODES_WARNING),
        ("Mijn IBAN is NL91ABNA0417164300", CODES_WARNING),
    ],
)
def test_the_other_person_sees_a_warning_under_links_and_questions_for_codes(
    personas: Personas, conversation: Conversation, body: str, warning: str
) -> None:
    say(conversation, personas.worker, body)

    theirs = page_text(client_for(personas.resident).get(conversation_url(conversation)))
    mine = page_text(client_for(personas.worker).get(conversation_url(conversation)))

    assert warning in theirs
    assert 'class="chat-warning"' in theirs
    assert 'class="chat-warning"' not in mine


def test_an_ordinary_message_has_no_warning(personas: Personas, conversation: Conversation) -> None:
    say(conversation, personas.worker, "Zullen we dinsdag om tien uur afspreken in het buurthuis?")

    page = page_text(client_for(personas.resident).get(conversation_url(conversation)))

    assert 'class="chat-warning"' not in page


# --- The rate limit ------------------------------------------------------------------------


def test_the_plain_form_has_the_same_rate_limit_as_the_socket(
    personas: Personas, conversation: Conversation, settings: Any
) -> None:
    settings.MESSAGE_RATE_LIMIT = 3
    client = client_for(personas.resident)

    answers = [
        client.post(send_url(conversation), {"body": f"Bericht {i}", "client_key": f"key-flood-{i}"}) for i in range(5)
    ]
    json_answer = client.post(
        send_url(conversation),
        {"body": "Nog een", "client_key": "key-flood-json"},
        headers={"Accept": "application/json"},
    )

    assert [messages_of(a) for a in answers[:4]] == [[], [], [], [SLOW_DOWN]]
    assert json_answer.status_code == 400
    assert json_answer.json() == {"type": "error", "message": SLOW_DOWN}
    assert list(Message.objects.values_list("body", flat=True)) == ["Bericht 0", "Bericht 1", "Bericht 2"]


def test_a_resend_of_a_stored_message_does_not_count_towards_the_limit(
    personas: Personas, conversation: Conversation, settings: Any
) -> None:
    settings.MESSAGE_RATE_LIMIT = 2
    client = client_for(personas.resident)
    data = {"body": "Kunt u mij bellen?", "client_key": "key-resend-1"}

    for _ in range(5):  # a phone that keeps resending the same message
        client.post(send_url(conversation), data)
    answer = client.post(send_url(conversation), {"body": "Dank u", "client_key": "key-resend-2"})

    assert messages_of(answer) == []
    assert list(Message.objects.values_list("body", flat=True)) == ["Kunt u mij bellen?", "Dank u"]


def test_the_limit_is_per_person(personas: Personas, conversation: Conversation, settings: Any) -> None:
    settings.MESSAGE_RATE_LIMIT = 2
    resident, worker = client_for(personas.resident), client_for(personas.worker)

    for i in range(3):
        resident.post(send_url(conversation), {"body": f"Inwoner {i}", "client_key": f"key-inwoner-{i}"})
    worker.post(send_url(conversation), {"body": "Werker", "client_key": "key-werker-0"})

    assert list(Message.objects.values_list("body", flat=True)) == ["Inwoner 0", "Inwoner 1", "Werker"]


def test_an_anonymous_visitor_of_the_consultation_hour_is_limited_too(personas: Personas, settings: Any) -> None:
    settings.MESSAGE_RATE_LIMIT = 3
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visitor = Client()
        visitor.post(start_page(personas), {"name": "Ans"})
        answers = [
            visitor.post(
                "/spreekuur/bezoek/sturen/",
                {"body": f"Vraag {i}", "client_key": f"key-visit-{i}"},
                headers={"Accept": "application/json"},
            )
            for i in range(5)
        ]

    assert [a.status_code for a in answers] == [200, 200, 200, 400, 400]
    assert answers[3].json() == {"type": "error", "message": SLOW_DOWN}
    assert Message.objects.filter(conversation__kind="consultation").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_flood_over_the_socket_is_refused_and_the_connection_survives(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    cookie = session_cookie(personas.resident)

    async def scenario(address: str) -> list[dict[str, Any]]:
        headers = {"Cookie": cookie, "Origin": f"http://{address}"}
        url = f"ws://{address}/ws/gesprekken/{conversation.public_id}/"
        async with websockets.connect(url, additional_headers=headers) as socket:
            assert json.loads(await socket.recv())["type"] == "hello"
            for i in range(5):
                await socket.send(json.dumps({"type": "send", "client_key": f"key-flood-{i}", "body": f"Bericht {i}"}))
            answers: list[dict[str, Any]] = []
            while len(answers) < 5:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=5))
                if frame["type"] in {"ack", "error"}:  # the broadcast of each new message comes too
                    answers.append(frame)
            await socket.send(json.dumps({"type": "sync", "after": 0}))
            while (frame := json.loads(await asyncio.wait_for(socket.recv(), timeout=5)))["type"] != "messages":
                pass
            answers.append(frame)
            return answers

    server = AsgiServer(MESSAGE_RATE_LIMIT=3)
    try:
        answers = asyncio.run(scenario(server.start()))
    finally:
        server.stop()

    assert [a["type"] for a in answers[:5]] == ["ack", "ack", "ack", "error", "error"]
    assert {a["code"] for a in answers[3:5]} == {"rate_limited"}
    assert {a["message"] for a in answers[3:5]} == {SLOW_DOWN}
    assert {a["client_key"] for a in answers[3:5]} == {"key-flood-3", "key-flood-4"}
    assert [m["body"] for m in answers[5]["messages"]] == ["Bericht 0", "Bericht 1", "Bericht 2"]
    assert Message.objects.filter(conversation=conversation).count() == 3
