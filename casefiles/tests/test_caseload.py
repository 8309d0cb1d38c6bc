"""The caseload (/werk/) shows, per resident, when the blend plan is to be
reviewed, open correction requests and what is new from the resident since
this worker last opened the file; the "aandacht" filters find them."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.models import User
from blend.services import blend_plan_save
from casefiles import services
from casefiles.models import Case
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import dossier_url
from conftest import Personas, client_for
from organisations.tests.test_caseload import residents_on_caseload

CASELOAD_URL = "/werk/"


def row_of(html: str, resident: User) -> list[str]:
    """The text of each cell in the resident's row of the caseload table."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if str(resident.public_id) in row:
            return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    raise AssertionError(f"{resident} is not on the page")


def listed(html: str) -> set[str]:
    return set(re.findall(r"/werk/inwoners/([0-9a-f-]{36})/dossier/", html))


def plan_with_review(resident: User, worker: User, days: int) -> None:
    blend_plan_save(
        resident=resident,
        saved_by=worker,
        review_date=timezone.localdate() + timedelta(days=days),
        best_times="",
        preferred_channel="face_to_face",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=False,
        needs_help_of_relative=False,
        notes="",
        case_channels=set(),
        goal_channels={},
        consent_changes={},
    )


def resident_reacts(personas: Personas, case: Case, *, comment: bool, upload_file: bool, correction: bool) -> None:
    resident = case.resident
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    if comment:
        services.resident_comment_add(resident=resident, kind="note", item=note, body="Dank u")
    if upload_file:
        services.document_add(
            case=case, title="Foto", upload=upload("f.pdf", pdf_bytes()), is_shared=True, uploaded_by=resident
        )
    if correction:
        services.correction_request_add(resident=resident, kind="note", item=note, text="Klopt niet")


def test_caseload_shows_review_date_open_corrections_and_what_is_new(personas: Personas, case: Case) -> None:
    plan_with_review(personas.resident, personas.worker, days=10)
    resident_reacts(personas, case, comment=True, upload_file=True, correction=True)

    html = client_for(personas.worker).get(CASELOAD_URL).content.decode()

    review = timezone.localdate() + timedelta(days=10)
    name, review_cell, corrections, unread, *_rest = row_of(html, personas.resident)
    assert name == "Fatima el Amrani"
    # The date format may change ("8 december 2026", "8 dec 2026"); day and year stay.
    assert review_cell.startswith(f"{review.day} ")
    assert str(review.year) in review_cell
    assert corrections == "1"
    # A comment, an upload and a correction request from the resident.
    assert unread == "3"


def test_unread_drops_to_zero_once_the_worker_opens_the_file(personas: Personas, case: Case) -> None:
    resident_reacts(personas, case, comment=True, upload_file=True, correction=True)
    client = client_for(personas.worker)
    assert row_of(client.get(CASELOAD_URL).content.decode(), personas.resident)[3] == "3"

    client.get(dossier_url(personas.resident))

    cells = row_of(client.get(CASELOAD_URL).content.decode(), personas.resident)
    assert cells[3] == "0"
    assert cells[2] == "1"  # the correction request is still open


def test_unread_counts_only_what_the_resident_did_after_the_last_visit(personas: Personas, case: Case) -> None:
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)
    client = client_for(personas.worker)
    client.get(dossier_url(personas.resident))

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.resident_comment_add(resident=personas.resident, kind="note", item=note, body="Nieuw")
        # What the worker did is not new for the worker.
        services.note_add(case=case, body="Nog een", is_shared=True, author=personas.worker)
        services.document_add(
            case=case,
            title="Van de werker",
            upload=upload("w.pdf", pdf_bytes()),
            is_shared=True,
            uploaded_by=personas.worker,
        )
        cells = row_of(client.get(CASELOAD_URL).content.decode(), personas.resident)

    assert cells[3] == "1"


def test_unread_is_counted_per_worker(personas: Personas) -> None:
    # Peter (in Noor's team) and Noor both see Mehmet; only Peter opens the file.
    resident = personas.team_resident
    case = services.case_open(resident=resident, opened_by=personas.team_worker)
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.team_worker)
    services.resident_comment_add(resident=resident, kind="note", item=note, body="Vraagje")

    client_for(personas.team_worker).get(dossier_url(resident))

    assert row_of(client_for(personas.team_worker).get(CASELOAD_URL).content.decode(), resident)[3] == "0"
    assert row_of(client_for(personas.team_lead).get(CASELOAD_URL).content.decode(), resident)[3] == "1"


def test_the_attention_filters_find_reviews_corrections_and_news(personas: Personas) -> None:
    worker = personas.worker
    review_soon, review_later, correcting, reacting, quiet = residents_on_caseload(personas, worker, 5, prefix="att")
    plan_with_review(review_soon, worker, days=7)
    plan_with_review(review_later, worker, days=30)
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        correcting_case = services.case_open(resident=correcting, opened_by=worker)
        resident_reacts(personas, correcting_case, comment=False, upload_file=False, correction=True)
        reacting_case = services.case_open(resident=reacting, opened_by=worker)
        note = services.note_add(case=reacting_case, body="Gedeeld", is_shared=True, author=worker)
        for resident in (review_soon, review_later, correcting, reacting, quiet, personas.resident):
            services.casefile_visit_record(worker=worker, resident=resident)
    services.resident_comment_add(resident=reacting, kind="note", item=note, body="Nieuw")
    client = client_for(worker)

    def found(attention: str) -> set[str]:
        return listed(client.get(CASELOAD_URL, {"aandacht": attention}).content.decode())

    assert found("review") == {str(review_soon.public_id)}
    assert found("corrections") == {str(correcting.public_id)}
    assert found("unread") == {str(reacting.public_id)}
    assert len(found("")) == 6


def test_an_unknown_attention_filter_shows_a_message_not_an_error(personas: Personas) -> None:
    response = client_for(personas.worker).get(CASELOAD_URL, {"aandacht": "<script>"})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</form>", 1)[1]
