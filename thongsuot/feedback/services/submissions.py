"""Citizens' submissions (public form, Open311): accepted at once, registered by a task worker.

submission_accept() does, while the citizen waits, everything that can refuse a submission: it checks
every field (errors name the field), locates the unit, applies the hourly limits, writes the files, and
hands out the tracking code. It stores the submission as a PendingSubmission; on PostgreSQL the limits,
the number and the row are one call of a prepared statement (the function of migration 0009, which holds
the limits exactly when one phone sends many at once), so the public form keeps up with a surge of
citizens (a flood, a storm) whatever the rest of the system is doing.

A task worker then registers it (submission_register): the Report, its timeline event and audit row, the
Open311 audit row and the citizen's notification, in one transaction that also deletes the pending row.
Registration normally follows within a second or two; the follow page and Open311 show a pending
submission as received meanwhile. Several workers share the queue (SELECT … FOR UPDATE SKIP LOCKED), and
the periodic sweep registers anything a lost job left behind.
"""

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connections, transaction
from django.utils import timezone
from django_tasks import task

from thongsuot.accounts import access
from thongsuot.core.audit import audit_record
from thongsuot.core.calendar import add_working_days, city_time
from thongsuot.core.request_context import reset_client_ip, set_client_ip
from thongsuot.feedback import selectors, uploads
from thongsuot.feedback.audit_actions import SubmissionAudit
from thongsuot.feedback.models import Channel, PendingSubmission
from thongsuot.feedback.services.intake import (
    SUBMISSION_FIELDS,
    code_prefix,
    code_sequence_ensure,
    code_sequence_name,
    is_user,
    next_code,
    prepare,
    refuse_over_limit,
    registration,
    report_register,
    submissions_per_hour,
    throttle,
    throttle_keys,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Accepted:
    """What the citizen is given back: the tracking code and the secret of their follow link."""

    code: str
    citizen_key: str
    received_at: datetime
    due_date: date


@uploads.discard_files_on_error
def submission_accept(
    *,
    files=(),
    actor=None,
    client_ip: str | None = None,
    throttle_key: str | None = None,
    source: dict | None = None,
    media_url: str = "",
    **fields,
) -> Accepted:
    """Check, locate, rate-limit (per `throttle_key`, default the client's IP, and per phone), number and
    queue a citizen's submission; raises ValidationError naming the field, or RateLimited. `fields` are
    report_submit's (intake.SUBMISSION_FIELDS: category, description, contact_name, contact_phone,
    contact_email, address, latitude, longitude, channel). `actor` is the signed-in citizen, if any;
    `source` is kept for the audit (the Open311 client and device); `media_url` names a photo or video
    to download once the report is registered (services.media)."""
    if unknown := set(fields) - set(SUBMISSION_FIELDS):
        raise TypeError(f"submission_accept() got unexpected fields: {', '.join(sorted(unknown))}")
    data = {"channel": Channel.WEB, **fields}
    clean, checked = prepare(data=data, files=files)
    saved = [uploads.save_file(upload, content_type) for upload, content_type in checked]
    record = registration(
        clean, saved_files=saved, citizen_id=actor.pk if is_user(actor) else None, ip=client_ip, source=source
    )
    if media_url:
        record["media_url"] = media_url
    keys = throttle_keys(throttle_key or client_ip, clean["contact_phone"])
    now = timezone.now()
    city_now = city_time(now)  # the month of the code, the day of the due date
    accepted = None
    db = connections[DEFAULT_DB_ALIAS]  # this thread's, looked up once (django.db.connection does it per use)
    if db.vendor == "postgresql" and not db.in_atomic_block:
        accepted = _accept_in_one_statement(db, record, keys, now, prefix=code_prefix(city_now))
    if accepted is None:
        accepted = _accept(record, keys, now)
    first, code = accepted
    if first:
        _wake_worker()
    # the due date report_register will compute (from the date: add_working_days then converts no datetime)
    due = add_working_days(city_now.date(), clean["category"].handling_days)
    return Accepted(code=code, citizen_key=record["citizen_key"], received_at=now, due_date=due)


@transaction.atomic
def _accept(record: dict, keys: dict[str, str], now) -> tuple[bool, str]:
    """Any database: the same steps in one transaction. (first pending submission?, code)."""
    throttle(keys, now)
    first = not PendingSubmission.objects.exists()
    pending = PendingSubmission.objects.create(code=next_code(now), received_at=now, data=record)
    return first, pending.code


_SEQUENCES_READY: set[str] = set()  # this process has seen these months' sequences (an optimisation only)

# The function (migration 0009) locks the keys, counts the hour's marks of each, and unless one reached the
# limit adds the marks and the pending row, numbered from the month's sequence.
# Parameters: the IP key, the phone key, the hourly limit, the time, the month's sequence, the code's prefix,
# the record (positional: psycopg need not reorder them by name for every citizen).
_ACCEPT_SQL = """
    SELECT "code", "counts", "first" FROM feedback_submission_accept(
        %s::text, %s::text, %s::integer, %s::timestamptz, %s::regclass, %s::text, %s::jsonb
    )
"""


def _accept_in_one_statement(db, record: dict, keys: dict[str, str], now, *, prefix: str) -> tuple[bool, str] | None:
    """PostgreSQL, outside a transaction: the rate limits, the number and the pending row in one statement
    (its own transaction). Returns (whether no other submission was pending, code); raises RateLimited;
    None if the month's sequence cannot be used (then _accept numbers from the CodeSequence row)."""
    if prefix not in _SEQUENCES_READY:
        if not code_sequence_ensure(prefix):
            return None
        _SEQUENCES_READY.add(prefix)
    params = (  # plain strings, a number and one datetime: the cheapest values for psycopg to send
        keys.get("__all__"),
        keys.get("contact_phone"),
        submissions_per_hour(),
        now,
        code_sequence_name(prefix),
        prefix,
        json.dumps(record, ensure_ascii=False),
    )
    db.ensure_connection()
    try:
        # psycopg's own cursor: parameters bound by the server and the statement prepared once per
        # connection, so neither this process nor PostgreSQL parses and plans it again for every citizen.
        # Errors still pass through Django's wrapper (Django's exception classes; a broken connection is
        # noticed and replaced).
        with db.wrap_database_errors, psycopg.Cursor(_allow_prepared(db.connection)) as cursor:
            cursor.execute(_ACCEPT_SQL, params, prepare=True)
            code, counts, first = cursor.fetchone()
    except ProgrammingError as exc:
        if not isinstance(exc.__cause__, psycopg.errors.UndefinedTable):
            raise
        _SEQUENCES_READY.discard(prefix)  # the month's sequence was dropped since: _accept recreates it
        logger.warning("the sequence of %s is missing; numbering this submission the portable way", prefix)
        return None
    if code is None:
        refuse_over_limit(keys, counts or {})
        raise AssertionError("a submission was neither queued nor refused")  # pragma: no cover
    return first, code


_EXPLICIT_ONLY = 2**31 - 1


def _allow_prepared(raw):
    """Let statements executed with prepare=True be prepared on this psycopg connection. Django turns
    psycopg's prepared statements off (prepare_threshold None), and psycopg then ignores prepare=True, so
    PostgreSQL planned the acceptance statement afresh for every citizen: half its CPU. A threshold no query
    reaches keeps Django's own queries unprepared."""
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _EXPLICIT_ONLY
    return raw


def _wake_worker() -> None:
    """Queue a registration job when the queue was empty; while it is not, the running job takes the new
    submissions too, so a surge costs one job, not one per submission."""
    submissions_register_job.enqueue()


@transaction.atomic
def submission_register(*, pending: PendingSubmission):
    """Register one pending submission as its Report (intake.report_register), audited as its citizen from
    their IP, and delete the pending row, in one transaction."""
    data = pending.data
    actor = get_user_model().objects.filter(pk=data["citizen"]).first() if data.get("citizen") else None
    token = set_client_ip(data.get("ip"))
    try:
        report = report_register(data=data, code=pending.code, received_at=pending.received_at, actor=actor)
    finally:
        reset_client_ip(token)
    pending.delete()
    return report


def submissions_register_pending(*, limit: int = 2000, batch: int = 100) -> int:
    """Register pending submissions, oldest first, up to `limit`, `batch` per transaction. Rows another
    worker holds are skipped; a submission that fails is rolled back alone, its error kept, and tried
    again later (up to PendingSubmission.MAX_ATTEMPTS). Returns how many were registered."""
    registered = 0
    while registered < limit:
        with transaction.atomic():
            rows = list(
                PendingSubmission.objects.select_for_update(skip_locked=True)
                .filter(attempts__lt=PendingSubmission.MAX_ATTEMPTS)
                .order_by("id")[: min(batch, limit - registered)]
            )
            for pending in rows:
                try:
                    submission_register(pending=pending)  # a savepoint inside this transaction
                except Exception as exc:
                    logger.exception("pending submission %s could not be registered", pending.code)
                    error = f"{type(exc).__name__}: {exc}"[:2000]
                    attempts = pending.attempts + 1
                    PendingSubmission.objects.filter(pk=pending.pk).update(attempts=attempts, last_error=error)
                    if attempts >= PendingSubmission.MAX_ATTEMPTS:  # the worker gives up: a person must act
                        code = pending.code
                        transaction.on_commit(lambda code=code, error=error: submission_failed_alert(code, error))
                else:
                    registered += 1
        if len(rows) < batch:
            break
    return registered


SUBMISSIONS_PER_JOB = 2000


@task()
def submissions_register_job() -> int:
    """The job registering the submissions waiting in the queue. Queued by the first submission into an
    empty queue and by `run_periodic` while any wait (WATCHED_QUEUES); a long queue is taken in turns of
    SUBMISSIONS_PER_JOB, each turn queuing the next, so one job never holds a worker for long. It lives
    beside the service it runs because that service's module queues it."""
    registered = submissions_register_pending(limit=SUBMISSIONS_PER_JOB)
    if registered == SUBMISSIONS_PER_JOB and selectors.pending_submissions_waiting():
        submissions_register_job.enqueue()
    return registered


def submission_failed_alert(code: str, error: str) -> None:
    """E-mail the platform team (the active staff with the platform administrator's role, and the site's
    ADMINS) that a citizen's submission could not be registered and waits for them. Not audited: it
    changes nothing; the failure itself is on the submission (attempts, last_error)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    recipients = set(
        get_user_model()
        .objects.filter(is_active=True, kind="staff", roles__code="platform_admin")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients.update(email for _name, email in getattr(settings, "ADMINS", ()))
    if not recipients:
        logger.error("submission %s failed to register and no platform administrator has an e-mail", code)
        return
    link = settings.SITE_URL + reverse("feedback:failed_submissions")
    subject = f"[Thông Suốt] Phản ánh {code} chưa đăng ký được / Submission {code} could not be registered"
    body = (
        f"Phản ánh {code} của người dân đã được tiếp nhận nhưng hệ thống không đăng ký được sau "
        f"{PendingSubmission.MAX_ATTEMPTS} lần thử. Người dân đã có mã theo dõi và đang chờ.\n"
        f"Lỗi: {error}\n\nXem và thử lại: {link}\n\n"
        f"The citizen's submission {code} was accepted but could not be registered after "
        f"{PendingSubmission.MAX_ATTEMPTS} attempts. The citizen holds its tracking code and is waiting.\n"
        f"Error: {error}\n\nSee it and retry: {link}\n"
    )
    try:
        send_mail(subject, body, None, sorted(recipients))
    except Exception:  # the list page still shows it; a mail server down must not break the worker
        logger.exception("could not e-mail the alert about submission %s", code)


@transaction.atomic
def submissions_retry(*, actor, codes: list[str]) -> int:
    """Queue again the pending submissions with these codes (their attempts and error cleared), once the
    cause of their failure is fixed; platform administrators only. Audited; returns how many."""
    if not access.has_city_wide_change(actor):
        raise PermissionDenied
    rows = list(PendingSubmission.objects.select_for_update().filter(code__in=codes).order_by("id"))
    for pending in rows:
        audit_record(
            actor=actor,
            action=SubmissionAudit.RETRY,
            obj=pending,
            before={"attempts": pending.attempts, "last_error": pending.last_error},
            after={"attempts": 0, "last_error": ""},
        )
    PendingSubmission.objects.filter(pk__in=[p.pk for p in rows]).update(attempts=0, last_error="")
    if rows:
        transaction.on_commit(_wake_worker)
    return len(rows)
