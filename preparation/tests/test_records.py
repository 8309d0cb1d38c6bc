"""A preparation is the resident's own work: it is in their data export,
and the retention engine destroys it (ticks, notes, files) when it is past
its period and not on hold."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from django.utils import timezone

from conftest import Personas, client_for
from exports.services import export_download
from exports.tests.test_exports import _ready_export
from preparation.models import Preparation, PreparationDocument, PreparationItem
from preparation.tests.conftest import stored_files
from preparation.tests.test_preparation import a_pdf, first_item, item_url
from privacy.models import DestructionRecord
from privacy.retention import retention_purge


def _upload(personas: Personas, preparation: Preparation) -> None:
    client = client_for(personas.resident)
    item = first_item(preparation.guide)
    response = client.post(item_url(preparation, item), {"is_done": "on", "note": "Uitkering", "file": a_pdf()})
    assert response.status_code == 302


def test_the_export_holds_the_ticks_notes_and_files_of_the_preparation(
    personas: Personas, preparation: Preparation, django_capture_on_commit_callbacks: Any
) -> None:
    _upload(personas, preparation)

    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(export_download(export=export, user=personas.resident)))

    rows = json.loads(archive.read("gegevens.json"))["voorbereiding"]
    ticked = [row for row in rows if row["klaar"]]
    assert [row["notitie"] for row in ticked] == ["Uitkering"]
    assert len(rows) == 7  # every item of the debt-counselling guide
    [path] = [name for name in archive.namelist() if name.startswith("bestanden/voorbereiding/")]
    assert ticked[0]["bestanden_in_zip"] == path
    assert archive.read(path).startswith(b"%PDF")


def test_the_purge_destroys_an_old_preparation_with_its_files(
    personas: Personas,
    preparation: Preparation,
    private_folder: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _upload(personas, preparation)
    assert stored_files(private_folder)
    recent = Preparation.objects.create(guide=preparation.guide, resident=personas.other_resident)

    # Two years and a day after the last change (the default period: 2 years).
    with time_machine.travel(timezone.now() + timedelta(days=2 * 366 + 1), tick=False):
        Preparation.objects.filter(pk=recent.pk).update(updated_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            retention_purge(organisation_ids=[personas.organisation.pk], codes=["preparations"])

    assert not Preparation.objects.filter(pk=preparation.pk).exists()
    assert not PreparationItem.objects.filter(preparation_id=preparation.pk).exists()
    assert not PreparationDocument.objects.filter(preparation_id=preparation.pk).exists()
    assert not stored_files(private_folder)
    assert Preparation.objects.filter(pk=recent.pk).exists()  # changed since: kept
    assert DestructionRecord.objects.filter(object_id=str(preparation.public_id)).count() == 1
