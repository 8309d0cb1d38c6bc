"""Fixtures for the messaging tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from messaging.models import Message
from samenspraak.storage import private_storage


@pytest.fixture
def private_folder(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Point the "private" storage (where attachments go) at an empty
    temporary folder, so a test sees exactly which files were stored."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    field = Message._meta.get_field("attachment")
    original = field.storage  # type: ignore[attr-defined]
    field.storage = private_storage()  # type: ignore[attr-defined]
    yield location
    field.storage = original  # type: ignore[attr-defined]
