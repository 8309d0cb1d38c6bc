from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notifications import vapid
from notifications.tests.push_service import PushService


@pytest.fixture(autouse=True)
def _own_vapid_key(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Each test generates its own VAPID key in a temporary file."""
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid_private_key")
    vapid._vapid.cache_clear()
    yield
    vapid._vapid.cache_clear()


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with PushService() as service:
        yield service
