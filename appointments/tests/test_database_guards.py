"""The database itself refuses double bookings, whatever the services do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from appointments.models import Appointment
from conftest import Personas


def _appointment(personas: Personas, *, resident: User, starts_in: int, status: str = "confirmed") -> Appointment:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=2, minutes=starts_in)
    return Appointment.objects.create(
        organisation=personas.organisation,
        worker=personas.worker,
        resident=resident,
        kind="phone",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        status=status,
        created_by=personas.worker,
    )


def test_two_holds_of_one_worker_cannot_share_a_start(personas: Personas) -> None:
    _appointment(personas, resident=personas.resident, starts_in=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        _appointment(personas, resident=personas.other_resident, starts_in=0)
    # A cancelled appointment frees its time.
    _appointment(personas, resident=personas.other_resident, starts_in=0, status="cancelled")


def test_postgresql_refuses_overlapping_holds(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Exclusion constraints exist on PostgreSQL only; SQLite serialises writes instead.")
    _appointment(personas, resident=personas.resident, starts_in=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        _appointment(personas, resident=personas.other_resident, starts_in=10)
    _appointment(personas, resident=personas.other_resident, starts_in=10, status="cancelled")
    _appointment(personas, resident=personas.other_resident, starts_in=45)
