"""On PostgreSQL, refuse UPDATE and DELETE of pathway events and audit entries in the
database itself, so not even raw SQL or another program can rewrite the history.

(SQLite keeps the ORM guard only: Django's test flush empties SQLite tables with DELETE.)
"""

from __future__ import annotations

from django.db import migrations

TABLES = ["pathways_pathwayevent", "audit_auditentry"]

FUNCTION = """
CREATE OR REPLACE FUNCTION brobygger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only: add a new row instead', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION brobygger_refuse_change()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS brobygger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
