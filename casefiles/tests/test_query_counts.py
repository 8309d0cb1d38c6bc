"""Pages never issue more queries as the data grows: the caseload with 5 or
200 residents who all have a case file, and the dossier with 1 or 30 of
every kind of item. The figures include the menu's counts
(samenspraak/attention.py): six queries on a worker's page, five on a
resident's."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from blend.models import BlendPlan
from casefiles import services
from casefiles.models import Case, CorrectionRequest, Document, Note, ResidentComment
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, dossier_url
from conftest import Personas, client_for
from organisations.models import Organisation
from organisations.tests.test_caseload import residents_on_caseload

CASELOAD_URL = "/werk/"


def queries_for(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def give_each_a_case_file(residents: list[User], worker: User, organisation: Organisation) -> None:
    """A case with a note, an open correction request, a comment, an upload
    by the resident and a blend plan, for every resident (rows made in bulk:
    this is about reading them)."""
    Case.objects.bulk_create(Case(resident=r, organisation=organisation, opened_by=worker) for r in residents)
    cases = list(Case.objects.filter(resident__in=residents))
    Note.objects.bulk_create(Note(case=c, author=worker, body="Notitie", is_shared=True) for c in cases)
    notes = {n.case_id: n for n in Note.objects.filter(case__in=cases)}
    CorrectionRequest.objects.bulk_create(
        CorrectionRequest(
            case=c, item_kind="note", item_public_id=notes[c.pk].public_id, requested_by=c.resident, request_text="x"
        )
        for c in cases
    )
    ResidentComment.objects.bulk_create(
        ResidentComment(case=c, item_kind="note", item_public_id=notes[c.pk].public_id, author=c.resident, body="y")
        for c in cases
    )
    Document.objects.bulk_create(
        Document(
            case=c,
            title="Foto",
            file="documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            is_shared=True,
            uploaded_by=c.resident,
        )
        for c in cases
    )
    BlendPlan.objects.bulk_create(
        BlendPlan(resident=r, review_date=timezone.localdate() + timedelta(days=7)) for r in residents
    )


def test_caseload_with_case_files_needs_the_same_queries_for_5_and_for_200_residents(personas: Personas) -> None:
    client = client_for(personas.worker)
    with time_machine.travel(timezone.now(), tick=False):
        small_set = residents_on_caseload(personas, personas.worker, 4, prefix="small")
        give_each_a_case_file(small_set, personas.worker, personas.organisation)
        client.get(CASELOAD_URL)  # the first request writes the session and starts the log chain
        small = queries_for(client, CASELOAD_URL)
        large_set = residents_on_caseload(personas, personas.worker, 195, prefix="large")
        give_each_a_case_file(large_set, personas.worker, personas.organisation)
        large = queries_for(client, CASELOAD_URL)
        filtered = queries_for(client, CASELOAD_URL + "?aandacht=unread")

    page = client.get(CASELOAD_URL, {"zoek": "Inwoner"}).content.decode()
    # A full page of 50, each with a comment, an upload and a correction request.
    assert page.count("<strong>3</strong>") == 50
    # The count per page comes from subqueries in the one residents query:
    # 1 session, 2 the user, 3 second factor, 4 count, 5 one page of
    # residents with review date, corrections and unread, 6 their caseload
    # assignments, 7 the workers; 8-12 the access-log entries for the page
    # (savepoint, chain lock, one insert, chain update,
    # release); 13 the organisation for the layout.
    assert len(small) == len(large) == len(filtered) == 19, "\n".join(large)


def fill_case_file(personas: Personas, case: Case, count: int) -> None:
    worker, resident = personas.worker, personas.resident
    for index in range(count):
        question = services.question_add(case=case, title=f"Vraag {index}", description="", added_by=worker)
        goal = services.goal_add(
            case=case, title=f"Doel {index}", description="", question=question, target_date=None, added_by=worker
        )
        services.goal_action_add(
            goal=goal, description=f"Stap {index}", owner="resident", due_date=None, added_by=worker
        )
        services.agreement_add(case=case, text=f"Afspraak {index}", added_by=worker)
        note = services.note_add(case=case, body=f"Notitie {index}", is_shared=index % 2 == 0, author=worker)
        document = services.document_add(
            case=case,
            title=f"Document {index}",
            upload=upload("d.pdf", pdf_bytes()),
            is_shared=True,
            uploaded_by=resident if index % 2 else worker,
        )
        services.resident_comment_add(resident=resident, kind="document", item=document, body=f"Reactie {index}")
        if note.is_shared:
            services.correction_request_add(resident=resident, kind="note", item=note, text=f"Correctie {index}")


def test_the_staff_dossier_needs_the_same_queries_for_1_and_for_30_items(personas: Personas, case: Case) -> None:
    client = client_for(personas.worker)
    url = dossier_url(personas.resident)
    with time_machine.travel(timezone.now(), tick=False):
        fill_case_file(personas, case, 1)
        client.get(url)
        small = queries_for(client, url)
        fill_case_file(personas, case, 29)
        large = queries_for(client, url)

    assert Note.objects.filter(case=case).count() == 30
    assert len(small) == len(large) == 35, "\n".join(large)
    # 1 session, 2 the user, 3 the staff member's second factor, 4 the
    # resident (policy); 5-9 the access-log entry (savepoint, chain
    # lock, insert, chain update, release); 10-13 the
    # visit for the unread count (savepoint, select, update, release);
    # 14 the current case, 15 questions, 16 goals, 17 their steps,
    # 18 agreements, 19 notes, 20 documents, 21 correction requests,
    # 22 comments, 23 the case's resident, 24 the timeline; 25 the
    # organisation for the layout, 26 the questions for the goal form,
    # 27 the closed cases (history), 28 the colleagues who could help.


def test_the_residents_dossier_needs_the_same_queries_for_1_and_for_30_items(personas: Personas, case: Case) -> None:
    client = client_for(personas.resident)
    with time_machine.travel(timezone.now(), tick=False):
        fill_case_file(personas, case, 1)
        client.get(RESIDENT_DOSSIER_URL)
        small = queries_for(client, RESIDENT_DOSSIER_URL)
        fill_case_file(personas, case, 29)
        large = queries_for(client, RESIDENT_DOSSIER_URL)

    assert len(small) == len(large) == 27, "\n".join(large)
    # 1 session, 2 the user, 3 the resident (policy); 4-8 the access-log
    # entry; 9 the current case, 10 questions, 11 goals, 12 their steps,
    # 13 agreements, 14 shared notes, 15 shared documents, 16 correction
    # requests, 17 comments, 18 the case's resident, 19 the shared timeline,
    # 20 the blend plan (review date); 21 the organisation for the layout,
    # 22 the closed cases (history).


def save_plan_for_every_goal(personas: Personas, case: Case) -> None:
    from blend.services import blend_plan_save
    from casefiles.models import Goal

    blend_plan_save(
        resident=personas.resident,
        saved_by=personas.worker,
        review_date=None,
        best_times="",
        preferred_channel="phone",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=False,
        needs_help_of_relative=False,
        notes="",
        case_channels={"phone", "chat"},
        goal_channels={goal: {"phone", "video"} for goal in Goal.objects.filter(case=case).select_related("case")},
        consent_changes={"chat": True},
    )


def test_the_blend_plan_page_needs_the_same_queries_for_1_and_for_30_goals(personas: Personas, case: Case) -> None:
    client = client_for(personas.worker)
    url = f"/werk/inwoners/{personas.resident.public_id}/samenwerken/"
    with time_machine.travel(timezone.now(), tick=False):
        fill_case_file(personas, case, 1)
        save_plan_for_every_goal(personas, case)
        client.get(url)
        small = queries_for(client, url)
        fill_case_file(personas, case, 29)
        save_plan_for_every_goal(personas, case)
        large = queries_for(client, url)

    assert len(small) == len(large) == 23, "\n".join(large)
    # 1 session, 2 the user, 3 second factor, 4 the resident (policy); 5-9
    # the access-log entry; 10 the current case, 11 its active goals, 12 the
    # plan, 13 the agreed channels, 14 usage, 15 consents, 16 the marks
    # "liever in een gesprek" (one UNION); 17 the organisation for the layout.
