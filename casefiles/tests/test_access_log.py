"""Every read of a case file, by staff or by the resident, and every
document download is in the access log with who, whose and the outcome."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, CorrectionRequest, Note
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, dossier_url, page_text, post_and_follow
from conftest import Personas, client_for


def entries(**filters: object) -> list[tuple[object, ...]]:
    return list(
        AccessLogEntry.objects.filter(**filters)
        .order_by("sequence")
        .values_list("actor", "subject", "object_type", "action", "outcome")
    )


def test_reading_the_staff_dossier_is_logged(personas: Personas, case: Case) -> None:
    response = client_for(personas.worker).get(dossier_url(personas.resident))

    assert response.status_code == 200
    assert entries(action="view") == [
        (personas.worker.pk, personas.resident.pk, "casefile", "view", "allowed"),
    ]


def test_a_team_lead_reading_a_team_residents_dossier_is_logged_as_team_lead(personas: Personas) -> None:
    response = client_for(personas.team_lead).get(dossier_url(personas.team_resident))

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.subject, entry.object_type, entry.outcome) == (
        personas.team_lead,
        "team_lead",
        personas.team_resident,
        "casefile",
        "allowed",
    )


def test_a_refused_read_of_the_staff_dossier_is_logged_as_denied(personas: Personas, case: Case) -> None:
    response = client_for(personas.other_worker).get(dossier_url(personas.resident))

    assert response.status_code == 404
    assert "Fatima" not in page_text(response)
    assert entries(actor=personas.other_worker) == [
        (personas.other_worker.pk, personas.resident.pk, "casefile", "view", "denied")
    ]


def test_a_foreign_worker_reading_the_dossier_is_logged_in_the_residents_organisation(
    personas: Personas, case: Case
) -> None:
    response = client_for(personas.foreign_worker).get(dossier_url(personas.resident))

    assert response.status_code == 404
    entry = AccessLogEntry.objects.get(actor=personas.foreign_worker)
    assert (entry.organisation, entry.actor_organisation, entry.outcome) == (
        personas.organisation,
        personas.foreign_organisation,
        "denied",
    )


def test_the_resident_reading_their_own_dossier_is_logged(personas: Personas, case: Case) -> None:
    response = client_for(personas.resident).get(RESIDENT_DOSSIER_URL)

    assert response.status_code == 200
    assert entries(action="view") == [(personas.resident.pk, personas.resident.pk, "casefile", "view", "allowed")]


def test_reading_the_full_timeline_is_logged(personas: Personas, case: Case) -> None:
    client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/tijdlijn/")

    assert entries(action="view") == [(personas.worker.pk, personas.resident.pk, "timeline", "view", "allowed")]


def test_opening_a_correction_request_is_logged(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    correction = services.correction_request_add(resident=personas.resident, kind="note", item=note, text="Fout")

    client_for(personas.worker).get(f"/werk/correcties/{correction.public_id}/")

    entry = AccessLogEntry.objects.get(action="view")
    assert (entry.actor, entry.subject, entry.object_type, entry.object_id) == (
        personas.worker,
        personas.resident,
        "correctionrequest",
        str(correction.public_id),
    )


def test_every_read_in_the_shared_and_internal_note_flow_is_logged(personas: Personas) -> None:
    """The flow of the issue's "done when", through the pages: a case with a
    goal and a blend plan, one shared and one internal note; the resident
    reads, asks for a correction; the worker answers."""
    worker, resident = client_for(personas.worker), client_for(personas.resident)
    resident_id = personas.resident.public_id
    post_and_follow(worker, f"/werk/inwoners/{resident_id}/dossier/openen/")
    case = Case.objects.get()
    post_and_follow(worker, f"/werk/dossiers/{case.public_id}/doelen/", {"title": "Grip op geld"})
    post_and_follow(
        worker,
        f"/werk/inwoners/{resident_id}/samenwerken/",
        {
            "case_channels": ["phone", "chat"],
            "consents": ["chat"],
            "preferred_channel": "phone",
            "review_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    post_and_follow(
        worker,
        f"/werk/dossiers/{case.public_id}/notities/",
        {"body": "Samen de post doorgenomen.", "visibility": "shared"},
    )
    post_and_follow(
        worker,
        f"/werk/dossiers/{case.public_id}/notities/",
        {"body": "Let op: huisbaas dreigt.", "visibility": "internal"},
    )
    services.document_add(
        case=case, title="Brief", upload=upload("b.pdf", pdf_bytes()), is_shared=True, uploaded_by=personas.worker
    )
    shared = Note.objects.get(is_shared=True)
    start = AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    resident_page = page_text(resident.get(RESIDENT_DOSSIER_URL))
    resident.get(f"/documenten/{case.documents.get().public_id}/")
    resident.get(f"/mijn/dossier/note/{shared.public_id}/correctie/")
    post_and_follow(resident, f"/mijn/dossier/note/{shared.public_id}/correctie/", {"text": "Het was gisteren."})
    correction = CorrectionRequest.objects.get()
    worker.get(dossier_url(personas.resident))
    worker.get(f"/werk/correcties/{correction.public_id}/")
    post_and_follow(
        worker,
        f"/werk/correcties/{correction.public_id}/",
        {"decision": "accept", "answer_text": "Aangepast.", "corrected_body": "Gisteren samen de post doorgenomen."},
    )

    assert "Samen de post doorgenomen." in resident_page
    assert "huisbaas" not in resident_page
    logged = entries(sequence__gt=start)
    r, w, subject = personas.resident.pk, personas.worker.pk, personas.resident.pk
    for expected in [
        (r, subject, "casefile", "view", "allowed"),  # Mijn dossier
        (r, subject, "document", "view", "allowed"),  # the download
        (r, subject, "note", "view", "allowed"),  # the correction form
        (r, subject, "correctionrequest", "create", "allowed"),
        (w, subject, "casefile", "view", "allowed"),  # the staff dossier
        (w, subject, "correctionrequest", "view", "allowed"),  # the answer form
        (w, subject, "correctionrequest", "change", "allowed"),
        (w, subject, "note", "change", "allowed"),  # the corrected text
    ]:
        assert expected in logged, expected
    assert all(entry[4] == "allowed" for entry in logged)
    # The resident's view after the redirect is read (and logged) again.
    assert logged.count((r, subject, "casefile", "view", "allowed")) == 2
