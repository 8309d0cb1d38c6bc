"""Demo agenda for ``make run``: every demo worker can be booked on
weekdays, the first demo resident has a video appointment coming up, and
two residents are signed up for a small online group session whose built-in
video room opens at once."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from appointments import booking, services, sessions
from appointments.models import AppointmentKind
from organisations.demo import DemoOrganisation

K = AppointmentKind


def demo_appointments_create(demo: DemoOrganisation) -> None:
    for worker in demo.workers:
        for weekday in range(5):
            services.availability_add(
                worker=worker,
                weekday=weekday,
                starts_at=time(9, 0),
                ends_at=time(12, 0),
                kinds=[K.FACE_TO_FACE, K.PHONE, K.VIDEO],
                location=demo.location,
            )
            services.availability_add(
                worker=worker,
                weekday=weekday,
                starts_at=time(13, 30),
                ends_at=time(16, 30),
                kinds=[K.HOME_VISIT, K.PHONE, K.VIDEO],
                location=None,
            )
    resident, worker = demo.residents[0], demo.workers[0]
    # The demo case file's blend plan (casefiles.demo) agrees on video calls.
    # A video call with Sanne in ten minutes, so the call page can be tried at once.
    appointment = booking.appointment_propose(
        worker=worker,
        resident=resident,
        kind=K.VIDEO,
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10),
        minutes=30,
        location=None,
    )
    booking.appointment_confirm(appointment=appointment, by=resident)
    # A group of at most six meeting online in ten minutes: the group video
    # room (appointments.group_calls) can be tried at once by Sanne and two residents.
    session = sessions.group_session_plan(
        host=worker,
        title="Samen praten over thuis",
        description="Een klein groepje dat ervaringen deelt, via beeld. Luisteren mag ook.",
        kind="online",
        location=None,
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10),
        minutes=60,
        capacity=6,
    )
    for member in demo.residents[:2]:
        sessions.session_sign_up(session=session, resident=member)
