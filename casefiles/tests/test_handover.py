"""Handover: a case moves to a colleague in the same organisation; access
follows the assignment at once and the resident is told, without content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, TimelineEvent
from casefiles.services import CaseFileError
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, casefile_state, dossier_url, page_text
from conftest import Personas, client_for, run_queued_tasks
from organisations.models import CaseloadAssignment


def handover_url(case: Case) -> str:
    return f"/werk/dossiers/{case.public_id}/overdragen/"


def hand_over(personas: Personas, case: Case, to_worker: Any) -> Any:
    return client_for(personas.worker).post(
        handover_url(case), {"to_worker": to_worker.public_id, "from_worker": personas.worker.public_id}
    )


@pytest.fixture
def resident_with_email(personas: Personas) -> Any:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    return personas.resident


def test_handover_moves_the_case_and_access_follows_at_once(
    personas: Personas, case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    old, new = personas.worker, personas.other_worker
    assert client_for(new).get(dossier_url(personas.resident)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = hand_over(personas, case, new)

    assert response.status_code == 302
    assert response["Location"] == "/werk/"
    assert list(CaseloadAssignment.objects.filter(resident=personas.resident).values_list("worker", flat=True)) == [
        new.pk
    ]
    assert client_for(old).get(dossier_url(personas.resident)).status_code == 404
    assert client_for(new).get(dossier_url(personas.resident)).status_code == 200
    assert str(personas.resident.public_id) not in client_for(old).get("/werk/").content.decode()
    assert AccessLogEntry.objects.filter(
        actor=old, subject=personas.resident, object_type="caseload_assignment", action="change"
    ).exists()


def test_the_resident_is_told_in_the_timeline_and_by_a_mail_without_content(
    personas: Personas,
    case: Case,
    resident_with_email: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    services.note_add(case=case, body="Schulden bij de energieleverancier", is_shared=True, author=personas.worker)

    with django_capture_on_commit_callbacks(execute=True):
        hand_over(personas, case, personas.other_worker)
    run_queued_tasks()

    event = TimelineEvent.objects.get(kind="casefiles.handover")
    assert event.is_shared
    assert "Ruben Koster" in page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@example.org"]
    text = str(message.subject) + str(message.body)
    assert "Er is iets nieuws voor u in Samenspraak" in text
    for private in (
        personas.resident.first_name,
        personas.resident.last_name,
        personas.worker.first_name,
        personas.worker.last_name,
        personas.other_worker.first_name,
        personas.other_worker.last_name,
        "Schulden",
        "dossier",
        "overgedragen",
    ):
        assert private.lower() not in text.lower(), private


def test_a_resident_without_email_gets_no_mail(
    personas: Personas, case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        hand_over(personas, case, personas.other_worker)
    run_queued_tasks()

    assert mail.outbox == []
    assert TimelineEvent.objects.filter(kind="casefiles.handover", is_shared=True).exists()


def test_a_worker_of_another_organisation_cannot_be_chosen(
    personas: Personas, case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    page = client_for(personas.worker).get(handover_url(case)).content.decode()
    assert str(personas.foreign_worker.public_id) not in page
    assert str(personas.other_worker.public_id) in page
    before = casefile_state(case)

    with django_capture_on_commit_callbacks(execute=True):
        response = hand_over(personas, case, personas.foreign_worker)

    assert response.status_code == 200
    assert casefile_state(case) == before
    assert mail.outbox == []
    with pytest.raises(CaseFileError, match="Kies een sociaal werker van uw eigen organisatie"):
        services.case_handover(
            case=case, from_worker=personas.worker, to_worker=personas.foreign_worker, handed_over_by=personas.worker
        )
    assert casefile_state(case) == before


@pytest.mark.parametrize("to", ["admin", "resident", "privacy_officer"])
def test_only_a_caseworker_can_take_over(personas: Personas, case: Case, to: str) -> None:
    before = casefile_state(case)

    with pytest.raises(CaseFileError):
        services.case_handover(
            case=case, from_worker=personas.worker, to_worker=getattr(personas, to), handed_over_by=personas.worker
        )

    assert casefile_state(case) == before


def test_an_inactive_colleague_cannot_take_over(personas: Personas, case: Case) -> None:
    personas.other_worker.is_active = False
    personas.other_worker.save(update_fields=["is_active"])
    before = casefile_state(case)

    with pytest.raises(CaseFileError, match="kan nu niet inloggen"):
        services.case_handover(
            case=case, from_worker=personas.worker, to_worker=personas.other_worker, handed_over_by=personas.worker
        )

    assert casefile_state(case) == before


def test_a_colleague_of_another_caseload_cannot_hand_the_case_over(personas: Personas, case: Case) -> None:
    before = casefile_state(case)

    response = client_for(personas.other_worker).post(
        handover_url(case),
        {"to_worker": personas.other_worker.public_id, "from_worker": personas.worker.public_id},
    )

    assert response.status_code == 404
    assert casefile_state(case) == before


def test_a_closed_case_cannot_be_handed_over(personas: Personas, case: Case) -> None:
    services.case_status_set(case=case, status="closed", reason="Klaar", changed_by=personas.worker)
    before = casefile_state(case)

    response = hand_over(personas, case, personas.other_worker)

    assert response.status_code == 200
    assert "Dit dossier is afgesloten." in page_text(response)
    assert casefile_state(case) == before


def test_coming_appointments_follow_the_handover(personas: Personas, case: Case) -> None:
    """The new worker gets the resident's coming appointments to confirm; one
    the new worker cannot take is cancelled with a reason; the old worker's
    agenda no longer names the resident."""
    from datetime import timedelta

    from django.utils import timezone

    from appointments.models import AppointmentStatus
    from appointments.tests.factories import confirmed_appointment

    old, new = personas.worker, personas.other_worker
    soon = timezone.now().replace(microsecond=0) + timedelta(days=2)
    free_for_new = confirmed_appointment(resident=personas.resident, worker=old, kind="phone", starts_at=soon)
    clash = confirmed_appointment(
        resident=personas.resident, worker=old, kind="phone", starts_at=soon + timedelta(hours=3)
    )
    confirmed_appointment(
        resident=personas.other_resident, worker=new, kind="phone", starts_at=soon + timedelta(hours=3)
    )

    assert hand_over(personas, case, new).status_code == 302

    free_for_new.refresh_from_db()
    clash.refresh_from_db()
    assert (free_for_new.worker_id, free_for_new.status) == (new.pk, AppointmentStatus.AWAITING_WORKER)
    assert free_for_new.sequence == 2
    assert clash.status == AppointmentStatus.CANCELLED and clash.cancel_reason
    agenda = client_for(old).get(f"/werk/agenda/?weergave=week&dag={timezone.localtime(soon).date()}")
    assert personas.resident.last_name not in agenda.content.decode()
    assert client_for(new).get(f"/afspraken/{free_for_new.public_id}/").status_code == 200
