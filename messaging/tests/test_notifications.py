"""Mail about new messages: one content-free mail for a burst, a new one
only after the member has read; nothing in quiet hours (the command sends it
later); nothing for a resident without e-mail or whose plan says so."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from blend.services import blend_plan_save
from conftest import Personas, client_for, run_queued_tasks
from messaging.models import Conversation
from messaging.tests.helpers import conversation_url, direct_conversation, say

AMSTERDAM = timezone.get_default_timezone()
SUBJECT = "U hebt een nieuw bericht in Samenspraak"


def at(hour: int, minute: int = 0, *, day: int = 2) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def conversation(personas: Personas) -> Conversation:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    return direct_conversation(personas.resident, personas.worker)


@pytest.fixture
def daytime() -> Iterator[None]:
    with time_machine.travel(at(10), tick=False):
        yield


Capture = Callable[..., Any]


def send(capture: Capture, conversation: Conversation, author: Any, body: str) -> None:
    """Send as a request would: the message commits, then the notification
    task is enqueued (and runs, in-process or from the queue)."""
    with capture(execute=True):
        say(conversation, author, body)
    run_queued_tasks()


def catch_up() -> str:
    out = io.StringIO()
    call_command("send_message_notifications", stdout=out)
    return out.getvalue()


def recipients(mailoutbox: list[Any]) -> list[list[str]]:
    return [mail.to for mail in mailoutbox]


def test_a_burst_of_messages_gives_one_mail_without_content(
    personas: Personas,
    conversation: Conversation,
    daytime: None,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    for i in range(5):
        send(django_capture_on_commit_callbacks, conversation, personas.worker, f"Schuldhulp afspraak deel {i}")

    assert recipients(mailoutbox) == [["fatima@example.org"]]
    mail = mailoutbox[0]
    assert mail.subject == SUBJECT
    text = f"{mail.subject}\n{mail.body}".lower()
    for private in (
        "schuldhulp",
        "afspraak",
        personas.worker.first_name,
        personas.worker.last_name,
        personas.resident.first_name,
        personas.resident.last_name,
    ):
        assert private.lower() not in text, private
    assert "Log in om het te lezen" in mail.body


def test_after_reading_a_new_message_gives_a_new_mail(
    personas: Personas,
    conversation: Conversation,
    daytime: None,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    send(django_capture_on_commit_callbacks, conversation, personas.worker, "Een")
    send(django_capture_on_commit_callbacks, conversation, personas.worker, "Twee")
    assert len(mailoutbox) == 1

    client_for(personas.resident).get(conversation_url(conversation))
    send(django_capture_on_commit_callbacks, conversation, personas.worker, "Drie")

    assert recipients(mailoutbox) == [["fatima@example.org"], ["fatima@example.org"]]


def test_the_worker_is_told_and_the_author_never_about_their_own_message(
    personas: Personas,
    conversation: Conversation,
    daytime: None,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    send(django_capture_on_commit_callbacks, conversation, personas.resident, "Kunt u mij bellen?")

    assert recipients(mailoutbox) == [[personas.worker.email]]
    assert "Kunt u mij bellen" not in mailoutbox[0].body


@pytest.mark.parametrize("moment", [at(22), at(23, 30), at(3), at(7, 59)], ids=["22:00", "23:30", "03:00", "07:59"])
def test_nothing_is_sent_in_quiet_hours_and_the_command_sends_it_afterwards(
    personas: Personas,
    conversation: Conversation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
    moment: datetime,
) -> None:
    with time_machine.travel(moment, tick=False):
        send(django_capture_on_commit_callbacks, conversation, personas.worker, "Laat op de avond")
        assert "Sent 0 notification(s)." in catch_up()
    assert mailoutbox == []

    morning = at(8, day=3) if moment.hour >= 22 else at(8)
    with time_machine.travel(morning, tick=False):
        output = catch_up()

    assert "Sent 1 notification(s)." in output
    assert recipients(mailoutbox) == [["fatima@example.org"]]
    with time_machine.travel(morning + timedelta(minutes=5), tick=False):
        assert "Sent 0 notification(s)." in catch_up()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("moment", [at(8), at(21, 59)], ids=["08:00", "21:59"])
def test_outside_quiet_hours_the_mail_goes_at_once(
    personas: Personas,
    conversation: Conversation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
    moment: datetime,
) -> None:
    with time_machine.travel(moment, tick=False):
        send(django_capture_on_commit_callbacks, conversation, personas.worker, "Overdag")

    assert len(mailoutbox) == 1


def test_no_mail_for_a_resident_whose_plan_says_no_email(
    personas: Personas,
    conversation: Conversation,
    daytime: None,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    blend_plan_save(
        resident=personas.resident,
        saved_by=personas.worker,
        review_date=None,
        best_times="",
        preferred_channel="face_to_face",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=True,
        needs_help_of_relative=False,
        notes="",
        case_channels=set(),
        goal_channels={},
        consent_changes={},
    )

    send(django_capture_on_commit_callbacks, conversation, personas.worker, "Hallo")
    catch_up()

    assert mailoutbox == []


def test_no_mail_to_members_without_an_email_address(
    personas: Personas, daytime: None, mailoutbox: list[Any], django_capture_on_commit_callbacks: Capture
) -> None:
    assert personas.resident.email == ""
    conversation = direct_conversation(personas.resident, personas.worker)
    personas.worker.email = ""
    personas.worker.save(update_fields=["email"])

    send(django_capture_on_commit_callbacks, conversation, personas.worker, "Aan de inwoner")
    send(django_capture_on_commit_callbacks, conversation, personas.resident, "Aan de werker")
    catch_up()

    assert mailoutbox == []


def test_quiet_hours_follow_amsterdam_time_not_utc(
    personas: Personas,
    conversation: Conversation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # 21:30 UTC is 22:30 in Amsterdam in winter: quiet.
    with time_machine.travel(datetime.combine(at(0).date(), time(21, 30), tzinfo=UTC), tick=False):
        send(django_capture_on_commit_callbacks, conversation, personas.worker, "Laat")

    assert mailoutbox == []
