"""Writes for availability. Each change runs in one transaction."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.models import (
    AT_A_LOCATION,
    AppointmentKind,
    AvailabilityException,
    ClosingDay,
    WeeklyAvailability,
    WorkerBookingRules,
)
from organisations.models import Location, Organisation


class AvailabilityError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def _require_worker(user: User) -> None:
    if user.role not in CASEWORK_ROLES:
        raise AvailabilityError(_("Alleen sociaal werkers hebben beschikbaarheid."))


@transaction.atomic
def availability_add(
    *, worker: User, weekday: int, starts_at: time, ends_at: time, kinds: list[str], location: Location | None
) -> WeeklyAvailability:
    """Add a weekly block. Face-to-face needs a location of the worker's own
    organisation; blocks of one worker never overlap."""
    _require_worker(worker)
    if starts_at >= ends_at:
        raise AvailabilityError(_("De eindtijd moet na de begintijd liggen."))
    if not kinds or not set(kinds) <= set(AppointmentKind.values):
        raise AvailabilityError(_("Kies minstens één soort afspraak."))
    if set(kinds) & AT_A_LOCATION and location is None:
        raise AvailabilityError(_("Kies een locatie voor gesprekken op een locatie."))
    if location is not None and (location.organisation_id != worker.organisation_id or not location.is_active):
        raise AvailabilityError(_("Kies een locatie van uw eigen organisatie."))
    # Lock the worker's blocks so two simultaneous additions cannot overlap.
    existing = WeeklyAvailability.objects.select_for_update().filter(worker=worker, weekday=weekday)
    if existing.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise AvailabilityError(_("Dit overlapt met een tijd die u al hebt ingevuld."))
    return WeeklyAvailability.objects.create(
        worker=worker,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        kinds=sorted(set(kinds)),
        location=location if set(kinds) & AT_A_LOCATION else None,
    )


@transaction.atomic
def availability_remove(*, availability: WeeklyAvailability, removed_by: User) -> None:
    if availability.worker_id != removed_by.pk:
        raise AvailabilityError(_("U kunt alleen uw eigen tijden verwijderen."))
    availability.delete()


@transaction.atomic
def exception_add(*, worker: User, first_day: date, last_day: date, reason: str) -> AvailabilityException:
    _require_worker(worker)
    if first_day > last_day:
        raise AvailabilityError(_("De laatste dag ligt vóór de eerste dag."))
    if last_day < timezone.localdate():
        raise AvailabilityError(_("Deze periode is al voorbij."))
    return AvailabilityException.objects.create(worker=worker, first_day=first_day, last_day=last_day, reason=reason)


@transaction.atomic
def exception_remove(*, exception: AvailabilityException, removed_by: User) -> None:
    if exception.worker_id != removed_by.pk:
        raise AvailabilityError(_("U kunt alleen uw eigen afwezigheid verwijderen."))
    exception.delete()


@transaction.atomic
def booking_rules_set(*, worker: User, buffer_minutes: int, max_per_day: int, slot_minutes: int) -> WorkerBookingRules:
    _require_worker(worker)
    if not 0 <= buffer_minutes <= 120 or not 1 <= max_per_day <= 20 or not 15 <= slot_minutes <= 180:
        raise AvailabilityError(_("Kies waarden binnen de grenzen die bij de velden staan."))
    rules, _created = WorkerBookingRules.objects.update_or_create(
        worker=worker,
        defaults={"buffer_minutes": buffer_minutes, "max_per_day": max_per_day, "slot_minutes": slot_minutes},
    )
    return rules


@transaction.atomic
def closing_day_add(*, organisation: Organisation, day: date, reason: str, added_by: User) -> ClosingDay:
    if added_by.role != Role.ORGANISATION_ADMIN or added_by.organisation_id != organisation.pk:
        raise AvailabilityError(_("Alleen de beheerder legt sluitingsdagen vast."))
    if day < timezone.localdate():
        raise AvailabilityError(_("Deze dag is al voorbij."))
    closing, created = ClosingDay.objects.get_or_create(organisation=organisation, day=day, defaults={"reason": reason})
    if not created:
        raise AvailabilityError(_("Deze dag staat er al in."))
    return closing


@transaction.atomic
def closing_day_remove(*, closing: ClosingDay, removed_by: User) -> None:
    if removed_by.role != Role.ORGANISATION_ADMIN or removed_by.organisation_id != closing.organisation_id:
        raise AvailabilityError(_("Alleen de beheerder kan sluitingsdagen verwijderen."))
    closing.delete()


# --- Group sessions, for other capabilities ----------------------------------------
# Learning's trainings plan sessions and sign their participants up and off
# through these (the rules, locks and logging stay in ``appointments.sessions``).
from appointments.sessions import GroupSessionError as GroupSessionError  # noqa: E402
from appointments.sessions import group_session_plan as group_session_plan  # noqa: E402
from appointments.sessions import session_sign_off as session_sign_off  # noqa: E402
from appointments.sessions import session_sign_up as session_sign_up  # noqa: E402


def session_signup_active(*, session: Any, resident: User) -> Any:
    """The resident's active sign-up for ``session``, or None (not logged:
    the caller signs the resident off with it)."""
    return session.signups.filter(resident=resident, cancelled_at__isnull=True).first()
