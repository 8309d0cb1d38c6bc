"""Demo agenda for ``make run``: every demo worker can be booked on
weekdays, and the first demo resident has a video appointment coming up."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from appointments import booking, services
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
