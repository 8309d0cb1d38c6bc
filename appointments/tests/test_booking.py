"""Booking appointments, through the real services and pages.

Free times (slots) of a worker; booking refused with a plain Dutch message
and nothing stored; the life of an appointment from booking to cancellation
or no-show; proposals answering a request; the access log and the timeline;
two residents racing for one time; and the pages a resident and a worker
use. The clock stands still at Monday 30 November 2026, 08:00 in Amsterdam,
unless a test says otherwise.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from appointments import booking, services
from appointments.booking import BookingError
from appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentNotice,
    AppointmentRequest,
    AppointmentStatus,
    WeeklyAvailability,
)
from appointments.selectors import Slot, free_slots_ahead, free_slots_on
from appointments.tests.factories import agree_all_kinds
from audit.models import AccessLogEntry
from blend.models import BlendPlan
from blend.services import blend_plan_save
from casefiles.models import TimelineEvent
from conftest import Personas, client_for
from organisations.models import CaseloadAssignment

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY_0800 = datetime(2026, 11, 30, 8, 0, tzinfo=AMSTERDAM)
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)
WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)
NEXT_TUESDAY = date(2026, 12, 8)

K = AppointmentKind
S = AppointmentStatus
Notice = AppointmentNotice.Purpose
Log = AccessLogEntry.Action

# The Dutch messages, exactly as a person reads them.
PAST = "Deze tijd is al voorbij. Kies een tijd in de toekomst."
NOT_BOOKABLE = "Op deze tijd kunt u geen afspraak maken. Kies een tijd uit de lijst."
TAKEN = "Deze tijd is net door iemand anders gekozen. Kies een andere tijd."
NO_SUCH_MOMENT = "Deze datum of tijd bestaat niet. Kies een tijd uit de lijst."
OWN_WORKER_ONLY = "U kunt alleen een afspraak maken met uw eigen sociaal werker."
KIND_NOT_AGREED = "Deze soort afspraak staat niet in uw afspraken over hoe u samenwerkt. Kies een andere soort."
NOT_ON_CASELOAD = "Deze inwoner staat niet op uw caseload."
MOVE_TOO_LATE = "Verzetten kan online tot 24 uur vóór de afspraak. Bel of stuur een bericht."
CANCEL_TOO_LATE = "Afzeggen kan online tot 24 uur vóór de afspraak. Bel of stuur een bericht."
REASON_NEEDED = "Schrijf kort waarom u afzegt."
ONLY_THE_TWO = "Alleen de inwoner en de sociaal werker kunnen deze afspraak wijzigen."


# --- Helpers ------------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_0800, tick=False) as traveller:
        yield traveller


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Amsterdam as a moment."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def wall(day: date, hour: int, minute: int = 0) -> str:
    """A wall-clock time as the slot picker sends it back."""
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def open_hours(
    personas: Personas,
    worker: User | None = None,
    *,
    weekday: int = 1,
    starts: time = time(9),
    ends: time = time(12),
    kinds: tuple[str, ...] = (K.FACE_TO_FACE, K.VIDEO, K.PHONE),
    max_per_day: int = 6,
) -> WeeklyAvailability:
    """A weekly block of 45-minute slots with 15 minutes in between (at the
    demo location for face-to-face)."""
    worker = worker or personas.worker
    services.booking_rules_set(worker=worker, buffer_minutes=15, max_per_day=max_per_day, slot_minutes=45)
    location = personas.demo.location if K.FACE_TO_FACE in kinds else None
    return services.availability_add(
        worker=worker, weekday=weekday, starts_at=starts, ends_at=ends, kinds=list(kinds), location=location
    )


def local_starts(slots: list[Slot]) -> list[str]:
    return [slot.local_starts.strftime("%H:%M") for slot in slots]


def propose(
    personas: Personas,
    starts_at: datetime,
    *,
    minutes: int = 45,
    resident: User | None = None,
    worker: User | None = None,
    kind: str = K.FACE_TO_FACE,
) -> Appointment:
    """A worker proposes a time (face-to-face at the demo location)."""
    return booking.appointment_propose(
        worker=worker or personas.worker,
        resident=resident or personas.resident,
        kind=kind,
        starts_at=starts_at,
        minutes=minutes,
        location=personas.demo.location if kind == K.FACE_TO_FACE else None,
    )


@dataclass(frozen=True)
class Stored:
    """What a refused booking must not leave behind."""

    appointments: int
    notices: int
    creates_logged: int
    timeline_events: int


def stored() -> Stored:
    return Stored(
        appointments=Appointment.objects.count(),
        notices=AppointmentNotice.objects.count(),
        creates_logged=AccessLogEntry.objects.filter(object_type="appointment", action=Log.CREATE).count(),
        timeline_events=TimelineEvent.objects.filter(kind__startswith="appointments.").count(),
    )


def refused(call: Any, **kwargs: Any) -> str:
    """The message of the ``BookingError`` that ``call(**kwargs)`` raises."""
    with pytest.raises(BookingError) as caught:
        call(**kwargs)
    return str(caught.value)


def logged(appointment: Appointment, *, actor: User, action: str) -> int:
    return AccessLogEntry.objects.filter(
        actor=actor,
        subject=appointment.resident,
        object_type="appointment",
        object_id=str(appointment.public_id),
        action=action,
        outcome=AccessLogEntry.Outcome.ALLOWED,
    ).count()


def timeline_of(appointment: Appointment) -> list[str]:
    return list(
        TimelineEvent.objects.filter(object_public_id=appointment.public_id)
        .order_by("occurred_at", "pk")
        .values_list("kind", flat=True)
    )


def notices_of(appointment: Appointment) -> list[tuple[str, str, int]]:
    """(purpose, recipient's username, sequence), oldest first."""
    return [
        (notice.purpose, notice.recipient.username, notice.sequence)
        for notice in AppointmentNotice.objects.filter(appointment=appointment)
        .select_related("recipient")
        .order_by("pk")
    ]


def give_worker(resident: User, worker: User) -> None:
    """Put ``resident`` on ``worker``'s caseload too."""
    CaseloadAssignment.objects.create(resident=resident, worker=worker)


# --- Free times -------------------------------------------------------------------------


def test_a_tuesday_morning_of_45_minutes_with_15_between_gives_nine_ten_and_eleven(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    open_hours(personas)

    slots = free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)

    assert local_starts(slots) == ["09:00", "10:00", "11:00"]
    assert all(slot.ends - slot.starts == timedelta(minutes=45) for slot in slots)
    assert slots[0].spoken == "dinsdag 1 december 2026 om 09:00 uur"
    assert slots[0].value == "2026-12-01T09:00"
    assert free_slots_on(worker=personas.worker, day=WEDNESDAY, kind=K.VIDEO) == []
    face_to_face = free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.FACE_TO_FACE)
    assert {slot.location for slot in face_to_face} == {personas.demo.location}
    assert {slot.location for slot in slots} == {None}


@pytest.mark.parametrize(
    ("starts", "minutes", "left"),
    [
        # A booked slot goes; its neighbours lie exactly one buffer away and stay.
        ((10, 0), 45, ["09:00", "11:00"]),
        # Ends within the buffer before 10:00 and starts within the buffer after 09:45.
        ((9, 50), 45, ["11:00"]),
        # Ends within the buffer before 11:00 and starts within the buffer after 10:45.
        ((10, 50), 15, ["09:00"]),
        # Another worker's appointment does not matter.
        (None, 0, ["09:00", "10:00", "11:00"]),
    ],
)
def test_an_appointment_takes_its_slot_and_the_neighbours_within_the_buffer(
    personas: Personas, clock: time_machine.Traveller, starts: tuple[int, int] | None, minutes: int, left: list[str]
) -> None:
    open_hours(personas)
    if starts is None:
        propose(personas, at(TUESDAY, 10), resident=personas.other_resident, worker=personas.other_worker)
    else:
        propose(personas, at(TUESDAY, *starts), minutes=minutes)

    assert local_starts(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)) == left


def test_a_cancelled_appointment_gives_its_time_back(personas: Personas, clock: time_machine.Traveller) -> None:
    open_hours(personas)
    appointment = propose(personas, at(TUESDAY, 10))
    booking.appointment_cancel(appointment=appointment, by=personas.worker, reason="Ik ben ziek")

    assert local_starts(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)) == [
        "09:00",
        "10:00",
        "11:00",
    ]


def test_no_slots_are_left_on_a_day_once_the_maximum_is_reached(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    open_hours(personas, ends=time(17), max_per_day=2)
    propose(personas, at(TUESDAY, 13))
    assert len(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)) == 7

    propose(personas, at(TUESDAY, 15))

    assert free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO) == []
    assert len(free_slots_on(worker=personas.worker, day=NEXT_TUESDAY, kind=K.VIDEO)) == 8


def test_a_closing_day_has_no_slots(personas: Personas, clock: time_machine.Traveller) -> None:
    open_hours(personas)
    services.closing_day_add(organisation=personas.organisation, day=TUESDAY, reason="Teamdag", added_by=personas.admin)

    assert free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO) == []
    assert len(free_slots_on(worker=personas.worker, day=NEXT_TUESDAY, kind=K.VIDEO)) == 3
    assert [item.day for item in free_slots_ahead(worker=personas.worker, kind=K.VIDEO, days=14)] == [NEXT_TUESDAY]


def test_an_absence_has_no_slots(personas: Personas, clock: time_machine.Traveller) -> None:
    open_hours(personas)
    services.exception_add(worker=personas.worker, first_day=MONDAY, last_day=TUESDAY, reason="Cursus")

    assert free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO) == []
    assert len(free_slots_on(worker=personas.worker, day=NEXT_TUESDAY, kind=K.VIDEO)) == 3


def test_slots_start_at_least_two_hours_from_now(personas: Personas, clock: time_machine.Traveller) -> None:
    open_hours(personas)

    clock.move_to(at(TUESDAY, 8, 0))
    assert local_starts(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)) == ["10:00", "11:00"]
    clock.move_to(at(TUESDAY, 8, 1))
    assert local_starts(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO)) == ["11:00"]
    assert local_starts(free_slots_on(worker=personas.worker, day=TUESDAY, kind=K.VIDEO, now=at(MONDAY, 8))) == [
        "09:00",
        "10:00",
        "11:00",
    ]


@pytest.mark.parametrize("kind", [K.HOME_VISIT, K.CHAT, "no such kind"])
def test_a_kind_the_block_does_not_offer_has_no_slots(
    personas: Personas, clock: time_machine.Traveller, kind: str
) -> None:
    open_hours(personas)

    assert free_slots_on(worker=personas.worker, day=TUESDAY, kind=kind) == []
    assert free_slots_ahead(worker=personas.worker, kind=kind) == []


def test_when_the_clocks_go_back_the_night_block_has_four_real_45_minute_slots(personas: Personas) -> None:
    # Sunday 25 October 2026: 03:00 summer time becomes 02:00 winter time,
    # so 01:00-04:00 on the wall clock is four real hours.
    open_hours(personas, weekday=6, starts=time(1), ends=time(4), kinds=(K.VIDEO,))
    day = date(2026, 10, 25)

    days = free_slots_ahead(
        worker=personas.worker, kind=K.VIDEO, first_day=day, days=1, now=datetime(2026, 10, 1, tzinfo=UTC)
    )

    slots = days[0].slots
    assert [slot.starts for slot in slots] == [
        datetime(2026, 10, 24, 23, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 0, tzinfo=UTC),
    ]
    assert [slot.local_starts.strftime("%H:%M %z") for slot in slots] == [
        "01:00 +0200",
        "02:00 +0200",
        "02:00 +0100",
        "03:00 +0100",
    ]
    assert all(slot.ends - slot.starts == timedelta(minutes=45) for slot in slots)
    assert all(later.starts - earlier.ends == timedelta(minutes=15) for earlier, later in pairwise(slots))


def test_when_the_clocks_go_forward_the_night_block_has_two_real_45_minute_slots(personas: Personas) -> None:
    # Sunday 29 March 2026: 02:00 winter time becomes 03:00 summer time, so
    # 01:00-04:00 on the wall clock is two real hours.
    open_hours(personas, weekday=6, starts=time(1), ends=time(4), kinds=(K.VIDEO,))
    day = date(2026, 3, 29)

    days = free_slots_ahead(
        worker=personas.worker, kind=K.VIDEO, first_day=day, days=1, now=datetime(2026, 3, 1, tzinfo=UTC)
    )

    slots = days[0].slots
    assert [slot.starts for slot in slots] == [
        datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    ]
    assert [slot.local_starts.strftime("%H:%M %z") for slot in slots] == ["01:00 +0100", "03:00 +0200"]
    assert all(slot.ends - slot.starts == timedelta(minutes=45) for slot in slots)


def test_a_block_inside_the_skipped_hour_has_no_slots(personas: Personas) -> None:
    open_hours(personas, weekday=6, starts=time(2), ends=time(2, 59), kinds=(K.VIDEO,))

    days = free_slots_ahead(
        worker=personas.worker, kind=K.VIDEO, first_day=date(2026, 3, 29), days=1, now=datetime(2026, 3, 1, tzinfo=UTC)
    )

    assert days == []


def count_queries_of_free_slots(worker: User, *, days: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = free_slots_ahead(worker=worker, kind=K.VIDEO, days=days)
    assert result, "the test needs free slots to be computed"
    return len(queries.captured_queries)


def test_free_slots_take_the_same_five_queries_for_one_day_or_four_weeks_and_0_or_50_appointments(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    for weekday in range(5):
        open_hours(personas, weekday=weekday, ends=time(17), max_per_day=20)
    # The worker's booking rules, the blocks, the closing days, the absences
    # and the appointments in the period: five queries.
    expected = 5

    empty = (
        count_queries_of_free_slots(personas.worker, days=1),
        count_queries_of_free_slots(personas.worker, days=28),
    )
    for offset in range(25):
        day = TUESDAY + timedelta(days=offset)
        propose(personas, at(day, 13))
        propose(personas, at(day, 15))
    assert Appointment.objects.holding_time().count() == 50
    full = (count_queries_of_free_slots(personas.worker, days=1), count_queries_of_free_slots(personas.worker, days=28))

    assert empty == full == (expected, expected)


# --- Booking refused: a Dutch message, nothing stored -----------------------------------------


@pytest.fixture
def bookable(personas: Personas, clock: time_machine.Traveller) -> Personas:
    """Sanne can be booked on Tuesday mornings; Fatima has agreed on every kind."""
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    open_hours(personas)
    return personas


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        pytest.param("2026-11-30T07:00", PAST, id="earlier-today"),
        pytest.param("2026-11-24T10:00", PAST, id="last-tuesday"),
        pytest.param("2026-12-01T13:00", NOT_BOOKABLE, id="outside-the-block"),
        pytest.param("2026-12-01T09:30", NOT_BOOKABLE, id="between-two-slots"),
        pytest.param("2026-12-02T10:00", NOT_BOOKABLE, id="a-day-without-hours"),
        pytest.param("2026-11-31T10:00", NO_SUCH_MOMENT, id="31-november"),
        pytest.param("2026-12-01T25:00", NO_SUCH_MOMENT, id="hour-25"),
        pytest.param("morgen", NO_SUCH_MOMENT, id="a-word"),
        pytest.param("", NO_SUCH_MOMENT, id="empty"),
        pytest.param("2026-12-01T10:00+01:00", NO_SUCH_MOMENT, id="with-an-offset"),
        pytest.param("2026-12-01T10:00:30", NO_SUCH_MOMENT, id="with-seconds"),
        pytest.param(
            "2026-03-29T02:30",
            "Deze tijd bestaat niet op 29 maart 2026: dan gaat de klok een uur vooruit. Kies een andere tijd.",
            id="summer-time-gap-2026",
        ),
        pytest.param(
            "2027-03-28T02:30",
            "Deze tijd bestaat niet op 28 maart 2027: dan gaat de klok een uur vooruit. Kies een andere tijd.",
            id="summer-time-gap-2027",
        ),
    ],
)
def test_a_time_that_cannot_be_booked_is_refused_in_dutch_and_nothing_is_stored(
    bookable: Personas, starts: str, message: str
) -> None:
    before = stored()

    assert (
        refused(
            booking.appointment_book, resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=starts
        )
        == message
    )
    assert stored() == before


def test_a_slot_within_the_minimum_notice_is_refused(bookable: Personas, clock: time_machine.Traveller) -> None:
    clock.move_to(at(TUESDAY, 8, 30))
    before = stored()

    message = refused(
        booking.appointment_book,
        resident=bookable.resident,
        worker=bookable.worker,
        kind=K.VIDEO,
        starts=wall(TUESDAY, 10),
    )

    assert message == NOT_BOOKABLE
    assert stored() == before


def test_a_slot_another_resident_took_is_refused(bookable: Personas) -> None:
    give_worker(bookable.other_resident, bookable.worker)
    booking.appointment_book(
        resident=bookable.other_resident, worker=bookable.worker, kind=K.FACE_TO_FACE, starts=wall(TUESDAY, 10)
    )
    before = stored()

    message = refused(
        booking.appointment_book,
        resident=bookable.resident,
        worker=bookable.worker,
        kind=K.VIDEO,
        starts=wall(TUESDAY, 10),
    )

    assert message == TAKEN
    assert stored() == before
    assert Appointment.objects.get().resident == bookable.other_resident


@pytest.mark.parametrize("worker_name", ["other_worker", "team_lead", "team_worker", "foreign_worker"])
def test_only_the_residents_own_worker_can_be_booked(bookable: Personas, worker_name: str) -> None:
    worker = getattr(bookable, worker_name)
    open_hours(bookable, worker, kinds=(K.VIDEO,))
    assert free_slots_on(worker=worker, day=TUESDAY, kind=K.VIDEO), "the worker is bookable, just not by Fatima"
    before = stored()

    message = refused(
        booking.appointment_book, resident=bookable.resident, worker=worker, kind=K.VIDEO, starts=wall(TUESDAY, 10)
    )

    assert message == OWN_WORKER_ONLY
    assert stored() == before


def test_only_residents_book_for_themselves(bookable: Personas) -> None:
    before = stored()

    message = refused(
        booking.appointment_book,
        resident=bookable.trusted_person,
        worker=bookable.worker,
        kind=K.VIDEO,
        starts=wall(TUESDAY, 10),
    )

    assert message == "Alleen inwoners maken zelf een afspraak."
    assert stored() == before


def test_video_without_consent_is_refused_but_face_to_face_needs_no_plan_at_all(
    personas: Personas, clock: time_machine.Traveller
) -> None:
    open_hours(personas)
    assert not BlendPlan.objects.filter(resident=personas.resident).exists()
    before = stored()

    no_plan = refused(
        booking.appointment_book,
        resident=personas.resident,
        worker=personas.worker,
        kind=K.VIDEO,
        starts=wall(TUESDAY, 10),
    )
    unknown = refused(
        booking.appointment_book,
        resident=personas.resident,
        worker=personas.worker,
        kind="skype",
        starts=wall(TUESDAY, 10),
    )

    assert no_plan == KIND_NOT_AGREED
    assert unknown == "Kies een soort afspraak uit de lijst."
    assert stored() == before
    appointment = booking.appointment_book(
        resident=personas.resident, worker=personas.worker, kind=K.FACE_TO_FACE, starts=wall(TUESDAY, 10)
    )
    assert (appointment.kind, appointment.location) == (K.FACE_TO_FACE, personas.demo.location)

    # Video agreed in the plan, but the resident has not consented to it.
    blend_plan_save(
        resident=personas.resident,
        saved_by=personas.worker,
        review_date=None,
        best_times="",
        preferred_channel=K.FACE_TO_FACE,
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=False,
        needs_help_of_relative=False,
        notes="",
        case_channels={K.VIDEO},
        goal_channels={},
        consent_changes={},
    )
    before = stored()
    without_consent = refused(
        booking.appointment_book,
        resident=personas.resident,
        worker=personas.worker,
        kind=K.VIDEO,
        starts=wall(TUESDAY, 11),
    )
    assert without_consent == KIND_NOT_AGREED
    assert stored() == before


# --- The life of an appointment -----------------------------------------------------------------


def test_booked_confirmed_moved_and_cancelled_with_every_step_logged(
    bookable: Personas, clock: time_machine.Traveller
) -> None:
    resident, worker = bookable.resident, bookable.worker
    open_hours(bookable, weekday=3)  # Thursday mornings too

    # The resident books Thursday 10:00; Sanne is asked to confirm.
    appointment = booking.appointment_book(
        resident=resident, worker=worker, kind=K.VIDEO, starts=wall(THURSDAY, 10), topic="  Brief van de gemeente "
    )
    assert (appointment.status, appointment.sequence) == (S.AWAITING_WORKER, 0)
    assert (appointment.starts_at, appointment.ends_at) == (at(THURSDAY, 10), at(THURSDAY, 10, 45))
    assert appointment.created_by == resident
    assert appointment.topic == "Brief van de gemeente"
    assert notices_of(appointment) == [(Notice.REQUESTED, worker.username, 0)]
    assert logged(appointment, actor=resident, action=Log.CREATE) == 1
    assert timeline_of(appointment) == ["appointments.booked"]
    assert refused(booking.appointment_confirm, appointment=appointment, by=resident) == (
        "Deze afspraak wacht niet op uw bevestiging."
    )
    assert refused(booking.appointment_confirm, appointment=appointment, by=bookable.team_lead) == ONLY_THE_TWO

    # Sanne confirms: both get a confirmation, the resident a reminder a day ahead.
    appointment = booking.appointment_confirm(appointment=appointment, by=worker)
    assert (appointment.status, appointment.sequence) == (S.CONFIRMED, 1)
    assert notices_of(appointment)[1:] == [
        (Notice.CONFIRMED, resident.username, 1),
        (Notice.CONFIRMED, worker.username, 1),
        (Notice.REMINDER, resident.username, 1),
    ]
    reminder = AppointmentNotice.objects.get(appointment=appointment, purpose=Notice.REMINDER)
    assert reminder.due_at == at(WEDNESDAY, 10)
    assert logged(appointment, actor=worker, action=Log.CHANGE) == 1
    assert timeline_of(appointment) == ["appointments.booked", "appointments.confirmed"]
    assert refused(booking.appointment_confirm, appointment=appointment, by=worker) == "Deze afspraak is al bevestigd."

    # Before the deadline the resident moves it, to a free slot only.
    assert refused(booking.appointment_move, appointment=appointment, by=resident, starts=wall(THURSDAY, 13)) == (
        NOT_BOOKABLE
    )
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.sequence) == (at(THURSDAY, 10), 1)
    appointment = booking.appointment_move(appointment=appointment, by=resident, starts=wall(THURSDAY, 11))
    assert (appointment.status, appointment.sequence) == (S.AWAITING_WORKER, 2)
    assert (appointment.starts_at, appointment.ends_at) == (at(THURSDAY, 11), at(THURSDAY, 11, 45))
    assert notices_of(appointment)[4:] == [
        (Notice.CHANGED, worker.username, 2),
        (Notice.CHANGED, resident.username, 2),
    ]
    assert logged(appointment, actor=resident, action=Log.CHANGE) == 1
    assert timeline_of(appointment)[-1] == "appointments.moved"
    assert local_starts(free_slots_on(worker=worker, day=THURSDAY, kind=K.VIDEO)) == ["09:00", "10:00"]

    appointment = booking.appointment_confirm(appointment=appointment, by=worker)
    assert (appointment.status, appointment.sequence) == (S.CONFIRMED, 3)
    assert AppointmentNotice.objects.filter(
        appointment=appointment, purpose=Notice.REMINDER, sequence=3
    ).get().due_at == (at(WEDNESDAY, 11))

    # Less than 24 hours before, the resident can no longer move or cancel online.
    clock.move_to(at(WEDNESDAY, 11, 1))
    before = stored()
    assert refused(booking.appointment_move, appointment=appointment, by=resident, starts=wall(THURSDAY, 9)) == (
        MOVE_TOO_LATE
    )
    assert refused(booking.appointment_cancel, appointment=appointment, by=resident, reason="Ik kan niet") == (
        CANCEL_TOO_LATE
    )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.starts_at, appointment.sequence) == (S.CONFIRMED, at(THURSDAY, 11), 3)
    assert stored() == before

    # Sanne cancels; a reason is required.
    assert refused(booking.appointment_cancel, appointment=appointment, by=worker, reason="   ") == REASON_NEEDED
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence, appointment.cancelled_by) == (S.CONFIRMED, 3, None)
    assert stored() == before

    appointment = booking.appointment_cancel(appointment=appointment, by=worker, reason="  Ik ben ziek ")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == (S.CANCELLED, 4)
    assert (appointment.cancelled_by, appointment.cancel_reason) == (worker, "Ik ben ziek")
    assert notices_of(appointment)[-2:] == [
        (Notice.CANCELLED, resident.username, 4),
        (Notice.CANCELLED, worker.username, 4),
    ]
    assert logged(appointment, actor=worker, action=Log.CHANGE) == 3
    assert timeline_of(appointment) == [
        "appointments.booked",
        "appointments.confirmed",
        "appointments.moved",
        "appointments.confirmed",
        "appointments.cancelled",
    ]
    assert refused(booking.appointment_cancel, appointment=appointment, by=worker, reason="Nog eens") == (
        "Deze afspraak is al afgezegd of voorbij."
    )
    assert refused(booking.appointment_move, appointment=appointment, by=worker, starts_at=at(THURSDAY, 14)) == (
        "Deze afspraak is afgezegd of voorbij en kan niet meer worden verzet."
    )
    # The time is free again.
    assert local_starts(free_slots_on(worker=worker, day=THURSDAY, kind=K.VIDEO)) == ["09:00", "10:00", "11:00"]


def test_no_reminder_is_planned_when_the_appointment_is_less_than_a_day_ahead(
    bookable: Personas, clock: time_machine.Traveller
) -> None:
    clock.move_to(at(MONDAY, 9, 30))
    appointment = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 9)
    )
    booking.appointment_confirm(appointment=appointment, by=bookable.worker)

    assert [purpose for purpose, _name, _sequence in notices_of(appointment)] == [
        Notice.REQUESTED,
        Notice.CONFIRMED,
        Notice.CONFIRMED,
    ]


def test_a_resident_may_still_cancel_an_unconfirmed_booking_after_the_deadline(
    bookable: Personas, clock: time_machine.Traveller
) -> None:
    appointment = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 11)
    )
    clock.move_to(at(TUESDAY, 9))

    appointment = booking.appointment_cancel(appointment=appointment, by=bookable.resident, reason="Toch niet nodig")

    assert (appointment.status, appointment.cancelled_by) == (S.CANCELLED, bookable.resident)
    assert notices_of(appointment)[-1] == (Notice.CANCELLED, bookable.worker.username, 1)


def test_a_no_show_is_recorded_only_after_the_start_and_only_by_the_worker(
    bookable: Personas, clock: time_machine.Traveller
) -> None:
    resident, worker = bookable.resident, bookable.worker
    appointment = propose(bookable, at(TUESDAY, 10), kind=K.PHONE)
    unconfirmed = propose(bookable, at(TUESDAY, 14), kind=K.PHONE)
    appointment = booking.appointment_confirm(appointment=appointment, by=resident)

    assert refused(booking.appointment_no_show_record, appointment=appointment, by=worker) == (
        "Dit kan pas vanaf het begin van de afspraak."
    )
    clock.move_to(at(TUESDAY, 10, 5))
    assert refused(booking.appointment_no_show_record, appointment=appointment, by=resident) == (
        "Alleen de sociaal werker legt vast dat iemand niet kwam."
    )
    # The trusted person acts for the resident, so gets the resident's answer.
    assert refused(booking.appointment_no_show_record, appointment=appointment, by=bookable.trusted_person) == (
        "Alleen de sociaal werker legt vast dat iemand niet kwam."
    )
    for outsider in (bookable.other_worker, bookable.team_lead, bookable.foreign_worker):
        assert refused(booking.appointment_no_show_record, appointment=appointment, by=outsider) == ONLY_THE_TWO
    clock.move_to(at(TUESDAY, 14, 5))
    assert refused(booking.appointment_no_show_record, appointment=unconfirmed, by=worker) == (
        "Alleen een bevestigde afspraak kan als 'niet verschenen' worden vastgelegd."
    )
    appointment.refresh_from_db()
    assert appointment.status == S.CONFIRMED

    appointment = booking.appointment_no_show_record(appointment=appointment, by=worker)

    appointment.refresh_from_db()
    assert appointment.status == S.NO_SHOW
    assert logged(appointment, actor=worker, action=Log.CHANGE) == 1
    event = TimelineEvent.objects.get(object_public_id=appointment.public_id, kind="appointments.no_show")
    assert event.is_shared is False


# --- Proposals ------------------------------------------------------------------------------------


def test_a_worker_answers_a_request_with_a_proposal_the_resident_confirms(
    bookable: Personas, clock: time_machine.Traveller
) -> None:
    resident, worker = bookable.resident, bookable.worker
    request = booking.appointment_request_send(
        resident=resident, worker=worker, kinds=[K.HOME_VISIT], weekdays=[2], parts_of_day=["afternoon"], note=""
    )
    assert request.status == AppointmentRequest.Status.OPEN

    appointment = booking.appointment_propose(
        worker=worker,
        resident=resident,
        kind=K.HOME_VISIT,
        starts_at=at(WEDNESDAY, 14),
        minutes=60,
        location=None,
        request=request,
    )

    request.refresh_from_db()
    assert request.status == AppointmentRequest.Status.PROPOSED
    assert request.appointment == appointment
    assert request.handled_at is not None
    assert (appointment.status, appointment.created_by, appointment.kind) == (S.AWAITING_RESIDENT, worker, K.HOME_VISIT)
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=60)
    assert logged(appointment, actor=worker, action=Log.CREATE) == 1
    assert timeline_of(appointment) == ["appointments.proposed"]
    assert notices_of(appointment) == [(Notice.REQUESTED, resident.username, 0)]
    assert refused(booking.appointment_confirm, appointment=appointment, by=worker) == (
        "Deze afspraak wacht niet op uw bevestiging."
    )

    appointment = booking.appointment_confirm(appointment=appointment, by=resident)
    assert (appointment.status, appointment.sequence) == (S.CONFIRMED, 1)
    assert logged(appointment, actor=resident, action=Log.CHANGE) == 1

    # A request that was answered cannot be answered twice; nothing is stored then.
    before = stored()
    message = refused(
        booking.appointment_propose,
        worker=worker,
        resident=resident,
        kind=K.PHONE,
        starts_at=at(THURSDAY, 14),
        minutes=30,
        location=None,
        request=request,
    )
    assert message == "Dit verzoek is al beantwoord of ingetrokken."
    assert stored() == before


@pytest.mark.parametrize("resident_name", ["other_resident", "team_resident", "foreign_resident"])
def test_a_worker_cannot_propose_to_a_resident_off_their_caseload(bookable: Personas, resident_name: str) -> None:
    before = stored()

    message = refused(
        booking.appointment_propose,
        worker=bookable.worker,
        resident=getattr(bookable, resident_name),
        kind=K.FACE_TO_FACE,
        starts_at=at(TUESDAY, 14),
        minutes=45,
        location=bookable.demo.location,
    )

    assert message == NOT_ON_CASELOAD
    assert stored() == before


def test_overlapping_proposals_are_refused(bookable: Personas) -> None:
    propose(bookable, at(TUESDAY, 14), minutes=60)
    give_worker(bookable.resident, bookable.other_worker)
    before = stored()

    same_worker = refused(
        booking.appointment_propose,
        worker=bookable.worker,
        resident=bookable.resident,
        kind=K.PHONE,
        starts_at=at(TUESDAY, 14, 30),
        minutes=30,
        location=None,
    )
    same_resident = refused(
        booking.appointment_propose,
        worker=bookable.other_worker,
        resident=bookable.resident,
        kind=K.PHONE,
        starts_at=at(TUESDAY, 13, 30),
        minutes=45,
        location=None,
    )

    assert same_worker == TAKEN
    assert same_resident == "Er staat op deze tijd al een andere afspraak voor deze inwoner."
    assert stored() == before
    # Right after the first one is fine.
    assert propose(bookable, at(TUESDAY, 15), kind=K.PHONE).status == S.AWAITING_RESIDENT


@pytest.mark.parametrize(
    ("day", "wall_start", "minutes"),
    [
        # The night the clocks go back (31 October 2027): 02:30 summer time.
        (date(2027, 10, 31), time(2, 30), 60),
        # The night they go forward (28 March 2027): 01:30 winter time, over the gap.
        (date(2027, 3, 28), time(1, 30), 90),
    ],
)
def test_a_proposal_over_a_clock_change_lasts_its_real_minutes(
    bookable: Personas, day: date, wall_start: time, minutes: int
) -> None:
    appointment = booking.appointment_propose(
        worker=bookable.worker,
        resident=bookable.resident,
        kind=K.PHONE,
        starts_at=booking.moment_of(day, wall_start),
        minutes=minutes,
        location=None,
    )
    appointment.refresh_from_db()  # times come back in UTC: real differences
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=minutes)

    booking.appointment_move(appointment=appointment, by=bookable.worker, starts_at=at(day, 0), minutes=minutes)
    booking.appointment_move(
        appointment=appointment, by=bookable.worker, starts_at=booking.moment_of(day, wall_start), minutes=minutes
    )
    appointment.refresh_from_db()
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=minutes)


# --- Two residents, one time ------------------------------------------------------------------------

ROUNDS = 10


def book_in_own_connection(
    *, resident: User, worker: User, starts: str, barrier: threading.Barrier, results: dict[str, object]
) -> None:
    """Book in this thread's own database connection, once every racer is ready."""
    try:
        barrier.wait(timeout=30)
        results[resident.username] = booking.appointment_book(
            resident=resident, worker=worker, kind=K.FACE_TO_FACE, starts=starts
        )
    except Exception as error:  # anything else than BookingError fails the test below
        results[resident.username] = error
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_residents_booking_one_time_at_once_get_it_exactly_once(personas: Personas) -> None:
    worker = personas.worker
    racers = [personas.resident, personas.other_resident]
    give_worker(personas.other_resident, worker)
    with time_machine.travel(MONDAY_0800, tick=False):
        for weekday in range(5):
            open_hours(personas, weekday=weekday, ends=time(17), max_per_day=20)
        slots = [slot for day in free_slots_ahead(worker=worker, kind=K.FACE_TO_FACE) for slot in day.slots]
        chosen = slots[::7][:ROUNDS]  # spread over days and hours
        assert len(chosen) == ROUNDS

        for slot in chosen:
            barrier = threading.Barrier(len(racers))
            results: dict[str, object] = {}
            threads = [
                threading.Thread(
                    target=book_in_own_connection,
                    kwargs={
                        "resident": racer,
                        "worker": worker,
                        "starts": slot.value,
                        "barrier": barrier,
                        "results": results,
                    },
                )
                for racer in racers
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert not any(thread.is_alive() for thread in threads)

            booked = [name for name, result in results.items() if isinstance(result, Appointment)]
            lost = [result for result in results.values() if not isinstance(result, Appointment)]
            assert len(booked) == 1, results
            assert len(lost) == 1, results
            assert isinstance(lost[0], BookingError), repr(lost[0])
            assert str(lost[0]) == TAKEN
            holding = Appointment.objects.holding_time().filter(worker=worker, starts_at=slot.starts)
            assert [a.resident.username for a in holding] == booked

    assert Appointment.objects.count() == ROUNDS
    assert AccessLogEntry.objects.filter(object_type="appointment", action=Log.CREATE).count() == ROUNDS
    assert TimelineEvent.objects.filter(kind="appointments.booked").count() == ROUNDS


def test_the_database_refuses_a_second_appointment_holding_the_same_start(
    bookable: Personas,
) -> None:
    first = propose(bookable, at(TUESDAY, 14))

    def another(**fields: Any) -> Appointment:
        values: dict[str, Any] = {
            "organisation": bookable.organisation,
            "worker": bookable.worker,
            "resident": bookable.other_resident,
            "kind": K.PHONE,
            "starts_at": first.starts_at,
            "ends_at": first.ends_at,
            "status": S.AWAITING_WORKER,
            "created_by": bookable.other_resident,
        }
        values.update(fields)
        return Appointment(**values)

    for status in (S.AWAITING_WORKER, S.AWAITING_RESIDENT, S.CONFIRMED):
        with pytest.raises(IntegrityError), transaction.atomic():
            another(status=status).save()
    # The same for the resident: never two appointments starting at once.
    with pytest.raises(IntegrityError), transaction.atomic():
        another(worker=bookable.other_worker, resident=bookable.resident).save()

    # Appointments that no longer hold their time do not count.
    for status in (S.CANCELLED, S.NO_SHOW):
        another(status=status).save()
    assert Appointment.objects.holding_time().filter(worker=bookable.worker, starts_at=first.starts_at).count() == 1


# --- Pages --------------------------------------------------------------------------------------------


@dataclass
class SlotButton:
    value: str
    accessible_name: str
    visible_text: str


class _SlotButtonParser(HTMLParser):
    """The slot buttons (``name="tijd"``) of a page. The accessible name
    leaves out what is aria-hidden; the visible text leaves out what is
    visually hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[SlotButton] = []
        self._value: str | None = None
        # For each element open inside the button: (aria-hidden, visually hidden).
        self._open: list[tuple[bool, bool]] = []
        self._spoken: list[str] = []
        self._shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "button" and attributes.get("name") == "tijd":
            self._value, self._open, self._spoken, self._shown = attributes.get("value") or "", [], [], []
        elif self._value is not None:
            classes = (attributes.get("class") or "").split()
            self._open.append((attributes.get("aria-hidden") == "true", "visually-hidden" in classes))

    def handle_endtag(self, tag: str) -> None:
        if self._value is None:
            return
        if tag == "button":
            spoken = " ".join("".join(self._spoken).split())
            shown = " ".join("".join(self._shown).split())
            self.buttons.append(SlotButton(self._value, spoken, shown))
            self._value = None
        elif self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._value is None:
            return
        if not any(aria_hidden for aria_hidden, _visually_hidden in self._open):
            self._spoken.append(data)
        if not any(visually_hidden for _aria_hidden, visually_hidden in self._open):
            self._shown.append(data)


def slot_buttons(html: str) -> list[SlotButton]:
    parser = _SlotButtonParser()
    parser.feed(html)
    return parser.buttons


BOOK_URL = "/afspraken/maken/"
CONFIRM_URL = "/afspraken/maken/bevestigen/"
MINE_URL = "/afspraken/"
AGENDA_URL = "/werk/agenda/"


@pytest.fixture
def resident_client(bookable: Personas) -> Client:
    return client_for(bookable.resident)


def test_the_slot_picker_lists_the_free_times_of_the_chosen_kind_with_the_whole_date_in_each_button(
    bookable: Personas, resident_client: Client
) -> None:
    open_hours(bookable, weekday=2, starts=time(13), ends=time(15), kinds=(K.HOME_VISIT,))
    propose(bookable, at(TUESDAY, 10))

    video = resident_client.get(BOOK_URL, {"soort": K.VIDEO})
    home_visit = resident_client.get(BOOK_URL, {"soort": K.HOME_VISIT})

    assert video.status_code == home_visit.status_code == 200
    video_buttons = slot_buttons(video.content.decode())
    # Four Tuesdays within the four weeks from Monday 30 November; 10:00 on 1 December is taken.
    assert [button.value for button in video_buttons] == [
        "2026-12-01T09:00",
        "2026-12-01T11:00",
        *(f"2026-12-{day:02d}T{hour:02d}:00" for day in (8, 15, 22) for hour in (9, 10, 11)),
    ]
    assert video_buttons[0].accessible_name == "Dinsdag 1 december 2026 om 09:00 uur"
    assert video_buttons[0].visible_text == "09:00"
    assert video_buttons[-1].accessible_name == "Dinsdag 22 december 2026 om 11:00 uur"
    for button in video_buttons:
        assert re.fullmatch(r"Dinsdag \d{1,2} december 2026 om \d\d:\d\d uur", button.accessible_name), button
    home_visit_buttons = slot_buttons(home_visit.content.decode())
    assert [button.value for button in home_visit_buttons] == [
        f"2026-12-{day:02d}T{hour}:00" for day in (2, 9, 16, 23) for hour in (13, 14)
    ]
    assert home_visit_buttons[0].accessible_name == "Woensdag 2 december 2026 om 13:00 uur"


def test_the_slot_picker_refuses_a_kind_that_is_not_offered(personas: Personas, clock: time_machine.Traveller) -> None:
    open_hours(personas)

    response = client_for(personas.resident).get(BOOK_URL, {"soort": K.VIDEO})

    assert response.status_code == 200
    assert "Kies een soort afspraak uit de lijst." in response.content.decode()
    assert slot_buttons(response.content.decode()) == []


def test_booking_on_the_confirm_page_says_the_time_in_words_and_leads_to_the_appointment(
    bookable: Personas, resident_client: Client
) -> None:
    choice = {"soort": K.VIDEO, "medewerker": str(bookable.worker.public_id), "tijd": wall(TUESDAY, 10)}

    shown = resident_client.get(CONFIRM_URL, choice)
    assert shown.status_code == 200
    assert "Dinsdag 1 december 2026 om 10:00 uur" in shown.content.decode()
    assert not Appointment.objects.exists()

    response = resident_client.post(CONFIRM_URL, {**choice, "topic": "Mijn post"})

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/afspraken/{appointment.public_id}/"
    assert (appointment.resident, appointment.worker, appointment.starts_at) == (
        bookable.resident,
        bookable.worker,
        at(TUESDAY, 10),
    )
    assert (appointment.status, appointment.topic) == (S.AWAITING_WORKER, "Mijn post")


def test_booking_a_taken_time_on_the_confirm_page_says_so_and_stores_nothing(
    bookable: Personas, resident_client: Client
) -> None:
    give_worker(bookable.other_resident, bookable.worker)
    booking.appointment_book(
        resident=bookable.other_resident, worker=bookable.worker, kind=K.FACE_TO_FACE, starts=wall(TUESDAY, 10)
    )
    before = stored()

    response = resident_client.post(
        CONFIRM_URL, {"soort": K.VIDEO, "medewerker": str(bookable.worker.public_id), "tijd": wall(TUESDAY, 10)}
    )

    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert stored() == before


@pytest.mark.parametrize(
    ("starts", "message"),
    [("2026-11-31T10:00", NO_SUCH_MOMENT), ("2026-12-01T13:00", NOT_BOOKABLE), ("morgen", NO_SUCH_MOMENT)],
)
def test_the_confirm_page_refuses_bad_times_in_dutch(
    bookable: Personas, resident_client: Client, starts: str, message: str
) -> None:
    before = stored()

    response = resident_client.post(CONFIRM_URL, {"soort": K.VIDEO, "tijd": starts})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == before


def test_my_appointments_lists_the_upcoming_ones(bookable: Personas, resident_client: Client) -> None:
    booking.appointment_book(resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 10))

    response = resident_client.get(MINE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dinsdag 1 december 2026, 10:00" in page
    assert "Wacht op bevestiging van de sociaal werker" in page


def test_the_worker_agenda_shows_the_day_and_the_week_and_logs_the_residents_listed(
    bookable: Personas,
) -> None:
    booked = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 10)
    )
    # Confirmed: one awaiting the worker would be listed above every day and week.
    booking.appointment_confirm(appointment=booked, by=bookable.worker)
    client = client_for(bookable.worker)

    day = client.get(AGENDA_URL, {"dag": TUESDAY.isoformat(), "weergave": "dag"})
    week = client.get(AGENDA_URL, {"dag": THURSDAY.isoformat(), "weergave": "week"})
    other_day = client.get(AGENDA_URL, {"dag": WEDNESDAY.isoformat(), "weergave": "dag"})

    assert day.status_code == week.status_code == other_day.status_code == 200
    assert bookable.resident.full_name in day.content.decode()
    assert "10:00\N{EN DASH}10:45" in day.content.decode()
    assert bookable.resident.full_name in week.content.decode()
    assert "Zondag 6 december 2026" in week.content.decode()
    assert bookable.resident.full_name not in other_day.content.decode()
    listed = AccessLogEntry.objects.filter(
        actor=bookable.worker, subject=bookable.resident, object_type="appointment", action=Log.LIST
    )
    assert listed.count() == 2  # the day and the week; the empty Wednesday lists nobody


def test_a_team_lead_opens_the_agenda_of_their_team_but_not_of_another_team(
    bookable: Personas,
) -> None:
    team_appointment = propose(bookable, at(TUESDAY, 10), worker=bookable.team_worker, resident=bookable.team_resident)
    propose(bookable, at(TUESDAY, 11))  # Sanne's, in another team
    client = client_for(bookable.team_lead)

    own_team = client.get(AGENDA_URL, {"dag": TUESDAY.isoformat(), "medewerker": str(bookable.team_worker.public_id)})
    other_team = client.get(AGENDA_URL, {"dag": TUESDAY.isoformat(), "medewerker": str(bookable.worker.public_id)})

    assert own_team.status_code == other_team.status_code == 200
    own_page, other_page = own_team.content.decode(), other_team.content.decode()
    assert f"Agenda van {bookable.team_worker.full_name}" in own_page
    assert f"/afspraken/{team_appointment.public_id}/" in own_page
    assert "Mijn agenda" in other_page
    assert bookable.resident.full_name not in other_page
    select = re.search(r'<select id="medewerker".*?</select>', own_page, re.DOTALL)
    assert select is not None
    options = re.findall(r"<option [^>]*>([^<]*)</option>", select.group(0))
    assert options == [bookable.team_lead.full_name, bookable.team_worker.full_name]
    assert AccessLogEntry.objects.filter(
        actor=bookable.team_lead, subject=bookable.team_resident, object_type="appointment", action=Log.LIST
    ).exists()
    assert not AccessLogEntry.objects.filter(
        actor=bookable.team_lead, subject=bookable.resident, object_type="appointment"
    ).exists()


def agenda_queries(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AGENDA_URL, params)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_agenda_needs_the_same_queries_for_1_and_for_30_appointments(bookable: Personas) -> None:
    give_worker(bookable.other_resident, bookable.worker)
    client = client_for(bookable.worker)
    week = {"dag": TUESDAY.isoformat(), "weergave": "week"}
    propose(bookable, at(TUESDAY, 9))
    client.get(AGENDA_URL, week)  # the first request writes the session
    one = agenda_queries(client, week)

    for day in range(5):
        for hour in range(6):
            if (day, hour) != (0, 0):
                resident = bookable.resident if hour % 2 else bookable.other_resident
                propose(bookable, at(TUESDAY + timedelta(days=day), 9 + hour), resident=resident)
    assert Appointment.objects.count() == 30
    thirty = agenda_queries(client, week)

    assert one == thirty


def detail_url(appointment: Appointment, action: str = "") -> str:
    return f"/afspraken/{appointment.public_id}/{action}"


def test_both_sides_read_the_appointment_page_and_each_read_is_logged(bookable: Personas) -> None:
    appointment = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 10)
    )

    for user in (bookable.resident, bookable.worker):
        response = client_for(user).get(detail_url(appointment))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Dinsdag 1 december 2026 om 10:00 uur" in page
        assert f'href="{detail_url(appointment, "agenda.ics")}"' in page
        assert logged(appointment, actor=user, action=Log.VIEW) == 1
    worker_page = client_for(bookable.worker).get(detail_url(appointment)).content.decode()
    assert "Afspraak bevestigen" in worker_page


def unchanged(appointment: Appointment) -> tuple[object, ...]:
    appointment.refresh_from_db()
    return (appointment.status, appointment.starts_at, appointment.sequence, appointment.updated_at)


@pytest.mark.parametrize(
    "name", ["other_resident", "other_worker", "team_lead", "team_worker", "foreign_worker", "foreign_resident"]
)
def test_outsiders_get_not_found_for_an_appointment_and_change_nothing(bookable: Personas, name: str) -> None:
    appointment = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 10)
    )
    before = unchanged(appointment)
    client = client_for(getattr(bookable, name))

    assert client.get(detail_url(appointment)).status_code == 404
    assert client.get(detail_url(appointment, "agenda.ics")).status_code == 404
    assert client.post(detail_url(appointment, "bevestigen/")).status_code == 404
    assert client.post(detail_url(appointment, "afzeggen/"), {"reason": "Weg ermee"}).status_code == 404
    assert client.post(detail_url(appointment, "verzetten/"), {"tijd": wall(TUESDAY, 11)}).status_code == 404
    assert unchanged(appointment) == before
    assert logged(appointment, actor=getattr(bookable, name), action=Log.VIEW) == 0


def test_a_trusted_person_with_the_appointments_scope_moves_and_cancels_for_the_resident(
    bookable: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A mantelzorger granted "appointments" acts for the resident, under the
    resident's rules, logged under their own name against the resident;
    messages stay closed (404), and a revoked grant ends it at the next request."""
    from messaging.tests.helpers import conversation_url, direct_conversation
    from organisations.services import trusted_person_grant_revoke

    appointment = booking.appointment_book(
        resident=bookable.resident, worker=bookable.worker, kind=K.VIDEO, starts=wall(TUESDAY, 10)
    )
    booking.appointment_confirm(appointment=appointment, by=bookable.worker)
    conversation = direct_conversation(bookable.resident, bookable.worker)
    client = client_for(bookable.trusted_person)

    detail = client.get(detail_url(appointment)).content.decode()
    listing = client.get(f"/naaste/{bookable.resident.public_id}/afspraken/")
    assert listing.status_code == 200
    assert "Dinsdag 1 december 2026 om 10:00 uur" in detail
    assert "Andere tijd kiezen" in detail and "Afzeggen" in detail
    assert logged(appointment, actor=bookable.trusted_person, action=Log.VIEW) == 1

    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(detail_url(appointment, "verzetten/"), {"tijd": wall(TUESDAY, 11)})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert timezone_local_hour(appointment) == 11
    assert appointment.status == S.AWAITING_WORKER  # the worker confirms the new time, as for the resident
    [entry] = AccessLogEntry.objects.filter(actor=bookable.trusted_person, action=Log.CHANGE)
    assert (entry.subject, entry.actor_name) == (bookable.resident, bookable.trusted_person.full_name)
    assert TimelineEvent.objects.filter(kind="appointments.moved", actor=bookable.trusted_person).exists()
    # The worker is asked to confirm; the resident hears what was done for them.
    told = set(
        AppointmentNotice.objects.filter(appointment=appointment, purpose="changed").values_list("recipient", flat=True)
    )
    assert {bookable.worker.pk, bookable.resident.pk} <= told

    # Messages were not granted: the conversation and its way in are 404.
    assert client.get(conversation_url(conversation)).status_code == 404
    assert client.get(f"/naaste/{bookable.resident.public_id}/berichten/").status_code == 404

    trusted_person_grant_revoke(
        grant=bookable.resident.trusted_person_grants.get(revoked_at__isnull=True), revoked_by=bookable.resident
    )
    before = unchanged(appointment)
    assert client.post(detail_url(appointment, "afzeggen/"), {"reason": "Ze kan niet"}).status_code == 404
    assert client.get(detail_url(appointment)).status_code == 404
    assert unchanged(appointment) == before


def timezone_local_hour(appointment: Appointment) -> int:
    from django.utils import timezone

    return timezone.localtime(appointment.starts_at).hour


def test_through_the_pages_the_worker_confirms_the_resident_moves_and_the_worker_cancels(
    bookable: Personas, resident_client: Client
) -> None:
    resident_client.post(
        CONFIRM_URL, {"soort": K.VIDEO, "medewerker": str(bookable.worker.public_id), "tijd": wall(TUESDAY, 10)}
    )
    appointment = Appointment.objects.get()
    worker_client = client_for(bookable.worker)

    confirmed = worker_client.post(detail_url(appointment, "bevestigen/"))
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == detail_url(appointment)
    assert unchanged(appointment)[:3] == (S.CONFIRMED, at(TUESDAY, 10), 1)
    assert logged(appointment, actor=bookable.worker, action=Log.CHANGE) == 1

    move_page = resident_client.get(detail_url(appointment, "verzetten/"))
    assert move_page.status_code == 200
    assert "2026-12-01T11:00" in [button.value for button in slot_buttons(move_page.content.decode())]
    moved = resident_client.post(detail_url(appointment, "verzetten/"), {"tijd": wall(TUESDAY, 11)})
    assert moved.status_code == 302
    assert unchanged(appointment)[:3] == (S.AWAITING_WORKER, at(TUESDAY, 11), 2)

    before = unchanged(appointment)
    no_reason = worker_client.post(detail_url(appointment, "afzeggen/"), {"reason": "  "})
    assert no_reason.status_code == 200
    assert "Waarom zegt u af?: Dit veld is verplicht." in no_reason.content.decode()
    assert unchanged(appointment) == before
    cancelled = worker_client.post(detail_url(appointment, "afzeggen/"), {"reason": "Ik ben ziek"})
    assert cancelled.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancelled_by, appointment.cancel_reason) == (
        S.CANCELLED,
        bookable.worker,
        "Ik ben ziek",
    )
    assert timeline_of(appointment) == [
        "appointments.booked",
        "appointments.confirmed",
        "appointments.moved",
        "appointments.cancelled",
    ]


def test_the_repeated_hour_when_the_clocks_go_back_can_be_booked_twice(personas: Personas) -> None:
    """Both 02:00 slots of 25 October 2026 have their own form value, and each
    books its own real moment."""
    open_hours(personas, weekday=6, starts=time(1), ends=time(4), kinds=(K.VIDEO,))
    days = free_slots_ahead(
        worker=personas.worker,
        kind=K.VIDEO,
        first_day=date(2026, 10, 25),
        days=1,
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    values = [slot.value for slot in days[0].slots]
    assert values == ["2026-10-25T01:00", "2026-10-25T02:00", "2026-10-25T02:00~2", "2026-10-25T03:00"]
    assert booking.wall_clock_parse("2026-10-25T02:00") == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    assert booking.wall_clock_parse("2026-10-25T02:00~2") == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    # The booking service finds each slot again from its form value.
    assert [booking.wall_clock_parse(slot.value) for slot in days[0].slots] == [s.starts for s in days[0].slots]
    with pytest.raises(booking.BookingError):
        booking.wall_clock_parse("2026-12-01T10:00~2")


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:30", "0001-01-01T00:00~2"])
def test_a_time_at_the_ends_of_the_calendar_is_refused_by_the_service_itself(value: str) -> None:
    """Not only the forms: any caller of the service gets the plain message
    instead of an OverflowError in the time-zone arithmetic."""
    with pytest.raises(booking.BookingError):
        booking.wall_clock_parse(value)
