"""Dates at the ends of the calendar (year 1, year 9999) get a plain answer.

They used to overflow (``OverflowError``, a server error) when they became
a moment in UTC or a week was added to them. Every form now refuses days
outside 1900 to 2100 with a message and stores nothing; the agenda's ``?dag=``
falls back to today.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AvailabilityException, ClosingDay, GroupSession
from appointments.tests.factories import confirmed_appointment
from conftest import Personas, client_for

EXTREME_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]
RANGE_MESSAGE = "Kies een datum tussen 1 januari 1900 en 31 december 2100."


def _text(response: Any) -> str:
    return response.content.decode()


def _appointment_far_ahead(personas: Personas) -> Appointment:
    return confirmed_appointment(
        resident=personas.resident,
        worker=personas.worker,
        kind="phone",
        starts_at=timezone.now() + timedelta(days=10),
    )


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01"])
@pytest.mark.parametrize("view", ["", "week"])
def test_the_agenda_shows_today_for_a_day_off_the_calendar(personas: Personas, day: str, view: str) -> None:
    response = client_for(personas.worker).get(reverse("appointments:agenda"), {"dag": day, "weergave": view})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert "Deze datum bestaat niet. U ziet vandaag." in _text(response)


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:30", "9999-12-31T23:30~2"])
def test_booking_a_time_off_the_calendar_is_refused(personas: Personas, moment: str) -> None:
    client = client_for(personas.resident)
    data = {"soort": "phone", "medewerker": str(personas.worker.public_id), "tijd": moment}
    assert client.get(reverse("appointments:book_confirm"), data).status_code == 200
    before = Appointment.objects.count()
    response = client.post(reverse("appointments:book_confirm"), data)
    assert response.status_code == 200
    assert "Deze datum of tijd bestaat niet" in _text(response)
    assert Appointment.objects.count() == before


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:30"])
def test_a_resident_cannot_move_to_a_time_off_the_calendar(personas: Personas, moment: str) -> None:
    appointment = _appointment_far_ahead(personas)
    starts_at, status = appointment.starts_at, appointment.status
    response = client_for(personas.resident).post(
        reverse("appointments:move", kwargs={"public_id": appointment.public_id}), {"tijd": moment}
    )
    assert response.status_code == 200
    assert "Deze datum of tijd bestaat niet" in _text(response)
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.status) == (starts_at, status)


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_worker_cannot_propose_a_day_off_the_calendar(personas: Personas, day: str) -> None:
    before = Appointment.objects.count()
    response = client_for(personas.worker).post(
        reverse("appointments:propose", kwargs={"public_id": personas.resident.public_id}),
        {"kind": "phone", "day": day, "time": "23:30", "minutes": "240"},
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    assert Appointment.objects.count() == before


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_worker_cannot_move_to_a_day_off_the_calendar(personas: Personas, day: str) -> None:
    appointment = _appointment_far_ahead(personas)
    starts_at = appointment.starts_at
    response = client_for(personas.worker).post(
        reverse("appointments:move", kwargs={"public_id": appointment.public_id}),
        {"day": day, "time": "23:30", "minutes": "240"},
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    appointment.refresh_from_db()
    assert appointment.starts_at == starts_at


def _session_form(personas: Personas, day: str) -> dict[str, str]:
    return {
        "title": "Koken met weinig geld",
        "kind": "face_to_face",
        "location": str(personas.demo.location.public_id),
        "day": day,
        "start_time": "23:30",
        "minutes": "480",
        "capacity": "8",
    }


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_group_session_cannot_be_planned_off_the_calendar(personas: Personas, day: str) -> None:
    before = GroupSession.objects.count()
    response = client_for(personas.worker).post(reverse("appointments:session_create"), _session_form(personas, day))
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    assert GroupSession.objects.count() == before


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_group_session_cannot_be_moved_off_the_calendar(personas: Personas, day: str) -> None:
    from appointments.sessions import group_session_plan

    session = group_session_plan(
        host=personas.worker,
        title="Training",
        description="",
        kind="face_to_face",
        location=personas.demo.location,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=90,
        capacity=10,
    )
    response = client_for(personas.worker).post(
        reverse("appointments:session_change", kwargs={"public_id": session.public_id}),
        _session_form(personas, day),
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    session.refresh_from_db()
    assert (session.ends_at - session.starts_at) == timedelta(minutes=90)


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_an_absence_off_the_calendar_is_refused(personas: Personas, day: str) -> None:
    response = client_for(personas.worker).post(
        reverse("appointments:availability"),
        {"formulier": "afwezig", "afwezig-first_day": day, "afwezig-last_day": "9999-12-31"},
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    assert not AvailabilityException.objects.filter(worker=personas.worker).exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_closing_day_off_the_calendar_is_refused(personas: Personas, day: str) -> None:
    response = client_for(personas.admin).post(reverse("appointments:closing_days"), {"day": day})
    assert response.status_code == 200
    assert RANGE_MESSAGE in _text(response)
    assert not ClosingDay.objects.filter(organisation=personas.organisation).exists()


def test_the_date_inputs_tell_the_browser_the_range(personas: Personas) -> None:
    html = _text(client_for(personas.worker).get(reverse("appointments:session_create")))
    assert 'min="1900-01-01"' in html
    assert 'max="2100-12-31"' in html
