"""Operations for hand-written migrations."""

from django.db import migrations


def postgresql_only(sql: str, reverse_sql: str) -> migrations.RunPython:
    """Run `sql` when migrating forwards and `reverse_sql` backwards, on PostgreSQL only: the platform's
    triggers, functions and table options that SQLite (development, tests) has no use for."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forwards, backwards)
