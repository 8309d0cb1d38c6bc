"""The resident's conversation with their worker: only with chat switched
on, open to the resident and to the workers who have the resident on their
caseload (access follows the caseload, also after a handover), and noted on
the resident's timeline without any content."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from casefiles import services as casefile_services
from casefiles.models import TimelineEvent
from casefiles.tests.helpers import messages_of, page_text
from conftest import Personas, client_for
from messaging.models import Conversation, Membership
from messaging.services import MessagingError, conversation_direct_open
from messaging.tests.helpers import (
    chat_switched,
    conversation_url,
    direct_conversation,
    messaging_state,
    say,
    send_url,
)
from organisations.services import caseload_assign

CHAT_OFF = "Chat staat uit."
WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.get_default_timezone())


def staff_open_url(resident: object) -> str:
    return f"/werk/inwoners/{resident.public_id}/chat/"  # type: ignore[attr-defined]


# --- Consent -------------------------------------------------------------------------


def test_a_worker_cannot_open_a_chat_when_the_resident_has_not_switched_chat_on(personas: Personas) -> None:
    before = messaging_state()

    response = client_for(personas.worker).post(staff_open_url(personas.resident))

    assert response.status_code == 302
    assert response["Location"] == f"/werk/inwoners/{personas.resident.public_id}/dossier/"
    assert any(CHAT_OFF in text and "Zo werken we samen" in text for text in messages_of(response))
    assert messaging_state() == before
    assert not Conversation.objects.exists()


def test_a_resident_without_chat_sees_how_to_switch_it_on_and_cannot_start_one(personas: Personas) -> None:
    client = client_for(personas.resident)
    before = messaging_state()

    page = page_text(client.get("/mijn/chat/"))
    response = client.post("/mijn/chat/")

    assert "Chat staat uit. U kunt chat zelf aanzetten" in page
    assert "Gesprek beginnen" not in page
    assert response.status_code == 200
    assert CHAT_OFF in page_text(response)
    assert messaging_state() == before


def test_with_chat_on_the_resident_starts_the_conversation_once(personas: Personas) -> None:
    chat_switched(personas.resident)
    client = client_for(personas.resident)

    first = client.post("/mijn/chat/")
    again = client.get("/mijn/chat/")

    conversation = Conversation.objects.get(resident=personas.resident)
    assert conversation.kind == Conversation.Kind.DIRECT
    assert first["Location"] == conversation_url(conversation)
    assert again["Location"] == conversation_url(conversation)
    assert Conversation.objects.count() == 1


def test_with_chat_on_the_worker_opens_the_conversation_and_lands_in_it(personas: Personas) -> None:
    chat_switched(personas.resident)

    response = client_for(personas.worker).post(staff_open_url(personas.resident))

    conversation = Conversation.objects.get(resident=personas.resident)
    assert response["Location"] == conversation_url(conversation)
    assert set(Membership.objects.active().filter(conversation=conversation).values_list("user", flat=True)) == {
        personas.resident.pk,
        personas.worker.pk,
    }


def test_a_worker_cannot_open_a_chat_with_a_resident_of_another_caseload(personas: Personas) -> None:
    chat_switched(personas.other_resident)
    before = messaging_state()

    response = client_for(personas.worker).post(staff_open_url(personas.other_resident))

    assert response.status_code == 404
    assert messaging_state() == before


def test_after_the_resident_switches_chat_off_no_new_message_is_stored(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.worker, "Hoe gaat het?")
    chat_switched(personas.resident, is_on=False)
    before = messaging_state()

    response = client_for(personas.worker).post(
        send_url(conversation), {"body": "Nog een vraag", "client_key": "key-after-off"}
    )

    assert response.status_code == 302
    assert any(CHAT_OFF in text for text in messages_of(response))
    assert messaging_state() == before
    with pytest.raises(MessagingError, match=CHAT_OFF):
        say(conversation, personas.resident, "Hallo?")
    # The conversation so far stays readable.
    assert "Hoe gaat het?" in page_text(client_for(personas.resident).get(conversation_url(conversation)))


# --- Who may open it -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("resident", 200),
        ("social_worker", 200),
        ("team_lead", 404),  # leads another team than the resident's worker
        ("foreign_worker", 404),
        ("trusted_person", 404),  # granted "appointments" only: the conversation is not theirs
        ("organisation_admin", 403),  # manages accounts, never reads messages
        ("privacy_officer", 403),
        ("platform_admin", 403),
    ],
)
def test_who_may_open_the_residents_conversation(personas: Personas, role: str, status: int) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Mijn huurtoeslag is gestopt")
    before = messaging_state()

    response = client_for(personas.by_role()[role]).get(conversation_url(conversation))

    assert response.status_code == status
    if status != 200:
        assert "huurtoeslag" not in response.content.decode()
        assert messaging_state() == before


def test_a_worker_with_another_caseload_gets_404_everywhere_and_nothing_changes(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Mijn huurtoeslag is gestopt")
    client = client_for(personas.other_worker)
    before = messaging_state()

    responses = [
        client.get(conversation_url(conversation)),
        client.get(f"{conversation_url(conversation)}sinds/?na=0"),
        client.post(send_url(conversation), {"body": "Ik lees mee", "client_key": "key-intruder"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert messaging_state() == before


def test_anonymous_visitors_are_sent_to_sign_in(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)

    response = client_for(None).get(conversation_url(conversation))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_worker_on_the_caseload_can_open_it(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Wie leest er mee?")
    caseload_assign(resident=personas.resident, worker=personas.other_worker, assigned_by=personas.admin)

    response = client_for(personas.other_worker).get(conversation_url(conversation))

    assert response.status_code == 200
    assert "Wie leest er mee?" in page_text(response)


def test_the_team_lead_of_the_workers_team_sees_the_conversation(personas: Personas) -> None:
    conversation = direct_conversation(personas.team_resident, personas.team_worker)
    say(conversation, personas.team_resident, "Kan iemand mij helpen?")

    response = client_for(personas.team_lead).get(conversation_url(conversation))

    assert response.status_code == 200
    assert "Kan iemand mij helpen?" in page_text(response)


def test_after_a_handover_the_conversation_moves_with_the_caseload(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.worker, "Tot volgende week")
    case = casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    assert client_for(personas.other_worker).get(conversation_url(conversation)).status_code == 404

    casefile_services.case_handover(
        case=case, from_worker=personas.worker, to_worker=personas.other_worker, handed_over_by=personas.worker
    )
    say(conversation, personas.resident, "Mijn nieuwe adres is Dorpsstraat 3")

    old, new = client_for(personas.worker), client_for(personas.other_worker)
    assert old.get(conversation_url(conversation)).status_code == 404
    assert new.get(conversation_url(conversation)).status_code == 200
    assert old.post(send_url(conversation), {"body": "Nog even dit", "client_key": "key-old-worker"}).status_code == 404
    # Neither the inbox nor the search of the old worker still shows it.
    assert personas.resident.last_name not in page_text(old.get("/berichten/"))
    assert "Mijn nieuwe adres" not in page_text(old.get("/berichten/zoeken/?q=Dorpsstraat"))
    assert "Mijn nieuwe adres" in page_text(new.get("/berichten/zoeken/?q=Dorpsstraat"))


def test_after_a_handover_only_the_new_worker_is_told_about_new_messages(
    personas: Personas, mailoutbox: list[Any]
) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    case = casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    casefile_services.case_handover(
        case=case, from_worker=personas.worker, to_worker=personas.other_worker, handed_over_by=personas.worker
    )
    client_for(personas.other_worker).get(conversation_url(conversation))

    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        say(conversation, personas.resident, "Hallo, bent u er?")
        call_command("send_message_notifications", stdout=io.StringIO())

    assert [mail.to for mail in mailoutbox] == [[personas.other_worker.email]]


# --- The timeline ----------------------------------------------------------------------


def test_opening_the_conversation_is_on_the_timeline_once_and_without_content(personas: Personas) -> None:
    chat_switched(personas.resident)

    client_for(personas.worker).post(staff_open_url(personas.resident))
    client_for(personas.worker).post(staff_open_url(personas.resident))
    conversation = Conversation.objects.get(resident=personas.resident)
    say(conversation, personas.resident, "Ik heb een schuld bij de energieleverancier")
    say(conversation, personas.worker, "Ik bel de energieleverancier morgen")

    events = list(TimelineEvent.objects.filter(kind="messaging.conversation_opened"))
    assert len(events) == 1
    event = events[0]
    assert event.resident_id == personas.resident.pk
    assert event.actor_id == personas.worker.pk
    assert event.object_public_id == conversation.public_id
    assert event.is_shared
    all_summaries = " ".join(TimelineEvent.objects.values_list("summary", flat=True)).lower()
    assert "energieleverancier" not in all_summaries
    assert "schuld" not in all_summaries


def test_a_resident_opening_the_conversation_is_on_their_timeline(personas: Personas) -> None:
    chat_switched(personas.resident)

    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.resident)

    event = TimelineEvent.objects.get(kind="messaging.conversation_opened")
    assert (event.resident_id, event.actor_id, event.object_public_id) == (
        personas.resident.pk,
        personas.resident.pk,
        conversation.public_id,
    )
