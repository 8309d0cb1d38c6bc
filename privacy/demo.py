"""The privacy officer's retention demo, for ``make run``: a legal hold on
one resident (a complaint) and an open erasure request of another, so the
officer can try *Bewaarplicht* and *Uitvoeren*."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from privacy.retention import legal_hold_place
from privacy.services import RequestData, privacy_request_register


def demo_privacy_create(*, officer: User, held: User, erasing: User) -> None:
    legal_hold_place(
        officer=officer, resident=held, reason="Klacht bij de klachtencommissie; uitspraak verwacht in het voorjaar."
    )
    privacy_request_register(
        officer=officer,
        data=RequestData(
            kind="erasure",
            received_on=timezone.localdate() - timedelta(days=3),
            resident=erasing,
            description="Per brief: wil dat al haar gegevens worden verwijderd.",
        ),
    )
