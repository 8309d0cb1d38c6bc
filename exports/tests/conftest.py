"""Fixtures for the export tests: the export folder and private storage in
temporary folders, and a resident with something of every record class."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from appointments.tests.factories import confirmed_appointment
from blend.services import channel_consent_set
from casefiles import services as casefiles
from casefiles.models import Case, Document
from casefiles.tests.files import pdf_bytes, upload
from conftest import Personas
from diary.services import EntryData, diary_entry_add
from messaging.models import Message
from messaging.services import conversation_direct_open, message_send
from outcomes.selectors import self_assessment_current
from outcomes.services import ScoreInput, measurement_record
from samenspraak.storage import private_storage

INTERNAL_NOTE = "INTERN: vermoeden van schulden, nog niet besproken"
SHARED_NOTE = "We spraken af dat u de brief van de gemeente meeneemt."
FORMULA_MESSAGE = '=HYPERLINK("https://kwaad.example";"klik")'


@pytest.fixture(autouse=True)
def folders(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.EXPORT_DIR = str(tmp_path / "exports")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    fields = [Document._meta.get_field("file"), Message._meta.get_field("attachment")]
    originals = [field.storage for field in fields]  # type: ignore[attr-defined]
    for field in fields:
        field.storage = private_storage()  # type: ignore[attr-defined]
    yield tmp_path / "exports"
    for field, original in zip(fields, originals, strict=True):
        field.storage = original  # type: ignore[attr-defined]


@dataclass
class Filled:
    case: Case
    message: Message


def _case_of(resident: User, worker: User) -> Case:
    existing = Case.objects.current().filter(resident=resident).first()
    return existing or casefiles.case_open(resident=resident, opened_by=worker)


def fill_everything(resident: User, worker: User, *, marker: str = "") -> Filled:
    """Something of every record class for ``resident``: a message, a diary
    entry, an appointment, a self-assessment, an uploaded document, a
    comment, a correction request, a shared and an internal note."""
    case = _case_of(resident, worker)
    shared = casefiles.note_add(case=case, body=SHARED_NOTE + marker, is_shared=True, author=worker)
    casefiles.note_add(case=case, body=INTERNAL_NOTE + marker, is_shared=False, author=worker)
    casefiles.document_add(
        case=case,
        title="Brief van de gemeente" + marker,
        upload=upload("brief.pdf", pdf_bytes()),
        is_shared=True,
        uploaded_by=resident,
    )
    casefiles.resident_comment_add(resident=resident, kind="note", item=shared, body="Klopt, ik neem hem mee" + marker)
    casefiles.correction_request_add(resident=resident, kind="note", item=shared, text="Het was dinsdag" + marker)
    channel_consent_set(resident=resident, channel="chat", is_given=True, recorded_by=resident)
    conversation = conversation_direct_open(resident=resident, opened_by=resident)
    result = message_send(
        conversation=conversation,
        author=resident,
        body=FORMULA_MESSAGE + marker,
        client_key=f"export-{resident.pk}-0001",
    )
    diary_entry_add(
        resident=resident,
        added_by=resident,
        data=EntryData("Wandelen met de hond" + marker, timezone.localdate(), None, 30, 2, 4),
    )
    confirmed_appointment(resident=resident, worker=worker, starts_at=timezone.now() + timedelta(days=2))
    version = self_assessment_current(organisation_id=resident.organisation_id)
    assert version is not None
    measurement_record(
        resident=resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate(),
        scored_by=resident,
        scores={item.pk: ScoreInput(3) for item in version.items.all()},
    )
    return Filled(case=case, message=result.message)


@pytest.fixture
def filled(personas: Personas) -> Filled:
    fill_everything(personas.other_resident, personas.other_worker, marker=" (ANDERE INWONER)")
    return fill_everything(personas.resident, personas.worker)
