"""PostgreSQL: the rate-limit marks skip the write-ahead log (an UNLOGGED table). They only count the last
hour's submissions; after a crash PostgreSQL empties the table, which merely restarts the hour's count,
while every submission writes two marks fewer to the log. Other databases: nothing to do."""

from django.db import migrations

from thongsuot.core.migration_operations import postgresql_only


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_pending_submission")]

    operations = [
        postgresql_only(
            'ALTER TABLE "feedback_submissionmark" SET UNLOGGED', 'ALTER TABLE "feedback_submissionmark" SET LOGGED'
        )
    ]
