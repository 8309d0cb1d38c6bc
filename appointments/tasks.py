"""Sending appointment notices: confirmations, changes, cancellations and
reminders, each a row in ``AppointmentNotice`` planned by
``appointments.booking`` so it survives a restart.

``appointment_notices_send`` sends every notice that is due. It runs after
a booking change commits, from ``manage.py send_due_notices`` (every 30 s
with ``--loop``, also during ``make run``) and every 30 s inside the Redis
worker (``manage.py run_tasks``), so a reminder planned for tomorrow goes
out tomorrow even when nothing else happens.

Safe to run twice and in parallel: a notice is claimed with a conditional
UPDATE that also moves ``due_at`` a few minutes ahead (a lease), so a
second worker neither sees nor claims it; a worker that dies while sending
leaves the notice to be tried again after the lease. A failed send counts
an attempt, keeps the error and is tried again later; after five attempts
the notice is given up (``skipped_at``).

What a notice says: the day and time, the kind of appointment, where, and
whom to call. Never the topic, never a resident's name.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from appointments import ics
from appointments.models import Appointment, AppointmentKind, AppointmentNotice, AppointmentStatus
from appointments.selectors import spoken_moment
from samenspraak.notify import Attachment, Notification, notify_each

logger = logging.getLogger(__name__)

Purpose = AppointmentNotice.Purpose

MAX_ATTEMPTS = 5
# While one worker sends a notice, nobody else picks it up.
LEASE = timedelta(minutes=5)
# Wait after the 1st, 2nd, 3rd and 4th failed attempt.
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2))
BATCH_SIZE = 100
MAX_BATCHES = 50
# A newer version of the appointment makes these notices pointless; a
# cancellation is always sent.
SUPERSEDED_BY_A_NEWER_VERSION = frozenset({Purpose.REQUESTED, Purpose.CONFIRMED, Purpose.CHANGED, Purpose.REMINDER})
WITH_CALENDAR_FILE = frozenset({Purpose.CONFIRMED, Purpose.CHANGED, Purpose.CANCELLED})
AWAITING = frozenset({AppointmentStatus.AWAITING_WORKER, AppointmentStatus.AWAITING_RESIDENT})


def due_notices(now: datetime) -> list[AppointmentNotice]:
    return list(
        AppointmentNotice.objects.filter(due_at__lte=now, sent_at__isnull=True, skipped_at__isnull=True)
        .select_related("appointment__organisation", "appointment__location", "recipient")
        .order_by("due_at", "pk")[:BATCH_SIZE]
    )


def reason_to_skip(notice: AppointmentNotice, now: datetime) -> str:
    """Why this notice should not be sent (any more); empty when it should."""
    appointment = notice.appointment
    if not notice.recipient.is_active:
        return "recipient is no longer active"
    if notice.purpose in SUPERSEDED_BY_A_NEWER_VERSION and notice.sequence < appointment.sequence:
        return f"superseded: notice for sequence {notice.sequence}, appointment at {appointment.sequence}"
    if appointment.ends_at <= now:
        return "the appointment is over"
    if notice.purpose == Purpose.REMINDER:
        if appointment.status != AppointmentStatus.CONFIRMED:
            return f"reminder for an appointment that is {appointment.status}"
        if appointment.starts_at <= now:
            return "reminder after the start"
    if notice.purpose == Purpose.REQUESTED and appointment.status not in AWAITING:
        return "request already answered"
    return ""


def claim(notice: AppointmentNotice, now: datetime) -> bool:
    """Take the notice for this worker: only one conditional UPDATE can match
    the row as it was read. Counts the attempt and leases the notice."""
    return bool(
        AppointmentNotice.objects.filter(
            pk=notice.pk,
            sent_at__isnull=True,
            skipped_at__isnull=True,
            due_at=notice.due_at,
            attempts=notice.attempts,
        ).update(due_at=now + LEASE, attempts=F("attempts") + 1)
    )


def _skip(notice: AppointmentNotice, reason: str, now: datetime) -> None:
    AppointmentNotice.objects.filter(pk=notice.pk, sent_at__isnull=True, skipped_at__isnull=True).update(
        skipped_at=now, last_error=reason[:300]
    )


def _has_no_email(user: User) -> bool:
    from blend.selectors import resident_has_no_email

    return resident_has_no_email(resident=user)


# --- What the notice says -------------------------------------------------------------


def _is_resident(notice: AppointmentNotice) -> bool:
    return notice.recipient_id == notice.appointment.resident_id


def _needs_answer(notice: AppointmentNotice) -> bool:
    """Whether the recipient is the one asked to confirm."""
    status = notice.appointment.status
    if _is_resident(notice):
        return status == AppointmentStatus.AWAITING_RESIDENT
    return status == AppointmentStatus.AWAITING_WORKER


def _subject(notice: AppointmentNotice) -> str:
    if notice.purpose == Purpose.REQUESTED:
        if _is_resident(notice):
            return _("Voorstel voor een afspraak")
        return _("Nieuwe afspraak om te bevestigen")
    return {
        Purpose.CONFIRMED: _("Uw afspraak is bevestigd"),
        Purpose.CHANGED: _("Uw afspraak is verzet"),
        Purpose.CANCELLED: _("Uw afspraak is afgezegd"),
        Purpose.REMINDER: _("Herinnering: u hebt binnenkort een afspraak"),
    }[Purpose(notice.purpose)]


def _phone(appointment: Appointment) -> str:
    if appointment.organisation.phone:
        return appointment.organisation.phone
    if appointment.location is not None:
        return appointment.location.phone
    return ""


def notification_for(notice: AppointmentNotice) -> Notification:
    """The mail (and short text) for ``notice``, in the active language and
    time zone. Built only from the time, kind and place."""

    appointment = notice.appointment
    is_resident = _is_resident(notice)
    audience = ics.Audience.RESIDENT if is_resident else ics.Audience.WORKER
    page_url = ics.absolute_url("appointments:detail", appointment) or settings.SITE_URL + "/"
    call_url = ics.appointment_page_url(appointment) if appointment.kind == AppointmentKind.VIDEO else ""
    location = appointment.location
    context = {
        "purpose": notice.purpose,
        "moment": spoken_moment(appointment.starts_at),
        "ends": formats.time_format(timezone.localtime(appointment.ends_at), "H:i"),
        "kind": appointment.kind,
        "kind_label": appointment.get_kind_display(),
        "location": location if appointment.kind == AppointmentKind.FACE_TO_FACE else None,
        "is_resident": is_resident,
        "needs_answer": _needs_answer(notice),
        "organisation": appointment.organisation.name,
        "phone": _phone(appointment),
        "url": page_url,
        "call_url": call_url,
    }
    attachments: list[Attachment] = []
    if notice.purpose in WITH_CALENDAR_FILE:
        method = ics.method_for(appointment)
        attachments.append(
            Attachment(
                "afspraak.ics",
                ics.appointment_calendar(appointment, audience=audience, attendee_email=notice.recipient.email),
                f"text/calendar; method={method}; charset=utf-8",
            )
        )
    return Notification(
        subject=_subject(notice),
        template=f"appointments/email/{notice.purpose}.txt",
        context=context,
        attachments=attachments,
        short_template="appointments/email/short.txt",
    )


# --- Sending ----------------------------------------------------------------------------


def _send_one(notice: AppointmentNotice, now: datetime) -> bool:
    """Send a claimed notice and record the outcome; True when it reached
    the recipient."""
    attempts = notice.attempts + 1
    errors: list[str]
    try:
        with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
            notification = notification_for(notice)
        skip = {"email"} if _is_resident(notice) and _has_no_email(notice.recipient) else set()
        delivery = notify_each(
            user=notice.recipient, notification=notification, skip_channels=skip, event="appointments"
        )
        reached, errors = delivery.reached, delivery.errors
    except Exception as error:
        logger.exception("Building appointment notice %s failed", notice.pk)
        reached, errors = [], [f"{type(error).__name__}: {error}"]
    rows = AppointmentNotice.objects.filter(pk=notice.pk, sent_at__isnull=True, skipped_at__isnull=True)
    if reached:
        rows.update(sent_at=timezone.now(), last_error="; ".join(errors)[:300])
        return True
    if not errors:
        rows.update(skipped_at=now, last_error="no channel reaches the recipient")
        return False
    error_text = "; ".join(errors)[:300]
    if attempts >= MAX_ATTEMPTS:
        logger.error("Gave up appointment notice %s after %s attempts", notice.pk, attempts)
        rows.update(skipped_at=now, last_error=error_text)
    else:
        rows.update(due_at=now + RETRY_AFTER[attempts - 1], last_error=error_text)
    return False


def notices_send_due(now: datetime | None = None) -> int:
    """One pass over the due notices; returns how many were sent."""
    sent = 0
    for _batch in range(MAX_BATCHES):
        moment = now or timezone.now()
        notices = due_notices(moment)
        if not notices:
            break
        for notice in notices:
            reason = reason_to_skip(notice, moment)
            if reason:
                _skip(notice, reason, moment)
            elif claim(notice, moment):
                sent += int(_send_one(notice, moment))
    return sent


@task
def appointment_notices_send() -> int:
    """Send every notice that is due (see the module docstring)."""
    return notices_send_due()
