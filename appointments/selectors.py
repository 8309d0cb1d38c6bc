"""Reads of availability: which moments a worker can be booked on a day.

Wall-clock times become moments with Europe/Amsterdam's rules; a time that
does not exist on that day (the hour skipped when summer time starts) or
exists twice (when it ends) is handled explicitly, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils import timezone

from accounts.models import User
from appointments.models import AvailabilityException, ClosingDay, WeeklyAvailability


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


@dataclass(frozen=True)
class Window:
    starts: datetime
    ends: datetime
    availability: WeeklyAvailability


def windows_on(*, worker: User, day: date) -> list[Window]:
    """When the worker can be booked on ``day``: none on closing days or
    during an absence."""
    if ClosingDay.objects.filter(organisation=worker.organisation, day=day).exists():
        return []
    if AvailabilityException.objects.filter(worker=worker, first_day__lte=day, last_day__gte=day).exists():
        return []
    windows = []
    for block in WeeklyAvailability.objects.filter(worker=worker, weekday=day.weekday()).select_related("location"):
        try:
            windows.append(Window(local_moment(day, block.starts_at), local_moment(day, block.ends_at), block))
        except NonexistentLocalTime:
            continue  # a block inside the skipped hour has no moments that day
    return windows
