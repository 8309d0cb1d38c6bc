"""What an attacker with database access would do: switch the append-only
triggers off and change rows behind the application's back.

Call these inside the test's transaction so that the triggers come back
when the test's transaction is rolled back (DDL is transactional on both
SQLite and PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from audit.models import AccessLogEntry

TABLE = AccessLogEntry._meta.db_table


def drop_append_only_triggers() -> None:
    assert connection.in_atomic_block, "only inside the test transaction, so that it is rolled back"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER access_log_no_change")
        else:
            cursor.execute("DROP TRIGGER access_log_no_update")


def raw_update(entry: AccessLogEntry, **columns: Any) -> None:
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*columns.values(), entry.pk])  # noqa: S608


def raw_delete(entry: AccessLogEntry) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
