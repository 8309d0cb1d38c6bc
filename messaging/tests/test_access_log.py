"""Staff reading and writing messages with a resident is in the access log
(NEN 7513): opening a conversation is a "view", sending a "create"; a
refused attempt is logged as denied. The residents' own reads need no entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AccessLogEntry
from casefiles.tests.files import pdf_bytes
from conftest import Personas, client_for
from messaging.models import Message
from messaging.services import conversation_group_create
from messaging.tests.helpers import (
    chat_switched,
    conversation_url,
    direct_conversation,
    message_url,
    say,
    send_url,
)
from organisations.services import caseload_assign


def entries(**filters: Any) -> list[tuple[str, str, str]]:
    return list(
        AccessLogEntry.objects.filter(**filters).order_by("sequence").values_list("object_type", "action", "outcome")
    )


def test_a_worker_opening_the_conversation_is_logged_as_a_view_of_the_resident(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Hallo")

    client_for(personas.worker).get(conversation_url(conversation))

    logged = AccessLogEntry.objects.get(actor=personas.worker, subject=personas.resident, action="view")
    assert (logged.object_type, logged.object_id, logged.outcome) == (
        "conversation",
        str(conversation.public_id),
        "allowed",
    )
    assert logged.request_path == conversation_url(conversation)


def test_a_worker_sending_is_logged_as_a_create_of_that_message(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)

    client_for(personas.worker).post(send_url(conversation), {"body": "Tot dinsdag", "client_key": "key-log-0001"})

    message = Message.objects.get()
    logged = AccessLogEntry.objects.get(actor=personas.worker, subject=personas.resident, object_type="message")
    assert (logged.action, logged.object_id, logged.outcome) == ("create", str(message.public_id), "allowed")


def test_a_resend_is_not_logged_twice(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    client = client_for(personas.worker)

    for _ in range(2):
        client.post(send_url(conversation), {"body": "Tot dinsdag", "client_key": "key-log-0002"})

    assert entries(actor=personas.worker, object_type="message") == [("message", "create", "allowed")]


def test_a_worker_editing_and_deleting_is_logged(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    message = say(conversation, personas.worker, "Tot dinsdag")
    client = client_for(personas.worker)

    client.post(message_url(message, "wijzigen"), {"body": "Tot woensdag"})
    client.post(message_url(message, "verwijderen"))

    assert entries(actor=personas.worker, object_type="message", object_id=str(message.public_id)) == [
        ("message", "create", "allowed"),
        ("message", "change", "allowed"),
        ("message", "delete", "allowed"),
    ]


def test_a_refused_worker_is_logged_as_denied(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)

    client_for(personas.other_worker).get(conversation_url(conversation))
    client_for(personas.other_worker).post(send_url(conversation), {"body": "Hoi", "client_key": "key-log-0003"})

    assert entries(actor=personas.other_worker, subject=personas.resident) == [
        ("conversation", "view", "denied"),
        ("conversation", "create", "denied"),
    ]


def test_the_team_lead_reading_is_logged(personas: Personas) -> None:
    conversation = direct_conversation(personas.team_resident, personas.team_worker)

    client_for(personas.team_lead).get(conversation_url(conversation))

    assert entries(actor=personas.team_lead, subject=personas.team_resident) == [("conversation", "view", "allowed")]


def test_a_worker_opening_a_group_is_logged_for_every_resident_in_it(personas: Personas) -> None:
    caseload_assign(resident=personas.other_resident, worker=personas.worker, assigned_by=personas.admin)
    chat_switched(personas.resident)
    chat_switched(personas.other_resident)
    group = conversation_group_create(
        title="Groep", created_by=personas.worker, residents=[personas.resident, personas.other_resident]
    )

    client_for(personas.worker).get(conversation_url(group))

    viewed = AccessLogEntry.objects.filter(actor=personas.worker, action="view", object_type="conversation")
    assert sorted(viewed.values_list("subject", flat=True)) == sorted(
        [personas.resident.pk, personas.other_resident.pk]
    )


def test_a_worker_downloading_an_attachment_is_logged(personas: Personas, private_folder: Path) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    upload = SimpleUploadedFile("brief.pdf", pdf_bytes(), content_type="application/pdf")
    client_for(personas.resident).post(
        send_url(conversation), {"body": "", "client_key": "key-log-0004", "attachment": upload}
    )
    message = Message.objects.get()

    client_for(personas.worker).get(message_url(message, "bijlage"))

    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=personas.resident, action="view", request_path=message_url(message, "bijlage")
    ).exists()
