"""Checkpoints of the tests go to a directory of their own, never to the
developer's ``var/checkpoints`` (whose lines name another database's chains)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    directory = tmp_path / "checkpoints"
    settings.ACCESS_LOG_CHECKPOINT_DIR = str(directory)
    return directory
