"""The resident's own view ("Mijn dossier"): what they see, their comments,
and their right to ask for a correction (AVG art. 16), which a worker
answers. Request and answer are both kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, CorrectionRequest, Goal, Note, ResidentComment, TimelineEvent
from casefiles.services import CaseFileError
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, casefile_state, page_text, post_and_follow
from conftest import Personas, client_for


def correction_url(kind: str, item: object) -> str:
    return f"/mijn/dossier/{kind}/{item.public_id}/correctie/"  # type: ignore[attr-defined]


def comment_url(kind: str, item: object) -> str:
    return f"/mijn/dossier/{kind}/{item.public_id}/reageren/"  # type: ignore[attr-defined]


def answer_url(correction: CorrectionRequest) -> str:
    return f"/werk/correcties/{correction.public_id}/"


@pytest.fixture
def note(personas: Personas, case: Case) -> Note:
    return services.note_add(case=case, body="U hebt 3 schuldeisers.", is_shared=True, author=personas.worker)


@pytest.fixture
def correction(personas: Personas, note: Note) -> CorrectionRequest:
    return services.correction_request_add(
        resident=personas.resident, kind="note", item=note, text="Het zijn er 2, niet 3."
    )


def test_resident_sees_goals_steps_agreements_shared_notes_and_documents(personas: Personas, case: Case) -> None:
    worker = personas.worker
    goal = services.goal_add(
        case=case,
        title="Overzicht in mijn post",
        description="",
        question=None,
        target_date=timezone.localdate() + timedelta(days=30),
        added_by=worker,
    )
    services.goal_action_add(goal=goal, description="Post sorteren", owner="resident", due_date=None, added_by=worker)
    services.agreement_add(case=case, text="Ik bel de woningcorporatie voor vrijdag", added_by=worker)
    services.note_add(case=case, body="Fijn gesprek gehad.", is_shared=True, author=worker)
    services.document_add(
        case=case,
        title="Brief van de gemeente",
        upload=upload("b.pdf", pdf_bytes()),
        is_shared=True,
        uploaded_by=worker,
    )

    response = client_for(personas.resident).get(RESIDENT_DOSSIER_URL)

    text = page_text(response)
    assert response.status_code == 200
    for expected in (
        "Overzicht in mijn post",
        "Post sorteren",
        "Ik bel de woningcorporatie voor vrijdag",
        "Fijn gesprek gehad.",
        "Brief van de gemeente",
        "Klopt dit niet? Vraag om een correctie",
    ):
        assert expected in text


def test_resident_without_a_case_is_told_so(personas: Personas) -> None:
    response = client_for(personas.resident).get(RESIDENT_DOSSIER_URL)

    assert response.status_code == 200
    assert "Er is nog geen dossier." in page_text(response)


@pytest.mark.parametrize("kind", ["note", "goal", "agreement", "document"])
def test_resident_comments_on_a_shared_item(personas: Personas, case: Case, kind: str) -> None:
    worker = personas.worker
    item: Any = {
        "note": lambda: services.note_add(case=case, body="Gedeeld", is_shared=True, author=worker),
        "goal": lambda: services.goal_add(
            case=case, title="Doel", description="", question=None, target_date=None, added_by=worker
        ),
        "agreement": lambda: services.agreement_add(case=case, text="Afspraak", added_by=worker),
        "document": lambda: services.document_add(
            case=case, title="Brief", upload=upload("b.pdf", pdf_bytes()), is_shared=True, uploaded_by=worker
        ),
    }[kind]()

    text = post_and_follow(client_for(personas.resident), comment_url(kind, item), {"body": "Dank u, dit klopt."})

    assert "Uw reactie is opgeslagen." in text
    assert "Dank u, dit klopt." in text
    comment = ResidentComment.objects.get()
    assert (comment.case, comment.item_kind, comment.item_public_id, comment.author) == (
        case,
        kind,
        item.public_id,
        personas.resident,
    )
    assert AccessLogEntry.objects.filter(
        actor=personas.resident, object_type=f"{kind}.comment", action="create", outcome="allowed"
    ).exists()
    staff_text = page_text(client_for(worker).get(f"/werk/inwoners/{personas.resident.public_id}/dossier/"))
    assert "Dank u, dit klopt." in staff_text


def test_an_empty_comment_is_refused_and_nothing_is_stored(personas: Personas, case: Case, note: Note) -> None:
    before = casefile_state(case)

    text = post_and_follow(client_for(personas.resident), comment_url("note", note), {"body": "   "})

    assert "Uw reactie" in text
    assert casefile_state(case) == before


def test_resident_cannot_comment_on_another_residents_item(personas: Personas) -> None:
    other_case = services.case_open(resident=personas.other_resident, opened_by=personas.other_worker)
    other_note = services.note_add(case=other_case, body="Van Henk", is_shared=True, author=personas.other_worker)
    before = casefile_state(other_case)

    response = client_for(personas.resident).post(comment_url("note", other_note), {"body": "Hallo"})

    assert response.status_code == 404
    assert casefile_state(other_case) == before


def test_an_unknown_kind_of_item_is_not_found(personas: Personas, case: Case, note: Note) -> None:
    before = casefile_state(case)

    responses = [
        client_for(personas.resident).post(comment_url("supportquestion", note), {"body": "x"}),
        client_for(personas.resident).get(correction_url("goal", note)),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert casefile_state(case) == before


def test_resident_asks_for_a_correction_of_a_shared_note(personas: Personas, case: Case, note: Note) -> None:
    client = client_for(personas.resident)
    form_page = client.get(correction_url("note", note))
    assert form_page.status_code == 200
    assert "U hebt 3 schuldeisers." in page_text(form_page)

    text = post_and_follow(client, correction_url("note", note), {"text": "Het zijn er 2, niet 3."})

    assert "Uw vraag om correctie is verstuurd." in text
    assert "Uw sociaal werker kijkt ernaar. U krijgt antwoord." in text
    correction = CorrectionRequest.objects.get()
    assert (correction.status, correction.requested_by, correction.item_public_id) == (
        "open",
        personas.resident,
        note.public_id,
    )
    assert TimelineEvent.objects.get(kind="casefiles.correction_requested").is_shared
    assert AccessLogEntry.objects.filter(
        actor=personas.resident, object_type="correctionrequest", action="create", outcome="allowed"
    ).exists()


def test_a_second_open_correction_request_on_the_same_item_is_refused(
    personas: Personas, case: Case, note: Note, correction: CorrectionRequest
) -> None:
    before = casefile_state(case)

    response = client_for(personas.resident).post(correction_url("note", note), {"text": "Nog een keer"})

    assert response.status_code == 200
    assert "U hebt hier al om een correctie gevraagd." in page_text(response)
    assert casefile_state(case) == before


def test_after_an_answer_the_resident_may_ask_again(
    personas: Personas, note: Note, correction: CorrectionRequest
) -> None:
    services.correction_request_answer(
        correction=correction, accepted=False, answer_text="Het zijn er echt 3.", answered_by=personas.worker
    )

    post_and_follow(client_for(personas.resident), correction_url("note", note), {"text": "Ik heb bewijs."})

    assert CorrectionRequest.objects.filter(status="open").count() == 1
    assert CorrectionRequest.objects.count() == 2


def test_worker_sees_the_open_request_on_the_dossier(personas: Personas, correction: CorrectionRequest) -> None:
    text = page_text(client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/dossier/"))

    assert "1 vraag om correctie wacht op antwoord" in text
    assert "Het zijn er 2, niet 3." in text
    assert answer_url(correction) in text


def test_worker_accepts_a_correction_and_the_note_text_changes(
    personas: Personas, note: Note, correction: CorrectionRequest
) -> None:
    client = client_for(personas.worker)
    form_page = page_text(client.get(answer_url(correction)))
    assert "U hebt 3 schuldeisers." in form_page

    text = post_and_follow(
        client,
        answer_url(correction),
        {"decision": "accept", "answer_text": "U hebt gelijk, aangepast.", "corrected_body": "U hebt 2 schuldeisers."},
    )

    assert "Uw antwoord is opgeslagen." in text
    correction.refresh_from_db()
    note.refresh_from_db()
    assert (correction.status, correction.answer_text, correction.answered_by) == (
        "accepted",
        "U hebt gelijk, aangepast.",
        personas.worker,
    )
    assert correction.answered_at is not None
    assert note.body == "U hebt 2 schuldeisers."
    assert AccessLogEntry.objects.filter(actor=personas.worker, object_type="note", action="change").exists()
    resident_text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    # Both the request and the answer stay in the file.
    assert "Het zijn er 2, niet 3." in resident_text
    assert "U hebt gelijk, aangepast." in resident_text
    assert "Aangepast" in resident_text
    assert "U hebt 2 schuldeisers." in resident_text
    assert f"{personas.worker.full_name} heeft uw vraag om correctie beantwoord" in resident_text


def test_worker_declines_a_correction_and_the_note_stays(
    personas: Personas, note: Note, correction: CorrectionRequest
) -> None:
    post_and_follow(
        client_for(personas.worker),
        answer_url(correction),
        {"decision": "decline", "answer_text": "Volgens mijn lijst zijn het er 3.", "corrected_body": "Iets anders"},
    )

    correction.refresh_from_db()
    note.refresh_from_db()
    assert correction.status == "declined"
    assert note.body == "U hebt 3 schuldeisers."
    resident_text = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert "Het zijn er 2, niet 3." in resident_text
    assert "Niet aangepast" in resident_text
    assert "Volgens mijn lijst zijn het er 3." in resident_text


def test_an_answer_needs_text_and_nothing_changes_without_it(
    personas: Personas, case: Case, correction: CorrectionRequest
) -> None:
    before = casefile_state(case)

    response = client_for(personas.worker).post(answer_url(correction), {"decision": "accept", "answer_text": ""})

    assert response.status_code == 200
    assert casefile_state(case) == before


def test_answering_twice_is_refused_and_the_first_answer_stays(
    personas: Personas, case: Case, note: Note, correction: CorrectionRequest
) -> None:
    services.correction_request_answer(
        correction=correction, accepted=False, answer_text="Eerste antwoord", answered_by=personas.worker
    )
    before = casefile_state(case)

    response = client_for(personas.worker).post(
        answer_url(correction),
        {"decision": "accept", "answer_text": "Tweede antwoord", "corrected_body": "Veranderd"},
    )

    assert response.status_code == 200
    assert "Dit verzoek is al beantwoord." in page_text(response)
    assert casefile_state(case) == before
    note.refresh_from_db()
    assert note.body == "U hebt 3 schuldeisers."


def test_nobody_answers_their_own_correction_request(
    personas: Personas, case: Case, correction: CorrectionRequest
) -> None:
    before = casefile_state(case)

    response = client_for(personas.resident).post(
        answer_url(correction), {"decision": "accept", "answer_text": "Zelf goedgekeurd"}
    )
    with pytest.raises(CaseFileError):
        services.correction_request_answer(
            correction=correction, accepted=True, answer_text="Zelf goedgekeurd", answered_by=personas.resident
        )

    assert response.status_code == 403
    assert casefile_state(case) == before


def test_a_worker_of_another_caseload_cannot_answer(
    personas: Personas, case: Case, correction: CorrectionRequest
) -> None:
    before = casefile_state(case)

    response = client_for(personas.other_worker).post(
        answer_url(correction), {"decision": "accept", "answer_text": "Ik doe het wel"}
    )

    assert response.status_code == 404
    assert casefile_state(case) == before


def test_a_correction_of_a_goal_is_answered_without_changing_the_goal(personas: Personas, case: Case) -> None:
    goal = services.goal_add(
        case=case, title="Werk vinden", description="", question=None, target_date=None, added_by=personas.worker
    )
    post_and_follow(client_for(personas.resident), correction_url("goal", goal), {"text": "Ik wil eerst rust."})
    correction = CorrectionRequest.objects.get()

    post_and_follow(
        client_for(personas.worker),
        answer_url(correction),
        {"decision": "accept", "answer_text": "We passen het doel samen aan.", "corrected_body": ""},
    )

    correction.refresh_from_db()
    assert correction.status == "accepted"
    assert Goal.objects.get().title == "Werk vinden"
