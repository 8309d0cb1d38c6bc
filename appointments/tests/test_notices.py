"""Appointment notices: planned as rows, sent when due, by whichever process
runs the pass (after a commit, ``send_due_notices``, the Redis worker).
Never twice, never for an older version of the appointment, never with the
topic; a calendar file to add, change or remove the appointment."""

from __future__ import annotations

import io
import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import MIMEPart
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from appointments import booking, ics
from appointments.models import Appointment, AppointmentNotice
from appointments.tasks import appointment_notices_send, claim, notices_send_due
from appointments.tests.factories import ALL_KINDS, agree_all_kinds
from appointments.tests.test_calendar import Component, parse
from blend.services import blend_plan_save
from conftest import Personas
from samenspraak import sms
from samenspraak.notify import notify

AMSTERDAM = timezone.get_default_timezone()
TOPIC = "Schulden bij de Belastingdienst"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=AMSTERDAM)
STARTS = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)  # a Tuesday
REMINDER_DUE = STARTS - timedelta(hours=24)
Purpose = AppointmentNotice.Purpose

WITH_SMS = {
    "SMS_BACKEND": "samenspraak.sms.LocmemBackend",
    "NOTIFIERS": ["samenspraak.notify.EmailNotifier", "samenspraak.notify.SmsNotifier"],
}
BROKEN_MAIL = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # Nothing listens on port 1 of this machine: the connection is refused.
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}


@pytest.fixture
def people(personas: Personas) -> Personas:
    personas.resident.email = "fatima@example.org"
    personas.resident.phone = "06 12345678"
    personas.resident.save(update_fields=["email", "phone"])
    sms.outbox.clear()
    return personas


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def confirmed(p: Personas, *, kind: str = "video", starts_at: datetime = STARTS) -> Appointment:
    """Proposed by the worker with a topic, confirmed by the resident. In a
    test the commit never comes, so the notices wait in the database as
    after a restart; ``send`` runs the pass."""
    agree_all_kinds(resident=p.resident, worker=p.worker)
    appointment = booking.appointment_propose(
        worker=p.worker,
        resident=p.resident,
        kind=kind,
        starts_at=starts_at,
        minutes=45,
        location=p.demo.location if kind == "face_to_face" else None,
        topic=TOPIC,
    )
    return booking.appointment_confirm(appointment=appointment, by=p.resident)


def send() -> str:
    out = io.StringIO()
    call_command("send_due_notices", stdout=out)
    return out.getvalue()


def mails_to(mailoutbox: list[Any], user: User) -> list[Any]:
    return [m for m in mailoutbox if m.to == [user.email]]


def calendar_of(mail: Any) -> tuple[Component, MIMEPart]:
    (part,) = mail.attachments
    assert isinstance(part, MIMEPart)
    assert part.get_content_type() == "text/calendar"
    assert part.get_filename() == "afspraak.ics"
    # The mail library stores lines with its own line ends; on the wire
    # they are CRLF again.
    text = part.get_content().replace("\r\n", "\n").replace("\n", "\r\n")
    return parse(text), part


def no_email_please(p: Personas) -> None:
    blend_plan_save(
        resident=p.resident,
        saved_by=p.worker,
        review_date=None,
        best_times="",
        preferred_channel="face_to_face",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=True,
        needs_help_of_relative=False,
        notes="",
        case_channels=set(ALL_KINDS),
        goal_channels={},
        consent_changes={},
    )


# --- Sent when due, also after a restart ----------------------------------------------


def test_notices_planned_before_a_restart_are_sent_by_the_command(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    appointment = confirmed(people)
    # A reminder that should have gone out an hour ago, while nothing ran.
    late = AppointmentNotice.objects.create(
        appointment=appointment,
        recipient=people.resident,
        purpose=Purpose.REMINDER,
        sequence=appointment.sequence,
        due_at=NOW - timedelta(hours=1),
    )
    assert mailoutbox == []

    output = send()

    assert "Sent 3 appointment notice(s)." in output
    assert [m.subject for m in mails_to(mailoutbox, people.resident)] == [
        "Herinnering: u hebt binnenkort een afspraak",
        "Uw afspraak is bevestigd",
    ]
    assert [m.subject for m in mails_to(mailoutbox, people.worker)] == ["Uw afspraak is bevestigd"]
    late.refresh_from_db()
    assert late.sent_at == NOW
    assert late.attempts == 1
    # The proposal's notice is for an older version: skipped, not sent.
    proposal = AppointmentNotice.objects.get(appointment=appointment, purpose=Purpose.REQUESTED)
    assert proposal.sent_at is None
    assert proposal.skipped_at == NOW
    assert "superseded" in proposal.last_error


def test_a_reminder_is_not_sent_before_it_is_due(people: Personas, mailoutbox: list[Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        confirmed(people)
        send()
    confirmations = len(mailoutbox)
    reminder = AppointmentNotice.objects.get(purpose=Purpose.REMINDER)
    assert reminder.due_at == REMINDER_DUE

    with time_machine.travel(REMINDER_DUE - timedelta(minutes=1), tick=False):
        send()
    assert len(mailoutbox) == confirmations

    with time_machine.travel(REMINDER_DUE + timedelta(seconds=30), tick=False):
        send()
    (mail,) = mailoutbox[confirmations:]
    assert mail.to == [people.resident.email]
    assert mail.subject == "Herinnering: u hebt binnenkort een afspraak"
    assert "dinsdag 1 december 2026 om 10:30 uur" in mail.body
    assert mail.attachments == []


def test_a_reminder_for_an_older_time_is_skipped_and_the_new_one_sent(people: Personas, mailoutbox: list[Any]) -> None:
    new_start = STARTS + timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        appointment = confirmed(people)
        moved = booking.appointment_move(appointment=appointment, by=people.worker, starts_at=new_start)
        booking.appointment_confirm(appointment=moved, by=people.resident)
        send()
    old, new = AppointmentNotice.objects.filter(purpose=Purpose.REMINDER).order_by("sequence")
    assert old.sequence < new.sequence
    already = len(mailoutbox)

    with time_machine.travel(REMINDER_DUE + timedelta(minutes=1), tick=False):
        send()
    old.refresh_from_db()
    assert old.sent_at is None
    assert old.skipped_at is not None
    assert "superseded" in old.last_error
    assert len(mailoutbox) == already

    with time_machine.travel(new_start - timedelta(hours=24) + timedelta(minutes=1), tick=False):
        send()
    (reminder,) = mailoutbox[already:]
    assert "donderdag 3 december 2026 om 10:30 uur" in reminder.body


def test_no_reminder_for_a_cancelled_appointment(people: Personas, mailoutbox: list[Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        appointment = confirmed(people)
        booking.appointment_cancel(appointment=appointment, by=people.resident, reason="Ik ben ziek")
        send()
    with time_machine.travel(REMINDER_DUE + timedelta(minutes=1), tick=False):
        send()
    reminder = AppointmentNotice.objects.get(purpose=Purpose.REMINDER)
    assert reminder.sent_at is None
    assert reminder.skipped_at is not None
    assert not [m for m in mailoutbox if m.subject.startswith("Herinnering")]
    assert all("ziek" not in m.body.lower() for m in mailoutbox)


# --- Never twice ------------------------------------------------------------------------------


def test_running_the_task_twice_sends_each_notice_once(people: Personas, frozen: None, mailoutbox: list[Any]) -> None:
    confirmed(people)

    first = appointment_notices_send.call()
    second = appointment_notices_send.call()

    assert (first, second) == (2, 0)
    assert len(mailoutbox) == 2
    assert AppointmentNotice.objects.filter(sent_at__isnull=False).count() == 2


def test_two_workers_reading_the_same_notice_claim_it_once(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    confirmed(people)
    notice = AppointmentNotice.objects.get(purpose=Purpose.CONFIRMED, recipient=people.resident)
    seen_by_both = AppointmentNotice.objects.get(pk=notice.pk)

    assert claim(seen_by_both, NOW) is True
    assert claim(seen_by_both, NOW) is False
    # The claimed notice is leased: another pass leaves it alone.
    notices_send_due()
    assert mails_to(mailoutbox, people.resident) == []
    assert len(mails_to(mailoutbox, people.worker)) == 1


# --- What a notice says --------------------------------------------------------------------


def test_no_mail_carries_the_topic_or_the_residents_name(people: Personas, frozen: None, mailoutbox: list[Any]) -> None:
    appointment = confirmed(people, kind="home_visit")
    send()
    moved = booking.appointment_move(appointment=appointment, by=people.worker, starts_at=STARTS + timedelta(days=1))
    send()
    booking.appointment_cancel(appointment=moved, by=people.worker, reason=f"Over {TOPIC}")
    send()

    assert {m.subject for m in mailoutbox} == {
        "Uw afspraak is bevestigd",
        "Uw afspraak is verzet",
        "Uw afspraak is afgezegd",
    }
    for mail in mailoutbox:
        everything = mail.subject + mail.body + "".join(str(a) for a in mail.attachments)
        assert "Belastingdienst" not in everything
        assert people.resident.first_name not in everything
        assert people.resident.last_name not in everything


def test_the_confirmation_says_when_how_where_and_whom_to_call(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    confirmed(people, kind="face_to_face")
    send()

    (mail,) = mails_to(mailoutbox, people.resident)
    assert "dinsdag 1 december 2026 om 10:30 uur" in mail.body
    assert "gesprek op een locatie" in mail.body
    assert "Buurthuis De Brug, Kerkstraat 12, 3011 AB Rivierstad" in mail.body
    assert people.organisation.phone in mail.body
    (to_worker,) = mails_to(mailoutbox, people.worker)
    assert people.organisation.phone not in to_worker.body


def test_a_video_notice_links_to_the_call_page(people: Personas, frozen: None, mailoutbox: list[Any]) -> None:
    appointment = confirmed(people, kind="video")
    send()

    (mail,) = mails_to(mailoutbox, people.resident)
    call_url = ics.absolute_url("appointments:call", appointment) or ics.absolute_url(
        "appointments:detail", appointment
    )
    assert call_url is not None
    assert call_url in mail.body


def test_the_attachment_is_a_request_and_after_a_cancel_a_cancel_with_a_higher_sequence(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    appointment = confirmed(people)
    send()
    request, part = calendar_of(mails_to(mailoutbox, people.resident)[0])
    assert part.get_param("method") == "REQUEST"
    assert request.value("METHOD") == "REQUEST"
    (event,) = request.events
    assert event.value("UID") == ics.event_uid(appointment)
    assert event.value("STATUS") == "CONFIRMED"
    assert event.value("ATTENDEE") == f"mailto:{people.resident.email}"

    booking.appointment_cancel(appointment=appointment, by=people.worker, reason="Ziek")
    send()

    cancel_mail = mails_to(mailoutbox, people.resident)[-1]
    assert cancel_mail.subject == "Uw afspraak is afgezegd"
    cancel, part = calendar_of(cancel_mail)
    assert part.get_param("method") == "CANCEL"
    assert cancel.value("METHOD") == "CANCEL"
    (cancelled_event,) = cancel.events
    assert cancelled_event.value("UID") == event.value("UID")
    assert cancelled_event.value("STATUS") == "CANCELLED"
    assert int(cancelled_event.value("SEQUENCE")) > int(event.value("SEQUENCE"))


# --- Failures and channels --------------------------------------------------------------------


def test_a_failed_send_is_tried_again_later_and_given_up_after_five_attempts(
    people: Personas, mailoutbox: list[Any]
) -> None:
    moment = NOW
    with time_machine.travel(moment, tick=False):
        confirmed(people, starts_at=STARTS + timedelta(days=7))
    notice = AppointmentNotice.objects.get(purpose=Purpose.CONFIRMED, recipient=people.resident)

    with override_settings(MAILERS=BROKEN_MAIL):
        with time_machine.travel(moment, tick=False):
            assert appointment_notices_send.call() == 0
            notice.refresh_from_db()
            assert (notice.attempts, notice.sent_at, notice.skipped_at) == (1, None, None)
            assert notice.last_error.startswith("email: ")
            assert notice.due_at > moment
            appointment_notices_send.call()  # not due again yet
            notice.refresh_from_db()
            assert notice.attempts == 1
        for attempt in range(2, 6):
            moment += timedelta(hours=3)
            with time_machine.travel(moment, tick=False):
                appointment_notices_send.call()
            notice.refresh_from_db()
            assert notice.attempts == attempt

    assert notice.sent_at is None
    assert notice.skipped_at == moment
    assert notice.last_error.startswith("email: ")
    with time_machine.travel(moment + timedelta(hours=3), tick=False):
        appointment_notices_send.call()
    assert mails_to(mailoutbox, people.resident) == []


def test_a_send_that_failed_once_succeeds_on_the_next_try(people: Personas, mailoutbox: list[Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        confirmed(people)
        with override_settings(MAILERS=BROKEN_MAIL):
            appointment_notices_send.call()
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        appointment_notices_send.call()

    notice = AppointmentNotice.objects.get(purpose=Purpose.CONFIRMED, recipient=people.resident)
    assert notice.sent_at is not None
    assert notice.attempts == 2
    assert len(mails_to(mailoutbox, people.resident)) == 1


@override_settings(**WITH_SMS)
def test_a_resident_without_email_gets_a_short_text_instead(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    confirmed(people, kind="phone")
    no_email_please(people)
    send()

    assert mails_to(mailoutbox, people.resident) == []
    texts = [m for m in sms.outbox if m.to == people.resident.phone]
    assert len(texts) == 1
    assert "dinsdag 1 december 2026 om 10:30 uur" in texts[0].body
    assert "telefoon" in texts[0].body
    assert TOPIC not in texts[0].body
    assert "\n" not in texts[0].body
    notice = AppointmentNotice.objects.get(purpose=Purpose.CONFIRMED, recipient=people.resident)
    assert notice.sent_at is not None


def test_a_resident_without_email_and_without_sms_is_skipped(
    people: Personas, frozen: None, mailoutbox: list[Any]
) -> None:
    confirmed(people)
    no_email_please(people)
    send()

    notice = AppointmentNotice.objects.get(purpose=Purpose.CONFIRMED, recipient=people.resident)
    assert notice.sent_at is None
    assert notice.skipped_at is not None
    assert notice.last_error == "no channel reaches the recipient"
    assert mails_to(mailoutbox, people.resident) == []
    assert len(mails_to(mailoutbox, people.worker)) == 1


# --- The SMS channel ---------------------------------------------------------------------------


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = 202

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(
            {"authorization": self.headers["Authorization"], "json": json.loads(self.rfile.read(length))}
        )
        self.send_response(_Gateway.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def gateway() -> Iterator[str]:
    _Gateway.received = []
    _Gateway.answer = 202
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()
    server.server_close()


def test_the_http_gateway_gets_json_with_a_bearer_token(gateway: str) -> None:
    with override_settings(
        SMS_BACKEND="samenspraak.sms.HttpGatewayBackend", SMS_GATEWAY_URL=gateway, SMS_GATEWAY_TOKEN="geheim"
    ):
        assert sms.sms_send(to="06 12345678", body="Hallo") is True
        _Gateway.answer = 500
        with pytest.raises(sms.SmsError, match="500"):
            sms.sms_send(to="06 12345678", body="Nog eens")

    assert _Gateway.received[0] == {"authorization": "Bearer geheim", "json": {"to": "06 12345678", "body": "Hallo"}}


def test_sms_is_off_without_a_backend() -> None:
    assert sms.sms_send(to="06 12345678", body="Hallo") is False


@override_settings(**WITH_SMS)
def test_the_existing_message_notification_still_works_and_texts_say_nothing(
    people: Personas, mailoutbox: list[Any]
) -> None:
    reached = notify(user=people.resident, subject="Nieuw bericht", template="messaging/email/new_message.txt")

    assert reached == 2
    assert mailoutbox[0].subject == "Nieuw bericht"
    assert mailoutbox[0].attachments == []
    (text,) = sms.outbox
    assert text.to == people.resident.phone
    assert text.body.startswith("Er is iets nieuws voor u in Samenspraak.")


# --- Background work -------------------------------------------------------------------------


def test_the_task_worker_runs_a_due_notice_pass(people: Personas, frozen: None, mailoutbox: list[Any]) -> None:
    from pages.management.commands.run_tasks import due_work_run

    confirmed(people)
    due_work_run()

    assert len(mailoutbox) == 2


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: runs the notices through the Redis queue")
def test_with_redis_the_notices_go_through_the_queue(
    people: Personas, frozen: None, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    import redis
    from django.tasks import task_backends

    from samenspraak.task_queue import RedisQueueBackend

    prefix = f"samenspraak-test-notices-{uuid.uuid4().hex}"
    url = os.environ["REDIS_URL"]
    queue_settings = {
        "default": {"BACKEND": "samenspraak.task_queue.RedisQueueBackend", "OPTIONS": {"url": url, "prefix": prefix}}
    }
    try:
        with override_settings(TASKS=queue_settings):
            backend = task_backends["default"]
            assert isinstance(backend, RedisQueueBackend)
            with django_capture_on_commit_callbacks(execute=True):
                confirmed(people)
            # Enqueued after the commit, waiting for the worker.
            assert backend.pending_count() >= 1
            assert mailoutbox == []

            assert backend.run_until_empty() >= 1

            assert backend.failed_jobs() == []
            assert len(mailoutbox) == 2
            assert AppointmentNotice.objects.filter(purpose=Purpose.CONFIRMED, sent_at__isnull=False).count() == 2
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
