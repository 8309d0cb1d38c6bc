"""Preparation guides: the resident ticks, writes notes and uploads per
item; a file that is not what it says is refused in plain Dutch without
losing the tick and note; other residents, workers off the caseload and
residents of an unpublished guide get 404; the worker moves every document
into the case file once, logged; the admin edits guides; the resident's
page and the worker's pages cost the same queries for 3 and 20 items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLogEntry
from casefiles.models import Document, TimelineEvent
from casefiles.services import case_open
from casefiles.tests.files import pdf_bytes, pdf_with_javascript
from conftest import Personas, client_for
from preparation.demo import DEBT_COUNSELLING_ITEMS
from preparation.models import Guide, GuideItem, Preparation, PreparationDocument, PreparationItem
from preparation.services import (
    ItemData,
    PreparationError,
    guide_create,
    guide_update,
    preparation_documents_move,
    preparation_item_save,
    preparation_start,
)
from preparation.tests.conftest import stored_files


def a_pdf(name: str = "loonstrook.pdf", text: str = "Loonstrook maart") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def item_url(preparation: Preparation, item: GuideItem) -> str:
    return f"/voorbereiden/{preparation.public_id}/onderdelen/{item.public_id}/"


def first_item(guide: Guide) -> GuideItem:
    return guide.items.all()[0]


# --- The resident ------------------------------------------------------------------------


def test_resident_ticks_writes_a_note_and_uploads_a_pdf(personas: Personas, preparation: Preparation) -> None:
    client = client_for(personas.resident)
    item = first_item(preparation.guide)
    response = client.post(
        item_url(preparation, item), {"is_done": "on", "note": "Uitkering van de gemeente", "file": a_pdf()}
    )
    assert response.status_code == 302
    answer = PreparationItem.objects.get(preparation=preparation, guide_item=item)
    assert answer.is_done and answer.note == "Uitkering van de gemeente"
    document = PreparationDocument.objects.get(preparation=preparation)
    assert document.content_type == "application/pdf" and document.guide_item == item

    page = client.get(f"/voorbereiden/{preparation.public_id}/").content.decode()
    assert "1 van 7 klaar" in page
    assert "loonstrook.pdf" in page

    # Unticking and changing the note work too.
    client.post(item_url(preparation, item), {"note": "Toch nog zoeken"})
    answer.refresh_from_db()
    assert not answer.is_done and answer.note == "Toch nog zoeken"
    assert "0 van 7 klaar" in client.get(f"/voorbereiden/{preparation.public_id}/").content.decode()


def test_a_disguised_file_is_refused_in_dutch_and_the_tick_and_note_stay(
    personas: Personas, preparation: Preparation, private_folder: Path
) -> None:
    client = client_for(personas.resident)
    item = first_item(preparation.guide)
    program = SimpleUploadedFile("bankafschrift.pdf", b"MZ\x90\x00 a windows program", "application/pdf")
    response = client.post(item_url(preparation, item), {"is_done": "on", "note": "Van de bank", "file": program})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit soort bestand kan niet." in page
    assert "Uw vinkje en notitie zijn wel opgeslagen." in page
    assert PreparationDocument.objects.count() == 0
    assert stored_files(private_folder) == []
    answer = PreparationItem.objects.get(preparation=preparation, guide_item=item)
    assert answer.is_done and answer.note == "Van de bank"

    scripted = SimpleUploadedFile("brief.pdf", pdf_with_javascript(), "application/pdf")
    response = client.post(item_url(preparation, item), {"is_done": "on", "note": "Van de bank", "file": scripted})
    assert "Deze PDF bevat een script" in response.content.decode()
    assert PreparationDocument.objects.count() == 0


def test_a_note_that_is_too_long_stores_nothing(personas: Personas, preparation: Preparation) -> None:
    item = first_item(preparation.guide)
    response = client_for(personas.resident).post(
        item_url(preparation, item), {"is_done": "on", "note": "x" * 1001, "file": a_pdf()}
    )
    assert response.status_code == 200
    assert "hoogstens 1000 tekens" in response.content.decode()
    assert not PreparationItem.objects.exists()
    assert not PreparationDocument.objects.exists()


def test_resident_starts_a_published_guide_and_marks_it_ready(personas: Personas, guide: Guide) -> None:
    client = client_for(personas.resident)
    assert guide.title in client.get("/voorbereiden/").content.decode()
    response = client.post(f"/voorbereiden/starten/{guide.public_id}/")
    preparation = Preparation.objects.get(resident=personas.resident)
    assert response.status_code == 302 and preparation.given_by is None
    client.post(f"/voorbereiden/starten/{guide.public_id}/")  # again: the same preparation
    assert Preparation.objects.filter(resident=personas.resident).count() == 1

    client.post(f"/voorbereiden/{preparation.public_id}/klaar/")
    preparation.refresh_from_db()
    assert preparation.is_ready
    event = TimelineEvent.objects.get(kind="preparation.ready")
    assert event.is_shared and event.resident == personas.resident


# --- Who reaches what ----------------------------------------------------------------------


def test_another_residents_preparation_item_and_document_answer_404(
    personas: Personas, preparation: Preparation
) -> None:
    item = first_item(preparation.guide)
    preparation_item_save(
        preparation=preparation, guide_item=item, is_done=True, note="Mijn", saved_by=personas.resident, upload=a_pdf()
    )
    document = PreparationDocument.objects.get()
    neighbour = client_for(personas.other_resident)
    for url in (f"/voorbereiden/{preparation.public_id}/", f"/voorbereiden/documenten/{document.public_id}/"):
        assert neighbour.get(url).status_code == 404
    for url in (
        item_url(preparation, item),
        f"/voorbereiden/{preparation.public_id}/klaar/",
        f"/voorbereiden/documenten/{document.public_id}/verwijderen/",
    ):
        assert neighbour.post(url, {"is_done": "", "note": "Van mij"}).status_code == 404
    answer = PreparationItem.objects.get()
    assert answer.note == "Mijn" and answer.is_done
    assert PreparationDocument.objects.count() == 1
    assert not Preparation.objects.get().is_ready
    denied = AccessLogEntry.objects.filter(actor=personas.other_resident, outcome="denied", subject=personas.resident)
    assert denied.exists()


def test_an_item_of_another_guide_answers_404(personas: Personas, preparation: Preparation) -> None:
    other = guide_create(organisation=personas.organisation, title="Werk zoeken", created_by=personas.admin)
    guide_update(
        guide=other,
        title="Werk zoeken",
        intro="",
        status="published",
        items=[ItemData("Cv")],
        changed_by=personas.admin,
    )
    response = client_for(personas.resident).post(
        item_url(preparation, other.items.get()), {"is_done": "on", "note": ""}
    )
    assert response.status_code == 404
    assert not PreparationItem.objects.exists()


def test_a_worker_not_on_the_caseload_gets_404(personas: Personas, preparation: Preparation) -> None:
    preparation_item_save(
        preparation=preparation,
        guide_item=first_item(preparation.guide),
        is_done=True,
        note="",
        saved_by=personas.resident,
        upload=a_pdf(),
    )
    document = PreparationDocument.objects.get()
    case_open(resident=personas.resident, opened_by=personas.worker)
    for outsider in (personas.other_worker, personas.team_lead, personas.foreign_worker):
        client = client_for(outsider)
        assert client.get(f"/werk/voorbereiden/{preparation.public_id}/").status_code == 404
        assert client.get(f"/werk/inwoners/{personas.resident.public_id}/voorbereiden/").status_code == 404
        assert client.get(f"/voorbereiden/documenten/{document.public_id}/").status_code == 404
        assert client.post(f"/werk/voorbereiden/{preparation.public_id}/naar-dossier/").status_code == 404
        assert personas.resident.full_name not in client.get("/werk/voorbereiden/").content.decode()
    assert not Document.objects.exists()
    assert client_for(personas.worker).get(f"/voorbereiden/documenten/{document.public_id}/").status_code == 200


def test_an_unpublished_guide_answers_404_to_residents(personas: Personas, preparation: Preparation) -> None:
    guide = preparation.guide
    client = client_for(personas.resident)
    assert client.get(f"/voorbereiden/{preparation.public_id}/").status_code == 200
    items = [ItemData(i.title, i.explanation, i.public_id) for i in guide.items.all()]
    guide_update(guide=guide, title=guide.title, intro="", status="draft", items=items, changed_by=personas.admin)
    assert client.get(f"/voorbereiden/{preparation.public_id}/").status_code == 404
    assert client.post(f"/voorbereiden/starten/{guide.public_id}/").status_code == 404
    assert guide.title not in client.get("/voorbereiden/").content.decode()
    # The worker still sees what the resident prepared.
    assert client_for(personas.worker).get(f"/werk/voorbereiden/{preparation.public_id}/").status_code == 200


# --- The worker ------------------------------------------------------------------------------


def test_worker_gives_a_guide_and_sees_what_is_ready(personas: Personas, guide: Guide) -> None:
    worker = client_for(personas.worker)
    url = f"/werk/inwoners/{personas.resident.public_id}/voorbereiden/"
    response = worker.post(url, {"guide": str(guide.public_id)})
    assert response.status_code == 302
    preparation = Preparation.objects.get(resident=personas.resident)
    assert preparation.given_by == personas.worker
    assert TimelineEvent.objects.filter(kind="preparation.given", is_shared=True).exists()
    items = list(guide.items.all())
    for item in items[:5]:
        preparation_item_save(
            preparation=preparation, guide_item=item, is_done=True, note="", saved_by=personas.resident
        )
    page = worker.get(f"/werk/voorbereiden/{preparation.public_id}/").content.decode()
    assert "5 van 7 klaar" in page
    assert "5 van 7" in worker.get("/werk/voorbereiden/").content.decode()


def test_moving_puts_every_document_in_the_case_file_once_and_logs_it(
    personas: Personas, preparation: Preparation, private_folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    items = list(preparation.guide.items.all())
    for item, name in ((items[0], "uitkering.pdf"), (items[3], "brief-a.pdf"), (items[3], "brief-b.pdf")):
        preparation_item_save(
            preparation=preparation,
            guide_item=item,
            is_done=True,
            note="",
            saved_by=personas.resident,
            upload=a_pdf(name, name),
        )
    ours = stored_files(private_folder)
    assert len(ours) == 3
    worker = client_for(personas.worker)
    move_url = f"/werk/voorbereiden/{preparation.public_id}/naar-dossier/"

    # Without a case file: refused, nothing moved.
    response = worker.post(move_url, follow=True)
    assert "nog geen lopend dossier" in response.content.decode()
    assert PreparationDocument.objects.filter(moved_at__isnull=True).count() == 3

    case = case_open(resident=personas.resident, opened_by=personas.worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(move_url, follow=True)
    page = response.content.decode()
    assert "3 documenten staan nu in het dossier" in page
    assert "uitkering.pdf" in page and "brief-b.pdf" in page
    documents = Document.objects.filter(case=case)
    assert documents.count() == 3
    assert all(document.is_shared and document.uploaded_by == personas.worker for document in documents)
    assert sorted(d.title for d in documents) == [
        "Brieven van schuldeisers: brief-a.pdf",
        "Brieven van schuldeisers: brief-b.pdf",
        "Inkomen: uitkering.pdf",
    ]
    moved = list(PreparationDocument.objects.all())
    assert all(d.is_moved and d.casefile_document_id for d in moved)
    assert {d.casefile_document_id for d in moved} == {d.public_id for d in documents}
    # Our copies are gone; the case file holds the three files.
    files = stored_files(private_folder)
    assert len(files) == 3 and not set(files) & set(ours)
    logged = AccessLogEntry.objects.filter(
        actor=personas.worker, object_type="preparation_document", action="change", subject=personas.resident
    )
    assert logged.count() == 3
    event = TimelineEvent.objects.get(kind="preparation.documents_moved")
    assert event.params["count"] == 3 and "brief-a.pdf" in event.params["documents"]

    # A second click moves nothing again.
    response = worker.post(move_url, follow=True)
    assert "geen nieuwe documenten" in response.content.decode()
    assert Document.objects.filter(case=case).count() == 3
    assert preparation_documents_move(preparation=preparation, moved_by=personas.worker) == []

    # The resident sees them in the case file, and no longer as downloadable here.
    resident_page = client_for(personas.resident).get(f"/voorbereiden/{preparation.public_id}/").content.decode()
    assert "staat in uw dossier" in resident_page
    assert client_for(personas.resident).get(f"/voorbereiden/documenten/{moved[0].public_id}/").status_code == 404


def test_only_caseload_staff_may_move(personas: Personas, preparation: Preparation) -> None:
    with pytest.raises(PreparationError):
        preparation_documents_move(preparation=preparation, moved_by=personas.resident)


# --- The organisation admin ----------------------------------------------------------------


def test_admin_makes_and_publishes_a_guide(personas: Personas) -> None:
    admin = client_for(personas.admin)
    response = admin.post("/beheer/voorbereiden/", {"title": "Voorbereiden op een gesprek over werk"})
    guide = Guide.objects.get(title="Voorbereiden op een gesprek over werk")
    assert response.status_code == 302 and guide.status == "draft"
    url = f"/beheer/voorbereiden/{guide.public_id}/"
    assert admin.get(url).status_code == 200
    form = {
        "title": guide.title,
        "intro": "Wat u kunt klaarleggen.",
        "status": "published",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "Cv",
        "items-0-explanation": "Een lijst van uw werk en opleidingen.",
        "items-1-title": "Diploma's",
        "items-2-title": "",
    }
    assert admin.post(url, form).status_code == 302
    guide.refresh_from_db()
    assert guide.is_published
    assert [item.title for item in guide.items.all()] == ["Cv", "Diploma's"]

    # Publishing without items is refused; an item residents used cannot be removed.
    empty = guide_create(organisation=personas.organisation, title="Leeg", created_by=personas.admin)
    response = admin.post(
        f"/beheer/voorbereiden/{empty.public_id}/",
        {"title": "Leeg", "intro": "", "status": "published", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200 and "minstens één onderdeel" in response.content.decode()
    empty.refresh_from_db()
    assert not empty.is_published

    preparation = preparation_start(guide=guide, resident=personas.resident, started_by=personas.resident)
    cv = guide.items.get(title="Cv")
    preparation_item_save(preparation=preparation, guide_item=cv, is_done=True, note="", saved_by=personas.resident)
    with pytest.raises(PreparationError, match="niet meer weghalen"):
        guide_update(
            guide=guide,
            title=guide.title,
            intro="",
            status="published",
            items=[ItemData("Cv", public_id=cv.public_id, is_removed=True)],
            changed_by=personas.admin,
        )
    assert guide.items.count() == 2


def test_other_organisations_admin_and_workers_cannot_edit_guides(personas: Personas, guide: Guide) -> None:
    assert client_for(personas.foreign_admin).get(f"/beheer/voorbereiden/{guide.public_id}/").status_code == 404
    assert client_for(personas.worker).get(f"/beheer/voorbereiden/{guide.public_id}/").status_code == 403
    assert guide.title not in client_for(personas.foreign_admin).get("/beheer/voorbereiden/").content.decode()


def test_the_demo_guide_has_the_seven_items_in_order(guide: Guide) -> None:
    assert [item.title for item in guide.items.all()] == [title for title, _ in DEBT_COUNSELLING_ITEMS]
    assert all(len(item.explanation) > 60 for item in guide.items.all())


# --- Query counts -----------------------------------------------------------------------------


def _guide_with(personas: Personas, count: int) -> Guide:
    guide = guide_create(organisation=personas.organisation, title=f"Gids {count}", created_by=personas.admin)
    items = [ItemData(f"Onderdeel {n}", "Uitleg") for n in range(count)]
    return guide_update(
        guide=guide, title=guide.title, intro="", status="published", items=items, changed_by=personas.admin
    )


def _fill(personas: Personas, preparation: Preparation) -> None:
    for item in preparation.guide.items.all():
        preparation_item_save(
            preparation=preparation,
            guide_item=item,
            is_done=True,
            note="Notitie",
            saved_by=personas.resident,
            upload=a_pdf(),
        )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_pages_cost_the_same_queries_for_3_and_20_items(personas: Personas) -> None:
    """One guide of 3 items, then one of 20 (each filled in, with a document
    per item); each page is asked after each, so the second time it holds
    more guides, items and documents."""
    resident = client_for(personas.resident)
    worker = client_for(personas.worker)
    # The first request of a session does more (session and sign-in bookkeeping).
    resident.get("/voorbereiden/")
    worker.get("/werk/voorbereiden/")
    counts: dict[str, list[int]] = {"resident": [], "worker": [], "overview": [], "resident_list": []}
    for size in (3, 20):
        guide = _guide_with(personas, size)
        preparation = preparation_start(guide=guide, resident=personas.resident, started_by=personas.worker)
        _fill(personas, preparation)
        counts["resident"].append(_queries(resident, f"/voorbereiden/{preparation.public_id}/"))
        counts["worker"].append(_queries(worker, f"/werk/voorbereiden/{preparation.public_id}/"))
        counts["overview"].append(_queries(worker, "/werk/voorbereiden/"))
        counts["resident_list"].append(_queries(resident, "/voorbereiden/"))
    for page, (small, large) in counts.items():
        assert small == large, (page, counts)
    print(f"preparation query counts (3 items, 20 items): {counts}")


# --- Timeline ---------------------------------------------------------------------------------


def test_timeline_sentences_per_reader_and_news_for_the_resident(
    personas: Personas, preparation: Preparation, django_capture_on_commit_callbacks: Any
) -> None:
    from casefiles.timeline import timeline_event_text

    given = TimelineEvent.objects.select_related("actor").get(kind="preparation.given")
    to_resident, link = timeline_event_text(given, viewer=personas.resident)
    to_worker, staff_link = timeline_event_text(given, viewer=personas.worker)
    assert to_resident == (
        "Sanne de Jong heeft u de handleiding 'Voorbereiden op schuldhulpverlening' gegeven. "
        "U vindt hem bij Voorbereiden"
    )
    assert link == f"/voorbereiden/{preparation.public_id}/"
    assert to_worker == "U hebt de handleiding 'Voorbereiden op schuldhulpverlening' gegeven"
    assert staff_link == f"/werk/voorbereiden/{preparation.public_id}/"
    home = client_for(personas.resident).get("/mijn/").content.decode()
    assert "heeft u de handleiding" in home

    preparation_item_save(
        preparation=preparation,
        guide_item=first_item(preparation.guide),
        is_done=True,
        note="Geheim: niet op de tijdlijn",
        saved_by=personas.resident,
        upload=a_pdf("uitkering.pdf"),
    )
    client_for(personas.resident).post(f"/voorbereiden/{preparation.public_id}/klaar/")
    ready = TimelineEvent.objects.select_related("actor").get(kind="preparation.ready")
    assert timeline_event_text(ready, viewer=personas.worker)[0] == (
        "Fatima el Amrani is klaar met de voorbereiding 'Voorbereiden op schuldhulpverlening'"
    )
    case_open(resident=personas.resident, opened_by=personas.worker)
    with django_capture_on_commit_callbacks(execute=True):
        preparation_documents_move(preparation=preparation, moved_by=personas.worker)
    moved = TimelineEvent.objects.select_related("actor").get(kind="preparation.documents_moved")
    assert timeline_event_text(moved, viewer=personas.resident)[0] == (
        "Sanne de Jong heeft uw documenten uit de voorbereiding 'Voorbereiden op schuldhulpverlening' "
        "in uw dossier gezet: Inkomen: uitkering.pdf"
    )
    assert not any("Geheim" in str(event.params) for event in TimelineEvent.objects.all())


# --- New for the worker -------------------------------------------------------------------------


def test_a_ready_preparation_is_new_on_the_caseload_until_a_worker_opens_it(
    personas: Personas, preparation: Preparation
) -> None:
    from organisations.caseload import caseload_annotate
    from samenspraak.policy import residents_for_casework

    def new_for_worker() -> int:
        residents = caseload_annotate(residents_for_casework(personas.worker), worker=personas.worker)
        return int(residents.get(pk=personas.resident.pk).preparations_ready)  # type: ignore[attr-defined]

    assert new_for_worker() == 0
    client_for(personas.resident).post(f"/voorbereiden/{preparation.public_id}/klaar/")
    assert new_for_worker() == 1
    worker = client_for(personas.worker)
    assert "nieuw" in worker.get("/werk/voorbereiden/").content.decode()
    # Someone off the caseload gets 404 and does not mark it seen.
    assert client_for(personas.other_worker).get(f"/werk/voorbereiden/{preparation.public_id}/").status_code == 404
    assert new_for_worker() == 1
    worker.get(f"/werk/voorbereiden/{preparation.public_id}/")
    assert new_for_worker() == 0
    assert Preparation.objects.get(pk=preparation.pk).seen_at is not None
