"""A trusted person (mantelzorger) reads the shared part of the case file
only when the resident granted the "casefile" scope, and never reacts on
the resident's behalf."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, Document, Note
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import casefile_state, page_text
from conftest import Personas, client_for
from organisations.models import TrustedPersonGrant


def trusted_url(personas: Personas) -> str:
    return f"/meekijken/{personas.resident.public_id}/dossier/"


def grant_casefile(personas: Personas) -> None:
    TrustedPersonGrant.objects.filter(resident=personas.resident, trusted_person=personas.trusted_person).update(
        scopes=[TrustedPersonGrant.Scope.APPOINTMENTS, TrustedPersonGrant.Scope.CASEFILE]
    )


@pytest.fixture
def shared_note(personas: Personas, case: Case) -> Note:
    services.note_add(case=case, body="Intern: zorgen over de thuissituatie", is_shared=False, author=personas.worker)
    return services.note_add(
        case=case, body="Afspraak met de schuldhulp gemaakt", is_shared=True, author=personas.worker
    )


def test_with_the_casefile_scope_the_trusted_person_reads_only_shared_items(
    personas: Personas, shared_note: Note
) -> None:
    grant_casefile(personas)

    response = client_for(personas.trusted_person).get(trusted_url(personas))

    text = page_text(response)
    assert response.status_code == 200
    assert "Afspraak met de schuldhulp gemaakt" in text
    assert "zorgen over de thuissituatie" not in text
    assert "Interne notitie geschreven" not in text
    # Read only: no forms to react or ask for a correction.
    assert "/reageren/" not in text
    assert "/correctie/" not in text
    entry = AccessLogEntry.objects.get(actor=personas.trusted_person)
    assert (entry.subject, entry.object_type, entry.action, entry.outcome) == (
        personas.resident,
        "casefile",
        "view",
        "allowed",
    )


def test_without_the_casefile_scope_the_trusted_person_gets_404(personas: Personas, shared_note: Note) -> None:
    response = client_for(personas.trusted_person).get(trusted_url(personas))

    assert response.status_code == 404
    assert "Afspraak met de schuldhulp" not in page_text(response)
    assert AccessLogEntry.objects.get(actor=personas.trusted_person).outcome == "denied"


def test_after_the_grant_is_revoked_the_trusted_person_gets_404(personas: Personas, shared_note: Note) -> None:
    grant_casefile(personas)
    TrustedPersonGrant.objects.filter(resident=personas.resident).update(revoked_at=timezone.now())

    response = client_for(personas.trusted_person).get(trusted_url(personas))

    assert response.status_code == 404


def test_trusted_person_cannot_read_another_residents_file(personas: Personas, shared_note: Note) -> None:
    grant_casefile(personas)

    response = client_for(personas.trusted_person).get(f"/meekijken/{personas.other_resident.public_id}/dossier/")

    assert response.status_code == 404


def test_trusted_person_cannot_comment_or_ask_for_a_correction(
    personas: Personas, case: Case, shared_note: Note
) -> None:
    grant_casefile(personas)
    before = casefile_state(case)
    client = client_for(personas.trusted_person)

    comment = client.post(f"/mijn/dossier/note/{shared_note.public_id}/reageren/", {"body": "Namens haar"})
    correction = client.post(f"/mijn/dossier/note/{shared_note.public_id}/correctie/", {"text": "Klopt niet"})

    # Out of scope (the file is theirs to read, not to answer in): 404, as
    # for anything else they may not reach, and logged as refused.
    assert comment.status_code == correction.status_code == 404
    assert client.get(f"/mijn/dossier/note/{shared_note.public_id}/correctie/").status_code == 404
    assert casefile_state(case) == before
    refused = AccessLogEntry.objects.filter(actor=personas.trusted_person, outcome="denied")
    assert refused.count() == 3
    assert {entry.subject for entry in refused} == {personas.resident}


def test_trusted_person_with_the_scope_downloads_a_shared_document_but_not_an_internal_one(
    personas: Personas, case: Case
) -> None:
    grant_casefile(personas)
    shared = services.document_add(
        case=case, title="Brief", upload=upload("b.pdf", pdf_bytes()), is_shared=True, uploaded_by=personas.worker
    )
    internal = services.document_add(
        case=case, title="Rapport", upload=upload("r.pdf", pdf_bytes()), is_shared=False, uploaded_by=personas.worker
    )
    client = client_for(personas.trusted_person)

    assert client.get(f"/documenten/{shared.public_id}/").status_code == 200
    assert client.get(f"/documenten/{internal.public_id}/").status_code == 404
    assert AccessLogEntry.objects.filter(
        actor=personas.trusted_person, object_id=str(internal.public_id), outcome="denied"
    ).exists()


def test_trusted_person_cannot_tick_off_the_residents_steps(personas: Personas, case: Case) -> None:
    grant_casefile(personas)
    goal = services.goal_add(
        case=case, title="Post", description="", question=None, target_date=None, added_by=personas.worker
    )
    step = services.goal_action_add(
        goal=goal, description="Sorteren", owner="resident", due_date=None, added_by=personas.worker
    )
    before = casefile_state(case)

    response = client_for(personas.trusted_person).post(f"/stappen/{step.public_id}/afvinken/", {"done": "1"})

    assert response.status_code == 404
    assert casefile_state(case) == before


# --- A worker registers a trusted person on paper ------------------------------------


def register_url(case: Case) -> str:
    return f"/werk/dossiers/{case.public_id}/vertrouwenspersoon/"


def register_form(**overrides: object) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, object] = {
        "first_name": "Karim",
        "last_name": "el Amrani",
        "email": "karim@example.invalid",
        "scopes": ["appointments", "messages"],
        "signed_form": SimpleUploadedFile("toestemming.pdf", pdf_bytes("Handtekening"), "application/pdf"),
        "confirmed": "on",
    }
    data.update(overrides)
    return data


def test_a_worker_registers_a_trusted_person_with_the_signed_form(personas: Personas, case: Case) -> None:
    from consents.models import ConsentRecord

    response = client_for(personas.worker).post(register_url(case), register_form())

    assert response.status_code == 302
    grant = TrustedPersonGrant.objects.get(trusted_person__email="karim@example.invalid")
    assert grant.resident == personas.resident and grant.scopes == ["appointments", "messages"]
    document = Document.objects.get(case=case)
    assert document.is_shared and "Karim el Amrani" in document.title
    record = ConsentRecord.objects.get(kind="trusted_person.access", scope=str(grant.public_id))
    assert (record.method, record.given_by, record.subject) == ("paper", personas.worker, personas.resident)
    assert str(document.public_id) in record.document_reference
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=personas.resident, object_type="trusted_person_grant", action="create"
    ).exists()


def test_without_a_real_signed_form_nothing_is_registered(personas: Personas, case: Case) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.worker)
    disguised = SimpleUploadedFile("toestemming.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    refused = client.post(register_url(case), register_form(signed_form=disguised))
    missing = client.post(register_url(case), register_form(signed_form=""))
    # A staff address: the invitation is refused, and the form goes too.
    staff = client.post(register_url(case), register_form(email=personas.other_worker.email))

    assert refused.status_code == missing.status_code == staff.status_code == 200
    assert "Voeg het getekende formulier toe" in missing.content.decode()
    assert "Met dit e-mailadres kan niemand worden toegevoegd" in staff.content.decode()
    assert (
        not TrustedPersonGrant.objects.filter(resident=personas.resident)
        .exclude(trusted_person=personas.trusted_person)
        .exists()
    )
    assert not Document.objects.filter(case=case).exists()


def test_a_worker_not_on_the_caseload_gets_404(personas: Personas, case: Case) -> None:
    response = client_for(personas.other_worker).post(register_url(case), register_form())
    assert response.status_code == 404
    assert not Document.objects.filter(case=case).exists()
