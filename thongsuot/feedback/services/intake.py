"""Reports coming in: submission (validated, located, numbered, throttled) and merging duplicates."""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core.audit import audit_record
from thongsuot.core.calendar import add_working_days, city_time
from thongsuot.core.cleaning import clean_text
from thongsuot.directory.address import address_resolve, coordinates_resolve
from thongsuot.feedback import SYSTEM, notifications, selectors, states, uploads
from thongsuot.feedback.audit_actions import Open311Audit
from thongsuot.feedback.models import (
    Attachment,
    Category,
    Channel,
    CodeSequence,
    Follower,
    Report,
    SubmissionMark,
)
from thongsuot.feedback.services._common import is_user, locked, on_commit, record, require, transition
from thongsuot.feedback.services.media import report_media_fetch_job
from thongsuot.feedback.states import RejectReason, Status

_PHONE = re.compile(r"^0\d{9,10}$")
logger = logging.getLogger(__name__)


class RateLimited(ValidationError):
    """Too many anonymous submissions from one address or phone in the last hour."""


def phone_normalise(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def _float(value, field: str, low: float, high: float, errors: dict):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if not low <= number <= high:
        errors.setdefault(field, []).append(_("Enter a value between %(a)s and %(b)s.") % {"a": low, "b": high})
        return None
    return number


def _category(value) -> Category | None:
    if isinstance(value, Category):
        return value if value.is_active else None
    if value in (None, ""):
        return None
    if isinstance(value, int) or str(value).isdecimal():
        return selectors.active_category(int(value))
    return selectors.active_category(str(value))


def throttle_keys(client_ip: str | None, phone: str) -> dict[str, str]:
    keys = {}
    if client_ip:
        keys["__all__"] = hashlib.sha256(f"ip:{client_ip}".encode()).hexdigest()
    if phone:
        keys["contact_phone"] = hashlib.sha256(f"phone:{phone}".encode()).hexdigest()
    return keys


def throttle(keys: dict[str, str], now) -> None:
    """Refuse past the hourly limit, counted in the database (shared by every worker process). The new
    marks are written with the count of the earlier ones: one statement on PostgreSQL (after locking the
    keys: call it in a transaction), two elsewhere; a refusal rolls them back with the caller's
    transaction. Marks older than a day are deleted by the periodic sweep (services.submission_marks_purge)."""
    since = now - timedelta(hours=1)
    if connection.vendor == "postgresql":
        counts = _count_and_mark(keys, now, since)
    else:
        counts = dict(
            SubmissionMark.objects.filter(key__in=keys.values(), at__gte=since)
            .order_by()
            .values_list("key")
            .annotate(n=Count("id"))
            .values_list("key", "n")
        )
        SubmissionMark.objects.bulk_create([SubmissionMark(key=key, at=now) for key in keys.values()])
    refuse_over_limit(keys, counts)


def submissions_per_hour() -> int:
    return getattr(settings, "FEEDBACK_SUBMISSIONS_PER_HOUR", 5)


def refuse_over_limit(keys: dict[str, str], counts: dict[str, int]) -> None:
    """Raise RateLimited naming the field (phone, else the connection) whose key reached the hourly limit."""
    limit = submissions_per_hour()
    for field, key in keys.items():
        if counts.get(key, 0) >= limit:
            message = (
                _("Too many reports from this phone number in the last hour; please try again later.")
                if field == "contact_phone"
                else _("Too many reports from your connection in the last hour; please try again later.")
            )
            raise RateLimited({field: [message]}, code="rate_limited")


def _count_and_mark(keys: dict[str, str], now, since) -> dict[str, int]:
    """PostgreSQL: lock the keys, then insert the marks and count each key's marks since `since` in one
    statement (the count reads the snapshot taken before the insert, so the new marks are not counted)."""
    table, key, at = map(connection.ops.quote_name, (SubmissionMark._meta.db_table, "key", "at"))
    values = list(keys.values())
    with connection.cursor() as cursor:
        # one submission at a time per key, so the count sees every earlier one's marks (migration 0009); the
        # locks last until the caller's transaction ends
        cursor.execute(
            "SELECT feedback_keys_lock(%s::text, %s::text)", [keys.get("__all__"), keys.get("contact_phone")]
        )
        cursor.execute(
            f"WITH marked AS (INSERT INTO {table} ({key}, {at}) SELECT unnest(%s::varchar[]), %s) "
            f"SELECT {key}, count(*) FROM {table} WHERE {key} = ANY(%s::varchar[]) AND {at} >= %s GROUP BY {key}",
            [values, now, values, since],
        )
        return dict(cursor.fetchall())


def next_code(now) -> str:
    """The next tracking code of the month: PA-yymm-000001, PA-yymm-000002, … Numbers are never handed
    out twice; a submission that fails after taking its number leaves a gap."""
    prefix = code_prefix(now)
    number = _next_number_from_sequence(prefix) if connection.vendor == "postgresql" else None
    return f"{prefix}-{(number or _next_number_from_row(prefix)):06d}"


def _next_number_from_row(prefix: str) -> int:
    """The month's CodeSequence row, created or incremented by one statement (PostgreSQL and SQLite 3.35+
    both have ON CONFLICT and RETURNING). The row stays locked until the submission commits, so on a
    server with concurrent workers PostgreSQL uses a sequence instead."""
    table, key, last = map(connection.ops.quote_name, (CodeSequence._meta.db_table, "prefix", "last"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {last}) VALUES (%s, 1) "
            f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [prefix],
        )
        return cursor.fetchone()[0]


_CODE_LOCK = 1022  # pg_advisory_xact_lock(1022, yymm) serialises creating a month's sequence


def _next_number_from_sequence(prefix: str) -> int | None:
    """PostgreSQL: nextval of the month's sequence (code_sequence_name), which never waits for other
    submissions, unlike a counter row locked until commit. None if the sequence cannot be created (no
    CREATE privilege): the row is used then."""
    name = code_sequence_name(prefix)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])  # NULL while the sequence does not exist
        (number,) = cursor.fetchone()
        if number is not None or not code_sequence_ensure(prefix):
            return number
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        return cursor.fetchone()[0]


def code_prefix(now) -> str:
    """PA-yymm of the city's month at `now` (whatever time zone a request activated)."""
    return f"PA-{city_time(now):%y%m}"


def code_sequence_name(prefix: str) -> str:
    return "feedback_code_" + prefix.lower().replace("-", "_")


def code_sequence_ensure(prefix: str) -> bool:
    """PostgreSQL: create the month's sequence if it is missing, starting after the month's CodeSequence
    row if numbers were handed out from it. False if it cannot be created (no CREATE privilege)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CODE_LOCK, int(prefix[-4:])])
            row = CodeSequence.objects.filter(prefix=prefix).values_list("last", flat=True).first()
            name = connection.ops.quote_name(code_sequence_name(prefix))
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {(row or 0) + 1:d}")
            return True
    except DatabaseError:
        logger.warning("cannot create the sequence for %s: tracking codes numbered from CodeSequence", prefix)
        return False


def _locate(address: str, latitude, longitude, errors: dict):
    """(unit, method): coordinates first, then the address. A place outside the city is an error."""
    attempts = []
    if latitude is not None and longitude is not None:
        attempts.append(("latitude", lambda: coordinates_resolve(latitude, longitude)))
    if address:
        attempts.append(("address", lambda: address_resolve(address)))
    for field, attempt in attempts:
        result = attempt()
        if result.resolved:
            return result.organisation, result.method
        if (result.reason or "").startswith("outside the city"):
            errors.setdefault(field, []).append(_("This place is outside Ho Chi Minh City."))
            return None, ""
    return None, ""


def _validate(data: dict) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    clean["category"] = _category(data.get("category"))
    if clean["category"] is None:
        errors["category"] = [_("Choose a category.")]
    description = clean_text(data.get("description"), multiline=True)
    if not description:
        errors["description"] = [_("Describe the problem.")]
    clean["description"] = description
    clean["address"] = clean_text(data.get("address"))
    clean["latitude"] = _float(data.get("latitude"), "latitude", -90, 90, errors)
    clean["longitude"] = _float(data.get("longitude"), "longitude", -180, 180, errors)
    if (clean["latitude"] is None) != (clean["longitude"] is None) and not ({"latitude", "longitude"} & set(errors)):
        errors["longitude" if clean["longitude"] is None else "latitude"] = [_("Give both latitude and longitude.")]
    if not clean["address"] and clean["latitude"] is None and not ({"latitude", "longitude"} & set(errors)):
        errors["address"] = [_("Give the address or the position on the map.")]
    clean["contact_name"] = clean_text(data.get("contact_name"))
    if not clean["contact_name"]:
        errors["contact_name"] = [_("Give your name.")]
    phone = phone_normalise(clean_text(data.get("contact_phone")))
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = [_("Enter a Vietnamese phone number, e.g. 0901234567.")]
    clean["contact_phone"] = phone
    email = clean_text(data.get("contact_email")).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    clean["contact_email"] = email
    if not phone and not email and "contact_phone" not in errors and "contact_email" not in errors:
        errors["contact_phone"] = [_("Give a phone number or an email address so we can reply.")]
    channel = data.get("channel") or Channel.WEB
    if channel not in _CHANNELS:
        errors["channel"] = [_("Unknown channel.")]
    clean["channel"] = channel
    _check_storable(clean, errors)
    return clean, errors


# The Report's columns a submission writes as given: what the database enforces on them (length, choices)
# is read from the model, so a submission accepted here is one registration can store.
_STORED_AS_GIVEN = ("description", "address", "contact_name", "contact_phone", "contact_email", "channel")


def _check_storable(clean: dict, errors: dict) -> None:
    """Add an error naming each field whose value the Report's column would refuse."""
    for name in _STORED_AS_GIVEN:
        value = clean.get(name)
        if name in errors or not isinstance(value, str):
            continue
        field = Report._meta.get_field(name)
        if field.max_length is not None and len(value) > field.max_length:
            errors[name] = [_("Use at most %(n)d characters.") % {"n": field.max_length}]
        elif field.choices and value and value not in {str(key) for key, _label in field.flatchoices}:
            errors[name] = [_("Choose one of the offered values.")]
        elif value:
            try:
                field.run_validators(value)
            except ValidationError as exc:
                errors[name] = exc.messages


_CHANNELS = frozenset(Channel.values)

SUBMISSION_FIELDS = (
    "category",
    "description",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "latitude",
    "longitude",
    "channel",
)


def prepare(*, data: dict, files=()) -> tuple[dict, list]:
    """Everything a submission needs before it is stored: the cleaned fields with the unit of the location
    (`unit`, `method`) and the files with their sniffed types. Raises ValidationError naming each field."""
    clean, errors = _validate(data)
    checked = []
    try:
        checked = uploads.check_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    clean["unit"], clean["method"] = (None, "")
    if not errors:
        clean["unit"], clean["method"] = _locate(clean["address"], clean["latitude"], clean["longitude"], errors)
    if errors:
        raise ValidationError(errors)
    return clean, checked


def registration(clean: dict, *, saved_files: list[dict], citizen_id: int | None, ip: str | None, source=None) -> dict:
    """The JSON-ready record of a prepared submission that report_register() turns into a Report."""
    return {
        "category": clean["category"].pk,
        "description": clean["description"],
        "address": clean["address"],
        "latitude": clean["latitude"],
        "longitude": clean["longitude"],
        "contact_name": clean["contact_name"],
        "contact_phone": clean["contact_phone"],
        "contact_email": clean["contact_email"],
        "channel": clean["channel"],
        "unit": clean["unit"].pk if clean["unit"] is not None else None,
        "method": clean["method"],
        "citizen": citizen_id,
        "citizen_key": new_citizen_key(),
        "ip": ip,
        "files": saved_files,
        "source": source,
    }


def new_citizen_key() -> str:
    """The secret in the citizen's follow link that lets them rate the result."""
    return secrets.token_urlsafe(16)[:22]


@uploads.discard_files_on_error
@transaction.atomic
def report_submit(
    *,
    category,
    description: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    files=(),
    channel: str = Channel.WEB,
    actor=None,
    client_ip: str | None = None,
) -> Report:
    """Validate every field (errors name the field), locate the unit, number the report, compute its
    due date, store it with its files, and tell the citizen on commit, all at once: the hotline and the
    other 1022 operators (staff with the feedback system's city-wide change right; other staff are
    refused), and the demo data. Citizens' own submissions go through submissions.submission_accept,
    which leaves the storing to a worker. Anonymous and citizen submissions are rate-limited per IP and
    per phone."""
    data = {
        "category": category,
        "description": description,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "channel": channel,
    }
    staff = is_user(actor) and actor.kind == "staff"
    if staff and not access.has_city_wide_change(actor, system=SYSTEM):
        raise PermissionDenied(_("Entering reports is for the 1022 operators."))
    clean, checked = prepare(data=data, files=files)
    now = timezone.now()
    if not staff:
        throttle(throttle_keys(client_ip, clean["contact_phone"]), now)
    saved = [uploads.save_file(upload, content_type) for upload, content_type in checked]
    record_ = registration(
        clean, saved_files=saved, citizen_id=actor.pk if is_user(actor) and not staff else None, ip=client_ip
    )
    return report_register(
        data=record_,
        code=next_code(now),
        received_at=now,
        actor=actor if is_user(actor) else None,
        category=clean["category"],
        unit=clean["unit"],
    )


def report_from_submission(
    data: dict, *, code: str, received_at, category: Category | None = None, unit=None
) -> Report:
    """The unsaved Report a prepared submission (registration()) becomes, just received: what
    report_register saves, and what Open311 shows of a submission not registered yet. Writes nothing.
    `category` and `unit` save looking up what the caller already holds."""
    if category is None:
        category = selectors.active_category(data["category"]) or Category.objects.get(pk=data["category"])
    return Report(
        code=code,
        channel=data["channel"],
        category=category,
        description=data["description"],
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        contact_email=data["contact_email"],
        **({"resolved_unit": unit} if unit is not None else {"resolved_unit_id": data["unit"]}),
        resolution_method=data["method"],
        citizen_key=data["citizen_key"],
        status=Status.RECEIVED,
        received_at=received_at,
        updated_at=received_at,
        due_date=add_working_days(received_at, category.handling_days),
    )


def report_register(
    *, data: dict, code: str, received_at, actor=None, category: Category | None = None, unit=None
) -> Report:
    """Store a prepared submission (registration()) as a Report with its files, its timeline event and
    audit row, and tell the citizen on commit. `actor` is the staff member or citizen who submitted it,
    None for an anonymous citizen; `category` and `unit` save looking up what the caller already holds.
    Runs inside the caller's transaction."""
    staff = is_user(actor) and actor.kind == "staff"
    report = report_from_submission(data, code=code, received_at=received_at, category=category, unit=unit)
    report.citizen_id = None if staff else data["citizen"]
    report.created_by = actor if staff else None
    report.save()
    for saved in data["files"]:
        uploads.attach(report=report, saved=saved, stage=Attachment.Stage.CITIZEN, public=False)
    record(
        report,
        actor=actor or "citizen",
        action="submit",
        to_status=Status.RECEIVED,
        note=_("Received through %(channel)s.") % {"channel": Channel(report.channel).label},
        notify=True,
        save=False,  # just inserted above
    )
    if data.get("media_url"):
        on_commit(report_media_fetch_job, report.pk, data["media_url"])
    source = data.get("source")
    if source and source.get("open311_client"):
        audit_record(
            actor=f"open311:{source['open311_client_name']}"[:200],
            action=Open311Audit.REQUEST,
            obj=report,
            after={
                "client": source["open311_client"],
                "device_id": source.get("device_id", ""),
                "account_id": source.get("account_id", ""),
            },
        )
    return report


@transaction.atomic
def report_merge(*, actor, report: Report, into: Report, note: str = "") -> Report:
    """Close `report` as a duplicate of `into`: its submitter and followers follow `into` and are told."""
    report, into = locked(report), locked(into)
    require(actor, report, "merge")
    if report.pk == into.pk:
        raise ValidationError({"into": [_("A report cannot be merged into itself.")]})
    if into.status not in states.OPEN or into.merged_into_id:
        raise ValidationError({"into": [_("Merge only into a report that is still open.")]})
    moved = list(report.followers.values_list("pk", flat=True))
    report.followers.update(report=into)
    if report.contact_phone or report.contact_email:
        follower = Follower.objects.create(
            report=into,
            name=report.contact_name,
            phone=report.contact_phone,
            email=report.contact_email,
            source=report,
        )
        moved.append(follower.pk)
    transition(
        report,
        Status.REJECTED,
        actor=actor,
        note=note or _("Merged into %(code)s.") % {"code": into.code},
        fields={"reject_reason": RejectReason.DUPLICATE, "merged_into": into, "status_note": note},
        notify=False,
    )
    record(into, actor=actor, action="merge", public=False, note=_("%(code)s merged in.") % {"code": report.code})
    notifications.followers_merged(into, moved)
    return report
