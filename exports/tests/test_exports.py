"""The export of all own data (issue 15, part 1): what the ZIP holds (every
record class of the resident, nothing of another resident, no internal
notes unless the policy says so), the readable PDF, formula-safe CSV,
encryption at rest, one export at a time and a daily limit, expiry and
purge, and who may reach it (only the resident; others get 404, logged)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audit.models import AccessLogEntry
from conftest import Personas, client_for, run_queued_tasks
from exports import crypto
from exports.models import DataExport
from exports.services import ExportError, export_download, export_purge, export_request
from exports.tests.conftest import FORMULA_MESSAGE, INTERNAL_NOTE, SHARED_NOTE, Filled

HOME = "/mijn/gegevens/"


def _ready_export(resident: User, capture: Any) -> DataExport:
    with capture(execute=True):
        export = export_request(resident=resident)
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY, export.status
    return export


def _zip(export: DataExport) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export_download(export=export, user=export.resident)))


def _pdf_text(content: bytes) -> str:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return "".join(
            operand.decode("latin-1") if isinstance(operand, bytes) else str(operand)
            for page in pdf.pages
            for instruction in pikepdf.parse_content_stream(page)
            if isinstance(instruction, pikepdf.ContentStreamInstruction)
            for operand in instruction.operands
            if isinstance(operand, pikepdf.String)
        )


def test_the_zip_holds_every_record_class_of_the_resident(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    archive = _zip(export)
    names = set(archive.namelist())
    data = json.loads(archive.read("gegevens.json"))

    assert {"lees-mij-eerst.pdf", "gegevens.json", "wie-keek-mee.csv"} <= names
    for part in (
        "account",
        "berichten",
        "dagboek",
        "afspraken",
        "vragenlijsten",
        "reacties",
        "correctieverzoeken",
        "documenten",
        "notities",
        "toestemmingen",
    ):
        assert data[part], part
        assert f"{part}.csv" in names
    assert data["berichten"][0]["tekst"] == FORMULA_MESSAGE
    assert data["dagboek"][0]["wat"] == "Wandelen met de hond"
    assert data["reacties"][0]["reactie"] == "Klopt, ik neem hem mee"
    assert data["correctieverzoeken"][0]["verzoek"] == "Het was dinsdag"
    assert data["account"][0]["gebruikersnaam"] == personas.resident.username
    # The consent register: the trusted person the demo resident lets look along, with the text version.
    assert data["toestemmingen"][0]["tekstversie"] == "2026-12"
    # The uploaded file itself, byte for byte.
    document = data["documenten"][0]
    assert archive.read(document["bestand_in_zip"]).startswith(b"%PDF")
    # The worker who scored and opened things is in "who looked".
    assert any(row["wie"] for row in data["wie_keek_mee"])


def test_the_zip_holds_nothing_of_another_resident_and_no_internal_notes(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    archive = _zip(export)
    everything = b"".join(archive.read(name) for name in archive.namelist() if not name.endswith(".pdf"))
    text = everything.decode("utf-8", errors="replace")

    assert "ANDERE INWONER" not in text
    assert INTERNAL_NOTE not in text
    assert SHARED_NOTE in text
    assert personas.other_resident.username not in text


def test_internal_notes_go_in_when_the_policy_says_so(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EXPORT_INCLUDE_INTERNAL_NOTES = True
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    notes = json.loads(_zip(export).read("gegevens.json"))["notities"]

    assert {note["tekst"] for note in notes} == {INTERNAL_NOTE, SHARED_NOTE}
    assert "Ook de interne notities" in _pdf_text(_zip(export).read("lees-mij-eerst.pdf"))


def test_the_pdf_says_in_dutch_what_we_hold_why_and_who_looked(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    text = _pdf_text(_zip(export).read("lees-mij-eerst.pdf"))

    assert "Uw gegevens bij" in text
    assert "Welke gegevens wij van u bewaren, en waarom" in text
    assert "Wie keek in uw dossier" in text
    assert "Berichten die u schreef: 1." in text
    assert "Interne notities van uw sociaal werker staan er niet in." in text
    assert personas.worker.full_name in text


def test_csv_cells_that_start_like_a_formula_are_text(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    rows = list(csv.DictReader(io.StringIO(_zip(export).read("berichten.csv").decode())))

    assert rows[0]["tekst"] == "'" + FORMULA_MESSAGE


def test_the_stored_file_is_encrypted(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any, folders: Path
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)

    stored = list(folders.iterdir())
    raw = stored[0].read_bytes()

    assert [path.name for path in stored] == [f"{export.public_id}.zip.enc"]
    assert not raw.startswith(b"PK")
    assert not zipfile.is_zipfile(stored[0])
    assert FORMULA_MESSAGE.encode() not in raw
    assert zipfile.is_zipfile(io.BytesIO(crypto.decrypted_read(str(export.public_id))))


def test_one_export_at_a_time_and_a_limit_per_day(personas: Personas, settings: Any) -> None:
    settings.EXPORT_REQUESTS_PER_DAY = 2
    export_request(resident=personas.resident)  # queued: its build waits for the commit

    with pytest.raises(ExportError, match="wordt al gemaakt"):
        export_request(resident=personas.resident)
    DataExport.objects.update(status=DataExport.Status.FAILED)
    export_request(resident=personas.resident)
    DataExport.objects.update(status=DataExport.Status.FAILED)
    with pytest.raises(ExportError, match="vandaag al 2 keer"):
        export_request(resident=personas.resident)

    assert DataExport.objects.filter(resident=personas.resident).count() == 2


def test_an_export_whose_worker_died_no_longer_blocks_a_new_one(personas: Personas) -> None:
    export_request(resident=personas.resident)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        again = export_request(resident=personas.resident)

    assert again.status == DataExport.Status.QUEUED
    assert DataExport.objects.filter(status=DataExport.Status.FAILED).count() == 1


def test_a_second_run_of_the_build_does_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any, folders: Path
) -> None:
    from exports.building import export_build

    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)
    stored = (folders / f"{export.public_id}.zip.enc").read_bytes()

    export_build(export_id=export.pk)

    assert (folders / f"{export.public_id}.zip.enc").read_bytes() == stored


def test_an_expired_export_cannot_be_downloaded_and_is_purged(
    personas: Personas, django_capture_on_commit_callbacks: Any, folders: Path
) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)
    url = f"{HOME}{export.public_id}/download/"

    assert export_purge() == 0
    # A new sign-in each time: the session ends after 30 idle minutes.
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client_for(personas.resident).get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client_for(personas.resident).get(url, follow=True)
        assert "Deze download is verlopen. Vraag een nieuwe aan." in response.content.decode()
        assert export_purge() == 1

    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert list(folders.iterdir()) == []
    assert AccessLogEntry.objects.filter(object_type="data_export", action="delete", subject=personas.resident).exists()


# --- The pages ----------------------------------------------------------------------


def test_the_resident_requests_sees_progress_and_downloads(
    personas: Personas, filled: Filled, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(personas.resident)

    page = client.get(HOME).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(HOME)
    run_queued_tasks()
    export = DataExport.objects.get(resident=personas.resident)
    after = client.get(HOME).content.decode()
    progress = client.get(f"{HOME}{export.public_id}/voortgang/").json()
    download = client.get(f"{HOME}{export.public_id}/download/")

    assert "Mijn gegevens aanvragen" in page
    assert response.status_code == 302
    assert "Download de map" in after
    assert progress == {"status": "ready", "progress": 100, "label": "klaar om te downloaden"}
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "no-store"
    assert zipfile.is_zipfile(io.BytesIO(download.content))
    logged = set(
        AccessLogEntry.objects.filter(object_type="data_export", subject=personas.resident).values_list(
            "action", flat=True
        )
    )
    assert {"create", "export"} <= logged


def test_the_page_shows_the_progress_while_the_export_is_made(personas: Personas) -> None:
    export = export_request(resident=personas.resident)  # the build waits for a commit that never comes
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING, progress=40)

    page = client_for(personas.resident).get(HOME).content.decode()

    assert "js/exports.js" in page
    assert "Bekijk of de map klaar is" in page
    assert 'value="40"' in page
    assert "Status: wordt gemaakt (40%)" in page
    assert "Mijn gegevens aanvragen" not in page


@pytest.mark.parametrize("who", ["other_resident", "trusted_person", "worker", "privacy_officer"])
def test_nobody_else_reaches_an_export(personas: Personas, django_capture_on_commit_callbacks: Any, who: str) -> None:
    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)
    downloads = export.download_count
    client = client_for(getattr(personas, who))

    statuses = {
        client.get(f"{HOME}{export.public_id}/download/").status_code,
        client.get(f"{HOME}{export.public_id}/voortgang/").status_code,
    }

    assert statuses <= {403, 404}
    export.refresh_from_db()
    assert export.download_count == downloads
    if who in {"other_resident", "trusted_person"}:
        assert statuses == {404}
        assert AccessLogEntry.objects.filter(
            object_type="data_export", outcome="denied", actor=getattr(personas, who)
        ).exists()


def test_a_forged_download_link_is_404(personas: Personas) -> None:
    client = client_for(personas.resident)

    assert client.get(f"{HOME}00000000-0000-0000-0000-000000000000/download/").status_code == 404
    assert client.get(f"{HOME}niet-een-id/download/").status_code == 404


def test_a_second_request_while_one_runs_says_so_and_adds_nothing(personas: Personas) -> None:
    export_request(resident=personas.resident)
    client = client_for(personas.resident)

    response = client.post(HOME, follow=True)

    assert "Uw download wordt al gemaakt. Wacht tot die klaar is." in response.content.decode()
    assert DataExport.objects.count() == 1


def test_the_progress_answer_costs_three_queries(personas: Personas, django_assert_num_queries: Any) -> None:
    export = export_request(resident=personas.resident)
    client = client_for(personas.resident)
    client.get(HOME)

    # 1. the session, 2. the user, 3. the export with its resident.
    with django_assert_num_queries(3):
        client.get(f"{HOME}{export.public_id}/voortgang/")


def _messages(resident: User, count: int) -> None:
    from blend.services import channel_consent_set
    from messaging.models import Message
    from messaging.services import conversation_direct_open

    channel_consent_set(resident=resident, channel="chat", is_given=True, recorded_by=resident)
    conversation = conversation_direct_open(resident=resident, opened_by=resident)
    start = Message.objects.filter(conversation=conversation).count()
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            sequence=start + number,
            author=resident,
            author_name="Fatima",
            body=f"Bericht {number}",
            client_key=f"bulk-{start + number:08d}",
        )
        for number in range(1, count + 1)
    )


def test_the_build_costs_the_same_queries_for_10_and_1000_messages(personas: Personas) -> None:
    from exports.building import export_zip

    resident = personas.resident
    _messages(resident, 10)
    with CaptureQueriesContext(connection) as few:
        export_zip(resident=resident)
    _messages(resident, 990)
    with CaptureQueriesContext(connection) as many:
        data = json.loads(zipfile.ZipFile(io.BytesIO(export_zip(resident=resident))).read("gegevens.json"))

    assert len(data["berichten"]) == 1000
    assert len(many.captured_queries) == len(few.captured_queries)
