"""PostgreSQL: a citizen's submission accepted by one function call (services.submissions).

The hourly limits held only approximately when one phone or connection sent several submissions at the
same moment: a single statement counts the marks of its own snapshot, so concurrent statements each counted
the marks as they were before any of them and all passed. The function first takes a transaction-level
advisory lock per key (namespace 1023, in a fixed order, so two submissions sharing both keys cannot
deadlock); each of its later statements takes a new snapshot (READ COMMITTED), so it counts the marks of
every submission that held the lock before it. Submissions with other keys do not wait for each other.

feedback_keys_lock() is also used by intake.throttle() for staff entries and the portable path. The
functions name the tables of SubmissionMark and PendingSubmission as they are now: a migration that renames
either must create the function again. Other databases: nothing to do (SQLite runs one writing transaction at a time).
"""

from django.db import migrations

from thongsuot.core.migration_operations import postgresql_only

CREATE = """
CREATE FUNCTION feedback_keys_lock(p_first text, p_second text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    h1 integer := hashtext(p_first);
    h2 integer := hashtext(p_second);
BEGIN
    IF h1 <> h2 THEN  -- both keys, in a fixed order
        PERFORM pg_advisory_xact_lock(1023, least(h1, h2));
        PERFORM pg_advisory_xact_lock(1023, greatest(h1, h2));
    ELSIF coalesce(h1, h2) IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(1023, coalesce(h1, h2));
    END IF;
END
$$;

CREATE FUNCTION feedback_submission_accept(
    p_ip_key text, p_phone_key text, p_limit integer, p_at timestamptz, p_sequence regclass, p_prefix text,
    p_data jsonb
) RETURNS TABLE (code text, counts json, first boolean) LANGUAGE plpgsql AS $$
DECLARE
    v_ip bigint;
    v_phone bigint;
    v_first boolean;
    v_number text;
    v_code text;
BEGIN
    PERFORM feedback_keys_lock(p_ip_key, p_phone_key);
    -- from here every statement sees the marks of the submissions that held these keys before
    SELECT count(*) FILTER (WHERE "key" = p_ip_key), count(*) FILTER (WHERE "key" = p_phone_key)
    INTO v_ip, v_phone FROM "feedback_submissionmark"
    WHERE "key" IN (p_ip_key, p_phone_key) AND "at" >= p_at - interval '1 hour';
    v_first := NOT EXISTS (SELECT 1 FROM "feedback_pendingsubmission");
    IF v_ip >= p_limit OR v_phone >= p_limit THEN
        RETURN QUERY SELECT NULL::text, json_build_object(coalesce(p_ip_key, ''), v_ip, coalesce(p_phone_key, '-'), v_phone), v_first;
        RETURN;
    END IF;
    IF p_ip_key IS NOT NULL THEN
        INSERT INTO "feedback_submissionmark" ("key", "at") VALUES (p_ip_key, p_at);
    END IF;
    IF p_phone_key IS NOT NULL THEN
        INSERT INTO "feedback_submissionmark" ("key", "at") VALUES (p_phone_key, p_at);
    END IF;
    v_number := nextval(p_sequence)::text;
    v_code := p_prefix || '-' || lpad(v_number, greatest(6, length(v_number)), '0');
    INSERT INTO "feedback_pendingsubmission" ("code", "received_at", "data", "attempts", "last_error")
    VALUES (v_code, p_at, p_data, 0, '');
    RETURN QUERY SELECT v_code, NULL::json, v_first;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS feedback_submission_accept(text, text, integer, timestamptz, regclass, text, jsonb);
DROP FUNCTION IF EXISTS feedback_keys_lock(text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_attachment_source_url")]

    operations = [postgresql_only(CREATE, DROP)]
