"""Database triggers that refuse UPDATE and DELETE on the access log.

The application never changes an entry; these triggers make sure that raw
SQL through the application's connection cannot either. Tampering by a
database superuser who drops the triggers is caught by the hash chain.

PostgreSQL refuses UPDATE and DELETE per row; TRUNCATE (a privileged,
whole-table operation that test suites use to reset) is left to the hash
chain. SQLite refuses UPDATE; a DELETE there (Django's flush uses DELETE to
reset test databases) breaks the chain and is reported by
``manage.py verify_access_log``.
"""

from django.db import migrations

TABLE = "audit_accesslogentry"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER access_log_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'The access log is append-only.'); END;""",

]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS access_log_no_update;"]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION access_log_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'The access log is append-only.'; END;
    $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS access_log_no_change ON {TABLE};",
    "DROP FUNCTION IF EXISTS access_log_refuse_change();",
]


def forward(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
