"""Writes for appointments: booking, requests, proposals, confirming,
moving, cancelling and no-shows. Each runs in one transaction.

Double booking is prevented in three layers: the worker's (and resident's)
user rows are locked before the overlap check, so two bookings for one
worker run one after the other (PostgreSQL row locks; SQLite transactions
start IMMEDIATE and so are serialised anyway); the overlap check itself;
and unique constraints on (worker, start) and (resident, start) among
appointments that hold their time.

Every change is written to the access log and the resident's timeline here,
and plans the notices (confirmations, reminders) in the database; the task
that sends them runs after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.calls import call_sockets_recheck
from appointments.models import (
    AT_A_LOCATION,
    Appointment,
    AppointmentKind,
    AppointmentNotice,
    AppointmentRequest,
    AppointmentStatus,
    PartOfDay,
)
from appointments.selectors import (
    NonexistentLocalTime,
    Slot,
    free_slots_on,
    kinds_offered_to,
    local_moment,
    spoken_moment,
    workers_of,
)
from appointments.tasks import appointment_notices_send
from appointments.timeline_kinds import appointment_params
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.timeline import timeline_event_add
from organisations.models import Location
from samenspraak.dates import is_workable_day
from samenspraak.policy import organisation_id_of

Action = AccessLogEntry.Action
Purpose = AppointmentNotice.Purpose

# Nobody plans further ahead than this.
MAX_PROPOSAL_DAYS = 366


class BookingError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


# --- Input ------------------------------------------------------------------------


def wall_clock_parse(value: str) -> datetime:
    """``"2026-12-01T10:30"`` (Amsterdam wall-clock time) as a moment.

    Raises ``BookingError`` for text that is no date and time, a date that
    does not exist (31 November) and a time skipped by summer time."""
    value = value.strip()
    second = value.endswith("~2")
    if second:
        value = value.removesuffix("~2")
    try:
        day_text, time_text = value.split("T", 1)
        day = date.fromisoformat(day_text)
        wall = time.fromisoformat(time_text)
    except ValueError:
        raise BookingError(_("Deze datum of tijd bestaat niet. Kies een tijd uit de lijst.")) from None
    if wall.tzinfo is not None or wall.second or wall.microsecond:
        raise BookingError(_("Deze datum of tijd bestaat niet. Kies een tijd uit de lijst."))
    if not is_workable_day(day):
        # Year 1 or 9999 would overflow in the time-zone arithmetic below.
        raise BookingError(_("Deze datum of tijd bestaat niet. Kies een tijd uit de lijst."))
    moment = moment_of(day, wall)
    if second:
        # The second time this wall-clock time happens (the hour repeated
        # when summer time ends); a time that happens once has no second.
        later = datetime.combine(day, wall.replace(fold=1), tzinfo=moment.tzinfo)
        if later.utcoffset() == moment.utcoffset():
            raise BookingError(_("Deze datum of tijd bestaat niet. Kies een tijd uit de lijst."))
        moment = later
    # In UTC: Python never finds an ambiguous local time equal to a moment
    # in another zone (PEP 495), and slots are UTC moments.
    return moment.astimezone(UTC)


def moment_of(day: date, wall: time) -> datetime:
    try:
        return local_moment(day, wall)
    except NonexistentLocalTime:
        raise BookingError(
            _("Deze tijd bestaat niet op %(day)s: dan gaat de klok een uur vooruit. Kies een andere tijd.")
            % {"day": formats.date_format(day, "j F Y")}
        ) from None


# --- Helpers ----------------------------------------------------------------------


def _lock_people(*people: User) -> None:
    """Lock the rows of the people whose calendars change, in a fixed order
    so two transactions never wait on each other crosswise."""
    ids = sorted({p.pk for p in people})
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _log(actor: User, appointment: Appointment, action: str) -> None:
    access_log_record(
        actor=actor, accesses=[Access(appointment.resident, "appointment", str(appointment.public_id), action)]
    )


def _timeline(
    appointment: Appointment, *, kind: str, summary: str, actor: User, params: dict[str, Any] | None = None
) -> None:
    timeline_event_add(
        resident=appointment.resident,
        kind=f"appointments.{kind}",
        summary=summary,
        params={**appointment_params(appointment), **(params or {})},
        actor=actor,
        is_shared=True,
        object_type="appointment",
        object_public_id=appointment.public_id,
    )


def _describe(appointment: Appointment) -> str:
    return _("%(kind)s op %(moment)s") % {
        "kind": appointment.get_kind_display(),
        "moment": spoken_moment(appointment.starts_at),
    }


def notices_plan(
    appointment: Appointment, purpose: str, recipients: Iterable[User], due_at: datetime | None = None
) -> None:
    """Plan notices in the database; the sender runs after the commit."""
    now = timezone.now()
    AppointmentNotice.objects.bulk_create(
        AppointmentNotice(
            appointment=appointment,
            recipient=recipient,
            purpose=purpose,
            sequence=appointment.sequence,
            due_at=due_at or now,
        )
        for recipient in recipients
    )
    if due_at is None or due_at <= now:
        transaction.on_commit(lambda: appointment_notices_send.enqueue())


def _plan_reminder(appointment: Appointment) -> None:
    hours = appointment.organisation.appointment_reminder_hours
    due = appointment.starts_at - timedelta(hours=hours)
    # A reminder that would come after the confirmation by less than an hour
    # adds nothing; the confirmation is the reminder then.
    if hours and due > timezone.now() + timedelta(hours=1):
        notices_plan(appointment, Purpose.REMINDER, [appointment.resident], due_at=due)


def _require_not_past(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise BookingError(_("Deze tijd is al voorbij. Kies een tijd in de toekomst."))
    if starts_at > timezone.now() + timedelta(days=MAX_PROPOSAL_DAYS):
        raise BookingError(_("Deze datum ligt te ver vooruit. Kies een datum binnen een jaar."))


def _require_free(
    *, worker: User, resident: User, starts_at: datetime, ends_at: datetime, ignore: Appointment | None = None
) -> None:
    """Nobody can be in two appointments at once (checked under the lock)."""
    others = Appointment.objects.holding_time().overlapping(starts_at, ends_at)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    if others.filter(worker=worker).exists():
        raise BookingError(_("Deze tijd is net door iemand anders gekozen. Kies een andere tijd."))
    if others.filter(resident=resident).exists():
        raise BookingError(_("Er staat op deze tijd al een andere afspraak voor deze inwoner."))


def _save(appointment: Appointment) -> None:
    """Save; the unique constraints turn a lost race into a clear message."""
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        raise BookingError(_("Deze tijd is net door iemand anders gekozen. Kies een andere tijd.")) from None


def _location_for(*, worker: User, kind: str, location: Location | None) -> Location | None:
    if kind not in AT_A_LOCATION:
        return None
    if location is None:
        raise BookingError(_("Kies een locatie voor een gesprek op een locatie."))
    if location.organisation_id != worker.organisation_id or not location.is_active:
        raise BookingError(_("Kies een locatie van uw eigen organisatie."))
    return location


def _require_kind_offered(*, resident: User, kind: str) -> None:
    if kind not in AppointmentKind.values:
        raise BookingError(_("Kies een soort afspraak uit de lijst."))
    if kind not in kinds_offered_to(resident=resident):
        raise BookingError(
            _("Deze soort afspraak staat niet in uw afspraken over hoe u samenwerkt. Kies een andere soort.")
        )


def _require_own_worker(*, resident: User, worker: User) -> None:
    if worker.pk not in {w.pk for w in workers_of(resident=resident)}:
        raise BookingError(_("U kunt alleen een afspraak maken met uw eigen sociaal werker."))


def _require_caseload(*, worker: User, resident: User) -> None:
    from samenspraak.policy import residents_for_casework

    if worker.role not in CASEWORK_ROLES or not residents_for_casework(worker).filter(pk=resident.pk).exists():
        raise BookingError(_("Deze inwoner staat niet op uw caseload."))


def _new_room() -> str:
    return secrets.token_urlsafe(24)


def _free_slot(*, resident: User, worker: User, kind: str, starts_at: datetime) -> Slot:
    local_day = timezone.localtime(starts_at).date()
    slot = next((s for s in free_slots_on(worker=worker, day=local_day, kind=kind) if s.starts == starts_at), None)
    if slot is not None:
        return slot
    # Say why: already theirs, taken by someone else, or never available.
    if Appointment.objects.holding_time().filter(resident=resident, worker=worker, starts_at=starts_at).exists():
        raise BookingError(_("U hebt deze tijd al aangevraagd. U vindt de afspraak bij Mijn afspraken."))
    if (
        Appointment.objects.holding_time()
        .filter(worker=worker)
        .overlapping(starts_at, starts_at + timedelta(minutes=1))
        .exists()
    ):
        raise BookingError(_("Deze tijd is net door iemand anders gekozen. Kies een andere tijd."))
    raise BookingError(_("Op deze tijd kunt u geen afspraak maken. Kies een tijd uit de lijst."))


# --- Resident books or asks -----------------------------------------------------------


@transaction.atomic
def appointment_book(*, resident: User, worker: User, kind: str, starts: str, topic: str = "") -> Appointment:
    """A resident takes a free slot of their own worker; the worker confirms."""
    if resident.role != Role.RESIDENT:
        raise BookingError(_("Alleen inwoners maken zelf een afspraak."))
    _require_own_worker(resident=resident, worker=worker)
    _require_kind_offered(resident=resident, kind=kind)
    starts_at = wall_clock_parse(starts)
    _require_not_past(starts_at)
    # Check once without the lock, so the many attempts that lose a race are
    # refused without queueing for it; then again under the lock.
    _free_slot(resident=resident, worker=worker, kind=kind, starts_at=starts_at)
    _lock_people(worker, resident)
    slot = _free_slot(resident=resident, worker=worker, kind=kind, starts_at=starts_at)
    _require_free(worker=worker, resident=resident, starts_at=slot.starts, ends_at=slot.ends)
    appointment = Appointment(
        organisation_id=organisation_id_of(resident),
        worker=worker,
        resident=resident,
        kind=kind,
        location=slot.location,
        starts_at=slot.starts,
        ends_at=slot.ends,
        status=AppointmentStatus.AWAITING_WORKER,
        topic=topic.strip(),
        created_by=resident,
        video_room=_new_room(),
    )
    _save(appointment)
    _log(resident, appointment, Action.CREATE)
    _timeline(
        appointment, kind="booked", summary=_("Afspraak aangevraagd: %s") % _describe(appointment), actor=resident
    )
    notices_plan(appointment, Purpose.REQUESTED, [worker])
    return appointment


@transaction.atomic
def appointment_request_send(
    *,
    resident: User,
    worker: User,
    kinds: list[str],
    weekdays: list[int],
    parts_of_day: list[str],
    note: str,
) -> AppointmentRequest:
    """No free time suits: the resident says when they can; the worker proposes."""
    if resident.role != Role.RESIDENT:
        raise BookingError(_("Alleen inwoners vragen zelf een afspraak aan."))
    _require_own_worker(resident=resident, worker=worker)
    if not kinds:
        raise BookingError(_("Kies minstens één soort afspraak."))
    for kind in kinds:
        _require_kind_offered(resident=resident, kind=kind)
    if not set(weekdays) <= set(range(7)) or not set(parts_of_day) <= set(PartOfDay.values):
        raise BookingError(_("Kies dagen en dagdelen uit de lijst."))
    if not weekdays and not parts_of_day and not note.strip():
        raise BookingError(_("Zeg wanneer het u uitkomt: kies dagen of dagdelen, of schrijf het op."))
    if (
        AppointmentRequest.objects.filter(
            resident=resident, worker=worker, status=AppointmentRequest.Status.OPEN
        ).count()
        >= 3
    ):
        raise BookingError(_("U hebt al drie open verzoeken. Wacht op een antwoord of trek een verzoek in."))
    request = AppointmentRequest.objects.create(
        resident=resident,
        worker=worker,
        kinds=sorted(set(kinds)),
        weekdays=sorted(set(weekdays)),
        parts_of_day=[p for p in PartOfDay.values if p in parts_of_day],
        note=note.strip(),
    )
    access_log_record(
        actor=resident, accesses=[Access(resident, "appointment_request", str(request.public_id), Action.CREATE)]
    )
    timeline_event_add(
        resident=resident,
        kind="appointments.requested",
        summary=_("Verzoek om een afspraak gestuurd"),
        actor=resident,
        is_shared=True,
        object_type="appointment_request",
        object_public_id=request.public_id,
    )
    return request


@transaction.atomic
def appointment_request_withdraw(*, request: AppointmentRequest, by: User) -> None:
    if by.pk != request.resident_id:
        raise BookingError(_("Alleen de inwoner kan dit verzoek intrekken."))
    if request.status != AppointmentRequest.Status.OPEN:
        raise BookingError(_("Dit verzoek is al beantwoord of ingetrokken."))
    request.status = AppointmentRequest.Status.WITHDRAWN
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_at"])
    access_log_record(
        actor=by, accesses=[Access(request.resident, "appointment_request", str(request.public_id), Action.CHANGE)]
    )


# --- Worker proposes ---------------------------------------------------------------------


@transaction.atomic
def appointment_propose(
    *,
    worker: User,
    resident: User,
    kind: str,
    starts_at: datetime,
    minutes: int,
    location: Location | None,
    topic: str = "",
    request: AppointmentRequest | None = None,
) -> Appointment:
    """A worker proposes a time (also outside their bookable hours, such as
    a home visit); the resident confirms."""
    _require_caseload(worker=worker, resident=resident)
    _require_kind_offered(resident=resident, kind=kind)
    if not 10 <= minutes <= 240:
        raise BookingError(_("Kies een duur tussen 10 en 240 minuten."))
    _require_not_past(starts_at)
    # In UTC: Python adds to a datetime of one zone by the wall clock.
    ends_at = starts_at.astimezone(UTC) + timedelta(minutes=minutes)
    location = _location_for(worker=worker, kind=kind, location=location)
    _lock_people(worker, resident)
    _require_free(worker=worker, resident=resident, starts_at=starts_at, ends_at=ends_at)
    appointment = Appointment(
        organisation_id=organisation_id_of(resident),
        worker=worker,
        resident=resident,
        kind=kind,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        status=AppointmentStatus.AWAITING_RESIDENT,
        topic=topic.strip(),
        created_by=worker,
        video_room=_new_room(),
    )
    _save(appointment)
    if request is not None:
        if request.resident_id != resident.pk or request.status != AppointmentRequest.Status.OPEN:
            raise BookingError(_("Dit verzoek is al beantwoord of ingetrokken."))
        request.status = AppointmentRequest.Status.PROPOSED
        request.appointment = appointment
        request.handled_at = timezone.now()
        request.save(update_fields=["status", "appointment", "handled_at"])
    _log(worker, appointment, Action.CREATE)
    _timeline(
        appointment, kind="proposed", summary=_("Afspraak voorgesteld: %s") % _describe(appointment), actor=worker
    )
    notices_plan(appointment, Purpose.REQUESTED, [resident])
    return appointment


# --- Either side --------------------------------------------------------------------------


def _is_worker_side(user: User, appointment: Appointment) -> bool:
    if user.role not in CASEWORK_ROLES:
        return False
    from samenspraak.policy import residents_for_casework

    return user.pk == appointment.worker_id or residents_for_casework(user).filter(pk=appointment.resident_id).exists()


def acts_for_resident(user: User, appointment: Appointment) -> bool:
    """The resident, or a trusted person the resident granted "appointments"
    (a mantelzorger who confirms, moves or cancels for them, under the same
    rules as the resident and logged under their own name)."""
    if user.pk == appointment.resident_id:
        return True
    if user.role != Role.TRUSTED_PERSON:
        return False
    from samenspraak.policy import active_grant

    grant = active_grant(trusted_person=user, resident=appointment.resident)
    return grant is not None and "appointments" in grant.scopes


def _side(user: User, appointment: Appointment) -> str:
    if acts_for_resident(user, appointment):
        return "resident"
    if _is_worker_side(user, appointment):
        return "worker"
    raise BookingError(_("Alleen de inwoner en de sociaal werker kunnen deze afspraak wijzigen."))


def _told(appointment: Appointment, side: str, by: User, was_confirmed: bool) -> list[User]:
    """Who hears of a change: the other side; the one who made it when it
    changes a confirmed appointment in their calendar; and the resident when
    a trusted person changed it for them."""
    other = appointment.worker if side == "resident" else appointment.resident
    told = [other] + ([by] if was_confirmed else [])
    if side == "resident" and by.pk != appointment.resident_id:
        told.append(appointment.resident)
    return told


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("organisation", "resident", "worker")
        .get(pk=appointment.pk)
    )


def change_deadline(appointment: Appointment) -> datetime:
    """Until when the resident may move or cancel online."""
    return appointment.starts_at - timedelta(hours=appointment.organisation.appointment_change_deadline_hours)


def resident_may_change(appointment: Appointment, now: datetime | None = None) -> bool:
    return appointment.holds_time and (now or timezone.now()) < change_deadline(appointment)


@transaction.atomic
def appointment_confirm(*, appointment: Appointment, by: User) -> Appointment:
    """The side that was asked says yes."""
    appointment = _locked(appointment)
    side = _side(by, appointment)
    expected = AppointmentStatus.AWAITING_WORKER if side == "worker" else AppointmentStatus.AWAITING_RESIDENT
    if appointment.status == AppointmentStatus.CONFIRMED:
        raise BookingError(_("Deze afspraak is al bevestigd."))
    if appointment.status != expected:
        raise BookingError(_("Deze afspraak wacht niet op uw bevestiging."))
    if appointment.starts_at <= timezone.now():
        raise BookingError(_("Deze tijd is al voorbij. Maak een nieuwe afspraak."))
    appointment.status = AppointmentStatus.CONFIRMED
    appointment.sequence += 1
    appointment.save(update_fields=["status", "sequence", "updated_at"])
    _log(by, appointment, Action.CHANGE)
    _timeline(appointment, kind="confirmed", summary=_("Afspraak bevestigd: %s") % _describe(appointment), actor=by)
    notices_plan(appointment, Purpose.CONFIRMED, [appointment.resident, appointment.worker])
    _plan_reminder(appointment)
    return appointment


@transaction.atomic
def appointment_move(
    *,
    appointment: Appointment,
    by: User,
    starts: str | None = None,
    starts_at: datetime | None = None,
    minutes: int | None = None,
    location: Location | None = None,
) -> Appointment:
    """A new time. The resident picks a free slot, until the change deadline;
    the worker may choose any free time. The other side confirms again."""
    appointment = _locked(appointment)
    side = _side(by, appointment)
    if not appointment.holds_time:
        raise BookingError(_("Deze afspraak is afgezegd of voorbij en kan niet meer worden verzet."))
    if side == "resident":
        if not resident_may_change(appointment):
            raise BookingError(
                _("Verzetten kan online tot %(hours)s uur vóór de afspraak. Bel of stuur een bericht.")
                % {"hours": appointment.organisation.appointment_change_deadline_hours}
            )
        if starts is None:
            raise BookingError(_("Kies een nieuwe tijd uit de lijst."))
        new_start = wall_clock_parse(starts)
        _require_not_past(new_start)
        _lock_people(appointment.worker, appointment.resident)
        day = timezone.localtime(new_start).date()
        slot = next(
            (
                s
                for s in free_slots_on(worker=appointment.worker, day=day, kind=appointment.kind, ignore=appointment)
                if s.starts == new_start
            ),
            None,
        )
        if slot is None:
            raise BookingError(_("Op deze tijd kunt u geen afspraak maken. Kies een tijd uit de lijst."))
        new_end, new_location = slot.ends, slot.location
        status = AppointmentStatus.AWAITING_WORKER
    else:
        if starts_at is None:
            raise BookingError(_("Kies een nieuwe datum en tijd."))
        _require_not_past(starts_at)
        new_start = starts_at
        length = minutes or int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
        if not 10 <= length <= 240:
            raise BookingError(_("Kies een duur tussen 10 en 240 minuten."))
        new_end = new_start.astimezone(UTC) + timedelta(minutes=length)
        new_location = _location_for(
            worker=appointment.worker, kind=appointment.kind, location=location or appointment.location
        )
        _lock_people(appointment.worker, appointment.resident)
        status = AppointmentStatus.AWAITING_RESIDENT
    _require_free(
        worker=appointment.worker,
        resident=appointment.resident,
        starts_at=new_start,
        ends_at=new_end,
        ignore=appointment,
    )
    was_confirmed = appointment.status == AppointmentStatus.CONFIRMED
    appointment.starts_at, appointment.ends_at, appointment.location = new_start, new_end, new_location
    appointment.status = status
    appointment.sequence += 1
    _save(appointment)
    _log(by, appointment, Action.CHANGE)
    _timeline(appointment, kind="moved", summary=_("Afspraak verzet naar %s") % _describe(appointment), actor=by)
    call_sockets_recheck(appointment)
    # A confirmed appointment that moves is changed in both calendars at once
    # (same UID, higher SEQUENCE); the other side is asked to confirm.
    notices_plan(appointment, Purpose.CHANGED, _told(appointment, side, by, was_confirmed))
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by: User, reason: str) -> Appointment:
    appointment = _locked(appointment)
    side = _side(by, appointment)
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Schrijf kort waarom u afzegt."))
    if not appointment.holds_time or appointment.ends_at <= timezone.now():
        raise BookingError(_("Deze afspraak is al afgezegd of voorbij."))
    if (
        side == "resident"
        and appointment.status == AppointmentStatus.CONFIRMED
        and not resident_may_change(appointment)
    ):
        raise BookingError(
            _("Afzeggen kan online tot %(hours)s uur vóór de afspraak. Bel of stuur een bericht.")
            % {"hours": appointment.organisation.appointment_change_deadline_hours}
        )
    was_confirmed = appointment.status == AppointmentStatus.CONFIRMED
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancel_reason = reason[:300]
    appointment.cancelled_by = by
    appointment.sequence += 1
    appointment.save(update_fields=["status", "cancel_reason", "cancelled_by", "sequence", "updated_at"])
    _log(by, appointment, Action.CHANGE)
    _timeline(appointment, kind="cancelled", summary=_("Afspraak afgezegd: %s") % _describe(appointment), actor=by)
    call_sockets_recheck(appointment)
    notices_plan(appointment, Purpose.CANCELLED, _told(appointment, side, by, was_confirmed))
    return appointment


@transaction.atomic
def appointment_no_show_record(*, appointment: Appointment, by: User) -> Appointment:
    """The resident did not come; only after the start, only by the worker side."""
    appointment = _locked(appointment)
    if _side(by, appointment) != "worker":
        raise BookingError(_("Alleen de sociaal werker legt vast dat iemand niet kwam."))
    if appointment.status != AppointmentStatus.CONFIRMED:
        raise BookingError(_("Alleen een bevestigde afspraak kan als 'niet verschenen' worden vastgelegd."))
    if appointment.starts_at > timezone.now():
        raise BookingError(_("Dit kan pas vanaf het begin van de afspraak."))
    appointment.status = AppointmentStatus.NO_SHOW
    appointment.save(update_fields=["status", "updated_at"])
    call_sockets_recheck(appointment)
    _log(by, appointment, Action.CHANGE)
    timeline_event_add(
        resident=appointment.resident,
        kind="appointments.no_show",
        summary=_("Niet verschenen: %s") % _describe(appointment),
        params=appointment_params(appointment),
        actor=by,
        is_shared=False,
        object_type="appointment",
        object_public_id=appointment.public_id,
    )
    return appointment


def appointments_follow_caseload(
    *, resident: User, by: User, handover: tuple[User, User] | None = None, **_: Any
) -> None:
    """Hook (CASELOAD_CHANGED): on a handover, the resident's coming
    appointments go to the new worker (``appointments_follow_handover``)."""
    if handover is not None:
        from_worker, to_worker = handover
        appointments_follow_handover(resident=resident, from_worker=from_worker, to_worker=to_worker, by=by)


def appointments_follow_handover(*, resident: User, from_worker: User, to_worker: User, by: User) -> int:
    """After a handover, the resident's coming appointments go to the new
    worker, who confirms them again; one the new worker cannot take (busy
    then) is cancelled with a clear reason. Runs inside the handover's
    transaction. Returns how many appointments moved."""
    _lock_people(from_worker, to_worker, resident)
    moved = 0
    coming = Appointment.objects.holding_time().filter(
        resident=resident, worker=from_worker, starts_at__gt=timezone.now()
    )
    for appointment in coming.select_related("organisation", "resident", "worker"):
        busy = (
            Appointment.objects.holding_time()
            .filter(worker=to_worker)
            .overlapping(appointment.starts_at, appointment.ends_at)
            .exists()
        )
        appointment.sequence += 1
        call_sockets_recheck(appointment)
        if busy:
            appointment.status = AppointmentStatus.CANCELLED
            appointment.cancelled_by = by
            appointment.cancel_reason = _("Uw sociaal werker is veranderd. Maak een nieuwe afspraak.")
            appointment.save(update_fields=["status", "cancelled_by", "cancel_reason", "sequence", "updated_at"])
            _log(by, appointment, Action.CHANGE)
            _timeline(
                appointment, kind="cancelled", summary=_("Afspraak afgezegd: %s") % _describe(appointment), actor=by
            )
            notices_plan(appointment, Purpose.CANCELLED, [resident, from_worker])
            continue
        appointment.worker = to_worker
        appointment.status = AppointmentStatus.AWAITING_WORKER
        appointment.save(update_fields=["worker", "status", "sequence", "updated_at"])
        _log(by, appointment, Action.CHANGE)
        _timeline(
            appointment,
            kind="handed_over",
            summary=_("Afspraak gaat nu met %(name)s: %(what)s")
            % {"name": to_worker.full_name, "what": _describe(appointment)},
            actor=by,
            params={"worker_user_id": to_worker.pk},
        )
        # The new worker is asked to confirm; the resident's calendar gets the
        # new version. (The old worker's feed drops it: they no longer see the resident.)
        notices_plan(appointment, Purpose.REQUESTED, [to_worker])
        notices_plan(appointment, Purpose.CHANGED, [resident])
        moved += 1
    return moved
