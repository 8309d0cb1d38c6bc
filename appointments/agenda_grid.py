"""The agenda's week as a grid: where each appointment stands.

Pure layout, no database: the view hands in what the selectors read. Rows
are quarters of an hour from the grid's first hour (08:00, or earlier when
something starts earlier) to its last (18:00, or later); an entry takes
``row`` to ``row + span`` in its day's column. Entries that overlap in one
day stand side by side in lanes. The template turns these numbers into CSS
classes (``at-<row>``, ``span-<n>``, ``lane-<k>``): the strict CSP allows
no style attributes, so no inline ``grid-row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, GroupSession

QUARTERS_PER_HOUR = 4
MINUTES_PER_ROW = 60 // QUARTERS_PER_HOUR
# Office hours are always shown, so a quiet week still looks like a week.
FIRST_HOUR = 8
LAST_HOUR = 18
MINUTES_PER_DAY = 24 * 60
# The stylesheet (static/css/agenda.css) has classes up to these numbers.
MAX_ROWS = 24 * QUARTERS_PER_HOUR
MAX_LANES = 8
# Still waiting for one side to say yes: shown as tentative.
TENTATIVE = frozenset({AppointmentStatus.AWAITING_WORKER, AppointmentStatus.AWAITING_RESIDENT})


@dataclass
class Entry:
    """One appointment or group session in a day column."""

    starts_at: datetime
    ends_at: datetime
    appointment: Appointment | None = None
    session: GroupSession | None = None
    first_minute: int = 0
    last_minute: int = 0
    row: int = 1
    span: int = 1
    lane: int = 1

    @property
    def is_tentative(self) -> bool:
        return self.appointment is not None and self.appointment.status in TENTATIVE


@dataclass
class Day:
    day: date
    is_today: bool
    entries: list[Entry] = field(default_factory=list)
    lanes: int = 1


@dataclass(frozen=True)
class HourLabel:
    hour: int
    row: int


@dataclass(frozen=True)
class Week:
    days: list[Day]
    hours: list[HourLabel]
    rows: int


def _minute_of_day(moment: datetime, day: date) -> int:
    """Minutes since local midnight of ``day``, clamped to that day: an
    appointment that began the day before starts at 00:00, one that runs
    past midnight ends at 24:00."""
    local = timezone.localtime(moment)
    if local.date() < day:
        return 0
    if local.date() > day:
        return MINUTES_PER_DAY
    return local.hour * 60 + local.minute


def _place(entry: Entry, day: date) -> None:
    entry.first_minute = _minute_of_day(entry.starts_at, day)
    entry.last_minute = max(_minute_of_day(entry.ends_at, day), entry.first_minute + 1)


def _assign_lanes(entries: list[Entry]) -> int:
    """Side by side what overlaps: each entry takes the first lane that is
    free at its start. Returns the number of lanes the day needs."""
    lane_ends: list[int] = []
    for entry in entries:
        free = next((i for i, ends in enumerate(lane_ends) if ends <= entry.first_minute), None)
        if free is None:
            lane_ends.append(entry.last_minute)
            free = len(lane_ends) - 1
        else:
            lane_ends[free] = entry.last_minute
        # Beyond the stylesheet's lanes, entries share lanes: still listed, in order.
        entry.lane = free % MAX_LANES + 1
    return min(max(len(lane_ends), 1), MAX_LANES)


def week_grid(
    *,
    first_day: date,
    appointments: list[Appointment],
    sessions: list[GroupSession],
    today: date,
) -> Week:
    """The seven days from ``first_day`` (a Monday) with their entries in
    time order. Cancelled appointments are left out; entries outside the
    week are left out."""
    days = [Day(day=first_day + timedelta(days=i), is_today=first_day + timedelta(days=i) == today) for i in range(7)]
    by_day = {d.day: d for d in days}
    entries = [
        Entry(starts_at=a.starts_at, ends_at=a.ends_at, appointment=a)
        for a in appointments
        if a.status != AppointmentStatus.CANCELLED
    ] + [Entry(starts_at=s.starts_at, ends_at=s.ends_at, session=s) for s in sessions]
    for entry in entries:
        # Something that began before Monday stands on Monday, from 00:00.
        day = max(timezone.localtime(entry.starts_at).date(), first_day)
        if day in by_day:
            _place(entry, day)
            by_day[day].entries.append(entry)
    placed = [entry for d in days for entry in d.entries]
    first_hour = min([FIRST_HOUR, *(e.first_minute // 60 for e in placed)])
    last_hour = max([LAST_HOUR, *(-(-e.last_minute // 60) for e in placed)])
    top = first_hour * QUARTERS_PER_HOUR
    for d in days:
        d.entries.sort(key=lambda e: (e.first_minute, e.last_minute))
        for entry in d.entries:
            first_row = entry.first_minute // MINUTES_PER_ROW
            last_row = -(-entry.last_minute // MINUTES_PER_ROW)
            entry.row = first_row - top + 1
            entry.span = max(last_row - first_row, 1)
        d.lanes = _assign_lanes(d.entries)
    hours = [HourLabel(hour=h, row=(h - first_hour) * QUARTERS_PER_HOUR + 1) for h in range(first_hour, last_hour)]
    return Week(days=days, hours=hours, rows=(last_hour - first_hour) * QUARTERS_PER_HOUR)
