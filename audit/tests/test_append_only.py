"""Nobody changes or removes an access-log entry: not the application (the
model and queryset refuse) and not raw SQL on the application's connection
(database triggers refuse)."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from audit.tests.tampering import raw_delete, raw_update
from conftest import Personas


@pytest.fixture
def entries(personas: Personas) -> list[AccessLogEntry]:
    return access_log_record(
        actor=personas.worker,
        accesses=[
            Access(personas.resident, "resident", str(personas.resident.public_id), "view"),
            Access(personas.other_resident, "resident", str(personas.other_resident.public_id), "view", "denied"),
        ],
    )


def snapshot() -> list[tuple[object, ...]]:
    return list(
        AccessLogEntry.objects.order_by("id").values_list(
            "id", "sequence", "actor_name", "outcome", "ip_address", "previous_hash", "entry_hash"
        )
    )


def assert_log_unchanged(before: list[tuple[object, ...]]) -> None:
    assert snapshot() == before
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact" in out.getvalue()


def test_saving_an_existing_entry_is_refused(entries: list[AccessLogEntry]) -> None:
    before = snapshot()
    entry = AccessLogEntry.objects.get(pk=entries[1].pk)
    entry.outcome = "allowed"

    with pytest.raises(PermissionError, match="append-only"):
        entry.save()
    with pytest.raises(PermissionError):
        entry.save(update_fields=["outcome"])

    assert_log_unchanged(before)


def test_deleting_an_entry_is_refused(entries: list[AccessLogEntry]) -> None:
    before = snapshot()

    with pytest.raises(PermissionError, match="append-only"):
        AccessLogEntry.objects.get(pk=entries[0].pk).delete()

    assert_log_unchanged(before)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda entries: entries.update(outcome="allowed"), id="update"),
        pytest.param(lambda entries: entries.filter(outcome="denied").update(actor_name="x"), id="filtered-update"),
        pytest.param(lambda entries: entries.delete(), id="delete"),
        pytest.param(lambda entries: entries.filter(outcome="denied").delete(), id="filtered-delete"),
    ],
)
def test_queryset_update_and_delete_are_refused(
    entries: list[AccessLogEntry], change: Callable[[object], object]
) -> None:
    before = snapshot()

    with pytest.raises(PermissionError, match="append-only"):
        change(AccessLogEntry.objects.all())

    assert_log_unchanged(before)


def test_raw_sql_update_is_refused_by_the_database(entries: list[AccessLogEntry]) -> None:
    before = snapshot()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_update(entries[1], outcome="allowed")

    assert_log_unchanged(before)


def test_raw_sql_update_of_every_row_is_refused_by_the_database(entries: list[AccessLogEntry]) -> None:
    before = snapshot()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AccessLogEntry._meta.db_table} SET actor_name = 'niemand'")  # noqa: S608

    assert_log_unchanged(before)


def test_raw_sql_delete_is_refused_by_the_database_on_postgresql(entries: list[AccessLogEntry]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no DELETE trigger on purpose (Django's test flush deletes rows); "
            "a deleted row is caught by the hash chain, see test_hash_chain"
        )
    before = snapshot()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_delete(entries[0])

    assert_log_unchanged(before)
