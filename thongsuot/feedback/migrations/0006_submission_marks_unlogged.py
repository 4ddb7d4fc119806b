"""PostgreSQL: the rate-limit marks skip the write-ahead log (an UNLOGGED table). They only count the last
hour's submissions; after a crash PostgreSQL empties the table, which merely restarts the hour's count,
while every submission writes two marks fewer to the log. Other databases: nothing to do."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "feedback_submissionmark" SET UNLOGGED')


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "feedback_submissionmark" SET LOGGED')


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_pending_submission")]

    operations = [migrations.RunPython(unlogged, logged)]
