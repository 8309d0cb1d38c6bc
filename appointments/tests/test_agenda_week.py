"""The worker's agenda as a week grid: Monday to Sunday, hours down the
side, opening on this week; requests without a time and appointments that
wait for the worker above the grid, whatever the week.

The clock stands still at Wednesday 9 December 2026, 08:00 in Amsterdam.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from appointments import booking, services
from appointments.agenda_grid import week_grid
from appointments.models import Appointment, AppointmentStatus, GroupSession
from appointments.sessions import group_session_plan
from appointments.tests.factories import agree_all_kinds
from audit.models import AccessLogEntry
from conftest import Personas, client_for
from organisations.models import CaseloadAssignment

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 12, 9, 8, 0, tzinfo=AMSTERDAM)
MONDAY = date(2026, 12, 7)
WEDNESDAY = date(2026, 12, 9)
THURSDAY = date(2026, 12, 10)
SUNDAY = date(2026, 12, 13)
AGENDA_URL = "/werk/agenda/"
FELL_BACK = "Deze datum bestaat niet. U ziet vandaag."


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def agenda(personas: Personas, clock: time_machine.Traveller) -> Personas:
    """Sanne and Peter may meet their residents in every way."""
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    agree_all_kinds(resident=personas.team_resident, worker=personas.team_worker)
    return personas


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def propose(
    personas: Personas,
    starts_at: datetime,
    *,
    minutes: int = 45,
    worker: User | None = None,
    resident: User | None = None,
    kind: str = "video",
) -> Appointment:
    """Proposed by the worker: waits for the resident (tentative)."""
    return booking.appointment_propose(
        worker=worker or personas.worker,
        resident=resident or personas.resident,
        kind=kind,
        starts_at=starts_at,
        minutes=minutes,
        location=personas.demo.location if kind == "face_to_face" else None,
    )


def confirmed(
    personas: Personas,
    starts_at: datetime,
    *,
    minutes: int = 45,
    worker: User | None = None,
    resident: User | None = None,
    kind: str = "video",
) -> Appointment:
    """Proposed by the worker and confirmed by the resident."""
    appointment = propose(personas, starts_at, minutes=minutes, worker=worker, resident=resident, kind=kind)
    return booking.appointment_confirm(appointment=appointment, by=appointment.resident)


def page_of(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def day_section(page: str, day: date) -> str:
    """The HTML of one day's column in the week grid."""
    match = re.search(
        rf'<section class="agenda-day[^"]*" aria-labelledby="dag-{day.isoformat()}">(.*?)</section>', page, re.DOTALL
    )
    assert match is not None, f"no column for {day}"
    return match.group(1)


def entry_classes(section: str) -> list[str]:
    return re.findall(r'<li class="agenda-entry ([^"]*)">', section)


# --- The week ---------------------------------------------------------------------------


def test_the_agenda_opens_on_the_week_of_today_with_monday_first(agenda: Personas) -> None:
    response = client_for(agenda.worker).get(AGENDA_URL)

    page = page_of(response)
    days = [column.day for column in response.context["grid"].days]
    assert days == [MONDAY + timedelta(days=i) for i in range(7)]
    headings = re.findall(r'<h3 id="dag-([\d-]+)"', page)
    assert headings == [d.isoformat() for d in days]
    assert '<span aria-hidden="true">ma 7 dec</span>' in page
    assert "Maandag 7 december 2026" in page
    assert "Zondag 13 december 2026" in page
    assert '<h3 id="dag-2026-12-09" aria-current="date">' in page
    assert page.count('aria-current="date"') == 1
    assert "Week 50: 7 december tot en met 13 december 2026" in page
    assert '<option value="week" selected>' in page


def test_the_week_pages_back_and_forth_and_back_to_this_week(agenda: Personas) -> None:
    page = page_of(client_for(agenda.worker).get(AGENDA_URL, {"dag": "2026-12-31"}))

    assert '<a href="?dag=2026-12-21">Vorige week</a>' in page
    assert '<a href="?dag=2026-12-09">Deze week</a>' in page
    assert '<a href="?dag=2027-01-04">Volgende week</a>' in page
    assert "Week 53: 28 december tot en met 3 januari 2027" in page


def test_an_appointment_stands_in_its_day_column_across_its_time(agenda: Personas) -> None:
    appointment = confirmed(agenda, at(THURSDAY, 10), kind="face_to_face")

    page = page_of(client_for(agenda.worker).get(AGENDA_URL))

    thursday = day_section(page, THURSDAY)
    # 08:00 is row 1; 10:00 is eight quarters later; 45 minutes take three rows.
    assert entry_classes(thursday) == ["at-9 span-3 lane-1"]
    assert f'<a href="/afspraken/{appointment.public_id}/">{agenda.resident.full_name}</a>' in thursday
    assert "Gesprek op een locatie · " + agenda.demo.location.name in thursday
    assert '<time datetime="2026-12-10T10:00:00+01:00">10:00</time>' in thursday
    assert "Voorlopig" not in thursday
    for other in (MONDAY, WEDNESDAY, SUNDAY):
        assert agenda.resident.full_name not in day_section(page, other)
        assert "Geen afspraken." in day_section(page, other)


def test_an_appointment_waiting_for_confirmation_is_shown_as_tentative_in_words(agenda: Personas) -> None:
    propose(agenda, at(THURSDAY, 13, 30), minutes=60)

    page = page_of(client_for(agenda.worker).get(AGENDA_URL))

    thursday = day_section(page, THURSDAY)
    assert entry_classes(thursday) == ["at-23 span-4 lane-1 is-tentative"]
    assert '<strong class="agenda-status">Voorlopig</strong>' in thursday
    assert "Wacht op bevestiging van de inwoner" in thursday


def test_a_cancelled_appointment_is_not_in_the_grid_and_its_resident_not_logged(agenda: Personas) -> None:
    appointment = confirmed(agenda, at(THURSDAY, 10))
    booking.appointment_cancel(appointment=appointment, by=agenda.worker, reason="Ziek")
    listed_before = AccessLogEntry.objects.filter(actor=agenda.worker, action=AccessLogEntry.Action.LIST).count()

    page = page_of(client_for(agenda.worker).get(AGENDA_URL))

    assert entry_classes(day_section(page, THURSDAY)) == []
    assert agenda.resident.full_name not in page
    assert (
        AccessLogEntry.objects.filter(actor=agenda.worker, action=AccessLogEntry.Action.LIST).count() == listed_before
    )


def test_the_hours_run_from_eight_to_six_or_wider_when_an_appointment_needs_it(agenda: Personas) -> None:
    client = client_for(agenda.worker)
    quiet = client.get(AGENDA_URL)
    assert [label.hour for label in quiet.context["grid"].hours] == list(range(8, 18))

    confirmed(agenda, at(THURSDAY, 7, 15), minutes=30)
    confirmed(agenda, at(date(2026, 12, 11), 18, 30), minutes=60)
    busy = client.get(AGENDA_URL)

    assert [label.hour for label in busy.context["grid"].hours] == list(range(7, 20))
    page = page_of(busy)
    assert '<span class="at-1 span-4">07:00</span>' in page
    assert entry_classes(day_section(page, THURSDAY)) == ["at-2 span-2 lane-1"]
    assert entry_classes(day_section(page, date(2026, 12, 11))) == ["at-47 span-4 lane-1"]


def test_the_worker_sees_the_group_sessions_they_host(agenda: Personas) -> None:
    session = group_session_plan(
        host=agenda.worker,
        title="Omgaan met geld",
        description="",
        kind=GroupSession.Kind.FACE_TO_FACE,
        location=agenda.demo.location,
        starts_at=at(THURSDAY, 10),
        minutes=90,
        capacity=8,
    )
    confirmed(agenda, at(THURSDAY, 11), minutes=30)

    page = page_of(client_for(agenda.worker).get(AGENDA_URL))

    thursday = day_section(page, THURSDAY)
    # The appointment overlaps the session: side by side, each in its own lane.
    assert entry_classes(thursday) == ["at-9 span-6 lane-1 is-session", "at-13 span-2 lane-2"]
    assert 'class="agenda-entries lanes-2"' in thursday
    assert f'<a href="/groepsbijeenkomsten/{session.public_id}/">Omgaan met geld</a>' in thursday


def test_the_day_view_stays_available(agenda: Personas) -> None:
    confirmed(agenda, at(THURSDAY, 10))

    page = page_of(client_for(agenda.worker).get(AGENDA_URL, {"dag": THURSDAY.isoformat(), "weergave": "dag"}))

    assert "Donderdag 10 december 2026" in page
    assert "10:00\N{EN DASH}10:45" in page
    assert '<a href="?dag=2026-12-09&amp;weergave=dag">Vorige dag</a>' in page
    assert '<a href="?dag=2026-12-09&amp;weergave=dag">Vandaag</a>' in page
    assert "agenda-week" not in page


# --- What waits for the worker ------------------------------------------------------------


def test_open_requests_stand_above_the_grid_with_their_count(agenda: Personas) -> None:
    client = client_for(agenda.worker)
    assert "Verzoeken om een afspraak (0)" in page_of(client.get(AGENDA_URL))
    request = booking.appointment_request_send(
        resident=agenda.resident,
        worker=agenda.worker,
        kinds=["video"],
        weekdays=[1],
        parts_of_day=["morning"],
        note="Liefst vroeg",
    )

    page = page_of(client.get(AGENDA_URL))

    assert "Verzoeken om een afspraak (1)" in page
    propose_url = f"/werk/inwoners/{agenda.resident.public_id}/afspraak/?verzoek={request.public_id}"
    assert f'href="{propose_url}"' in page
    assert page.index("Verzoeken om een afspraak") < page.index('class="agenda-week"')


def test_an_appointment_waiting_for_the_worker_in_a_later_week_is_listed_above_the_grid(agenda: Personas) -> None:
    services.booking_rules_set(worker=agenda.worker, buffer_minutes=15, max_per_day=6, slot_minutes=45)
    services.availability_add(
        worker=agenda.worker, weekday=1, starts_at=time(9), ends_at=time(12), kinds=["video"], location=None
    )
    later = booking.appointment_book(
        resident=agenda.resident, worker=agenda.worker, kind="video", starts="2026-12-22T10:00"
    )
    assert later.status == AppointmentStatus.AWAITING_WORKER

    page = page_of(client_for(agenda.worker).get(AGENDA_URL))

    assert "Wacht op uw bevestiging (1)" in page
    assert f'href="/afspraken/{later.public_id}/"' in page
    assert "Dinsdag 22 december, 10:00\N{EN DASH}10:45" in page
    assert page.index("Wacht op uw bevestiging") < page.index('class="agenda-week"')


# --- Who sees whose agenda ------------------------------------------------------------------


def test_a_team_lead_reads_the_week_of_a_team_member(agenda: Personas) -> None:
    appointment = confirmed(agenda, at(THURSDAY, 9), worker=agenda.team_worker, resident=agenda.team_resident)

    page = page_of(client_for(agenda.team_lead).get(AGENDA_URL, {"medewerker": str(agenda.team_worker.public_id)}))

    assert f"Agenda van {agenda.team_worker.full_name}" in page
    assert f'<a href="/afspraken/{appointment.public_id}/">{agenda.team_resident.full_name}</a>' in day_section(
        page, THURSDAY
    )
    assert f'<a href="?dag=2026-11-30&amp;medewerker={agenda.team_worker.public_id}">Vorige week</a>' in page
    # Requests are the team lead's own business, on their own agenda.
    assert "Verzoeken om een afspraak" not in page
    assert AccessLogEntry.objects.filter(
        actor=agenda.team_lead, subject=agenda.team_resident, action=AccessLogEntry.Action.LIST
    ).exists()


@pytest.mark.parametrize("name", ["foreign_worker", "other_worker", "team_worker"])
def test_someone_elses_agenda_in_the_address_falls_back_to_ones_own_without_a_leak(agenda: Personas, name: str) -> None:
    """Sanne asks for the agenda of a worker of another organisation, of a
    colleague and of another team: she sees her own week."""
    other: User = getattr(agenda, name)
    resident = agenda.team_resident if name == "team_worker" else agenda.other_resident
    if name == "foreign_worker":
        resident = agenda.foreign_resident
    if name != "team_worker":
        CaseloadAssignment.objects.get_or_create(resident=resident, worker=other)
    agree_all_kinds(resident=resident, worker=other)
    theirs = confirmed(agenda, at(THURSDAY, 10), worker=other, resident=resident)

    response = client_for(agenda.worker).get(AGENDA_URL, {"medewerker": str(other.public_id)})

    page = page_of(response)
    assert "Mijn agenda" in page
    assert response.context["worker"] == agenda.worker
    assert str(theirs.public_id) not in page
    assert resident.full_name not in page
    assert not AccessLogEntry.objects.filter(actor=agenda.worker, subject=resident).exists()


@pytest.mark.parametrize("day", ["2026-02-30", "morgen", "9999-12-31"])
def test_a_bad_day_shows_this_week_with_a_message(agenda: Personas, day: str) -> None:
    response = client_for(agenda.worker).get(AGENDA_URL, {"dag": day})

    page = page_of(response)
    assert FELL_BACK in page
    assert response.context["grid"].days[0].day == MONDAY


# --- The same queries for any number of appointments -------------------------------------


def _agenda_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AGENDA_URL, {"dag": WEDNESDAY.isoformat()})
    assert response.status_code == 200
    return len(queries.captured_queries)


def _fill_the_week(personas: Personas, residents: list[User], numbers: range) -> None:
    """Quarter-hour phone calls, forty a day from Thursday 06:00,
    the residents taking turns; two in three confirmed, the rest tentative."""
    for number in numbers:
        starts = at(THURSDAY + timedelta(days=number // 40), 6) + timedelta(minutes=15 * (number % 40))
        resident = residents[number % len(residents)]
        appointment = propose(personas, starts, minutes=15, resident=resident, kind="phone")
        if number % 3:
            booking.appointment_confirm(appointment=appointment, by=resident)


def test_the_week_needs_the_same_queries_for_3_and_for_150_appointments(agenda: Personas) -> None:
    residents = [agenda.resident, agenda.other_resident, agenda.team_resident]
    for resident in residents[1:]:
        CaseloadAssignment.objects.get_or_create(resident=resident, worker=agenda.worker)
        agree_all_kinds(resident=resident, worker=agenda.worker)
    client = client_for(agenda.worker)
    _fill_the_week(agenda, residents, range(3))
    client.get(AGENDA_URL)  # the first request writes the session
    three = _agenda_queries(client)

    _fill_the_week(agenda, residents, range(3, 150))
    week_starts = timezone.make_aware(datetime.combine(MONDAY, time.min))
    in_week = Appointment.objects.filter(starts_at__gte=week_starts, starts_at__lt=week_starts + timedelta(days=7))
    assert in_week.count() == 150
    hundred_fifty = _agenda_queries(client)

    assert three == hundred_fifty


# --- The layout on its own --------------------------------------------------------------------


def _unsaved(starts_at: datetime, minutes: int, status: str = AppointmentStatus.CONFIRMED) -> Appointment:
    return Appointment(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes), status=status)


def test_overlapping_entries_take_lanes_and_free_lanes_are_reused() -> None:
    first = _unsaved(at(THURSDAY, 9), 60)
    overlapping = _unsaved(at(THURSDAY, 9, 30), 60)
    after_first = _unsaved(at(THURSDAY, 10), 30)
    cancelled = _unsaved(at(THURSDAY, 9), 60, AppointmentStatus.CANCELLED)

    week = week_grid(
        first_day=MONDAY, appointments=[first, overlapping, after_first, cancelled], sessions=[], today=NOW.date()
    )

    thursday = week.days[3]
    assert [(e.row, e.span, e.lane) for e in thursday.entries] == [(5, 4, 1), (7, 4, 2), (9, 2, 1)]
    assert thursday.lanes == 2
    assert all(day.lanes == 1 for day in week.days if day is not thursday)


def test_an_appointment_across_midnight_or_before_monday_stays_inside_the_grid() -> None:
    into_the_night = _unsaved(at(SUNDAY, 23), 90)
    from_last_week = _unsaved(at(MONDAY - timedelta(days=1), 23, 30), 60)

    week = week_grid(first_day=MONDAY, appointments=[into_the_night, from_last_week], sessions=[], today=NOW.date())

    assert week.rows == 24 * 4
    assert [(e.row, e.span) for e in week.days[0].entries] == [(1, 2)]
    assert [(e.row, e.span) for e in week.days[6].entries] == [(93, 4)]
