"""On PostgreSQL the database itself refuses two time-holding appointments
of one worker (or one resident) that overlap, not only two that start at
the same moment: an exclusion constraint over the time range.

It needs the btree_gist extension. Where the database user may not create
extensions, the migration says so and goes on: the services' lock and
overlap check and the unique constraints still prevent double booking.
SQLite has no exclusion constraints; there, writes are serialised anyway.
"""

from django.db import migrations

HOLDS = "('awaiting_worker', 'awaiting_resident', 'confirmed')"


def add_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT btree_gist")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
                cursor.execute("RELEASE SAVEPOINT btree_gist")
            except Exception:  # noqa: BLE001 - any refusal means: no extension here
                cursor.execute("ROLLBACK TO SAVEPOINT btree_gist")
                print("  btree_gist is not available: appointments rely on locks and unique constraints only.")
                return
        for column in ("worker_id", "resident_id"):
            name = f"appointment_{column.removesuffix('_id')}_no_overlap"
            cursor.execute(
                f"ALTER TABLE appointments_appointment ADD CONSTRAINT {name} "
                f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                f"WHERE (status IN {HOLDS})"
            )


def remove_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in ("appointment_worker_no_overlap", "appointment_resident_no_overlap"):
            cursor.execute(f"ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0002_appointment_appointmentnotice_appointmentrequest_and_more")]

    operations = [migrations.RunPython(add_constraints, remove_constraints)]
