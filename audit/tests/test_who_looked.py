"""A resident sees which staff looked at their data, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from audit.models import AccessLogEntry
from conftest import Personas, client_for

WHO_LOOKED_URL = "/mijn/wie-keek-mee/"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def view_resident(user: User, resident: User) -> None:
    client_for(user).get(f"/werk/inwoners/{resident.public_id}/")


def shown(response: Any) -> list[tuple[int | None, str]]:
    assert response.status_code == 200
    return [(entry.actor_id, entry.action) for entry in response.context["page"].object_list]


def test_resident_sees_the_name_of_the_worker_who_looked_and_when(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 3, 5, 14, 7, tzinfo=AMSTERDAM), tick=False):
        view_resident(personas.worker, personas.resident)

    response = client_for(personas.resident).get(WHO_LOOKED_URL)

    assert shown(response) == [(personas.worker.pk, "view")]
    page = response.content.decode()
    assert "Sanne de Jong heeft uw gegevens bekeken" in page
    assert "5 maart 2026, 14:07" in page
    assert 'datetime="2026-03-05T14:07:00+01:00"' in page


def test_resident_sees_being_shown_in_a_caseload_list(personas: Personas) -> None:
    client_for(personas.worker).get("/werk/")

    response = client_for(personas.resident).get(WHO_LOOKED_URL)

    assert shown(response) == [(personas.worker.pk, "list")]
    assert "Sanne de Jong heeft uw gegevens in lijst getoond" in response.content.decode()


def test_newest_look_comes_first(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=AMSTERDAM), tick=False):
        view_resident(personas.worker, personas.resident)
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=AMSTERDAM), tick=False):
        client_for(personas.worker).get("/werk/")

    response = client_for(personas.resident).get(WHO_LOOKED_URL)

    assert shown(response) == [(personas.worker.pk, "list"), (personas.worker.pk, "view")]


def test_residents_own_reads_are_not_shown(personas: Personas) -> None:
    client = client_for(personas.resident)
    client.get(WHO_LOOKED_URL)  # the resident reading their own log is itself logged

    response = client.get(WHO_LOOKED_URL)

    assert AccessLogEntry.objects.filter(actor=personas.resident, subject=personas.resident).count() == 2
    assert shown(response) == []
    assert "Nog niemand heeft uw gegevens bekeken." in response.content.decode()


def test_denied_attempts_are_not_shown(personas: Personas) -> None:
    view_resident(personas.other_worker, personas.resident)  # not on Ruben's caseload
    view_resident(personas.foreign_worker, personas.resident)  # another organisation
    assert AccessLogEntry.objects.filter(subject=personas.resident, outcome="denied").count() == 2

    response = client_for(personas.resident).get(WHO_LOOKED_URL)

    assert shown(response) == []
    assert "Ruben Koster" not in response.content.decode()


def test_looks_at_other_residents_are_not_shown(personas: Personas) -> None:
    view_resident(personas.other_worker, personas.other_resident)
    view_resident(personas.foreign_worker, personas.foreign_resident)

    response = client_for(personas.resident).get(WHO_LOOKED_URL)

    assert shown(response) == []
    assert "Ruben Koster" not in response.content.decode()


def test_other_resident_sees_only_their_own_lookers(personas: Personas) -> None:
    view_resident(personas.worker, personas.resident)
    view_resident(personas.other_worker, personas.other_resident)

    response = client_for(personas.other_resident).get(WHO_LOOKED_URL)

    assert shown(response) == [(personas.other_worker.pk, "view")]


def test_trusted_person_gets_404_and_nothing_is_logged(personas: Personas) -> None:
    view_resident(personas.worker, personas.resident)
    before = list(AccessLogEntry.objects.values_list("id", flat=True))

    response = client_for(personas.trusted_person).get(WHO_LOOKED_URL)

    assert response.status_code == 404
    assert "Sanne de Jong" not in response.content.decode()
    assert list(AccessLogEntry.objects.values_list("id", flat=True)) == before


@pytest.mark.parametrize("role", ["social_worker", "privacy_officer", "organisation_admin", "foreign_worker"])
def test_staff_get_403(personas: Personas, role: str) -> None:
    before = AccessLogEntry.objects.count()

    response = client_for(personas.by_role()[role]).get(WHO_LOOKED_URL)

    assert response.status_code == 403
    # Only the refusal at the role gate, about no resident.
    assert AccessLogEntry.objects.count() == before + 1
    assert AccessLogEntry.objects.filter(outcome="denied", subject=None, object_id="use_resident_area").count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(personas: Personas) -> None:
    response = client_for(None).get(WHO_LOOKED_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not AccessLogEntry.objects.exists()
