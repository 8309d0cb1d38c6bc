"""Each note and document is shared with the resident or internal. Internal
items never reach the resident: not their pages, not their timeline, not a
download. The organisation sets the default; a change of visibility is
logged."""

from __future__ import annotations

import pytest

from audit.models import AccessLogEntry
from casefiles import selectors, services
from casefiles.models import Case, Document, Note, TimelineEvent
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, casefile_state, dossier_url, page_text, post_and_follow
from conftest import Personas, client_for


def add_document(personas: Personas, case: Case, *, title: str, is_shared: bool) -> Document:
    return services.document_add(
        case=case,
        title=title,
        upload=upload("brief.pdf", pdf_bytes()),
        is_shared=is_shared,
        uploaded_by=personas.worker,
    )


def test_resident_sees_the_shared_note_and_never_the_internal_one(personas: Personas, case: Case) -> None:
    services.note_add(case=case, body="We bellen samen de woningcorporatie.", is_shared=True, author=personas.worker)
    services.note_add(case=case, body="Vermoeden van huiselijk geweld.", is_shared=False, author=personas.worker)

    text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))

    assert "We bellen samen de woningcorporatie." in text
    assert "Vermoeden van huiselijk geweld." not in text
    assert "interne notitie" not in text.lower()
    staff_text = page_text(client_for(personas.worker).get(dossier_url(personas.resident)))
    assert "Vermoeden van huiselijk geweld." in staff_text
    # The worker wrote it: the timeline tells them in their own words.
    assert "U hebt een interne notitie geschreven" in staff_text


def test_internal_document_is_not_listed_for_the_resident_nor_in_their_timeline(personas: Personas, case: Case) -> None:
    add_document(personas, case, title="Rapport van de wijkagent", is_shared=False)
    add_document(personas, case, title="Brief van de gemeente", is_shared=True)

    text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))

    assert "Brief van de gemeente" in text
    assert "Rapport van de wijkagent" not in text


def test_the_residents_timeline_holds_only_shared_events(personas: Personas, case: Case) -> None:
    services.note_add(case=case, body="Intern", is_shared=False, author=personas.worker)
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    services.note_visibility_set(note=note, is_shared=False, changed_by=personas.worker)
    add_document(personas, case, title="Intern rapport", is_shared=False)

    view = selectors.casefile_for_resident(case=case)

    assert view.timeline
    assert all(event.is_shared for event in view.timeline)
    internal_kinds = set(
        TimelineEvent.objects.filter(resident=personas.resident, is_shared=False).values_list("kind", flat=True)
    )
    assert internal_kinds == {"casefiles.note_added", "casefiles.note_visibility", "casefiles.document_added"}
    assert [n.body for n in view.notes] == []


def test_resident_cannot_download_an_internal_document_and_the_attempt_is_logged(
    personas: Personas, case: Case
) -> None:
    document = add_document(personas, case, title="Intern rapport", is_shared=False)

    response = client_for(personas.resident).get(f"/documenten/{document.public_id}/")

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    entry = AccessLogEntry.objects.get(actor=personas.resident, outcome="denied")
    assert (entry.subject, entry.object_type, entry.object_id, entry.action) == (
        personas.resident,
        "document",
        str(document.public_id),
        "view",
    )


def test_resident_cannot_react_to_an_internal_note_even_by_its_id(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Intern", is_shared=False, author=personas.worker)
    before = casefile_state(case)
    client = client_for(personas.resident)

    responses = [
        client.get(f"/mijn/dossier/note/{note.public_id}/correctie/"),
        client.post(f"/mijn/dossier/note/{note.public_id}/correctie/", {"text": "Klopt niet"}),
        client.post(f"/mijn/dossier/note/{note.public_id}/reageren/", {"body": "Wat staat hier?"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert all("Intern" not in page_text(r) for r in responses)
    assert casefile_state(case) == before
    assert AccessLogEntry.objects.filter(actor=personas.resident, outcome="denied", object_type="note").count() == 3


@pytest.mark.parametrize("default_is_shared", [True, False])
def test_a_note_without_a_choice_takes_the_organisation_default(
    personas: Personas, case: Case, default_is_shared: bool
) -> None:
    personas.organisation.default_note_is_shared = default_is_shared
    personas.organisation.save(update_fields=["default_note_is_shared"])
    case = Case.objects.select_related("organisation").get(pk=case.pk)

    note = services.note_add(case=case, body="Zonder keuze", is_shared=None, author=personas.worker)

    assert note.is_shared is default_is_shared
    event = TimelineEvent.objects.get(object_public_id=note.public_id)
    assert event.is_shared is default_is_shared


@pytest.mark.parametrize(("default_is_shared", "checked"), [(True, "shared"), (False, "internal")])
def test_the_note_form_starts_at_the_organisation_default(
    personas: Personas, case: Case, default_is_shared: bool, checked: str
) -> None:
    personas.organisation.default_note_is_shared = default_is_shared
    personas.organisation.save(update_fields=["default_note_is_shared"])

    html = client_for(personas.worker).get(dossier_url(personas.resident)).content.decode()

    note_inputs = [part for part in html.split("<input") if 'id="note-visibility_' in part]
    checked_inputs = [part for part in note_inputs if "checked" in part]
    assert len(note_inputs) == 2
    assert len(checked_inputs) == 1
    assert f'value="{checked}"' in checked_inputs[0]


def test_making_a_note_internal_is_logged_and_hides_it_from_the_resident(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Eerst gedeeld", is_shared=True, author=personas.worker)

    text = post_and_follow(
        client_for(personas.worker), f"/werk/notities/{note.public_id}/zichtbaarheid/", {"is_shared": "0"}
    )

    assert "De notitie is nu intern." in text
    note.refresh_from_db()
    assert not note.is_shared
    entry = AccessLogEntry.objects.get(object_type="note.visibility")
    assert (entry.actor, entry.subject, entry.object_id, entry.action, entry.outcome) == (
        personas.worker,
        personas.resident,
        str(note.public_id),
        "change",
        "allowed",
    )
    event = TimelineEvent.objects.get(kind="casefiles.note_visibility")
    assert not event.is_shared
    assert event.object_public_id == note.public_id
    assert "Eerst gedeeld" not in page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))


def test_sharing_a_document_is_logged_and_shows_it_to_the_resident(personas: Personas, case: Case) -> None:
    document = add_document(personas, case, title="Uitslag", is_shared=False)

    post_and_follow(
        client_for(personas.worker), f"/werk/documenten/{document.public_id}/zichtbaarheid/", {"is_shared": "1"}
    )

    document.refresh_from_db()
    assert document.is_shared
    assert AccessLogEntry.objects.filter(
        object_type="document.visibility", object_id=str(document.public_id), actor=personas.worker
    ).exists()
    assert not TimelineEvent.objects.get(kind="casefiles.document_visibility").is_shared
    assert "Uitslag" in page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert client_for(personas.resident).get(f"/documenten/{document.public_id}/").status_code == 200


def test_setting_the_same_visibility_again_changes_and_logs_nothing(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    before = casefile_state(case)

    services.note_visibility_set(note=note, is_shared=True, changed_by=personas.worker)

    assert casefile_state(case) == before
    assert not AccessLogEntry.objects.filter(object_type="note.visibility").exists()


def test_a_document_made_internal_leaves_no_trace_of_its_title_for_the_resident(personas: Personas, case: Case) -> None:
    document = add_document(personas, case, title="Verslag van het gesprek met de school", is_shared=True)

    services.document_visibility_set(document=document, is_shared=False, changed_by=personas.worker)

    text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert "Verslag van het gesprek met de school" not in text
    assert all(event.is_shared for event in selectors.casefile_for_resident(case=case).timeline)
    assert not any(
        event.object_public_id == document.public_id for event in selectors.casefile_for_resident(case=case).timeline
    )


@pytest.mark.parametrize("kind", ["notities", "documenten"])
def test_the_resident_cannot_change_visibility(personas: Personas, case: Case, kind: str) -> None:
    item = (
        services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
        if kind == "notities"
        else add_document(personas, case, title="Brief", is_shared=True)
    )
    before = casefile_state(case)

    response = client_for(personas.resident).post(f"/werk/{kind}/{item.public_id}/zichtbaarheid/", {"is_shared": "0"})

    assert response.status_code == 403
    assert casefile_state(case) == before


def test_a_worker_of_another_caseload_cannot_change_visibility(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    before = casefile_state(case)

    response = client_for(personas.other_worker).post(
        f"/werk/notities/{note.public_id}/zichtbaarheid/", {"is_shared": "0"}
    )

    assert response.status_code == 404
    assert casefile_state(case) == before
    assert Note.objects.get().is_shared
    assert AccessLogEntry.objects.filter(actor=personas.other_worker, outcome="denied").exists()
