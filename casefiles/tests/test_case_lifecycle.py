"""A case is opened, paused, resumed and closed with a reason; a closed case
is history that nobody can change, and a new case can follow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, Note, TimelineEvent
from casefiles.services import CaseFileError
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import (
    RESIDENT_DOSSIER_URL,
    casefile_state,
    dossier_url,
    page_text,
    post_and_follow,
    stored_files,
)
from conftest import Personas, client_for

CLOSED_MESSAGE = "Dit dossier is afgesloten. Het kan niet meer worden gewijzigd."


def open_url(resident: Any) -> str:
    return f"/werk/inwoners/{resident.public_id}/dossier/openen/"


def status_url(case: Case) -> str:
    return f"/werk/dossiers/{case.public_id}/status/"


def test_worker_opens_a_case_and_the_resident_sees_it_was_opened(personas: Personas) -> None:
    response = client_for(personas.worker).post(open_url(personas.resident))

    assert response.status_code == 302
    assert response["Location"] == dossier_url(personas.resident)
    case = Case.objects.get(resident=personas.resident)
    assert (case.status, case.organisation, case.opened_by) == ("open", personas.organisation, personas.worker)
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=personas.resident, object_type="case", action="create", outcome="allowed"
    ).exists()
    event = TimelineEvent.objects.get(resident=personas.resident, kind="casefiles.case_opened")
    assert event.is_shared
    resident_text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert f"{personas.worker.full_name} heeft uw dossier geopend" in resident_text


def test_a_second_open_is_refused_with_a_clear_message_and_no_second_case(personas: Personas, case: Case) -> None:
    before = casefile_state(case)

    text = post_and_follow(client_for(personas.worker), open_url(personas.resident))

    assert "Deze inwoner heeft al een lopend dossier." in text
    assert Case.objects.filter(resident=personas.resident).count() == 1
    assert casefile_state(case) == before


def test_a_paused_case_still_counts_as_the_current_case(personas: Personas, case: Case) -> None:
    services.case_status_set(case=case, status="paused", reason="Op vakantie", changed_by=personas.worker)

    with pytest.raises(CaseFileError, match="al een lopend dossier"):
        services.case_open(resident=personas.resident, opened_by=personas.worker)

    assert Case.objects.filter(resident=personas.resident).count() == 1


def test_worker_cannot_open_a_case_for_a_resident_of_another_caseload(personas: Personas) -> None:
    response = client_for(personas.worker).post(open_url(personas.other_resident))

    assert response.status_code == 404
    assert not Case.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=personas.other_resident, outcome="denied"
    ).exists()


def test_case_open_service_refuses_a_resident_of_another_organisation(personas: Personas) -> None:
    with pytest.raises(CaseFileError, match="geen dossier"):
        services.case_open(resident=personas.foreign_resident, opened_by=personas.worker)

    assert not Case.objects.exists()


@pytest.mark.parametrize("status", ["paused", "closed"])
def test_pausing_or_closing_without_a_reason_is_refused_and_changes_nothing(
    personas: Personas, case: Case, status: str
) -> None:
    before = casefile_state(case)

    text = post_and_follow(client_for(personas.worker), status_url(case), {"status": status, "reason": "  "})

    assert "Schrijf kort op waarom." in text
    assert casefile_state(case) == before


def test_worker_pauses_and_resumes_a_case(personas: Personas, case: Case) -> None:
    client = client_for(personas.worker)

    text = post_and_follow(client, status_url(case), {"status": "paused", "reason": "Opname in ziekenhuis"})

    case.refresh_from_db()
    assert (case.status, case.status_reason, case.closed_at) == ("paused", "Opname in ziekenhuis", None)
    assert "De status van het dossier is gewijzigd." in text
    assert "Opname in ziekenhuis" in text

    post_and_follow(client, status_url(case), {"status": "open", "reason": ""})

    case.refresh_from_db()
    assert (case.status, case.status_reason) == ("open", "")
    kinds = list(
        TimelineEvent.objects.filter(resident=personas.resident, is_shared=True)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["casefiles.case_opened", "casefiles.case_paused", "casefiles.case_open"]
    assert AccessLogEntry.objects.filter(actor=personas.worker, object_type="case", action="change").count() == 2


def test_resuming_a_case_that_is_open_is_refused(personas: Personas, case: Case) -> None:
    before = casefile_state(case)

    text = post_and_follow(client_for(personas.worker), status_url(case), {"status": "open", "reason": "x"})

    assert "Deze wijziging kan niet vanuit de huidige status van het dossier." in text
    assert casefile_state(case) == before


def test_worker_closes_a_case_with_a_reason(personas: Personas, case: Case) -> None:
    text = post_and_follow(
        client_for(personas.worker), status_url(case), {"status": "closed", "reason": "Doelen gehaald"}
    )

    case.refresh_from_db()
    assert case.status == "closed"
    assert case.status_reason == "Doelen gehaald"
    assert case.closed_at is not None
    assert "Geen lopend dossier" in text
    assert "Eerdere dossiers" in text
    assert "Doelen gehaald" in text


def _close(personas: Personas, case: Case) -> Case:
    return services.case_status_set(case=case, status="closed", reason="Afgerond", changed_by=personas.worker)


CHANGES_ON_A_CASE = {
    "note": ("notities", {"body": "Nog een notitie", "visibility": "shared"}),
    "goal": ("doelen", {"title": "Nieuw doel"}),
    "agreement": ("afspraken", {"text": "Nieuwe afspraak"}),
    "question": ("hulpvragen", {"title": "Nieuwe hulpvraag"}),
    "status": ("status", {"status": "open", "reason": "Toch weer open"}),
}


@pytest.mark.parametrize("change", sorted(CHANGES_ON_A_CASE))
def test_a_closed_case_refuses_every_change_with_a_clear_message(personas: Personas, case: Case, change: str) -> None:
    _close(personas, case)
    before = casefile_state(case)
    path, data = CHANGES_ON_A_CASE[change]

    text = post_and_follow(client_for(personas.worker), f"/werk/dossiers/{case.public_id}/{path}/", data)

    assert CLOSED_MESSAGE in text
    assert casefile_state(case) == before


def test_a_closed_case_refuses_a_document_and_stores_no_file(
    personas: Personas, case: Case, private_folder: Path
) -> None:
    _close(personas, case)
    before = casefile_state(case)

    text = post_and_follow(
        client_for(personas.worker),
        f"/werk/dossiers/{case.public_id}/documenten/",
        {"title": "Brief", "file": upload("brief.pdf", pdf_bytes()), "visibility": "shared"},
    )

    assert CLOSED_MESSAGE in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


def test_the_resident_cannot_add_a_document_to_a_closed_case(
    personas: Personas, case: Case, private_folder: Path
) -> None:
    _close(personas, case)
    before = casefile_state(case)

    response = client_for(personas.resident).post(
        "/mijn/dossier/document-toevoegen/", {"title": "Brief", "file": upload("brief.pdf", pdf_bytes())}
    )
    with pytest.raises(CaseFileError, match="afgesloten"):
        services.document_add(
            case=case,
            title="Brief",
            upload=upload("brief.pdf", pdf_bytes()),
            is_shared=True,
            uploaded_by=personas.resident,
        )

    assert response.status_code == 200
    assert "U hebt nog geen dossier." in page_text(response)
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


def test_items_of_a_closed_case_cannot_be_changed_or_reacted_to(personas: Personas, case: Case) -> None:
    question = services.question_add(case=case, title="Schulden", description="", added_by=personas.worker)
    goal = services.goal_add(
        case=case, title="Post op orde", description="", question=None, target_date=None, added_by=personas.worker
    )
    step = services.goal_action_add(
        goal=goal, description="Post sorteren", owner="resident", due_date=None, added_by=personas.worker
    )
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    _close(personas, case)
    before = casefile_state(case)
    worker, resident = client_for(personas.worker), client_for(personas.resident)

    texts = [
        post_and_follow(worker, f"/werk/hulpvragen/{question.public_id}/status/", {"status": "answered"}),
        post_and_follow(worker, f"/werk/doelen/{goal.public_id}/status/", {"status": "achieved"}),
        post_and_follow(worker, f"/werk/doelen/{goal.public_id}/stappen/", {"description": "x", "owner": "worker"}),
        post_and_follow(worker, f"/werk/notities/{note.public_id}/zichtbaarheid/", {"is_shared": "0"}),
        post_and_follow(worker, f"/stappen/{step.public_id}/afvinken/", {"done": "1"}),
        post_and_follow(resident, f"/stappen/{step.public_id}/afvinken/", {"done": "1"}),
        post_and_follow(resident, f"/mijn/dossier/note/{note.public_id}/reageren/", {"body": "Klopt"}),
        post_and_follow(resident, f"/mijn/dossier/note/{note.public_id}/correctie/", {"text": "Klopt niet"}),
    ]

    for text in texts:
        assert CLOSED_MESSAGE in text
    assert casefile_state(case) == before


def test_a_new_case_after_a_closed_one_keeps_the_old_one_as_history(personas: Personas, case: Case) -> None:
    services.note_add(case=case, body="Uit het eerste dossier", is_shared=True, author=personas.worker)
    _close(personas, case)

    text = post_and_follow(client_for(personas.worker), open_url(personas.resident))

    assert "Het dossier is geopend." in text
    assert Case.objects.filter(resident=personas.resident).count() == 2
    new_case = Case.objects.current().get(resident=personas.resident)
    assert new_case.pk != case.pk
    assert "Eerdere dossiers" in text
    assert "Afgerond" in text
    # The new case starts empty: the old notes stay with the old case.
    assert "Uit het eerste dossier" not in text
    assert Note.objects.get().case == case
    resident_page = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert "Eerdere dossiers" in resident_page
    assert "Uit het eerste dossier" not in resident_page


def test_only_staff_change_the_status_of_a_case(personas: Personas, case: Case) -> None:
    before = casefile_state(case)

    with pytest.raises(CaseFileError, match="Alleen een sociaal werker"):
        services.case_status_set(case=case, status="closed", reason="Ik stop", changed_by=personas.resident)
    response = client_for(personas.resident).post(status_url(case), {"status": "closed", "reason": "Ik stop"})

    assert response.status_code == 403
    assert casefile_state(case) == before
