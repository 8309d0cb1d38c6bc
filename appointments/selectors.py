"""Reads of availability: which moments a worker can be booked on a day.

Wall-clock times become moments with Europe/Amsterdam's rules; a time that
does not exist on that day (the hour skipped when summer time starts) or
exists twice (when it ends) is handled explicitly, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from appointments.access import group_sessions_for_user
from appointments.models import (
    AT_A_LOCATION,
    Appointment,
    AppointmentKind,
    AppointmentRequest,
    AppointmentStatus,
    AvailabilityException,
    ClosingDay,
    GroupSession,
    WeeklyAvailability,
    WorkerBookingRules,
)
from organisations.models import Location
from samenspraak.policy import organisation_id_of


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped on this day (summer time starts)."""


def local_moment(day: date, wall_time: time) -> datetime:
    """The moment of ``wall_time`` on ``day`` in the current time zone.

    Raises ``NonexistentLocalTime`` for a skipped time; an ambiguous time
    (the hour that happens twice) is the first of the two.
    """
    zone = timezone.get_current_timezone()
    moment = datetime.combine(day, wall_time, tzinfo=zone)
    round_trip = moment.astimezone(UTC).astimezone(zone)
    if (round_trip.date(), round_trip.time()) != (day, wall_time):
        raise NonexistentLocalTime(f"{wall_time} does not exist on {day}")
    return moment


def spoken_moment(moment: datetime) -> str:
    """``"dinsdag 1 december 2026 om 10:30 uur"``, in the active language."""
    local = timezone.localtime(moment)
    return _("%(day)s om %(time)s uur") % {
        "day": formats.date_format(local, "l j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


@dataclass(frozen=True)
class Window:
    starts: datetime
    ends: datetime
    availability: WeeklyAvailability


def windows_on(*, worker: User, day: date) -> list[Window]:
    """When the worker can be booked on ``day``: none on closing days or
    during an absence."""
    closed = ClosingDay.objects.filter(organisation_id=organisation_id_of(worker), day=day).exists()
    away = AvailabilityException.objects.filter(worker=worker, first_day__lte=day, last_day__gte=day).exists()
    if closed or away:
        return []
    blocks = WeeklyAvailability.objects.filter(worker=worker, weekday=day.weekday()).select_related("location")
    return _windows(day, list(blocks))


def _windows(day: date, blocks: list[WeeklyAvailability]) -> list[Window]:
    windows = []
    for block in blocks:
        if block.weekday != day.weekday():
            continue
        try:
            windows.append(Window(local_moment(day, block.starts_at), local_moment(day, block.ends_at), block))
        except NonexistentLocalTime:
            continue  # a block inside the skipped hour has no moments that day
    return windows


# --- Free times -----------------------------------------------------------------

# A resident books at least this long ahead, so the worker can prepare.
MINIMUM_NOTICE = timedelta(hours=2)
# How far ahead the slot picker looks.
BOOKING_HORIZON_DAYS = 28


@dataclass(frozen=True)
class Slot:
    starts: datetime
    ends: datetime
    kind: str
    location: Location | None

    @property
    def local_starts(self) -> datetime:
        return timezone.localtime(self.starts)

    @property
    def spoken(self) -> str:
        return spoken_moment(self.starts)

    @property
    def value(self) -> str:
        """The wall-clock start, as the form sends it back; the second of two
        equal wall-clock times (the night the clocks go back) ends in "~2"."""
        local = self.local_starts
        return local.strftime("%Y-%m-%dT%H:%M") + ("~2" if local.fold else "")


def booking_rules_of(worker: User) -> WorkerBookingRules:
    return WorkerBookingRules.objects.filter(worker=worker).first() or WorkerBookingRules(worker=worker)


def free_slots_on(
    *, worker: User, day: date, kind: str, now: datetime | None = None, ignore: Appointment | None = None
) -> list[Slot]:
    """The times on ``day`` a resident can book ``worker`` for ``kind``."""
    days = free_slots_ahead(worker=worker, kind=kind, first_day=day, days=1, now=now, ignore=ignore)
    return days[0].slots if days else []


@dataclass(frozen=True)
class DayOfSlots:
    day: date
    slots: list[Slot]


def free_slots_ahead(
    *,
    worker: User,
    kind: str,
    first_day: date | None = None,
    days: int = BOOKING_HORIZON_DAYS,
    now: datetime | None = None,
    ignore: Appointment | None = None,
) -> list[DayOfSlots]:
    """Days from ``first_day`` with at least one free slot, in five queries
    whatever the number of days.

    Slots follow each other at slot length + buffer from the start of each
    availability block, in real (UTC) minutes, so the day of a summer-time
    change gives correct lengths. A slot is free when it starts after the
    minimum notice, does not come within the buffer of another appointment
    that holds its time, and the worker's maximum per day is not reached.
    ``ignore`` leaves one appointment out (the one being moved).
    """
    now = now or timezone.now()
    first_day = first_day or timezone.localdate()
    last_day = first_day + timedelta(days=days - 1)
    rules = booking_rules_of(worker)
    length = timedelta(minutes=rules.slot_minutes)
    buffer = timedelta(minutes=rules.buffer_minutes)
    blocks = [b for b in WeeklyAvailability.objects.filter(worker=worker).select_related("location") if kind in b.kinds]
    if not blocks:
        return []
    closed = set(
        ClosingDay.objects.filter(
            organisation_id=organisation_id_of(worker), day__gte=first_day, day__lte=last_day
        ).values_list("day", flat=True)
    )
    absences = list(
        AvailabilityException.objects.filter(worker=worker, first_day__lte=last_day, last_day__gte=first_day)
    )
    zone = timezone.get_current_timezone()
    range_starts = datetime.combine(first_day, time.min, tzinfo=zone)
    range_ends = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    taken_qs = (
        Appointment.objects.holding_time().filter(worker=worker).overlapping(range_starts - buffer, range_ends + buffer)
    )
    if ignore is not None:
        taken_qs = taken_qs.exclude(pk=ignore.pk)
    taken = list(taken_qs.only("starts_at", "ends_at"))
    busy = [(a.starts_at - buffer, a.ends_at + buffer) for a in taken]
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day in closed or any(a.first_day <= day <= a.last_day for a in absences):
            continue
        day_starts = datetime.combine(day, time.min, tzinfo=zone)
        day_ends = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        if sum(1 for a in taken if day_starts <= a.starts_at < day_ends) >= rules.max_per_day:
            continue
        slots = []
        for window in _windows(day, blocks):
            # Step in UTC: Python adds to and compares datetimes of one zone
            # by the wall clock, which skips or doubles the changed hour.
            starts, window_ends = window.starts.astimezone(UTC), window.ends.astimezone(UTC)
            while starts + length <= window_ends:
                ends = starts + length
                if starts >= now + MINIMUM_NOTICE and not any(b0 < ends and b1 > starts for b0, b1 in busy):
                    location = window.availability.location if kind in AT_A_LOCATION else None
                    slots.append(Slot(starts, ends, kind, location))
                starts = ends + buffer
        if slots:
            result.append(DayOfSlots(day, sorted(slots, key=lambda s: s.starts)))
    return result


def kinds_offered_to(*, resident: User) -> list[str]:
    """The kinds of appointment a resident may book: those in their blend
    plan (online ones with consent), and always face-to-face."""
    from blend.selectors import channels_offered

    offered = set(channels_offered(resident=resident)) | {AppointmentKind.FACE_TO_FACE.value}
    return [kind for kind in AppointmentKind.values if kind in offered]


def workers_of(*, resident: User) -> list[User]:
    """The workers a resident can make appointments with: those with the
    resident on their caseload."""
    from accounts.models import CASEWORK_ROLES

    return list(
        User.objects.filter(caseload_assignments__resident=resident, role__in=CASEWORK_ROLES, is_active=True)
        .distinct()
        .order_by("first_name")
    )


# --- Lists -----------------------------------------------------------------------


def appointments_of_resident(*, resident: User, past_days: int = 60) -> tuple[list[Appointment], list[Appointment]]:
    """Upcoming (and running) appointments, and those of the last weeks.
    The caller has fetched ``resident`` through the policy (which logs)."""
    now = timezone.now()
    rows = list(
        Appointment.objects.filter(resident=resident, ends_at__gte=now - timedelta(days=past_days))
        .select_related("worker", "location")
        .order_by("starts_at")
    )
    upcoming = [a for a in rows if a.ends_at >= now and a.status != AppointmentStatus.CANCELLED]
    past = [a for a in reversed(rows) if a not in upcoming]
    return upcoming, past


def next_appointment_of(*, resident: User) -> Appointment | None:
    """The resident's next appointment that holds its time, for the home page."""
    return (
        Appointment.objects.holding_time()
        .filter(resident=resident, ends_at__gte=timezone.now())
        .select_related("worker", "location")
        .order_by("starts_at")
        .first()
    )


def agenda_workers_for(user: User) -> list[User]:
    """Whose agenda ``user`` may open: their own, and for a team lead the
    social workers of their team."""
    from accounts.models import CASEWORK_ROLES

    if user.role == Role.TEAM_LEAD and user.team_id:
        team = User.objects.filter(team_id=user.team_id, role__in=CASEWORK_ROLES, is_active=True).exclude(pk=user.pk)
        return [user, *team.order_by("first_name", "last_name")]
    return [user]


def agenda_for(
    *, viewer: User, worker: User, first_day: date, days: int, include_cancelled: bool = True
) -> list[Appointment]:
    """The appointments of ``worker`` in a period, for ``viewer`` (the worker
    or their team lead); the residents shown are logged as listed. Only
    residents the viewer may see: after a handover, the old worker's agenda
    no longer names the resident (the new worker sees the appointment).
    The week grid leaves cancelled ones out (``include_cancelled=False``),
    so nobody is logged as listed for an appointment that is not shown."""
    from samenspraak.policy import residents_for_casework, residents_log_listed

    zone = timezone.get_current_timezone()
    starts = datetime.combine(first_day, time.min, tzinfo=zone)
    ends = datetime.combine(first_day + timedelta(days=days), time.min, tzinfo=zone)
    appointments = Appointment.objects.filter(worker=worker, resident__in=residents_for_casework(viewer))
    if not include_cancelled:
        appointments = appointments.exclude(status=AppointmentStatus.CANCELLED)
    rows = list(appointments.overlapping(starts, ends).select_related("resident", "location").order_by("starts_at"))
    residents = {a.resident_id: a.resident for a in rows}
    residents_log_listed(user=viewer, residents=residents.values(), object_type="appointment")
    return rows


def agenda_awaiting_worker(*, viewer: User, worker: User) -> list[Appointment]:
    """Appointments that have not ended and wait for ``worker`` to confirm,
    whatever the week, soonest first: the agenda lists them above the grid
    so no request waits unseen in a later week. Only residents ``viewer``
    may see; logged as listed."""
    from samenspraak.policy import residents_for_casework, residents_log_listed

    rows = list(
        Appointment.objects.filter(
            worker=worker,
            status=AppointmentStatus.AWAITING_WORKER,
            ends_at__gt=timezone.now(),
            resident__in=residents_for_casework(viewer),
        )
        .select_related("resident", "location")
        .order_by("starts_at")
    )
    residents = {a.resident_id: a.resident for a in rows}
    residents_log_listed(user=viewer, residents=residents.values(), object_type="appointment")
    return rows


def agenda_group_sessions(*, viewer: User, worker: User, first_day: date, days: int) -> list[GroupSession]:
    """The group sessions ``worker`` hosts in a period and that go ahead,
    as far as ``viewer`` may see them. Names no resident: not logged."""
    zone = timezone.get_current_timezone()
    starts = datetime.combine(first_day, time.min, tzinfo=zone)
    ends = datetime.combine(first_day + timedelta(days=days), time.min, tzinfo=zone)
    return list(
        group_sessions_for_user(viewer)
        .filter(host=worker, cancelled_at__isnull=True, starts_at__lt=ends, ends_at__gt=starts)
        .select_related("location")
        .order_by("starts_at")
    )


def open_requests_for(*, viewer: User) -> list[AppointmentRequest]:
    """Open requests addressed to the viewer (a team lead also sees their
    team's), for residents the viewer may see; logged as listed."""
    from samenspraak.policy import residents_for_casework, residents_log_listed

    workers = agenda_workers_for(viewer)
    rows = list(
        AppointmentRequest.objects.filter(
            status=AppointmentRequest.Status.OPEN,
            worker__in=workers,
            resident__in=residents_for_casework(viewer),
        )
        .select_related("resident", "worker")
        .order_by("created_at")
    )
    residents_log_listed(
        user=viewer, residents={r.resident_id: r.resident for r in rows}.values(), object_type="appointment_request"
    )
    return rows


def appointments_all_of_resident(*, resident: User) -> QuerySet[Appointment]:
    """Every appointment of the resident, oldest first (for the export of
    one's own data, issue 15). The caller has the resident through the policy."""
    return Appointment.objects.filter(resident=resident).select_related("worker", "location").order_by("starts_at")


def appointment_figures_per_organisation(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the benchmark, appointments that start in ``[starts, ends)`` and
    were kept or missed (confirmed or no-show), per organisation and kind:
    ``count`` (all of them), ``kept``, ``no_shows`` and their distinct
    ``residents``; plus one row per organisation with ``kind`` ``""`` over
    all kinds (its distinct residents are not the sum of the kinds'). Two
    grouped queries whatever the number of appointments."""
    held = Appointment.objects.filter(
        starts_at__gte=starts,
        starts_at__lt=ends,
        status__in=[AppointmentStatus.CONFIRMED, AppointmentStatus.NO_SHOW],
    ).order_by()
    figures = {
        "count": Count("pk"),
        "kept": Count("pk", filter=Q(status=AppointmentStatus.CONFIRMED)),
        "no_shows": Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        "residents": Count("resident_id", distinct=True),
    }
    per_kind = [
        dict(row)
        for row in held.values("organisation_id", "kind").annotate(**figures).order_by("organisation_id", "kind")
    ]
    overall = [
        {**row, "kind": ""} for row in held.values("organisation_id").annotate(**figures).order_by("organisation_id")
    ]
    return per_kind + overall


def appointments_held_between(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the experience survey (``feedback``): appointments that were held,
    i.e. confirmed and ended in ``[starts, ends)`` (a no-show or a
    cancellation is no longer confirmed). Rows of ``public_id``,
    ``resident_id``, ``organisation_id``, ``kind`` and ``ends_at``; one query."""
    return [
        dict(row)
        for row in Appointment.objects.filter(status=AppointmentStatus.CONFIRMED, ends_at__gte=starts, ends_at__lt=ends)
        .order_by("ends_at", "pk")
        .values("public_id", "resident_id", "organisation_id", "kind", "ends_at")
    ]
