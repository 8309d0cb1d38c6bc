"""Fixtures of the preparation tests: private storage in a temporary
folder, the debt-counselling guide, and the demo resident's preparation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Personas
from preparation.demo import demo_guide_install
from preparation.models import Guide, Preparation
from preparation.services import preparation_start


@pytest.fixture(autouse=True)
def private_folder(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Private storage in an empty temporary folder, so a test sees exactly
    which files were stored (ours and the case file's share it)."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    yield location


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture
def guide(personas: Personas) -> Guide:
    return demo_guide_install(admin=personas.admin)


@pytest.fixture
def preparation(personas: Personas, guide: Guide) -> Preparation:
    return preparation_start(guide=guide, resident=personas.resident, started_by=personas.worker)
