"""Hostile files through the real upload pages of the case file: the worker's
document form and the resident's. Each is refused with its plain Dutch
message and nothing is stored (no file, no document, no timeline entry).
The whole corpus is checked against the upload check itself in
test_upload_content_check.py; these are the end-to-end samples."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from casefiles.models import Case, Document
from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.helpers import casefile_state, messages_of, page_text, stored_files
from casefiles.tests.hostile.corpus import HOSTILE, hostile_file
from conftest import Personas, client_for

RESIDENT_UPLOAD_URL = "/mijn/dossier/document-toevoegen/"
UNAVAILABLE = "We kunnen het bestand nu niet controleren, probeer het later opnieuw."
SAMPLES = [
    "pdf-javascript-escaped-name",
    "pdf-javascript-in-object-stream",
    "pdf-launch-escaped-name",
    "pdf-open-action-uri",
    "pdf-submit-form",
    "docx-macro-part-not-named-bin",
    "docx-external-ole-object",
    "docx-zip-inside",
    "zip-bomb-declared-sizes-tiny",
    "odt-basic-macro",
]


@pytest.fixture
def without_clamd(settings: Any) -> None:
    settings.CLAMAV_SOCKET = ""


@pytest.fixture
def clamd(settings: Any) -> None:
    if not os.environ.get("CLAMAV_SOCKET"):
        pytest.skip("no clamd here: CLAMAV_SOCKET is unset (CI always starts one)")
    settings.CLAMAV_SOCKET = os.environ["CLAMAV_SOCKET"]


def worker_uploads(personas: Personas, case: Case, content: bytes) -> list[str]:
    response = client_for(personas.worker).post(
        f"/werk/dossiers/{case.public_id}/documenten/",
        {"title": "Brief", "file": upload("brief.pdf", content), "visibility": "shared"},
    )
    assert response.status_code == 302
    return messages_of(response)


def resident_uploads(personas: Personas, content: bytes) -> str:
    response = client_for(personas.resident).post(
        RESIDENT_UPLOAD_URL, {"title": "Brief", "file": upload("brief.docx", content)}
    )
    assert response.status_code == 200
    return page_text(response)


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize("name", SAMPLES)
def test_a_worker_upload_of_a_hostile_file_is_refused_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, name: str
) -> None:
    before = casefile_state(case)

    messages = worker_uploads(personas, case, hostile_file(name))

    assert len(messages) == 1
    assert messages[0].startswith(HOSTILE[name].message)
    assert casefile_state(case) == before
    assert not Document.objects.exists()
    assert stored_files(private_folder) == []


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize("name", ["pdf-javascript-escaped-name", "docx-external-ole-object", "zip-too-many-members"])
def test_a_resident_upload_of_a_hostile_file_is_refused_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, name: str
) -> None:
    before = casefile_state(case)

    text = resident_uploads(personas, hostile_file(name))

    assert HOSTILE[name].message in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


@pytest.mark.usefixtures("clamd")
@pytest.mark.parametrize("name", ["eicar-in-pdf-page-compressed", "eicar-in-docx-part"])
def test_an_upload_with_a_virus_is_refused_by_clamd_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, name: str
) -> None:
    before = casefile_state(case)

    messages = worker_uploads(personas, case, hostile_file(name))
    text = resident_uploads(personas, hostile_file(name))

    assert messages == ["In dit bestand is een virus gevonden. Het bestand is niet opgeslagen."]
    assert "In dit bestand is een virus gevonden." in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


@pytest.mark.usefixtures("clamd")
def test_an_ordinary_upload_passes_clamd_and_is_stored(personas: Personas, case: Case, private_folder: Path) -> None:
    assert worker_uploads(personas, case, pdf_bytes()) == ["Het document is toegevoegd."]
    assert len(stored_files(private_folder)) == 1


def test_with_clamd_configured_but_unreachable_an_upload_is_refused_not_stored_unchecked(
    personas: Personas, case: Case, private_folder: Path, settings: Any, tmp_path: Path
) -> None:
    settings.CLAMAV_SOCKET = str(tmp_path / "clamd-is-weg.sock")
    before = casefile_state(case)

    messages = worker_uploads(personas, case, pdf_bytes())
    text = resident_uploads(personas, pdf_bytes())

    assert messages == [UNAVAILABLE]
    assert UNAVAILABLE in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []
