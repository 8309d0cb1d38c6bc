"""Fixtures for the case-file tests: private storage in a temporary folder
(so tests can see exactly which files were stored), and an open case of
``personas.resident`` on ``personas.worker``'s caseload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casefiles import services
from casefiles.models import Case, Document
from conftest import Personas
from samenspraak.storage import private_storage


@pytest.fixture(autouse=True)
def private_folder(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Point the "private" storage at an empty temporary folder, so a test
    sees exactly which files were stored. ``Document.file`` is pointed at it
    too (and back afterwards), in case the field holds a storage resolved
    when the model was loaded."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    field = Document._meta.get_field("file")
    original = field.storage  # type: ignore[attr-defined]
    field.storage = private_storage()  # type: ignore[attr-defined]
    yield location
    field.storage = original  # type: ignore[attr-defined]


@pytest.fixture
def case(personas: Personas) -> Case:
    return services.case_open(resident=personas.resident, opened_by=personas.worker)
