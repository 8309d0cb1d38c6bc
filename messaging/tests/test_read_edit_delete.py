"""Read status, editing within five minutes, and deleting: what each person
sees, and that nobody changes someone else's message."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from casefiles.tests.helpers import messages_of, page_text
from conftest import Personas, client_for
from messaging.models import Conversation, Membership, Message
from messaging.services import MessagingError, message_edit, read_mark
from messaging.tests.helpers import conversation_url, direct_conversation, message_url, messaging_state, say

MOMENT = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def conversation(personas: Personas) -> Conversation:
    return direct_conversation(personas.resident, personas.worker)


def last_read(conversation: Conversation, user: User) -> int:
    return Membership.objects.active().get(conversation=conversation, user=user).last_read_sequence


# --- Read status -----------------------------------------------------------------------------


def test_opening_the_page_marks_the_messages_read(personas: Personas, conversation: Conversation) -> None:
    for i in range(3):
        say(conversation, personas.worker, f"Bericht {i}")
    assert last_read(conversation, personas.resident) == 0

    client_for(personas.resident).get(conversation_url(conversation))

    assert last_read(conversation, personas.resident) == 3


def test_the_unread_count_in_the_inbox_goes_away_after_reading(personas: Personas, conversation: Conversation) -> None:
    client = client_for(personas.resident)
    say(conversation, personas.worker, "Eerste")
    say(conversation, personas.worker, "Tweede")

    before = page_text(client.get("/berichten/"))
    client.get(conversation_url(conversation))
    after = page_text(client.get("/berichten/"))

    assert "2 nieuwe berichten" in before
    assert "badge-unread" in before
    assert "badge-unread" not in after


def test_read_status_never_goes_backwards(personas: Personas, conversation: Conversation) -> None:
    for i in range(4):
        say(conversation, personas.worker, f"Bericht {i}")
    read_mark(conversation=conversation, user=personas.resident, sequence=3)

    stored = read_mark(conversation=conversation, user=personas.resident, sequence=1)

    assert stored == 3
    assert last_read(conversation, personas.resident) == 3


@pytest.mark.parametrize("forged", [5, 10**12, 2**62])
def test_a_forged_read_status_stops_at_the_last_message(
    personas: Personas, conversation: Conversation, forged: int
) -> None:
    say(conversation, personas.worker, "Een")
    say(conversation, personas.worker, "Twee")

    stored = read_mark(conversation=conversation, user=personas.resident, sequence=forged)

    assert stored == 2
    assert last_read(conversation, personas.resident) == 2


def test_a_negative_read_status_changes_nothing(personas: Personas, conversation: Conversation) -> None:
    say(conversation, personas.worker, "Een")
    read_mark(conversation=conversation, user=personas.resident, sequence=1)

    assert read_mark(conversation=conversation, user=personas.resident, sequence=-7) == 1
    assert last_read(conversation, personas.resident) == 1


def test_a_non_member_cannot_mark_anything_read(personas: Personas, conversation: Conversation) -> None:
    say(conversation, personas.worker, "Een")
    before = messaging_state()

    assert read_mark(conversation=conversation, user=personas.other_resident, sequence=1) == 0
    assert messaging_state() == before


def test_the_author_sees_who_read_their_message(personas: Personas, conversation: Conversation) -> None:
    say(conversation, personas.worker, "Heeft u de brief ontvangen?")
    worker = client_for(personas.worker)
    assert 'class="chat-read"' not in page_text(worker.get(conversation_url(conversation)))

    client_for(personas.resident).get(conversation_url(conversation))

    assert f"Gelezen door {personas.resident.full_name}" in page_text(worker.get(conversation_url(conversation)))
    # The reader sees no read status under someone else's message.
    assert 'class="chat-read"' not in page_text(client_for(personas.resident).get(conversation_url(conversation)))


# --- Editing ---------------------------------------------------------------------------------


def test_the_author_can_edit_within_five_minutes(personas: Personas, conversation: Conversation) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        client = client_for(personas.resident)
        message = say(conversation, personas.resident, "Ik kom dinsdag")
        clock.shift(timedelta(minutes=4, seconds=59))

        form = client.get(message_url(message, "wijzigen"))
        response = client.post(message_url(message, "wijzigen"), {"body": "Ik kom woensdag"})
        worker_page = page_text(client_for(personas.worker).get(conversation_url(conversation)))

    assert form.status_code == 200
    assert "Ik kom dinsdag" in page_text(form)
    assert response.status_code == 302
    assert response["Location"] == f"{conversation_url(conversation)}#bericht-1"
    message.refresh_from_db()
    assert message.body == "Ik kom woensdag"
    assert message.edited_at == MOMENT + timedelta(minutes=4, seconds=59)
    assert "Ik kom woensdag" in worker_page
    assert "gewijzigd" in worker_page
    assert "Ik kom dinsdag" not in worker_page


def test_after_five_minutes_an_edit_is_refused_and_nothing_changes(
    personas: Personas, conversation: Conversation
) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        client = client_for(personas.resident)
        message = say(conversation, personas.resident, "Ik kom dinsdag")
        before = messaging_state()
        clock.shift(timedelta(minutes=5, seconds=1))

        response = client.post(message_url(message, "wijzigen"), {"body": "Ik kom woensdag"})

    assert response.status_code == 200
    assert "U kunt een bericht alleen in de eerste 5 minuten wijzigen." in page_text(response)
    assert messaging_state() == before


@pytest.mark.parametrize("role", ["social_worker", "other_resident", "other_worker", "foreign_worker"])
def test_nobody_else_can_edit_a_message(personas: Personas, conversation: Conversation, role: str) -> None:
    message = say(conversation, personas.resident, "Ik kom dinsdag")
    user = {
        "social_worker": personas.worker,
        "other_resident": personas.other_resident,
        "other_worker": personas.other_worker,
        "foreign_worker": personas.foreign_worker,
    }[role]
    client = client_for(user)
    before = messaging_state()

    form = client.get(message_url(message, "wijzigen"))
    response = client.post(message_url(message, "wijzigen"), {"body": "Vervalst"})

    assert form.status_code == response.status_code == 404
    assert messaging_state() == before
    with pytest.raises(MessagingError):
        message_edit(message=message, editor=personas.worker, body="Vervalst")
    assert messaging_state() == before


def test_an_edit_is_checked_like_a_new_message(personas: Personas, conversation: Conversation) -> None:
    message = say(conversation, personas.resident, "Ik kom dinsdag")
    client = client_for(personas.resident)
    before = messaging_state()

    empty = client.post(message_url(message, "wijzigen"), {"body": "  "})
    too_long = client.post(message_url(message, "wijzigen"), {"body": "x" * 4001})

    assert empty.status_code == too_long.status_code == 200
    assert messaging_state() == before


# --- Deleting --------------------------------------------------------------------------------


def test_a_deleted_message_shows_as_deleted_and_its_text_is_gone(
    personas: Personas, conversation: Conversation
) -> None:
    message = say(conversation, personas.resident, "Mijn pincode is 4321")
    say(conversation, personas.worker, "Haal dat liever weg")

    response = client_for(personas.resident).post(message_url(message, "verwijderen"))

    assert response.status_code == 302
    assert messages_of(response) == ["Uw bericht is verwijderd."]
    for user in (personas.worker, personas.resident):
        page = page_text(client_for(user).get(conversation_url(conversation)))
        assert "Dit bericht is verwijderd." in page
        assert "4321" not in page
        assert "Haal dat liever weg" in page
    message.refresh_from_db()
    assert message.deleted_at is not None
    # The place in the order stays: later messages keep their numbers.
    assert list(conversation.messages.values_list("sequence", flat=True)) == [1, 2]


def test_a_deleted_message_cannot_be_edited_or_deleted_again(personas: Personas, conversation: Conversation) -> None:
    message = say(conversation, personas.resident, "Oeps")
    client = client_for(personas.resident)
    client.post(message_url(message, "verwijderen"))
    before = messaging_state()

    edit = client.post(message_url(message, "wijzigen"), {"body": "Toch niet"})
    again = client.post(message_url(message, "verwijderen"))

    assert "Dit bericht is verwijderd." in page_text(edit)
    assert messages_of(again) == ["Dit bericht is verwijderd."]
    assert messaging_state() == before


def test_someone_else_cannot_delete_a_message(personas: Personas, conversation: Conversation) -> None:
    message = say(conversation, personas.resident, "Tot dinsdag")
    before = messaging_state()

    member = client_for(personas.worker).post(message_url(message, "verwijderen"))
    outsiders = [
        client_for(user).post(message_url(message, "verwijderen"))
        for user in (personas.other_worker, personas.other_resident, personas.foreign_worker)
    ]

    assert member.status_code == 302
    assert messages_of(member) == ["U kunt alleen uw eigen berichten wijzigen."]
    assert [r.status_code for r in outsiders] == [404, 404, 404]
    assert messaging_state() == before
    assert not Message.objects.filter(deleted_at__isnull=False).exists()
