"""``access_log_batched``: a read page that lists residents in several
sections writes one append per actor, and loses no entry when it fails."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLogEntry
from audit.services import Access, access_log_batched, access_log_record
from conftest import Personas


def _read(personas: Personas, resident_attr: str = "resident") -> None:
    resident = getattr(personas, resident_attr)
    access_log_record(actor=personas.worker, accesses=[Access(resident, "resident", str(resident.public_id), "list")])


def _entries(personas: Personas) -> int:
    return AccessLogEntry.objects.filter(actor=personas.worker).count()


def test_the_batch_writes_every_access_once_when_it_ends(personas: Personas) -> None:
    before = _entries(personas)
    with access_log_batched():
        _read(personas)
        _read(personas, "other_resident")
        with access_log_batched():  # a nested batch leaves the writing to the outer one
            _read(personas)
        assert _entries(personas) == before  # held back until the end
    assert _entries(personas) == before + 3


def test_one_append_for_many_calls(personas: Personas) -> None:
    _read(personas)  # the chain head exists from here on
    with CaptureQueriesContext(connection) as one_call:
        _read(personas)
    with CaptureQueriesContext(connection) as batched, access_log_batched():
        for _ in range(5):
            _read(personas)
    assert len(batched) == len(one_call)


def test_what_was_read_before_an_error_is_still_logged(personas: Personas) -> None:
    before = _entries(personas)
    with pytest.raises(RuntimeError), access_log_batched():
        _read(personas)
        raise RuntimeError("the page failed after reading")
    assert _entries(personas) == before + 1
