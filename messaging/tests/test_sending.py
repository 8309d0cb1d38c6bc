"""Sending without JavaScript (a plain form post), and the polling fallback:
a message is stored once per client key, gets the next sequence number of
its conversation, and bad input gets a plain Dutch answer with nothing
stored. Attachments are checked by content and reach members only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casefiles.tests.files import pdf_bytes, pdf_with_javascript
from casefiles.tests.helpers import messages_of, page_text, stored_files
from conftest import Personas, client_for
from messaging.models import Conversation, Message
from messaging.tests.helpers import (
    conversation_url,
    direct_conversation,
    message_url,
    messaging_state,
    say,
    send_url,
    since_url,
)

JSON = {"Accept": "application/json"}


@pytest.fixture
def conversation(personas: Personas) -> Conversation:
    return direct_conversation(personas.resident, personas.worker)


def bodies(conversation: Conversation) -> list[str]:
    return list(Message.objects.filter(conversation=conversation).order_by("sequence").values_list("body", flat=True))


# --- The plain form ----------------------------------------------------------------------


def test_a_plain_form_post_stores_the_message_and_returns_to_the_conversation(
    personas: Personas, conversation: Conversation
) -> None:
    client = client_for(personas.resident)

    response = client.post(
        send_url(conversation), {"body": "  Mijn uitkering is niet betaald  ", "client_key": "key-00001"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{conversation_url(conversation)}#laatste"
    message = Message.objects.get(conversation=conversation)
    assert (message.body, message.sequence, message.author_id) == (
        "Mijn uitkering is niet betaald",
        1,
        personas.resident.pk,
    )
    assert "Mijn uitkering is niet betaald" in page_text(client.get(conversation_url(conversation)))
    assert "Mijn uitkering is niet betaald" in page_text(
        client_for(personas.worker).get(conversation_url(conversation))
    )


def test_the_conversation_page_offers_a_form_that_works_without_javascript(
    personas: Personas, conversation: Conversation
) -> None:
    page = page_text(client_for(personas.resident).get(conversation_url(conversation)))

    assert f'action="{send_url(conversation)}"' in page
    assert 'name="body"' in page
    assert 'name="client_key"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_double_click_with_the_same_client_key_stores_the_message_once(
    personas: Personas, conversation: Conversation
) -> None:
    client = client_for(personas.resident)
    data = {"body": "Kunt u mij terugbellen?", "client_key": "key-dubbel-1"}

    first = client.post(send_url(conversation), data)
    second = client.post(send_url(conversation), data)

    assert first.status_code == second.status_code == 302
    assert bodies(conversation) == ["Kunt u mij terugbellen?"]
    conversation.refresh_from_db()
    assert conversation.last_sequence == 1


def test_the_same_client_key_of_two_people_is_two_messages(personas: Personas, conversation: Conversation) -> None:
    client_for(personas.resident).post(send_url(conversation), {"body": "Hallo", "client_key": "key-gedeeld"})
    client_for(personas.worker).post(send_url(conversation), {"body": "Dag", "client_key": "key-gedeeld"})

    assert bodies(conversation) == ["Hallo", "Dag"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "Uw bericht is leeg. Typ eerst iets."),
        ("   \n  ", "Uw bericht is leeg. Typ eerst iets."),
        ("x" * 4001, "4000"),
        ("Hallo\x00daar", "Typ hem opnieuw."),
    ],
    ids=["empty", "only-spaces", "too-long", "nul-byte"],
)
def test_bad_bodies_get_a_dutch_message_and_nothing_is_stored(
    personas: Personas, conversation: Conversation, body: str, expected: str
) -> None:
    client = client_for(personas.resident)
    before = messaging_state()

    response = client.post(send_url(conversation), {"body": body, "client_key": "key-00002"})

    assert response.status_code == 302
    assert response["Location"] == f"{conversation_url(conversation)}#bericht-schrijven"
    shown = messages_of(response)
    assert len(shown) == 1
    assert expected in shown[0]
    assert messaging_state() == before


def test_a_message_of_exactly_4000_characters_is_stored(personas: Personas, conversation: Conversation) -> None:
    client_for(personas.resident).post(send_url(conversation), {"body": "x" * 4000, "client_key": "key-00003"})

    assert bodies(conversation) == ["x" * 4000]


@pytest.mark.parametrize("client_key", ["", "short", "a" * 65, "key with spaces", "../../etc"])
def test_a_missing_or_forged_client_key_stores_nothing(
    personas: Personas, conversation: Conversation, client_key: str
) -> None:
    before = messaging_state()

    response = client_for(personas.resident).post(send_url(conversation), {"body": "Hallo", "client_key": client_key})

    assert response.status_code == 302
    assert messages_of(response)
    assert messaging_state() == before


def test_sending_answers_in_json_when_asked(personas: Personas, conversation: Conversation) -> None:
    client = client_for(personas.resident)

    ack = client.post(send_url(conversation), {"body": "Via fetch", "client_key": "key-json-01"}, headers=JSON)
    again = client.post(send_url(conversation), {"body": "Via fetch", "client_key": "key-json-01"}, headers=JSON)
    refused = client.post(send_url(conversation), {"body": "", "client_key": "key-json-02"}, headers=JSON)

    assert ack.status_code == 200
    assert ack.json()["type"] == "ack"
    assert ack.json()["message"]["body"] == "Via fetch"
    assert ack.json()["message"]["sequence"] == 1
    assert again.json()["message"]["id"] == ack.json()["message"]["id"]
    assert refused.status_code == 400
    assert refused.json() == {"type": "error", "message": "Uw bericht is leeg. Typ eerst iets."}
    assert bodies(conversation) == ["Via fetch"]


def test_a_get_cannot_send(personas: Personas, conversation: Conversation) -> None:
    response = client_for(personas.resident).get(send_url(conversation), {"body": "Hallo", "client_key": "key-00004"})

    assert response.status_code == 405
    assert bodies(conversation) == []


# --- Attachments ---------------------------------------------------------------------------


def test_a_pdf_is_accepted_and_only_members_can_download_it(
    personas: Personas, conversation: Conversation, private_folder: Path
) -> None:
    letter = pdf_bytes()
    upload = SimpleUploadedFile("brief.pdf", letter, content_type="application/pdf")

    response = client_for(personas.resident).post(
        send_url(conversation), {"body": "", "client_key": "key-bijlage", "attachment": upload}
    )

    assert response.status_code == 302
    message = Message.objects.get(conversation=conversation)
    assert message.attachment_type == "application/pdf"
    assert len(stored_files(private_folder)) == 1
    worker_page = page_text(client_for(personas.worker).get(conversation_url(conversation)))
    assert message_url(message, "bijlage") in worker_page

    download = client_for(personas.worker).get(message_url(message, "bijlage"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == letter  # type: ignore[attr-defined]
    for outsider in (personas.other_worker, personas.other_resident, personas.foreign_worker, personas.team_lead):
        assert client_for(outsider).get(message_url(message, "bijlage")).status_code == 404


def test_the_attachment_of_a_deleted_message_cannot_be_downloaded(
    personas: Personas, conversation: Conversation, private_folder: Path
) -> None:
    upload = SimpleUploadedFile("brief.pdf", pdf_bytes(), content_type="application/pdf")
    client = client_for(personas.resident)
    client.post(send_url(conversation), {"body": "Zie bijlage", "client_key": "key-bijlage", "attachment": upload})
    message = Message.objects.get(conversation=conversation)

    client.post(message_url(message, "verwijderen"))

    assert client_for(personas.worker).get(message_url(message, "bijlage")).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("brief.pdf", b"#!/bin/sh\nrm -rf ~\n"),
        ("foto.jpg", b"<script>alert(1)</script>"),
        ("brief.pdf", pdf_with_javascript()),
    ],
    ids=["shell-script-named-pdf", "html-named-jpg", "pdf-with-javascript"],
)
def test_a_disguised_script_is_refused_and_nothing_is_stored(
    personas: Personas, conversation: Conversation, private_folder: Path, name: str, content: bytes
) -> None:
    before = messaging_state()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client_for(personas.resident).post(
        send_url(conversation), {"body": "Zie bijlage", "client_key": "key-script", "attachment": upload}
    )

    assert response.status_code == 302
    assert any("kan niet" in text for text in messages_of(response))
    assert messaging_state() == before
    assert stored_files(private_folder) == []


# --- Sequences and the polling fallback -----------------------------------------------------


def test_sequences_count_from_one_in_every_conversation(personas: Personas, conversation: Conversation) -> None:
    other = direct_conversation(personas.other_resident, personas.other_worker)

    for i in range(3):
        say(conversation, personas.resident, f"Fatima {i}")
        say(other, personas.other_resident, f"Henk {i}")
    say(conversation, personas.worker, "Sanne")

    assert list(conversation.messages.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert list(other.messages.values_list("sequence", flat=True)) == [1, 2, 3]
    conversation.refresh_from_db()
    assert conversation.last_sequence == 4


def test_polling_returns_exactly_the_messages_after_the_last_seen_sequence(
    personas: Personas, conversation: Conversation
) -> None:
    for i in range(1, 6):
        say(conversation, personas.resident, f"Bericht {i}")
    client = client_for(personas.worker)

    after_two = client.get(since_url(conversation, "2")).json()
    after_all = client.get(since_url(conversation, "5")).json()
    from_start = client.get(f"/berichten/{conversation.public_id}/sinds/").json()

    assert after_two["type"] == "messages"
    assert [m["sequence"] for m in after_two["messages"]] == [3, 4, 5]
    assert [m["body"] for m in after_two["messages"]] == ["Bericht 3", "Bericht 4", "Bericht 5"]
    assert after_two["more"] is False
    assert after_all["messages"] == []
    assert [m["sequence"] for m in from_start["messages"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "", "²", "99999999999999999999999"])
def test_a_forged_sequence_gets_a_dutch_error_not_a_crash(
    personas: Personas, conversation: Conversation, after: str
) -> None:
    say(conversation, personas.resident, "Hallo")

    response = client_for(personas.worker).get(since_url(conversation, after))

    assert response.status_code == 400
    assert response.json() == {"type": "error", "message": "Dit volgnummer klopt niet."}


@pytest.mark.parametrize("before", ["abc", "²", "99999999999999999999999", "0"])
def test_a_forged_page_number_still_shows_the_conversation(
    personas: Personas, conversation: Conversation, before: str
) -> None:
    say(conversation, personas.resident, "Hallo")

    response = client_for(personas.worker).get(f"{conversation_url(conversation)}?voor={before}")

    assert response.status_code == 200


def test_polling_never_shows_the_text_of_deleted_messages(personas: Personas, conversation: Conversation) -> None:
    message = say(conversation, personas.resident, "Per ongeluk mijn pincode 1234")
    client_for(personas.resident).post(message_url(message, "verwijderen"))

    payload: dict[str, Any] = client_for(personas.worker).get(since_url(conversation, "0")).json()

    assert payload["messages"][0]["status"] == "deleted"
    assert payload["messages"][0]["body"] == ""
    assert "1234" not in json.dumps(payload)


def test_a_refused_message_leaves_no_membership_behind(personas: Personas) -> None:
    """A colleague added to the caseload may write in the conversation; an
    empty message is refused, and refused means nothing changed: not joined
    either."""
    from messaging.models import Membership
    from organisations.services import caseload_assign

    conversation = direct_conversation(personas.resident, personas.worker)
    colleague = personas.other_worker
    caseload_assign(resident=personas.resident, worker=colleague, assigned_by=personas.admin)

    response = client_for(colleague).post(send_url(conversation), {"body": "", "client_key": "k" * 32})

    assert response.status_code == 302
    assert not Membership.objects.filter(conversation=conversation, user=colleague).exists()
    client_for(colleague).post(send_url(conversation), {"body": "Hallo Fatima", "client_key": "k" * 32})
    assert Membership.objects.active().filter(conversation=conversation, user=colleague).exists()
