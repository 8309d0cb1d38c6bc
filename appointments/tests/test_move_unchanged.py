"""The worker's move form sent as it was filled in moves nothing.

It used to "move" the appointment to its own time: a confirmed appointment
waited for the resident again, and the resident was told it had changed.
The browser walk over every pre-filled date form is in
``tests/browser/test_prefilled_dates.py``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentNotice, AppointmentStatus
from appointments.tests.factories import confirmed_appointment
from conftest import Personas, client_for


def _state(appointment: Appointment) -> tuple[Any, ...]:
    row = Appointment.objects.get(pk=appointment.pk)
    notices = AppointmentNotice.objects.filter(appointment=row).count()
    return row.starts_at, row.ends_at, row.location_id, row.status, row.sequence, notices


def _appointment(personas: Personas) -> Appointment:
    day = timezone.localdate() + timedelta(days=10)
    return confirmed_appointment(
        resident=personas.resident,
        worker=personas.worker,
        kind="phone",
        starts_at=datetime.combine(day, time(9, 5), tzinfo=timezone.get_current_timezone()),
        minutes=45,
    )


def _as_shown(appointment: Appointment, **changes: str) -> dict[str, str]:
    local = timezone.localtime(appointment.starts_at)
    return {"day": local.date().isoformat(), "time": "09:05", "minutes": "45", "location": "", **changes}


def test_the_move_form_sent_unchanged_keeps_the_confirmed_appointment(personas: Personas) -> None:
    appointment = _appointment(personas)
    before = _state(appointment)
    url = reverse("appointments:move", kwargs={"public_id": appointment.public_id})
    client = client_for(personas.worker)
    page = client.get(url).content.decode()
    assert 'value="09:05"' in page
    assert f'value="{_as_shown(appointment)["day"]}"' in page

    response = client.post(url, _as_shown(appointment))

    assert response.status_code == 200
    assert "U heeft niets veranderd. Kies een nieuwe datum of tijd" in response.content.decode()
    assert _state(appointment) == before
    assert before[3] == AppointmentStatus.CONFIRMED


def test_a_changed_duration_alone_still_moves(personas: Personas) -> None:
    appointment = _appointment(personas)
    url = reverse("appointments:move", kwargs={"public_id": appointment.public_id})

    response = client_for(personas.worker).post(url, _as_shown(appointment, minutes="60"))

    assert response.status_code == 302
    row = Appointment.objects.get(pk=appointment.pk)
    assert (row.ends_at - row.starts_at, row.status) == (timedelta(minutes=60), AppointmentStatus.AWAITING_RESIDENT)
