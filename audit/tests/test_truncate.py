"""Destroying the oldest access-log entries (the retention engine's path,
``access_log_truncate``): a signed anchor first, then one DELETE of a whole
prefix; the chain still verifies from the anchor, and entries deleted any
other way, or a forged or altered anchor, are still found."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.checkpoints import checkpoint_file
from audit.models import AccessLogAnchor, AccessLogEntry
from audit.services import (
    Access,
    AccessLogTruncateRefused,
    access_log_record,
    access_log_truncate,
    access_log_verify,
    chain_key_for,
)
from audit.tests.tampering import drop_append_only_triggers, raw_delete, raw_update
from conftest import Personas

RULE = "Toegangslog: bewaartermijn verstreken (test)"


def record_reads(personas: Personas, count: int) -> list[AccessLogEntry]:
    return access_log_record(
        actor=personas.worker,
        accesses=[Access(personas.resident, "resident", str(personas.resident.public_id), "view")] * count,
    )


def verify_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_access_log", stdout=StringIO(), stderr=err)
    return err.getvalue()


def truncate(key: str, through: int, capture: Callable[..., Any]) -> Any:
    with capture(execute=True):  # the anchor goes to the checkpoint file after commit
        return access_log_truncate(chain_key=key, through=through, rule=RULE)


def test_a_cut_prefix_leaves_a_signed_anchor_and_a_chain_that_still_verifies(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 6)
    key = entries[0].chain_key
    call_command("checkpoint_access_log", stdout=StringIO())  # a checkpoint at 6, before the cut

    anchor = truncate(key, 4, django_capture_on_commit_callbacks)

    assert anchor is not None and (anchor.sequence, anchor.hash, anchor.count) == (4, entries[3].entry_hash, 4)
    assert list(
        AccessLogEntry.objects.filter(chain_key=key).order_by("sequence").values_list("sequence", flat=True)
    ) == [5, 6]
    assert AccessLogAnchor.objects.filter(chain_key=key, sequence=4).exists()
    lines = [json.loads(line) for line in checkpoint_file(key).read_text().splitlines()]
    assert [line.get("kind") for line in lines] == [None, "anchor"]
    assert lines[1]["count"] == 4 and lines[1]["rule"] == RULE
    assert access_log_verify() == []

    # Later entries, another checkpoint, a second cut: still intact.
    record_reads(personas, 3)
    call_command("checkpoint_access_log", stdout=StringIO())
    again = truncate(key, 7, django_capture_on_commit_callbacks)
    assert again is not None and again.count == 3
    assert access_log_verify() == []
    # Nothing left before the anchor: a second call does nothing.
    assert truncate(key, 7, django_capture_on_commit_callbacks) is None

    # Everything can go; the head then equals the anchor.
    truncate(key, 9, django_capture_on_commit_callbacks)
    assert not AccessLogEntry.objects.filter(chain_key=key).exists()
    assert access_log_verify() == []


def test_entries_deleted_without_an_anchor_are_reported(personas: Personas) -> None:
    entries = record_reads(personas, 4)
    drop_append_only_triggers()
    raw_delete(entries[0])
    raw_delete(entries[1])
    assert "entry 1 is missing" in verify_fails()


def test_entries_deleted_before_an_anchor_was_written_are_reported_after_it(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 6)
    truncate(entries[0].chain_key, 2, django_capture_on_commit_callbacks)
    drop_append_only_triggers()
    raw_delete(entries[2])  # entry 3: right after the anchor, without one of its own
    assert "entry 3 is missing" in verify_fails()


def test_an_altered_anchor_is_reported(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 6)
    key = entries[0].chain_key
    truncate(key, 2, django_capture_on_commit_callbacks)
    drop_append_only_triggers()
    raw_delete(entries[2])
    raw_delete(entries[3])
    # Someone moves the anchor forward over the entries they deleted.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AccessLogAnchor._meta.db_table} SET sequence = 4, hash = %s, count = 4",  # noqa: S608
            [entries[3].entry_hash],
        )
    problems = verify_fails()
    assert "does not carry a valid signature" in problems
    # The file's own anchor (after 2) still holds, and from there 3 and 4 are missing.
    assert "entry 3 is missing" in problems


def test_an_altered_anchor_line_in_the_checkpoint_file_is_reported(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 4)
    key = entries[0].chain_key
    truncate(key, 2, django_capture_on_commit_callbacks)
    path = checkpoint_file(key)
    path.write_text(path.read_text().replace('"count": 2', '"count": 3'))
    assert "does not carry a valid signature" in verify_fails()


def test_a_forged_anchor_is_reported(personas: Personas) -> None:
    entries = record_reads(personas, 4)
    key = entries[0].chain_key
    drop_append_only_triggers()
    raw_delete(entries[0])
    raw_delete(entries[1])
    AccessLogAnchor.objects.create(
        chain_key=key, sequence=2, hash=entries[1].entry_hash, count=2, at="2030-01-01T00:00:00+00:00",
        rule=RULE, key_id="x", mac="0" * 64,
    )  # fmt: skip
    problems = verify_fails()
    assert "does not carry a valid signature" in problems and "entry 1 is missing" in problems


def test_an_anchor_removed_from_the_database_is_reported_but_still_used(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 4)
    truncate(entries[0].chain_key, 2, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AccessLogAnchor._meta.db_table}")  # noqa: S608
    problems = verify_fails()
    assert "missing from the database" in problems and "is missing (found" not in problems


def test_a_checkpoint_before_the_cut_needs_the_anchor(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 4)
    key = entries[0].chain_key
    call_command("checkpoint_access_log", stdout=StringIO())  # at 4
    truncate(key, 4, django_capture_on_commit_callbacks)
    assert access_log_verify() == []
    # Without its anchor the checkpoint at 4 no longer verifies.
    checkpoint_line = checkpoint_file(key).read_text().splitlines()[0]
    checkpoint_file(key).write_text(checkpoint_line + "\n")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AccessLogAnchor._meta.db_table}")  # noqa: S608
    assert "entries were removed" in verify_fails()


def test_a_tampered_chain_is_not_cut(personas: Personas) -> None:
    entries = record_reads(personas, 4)
    drop_append_only_triggers()
    raw_update(entries[2], actor_name="iemand anders")
    with pytest.raises(AccessLogTruncateRefused, match="not intact"):
        access_log_truncate(chain_key=entries[0].chain_key, through=2, rule=RULE)
    assert AccessLogEntry.objects.filter(chain_key=entries[0].chain_key).count() == 4
    assert not AccessLogAnchor.objects.exists()


def test_only_whole_prefixes_of_existing_entries_are_cut(personas: Personas) -> None:
    entries = record_reads(personas, 3)
    with pytest.raises(AccessLogTruncateRefused, match="ends at 3"):
        access_log_truncate(chain_key=entries[0].chain_key, through=4, rule=RULE)
    with pytest.raises(AccessLogTruncateRefused, match="no such chain"):
        access_log_truncate(chain_key=chain_key_for(999999), through=1, rule=RULE)
    assert AccessLogEntry.objects.filter(chain_key=entries[0].chain_key).count() == 3


def test_the_anchor_itself_is_append_only(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = record_reads(personas, 2)
    truncate(entries[0].chain_key, 1, django_capture_on_commit_callbacks)
    anchor = AccessLogAnchor.objects.get()
    with pytest.raises(PermissionError):
        anchor.save()
    with pytest.raises(PermissionError):
        anchor.delete()


def test_a_cut_takes_the_same_number_of_queries_for_2_and_20_entries(personas: Personas) -> None:
    def queries(count: int) -> int:
        entries = record_reads(personas, count)
        with CaptureQueriesContext(connection) as captured:
            access_log_truncate(chain_key=entries[0].chain_key, through=entries[-1].sequence, rule=RULE)
        return len(captured)

    assert queries(2) == queries(20)


def test_a_raw_delete_is_still_refused_on_postgresql_also_after_a_cut(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no DELETE trigger on purpose; a deleted row is caught by the hash chain")
    entries = record_reads(personas, 4)
    truncate(entries[0].chain_key, 1, django_capture_on_commit_callbacks)
    # The setting was switched off again right after the sanctioned DELETE.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_delete(entries[2])
    # Without the setting, also inside a transaction of its own.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_delete(entries[3])
    # The setting lets a DELETE through, never an UPDATE.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('samenspraak.access_log_truncate', 'on', true)")
        raw_update(entries[2], actor_name="iemand anders")
    assert AccessLogEntry.objects.filter(chain_key=entries[0].chain_key).count() == 3
