from django.db import migrations

from thongsuot.core.migration_operations import postgresql_only

FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_audit_append_only();
"""
# On PostgreSQL (production) a trigger refuses UPDATE and DELETE; TRUNCATE, used only by test
# teardown and by deliberate maintenance, is not affected. On SQLite (development) the model
# refuses changes; there is no trigger, so test teardown can empty the table.


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
