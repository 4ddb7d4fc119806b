"""Work files (hồ sơ công việc): a handler opens a file for a matter, adds the documents of it (a document
sits in several files without copies), and closes it; a closed file no longer changes and is due for the
agency's archive within a year (NĐ 30 Art. 30); its handler is reminded 30 days before. Keyword-only,
atomic, each change audited in its transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts.models import Role
from thongsuot.core.audit import audit_record, audited_update
from thongsuot.core.calendar import city_time
from thongsuot.core.text import normalise_space
from thongsuot.documents import notifications, selectors
from thongsuot.documents.audit_actions import WorkFileAudit
from thongsuot.documents.models import WorkFile

FILE_ROLES = (Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.UNIT_ADMIN)
ARCHIVE_REMINDER_DAYS = 30


def _archive_due(closed_on: datetime.date) -> datetime.date:
    """A year after the work ended (NĐ 30 Art. 30: handed to the archive within a year)."""
    try:
        return closed_on.replace(year=closed_on.year + 1)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + 1, day=28)


@transaction.atomic
def workfile_open(*, actor, code: str, title: str, retention: str) -> WorkFile:
    """Open a work file of the actor's unit for this year; the actor is its handler."""
    if getattr(actor, "organisation_id", None) is None or not actor.has_role(*FILE_ROLES):
        raise PermissionDenied(_("Your role does not allow this action."))
    code, title, retention = (normalise_space(value or "") for value in (code, title, retention))
    now = timezone.now()
    year = city_time(now).year
    errors = {}
    if not code or len(code) > 40:
        errors["code"] = [_("Give the file's code (at most 40 characters).")]
    elif WorkFile.objects.filter(organisation_id=actor.organisation_id, year=year, code=code).exists():
        errors["code"] = [_("This year's catalogue already has a file with this code.")]
    if not title:
        errors["title"] = [_("Give the file's title.")]
    if not retention:
        errors["retention"] = [_("Give the retention period (e.g. 10 năm, Vĩnh viễn).")]
    if errors:
        raise ValidationError(errors)
    workfile = WorkFile(
        organisation_id=actor.organisation_id,
        owner=actor,
        year=year,
        code=code,
        title=title[:500],
        retention=retention[:60],
        opened_at=now,
    )
    audited_update(
        workfile,
        actor=actor,
        action=WorkFileAudit.OPEN,
        organisation_id=actor.organisation_id,
        fields={},
        tracked=["code", "title", "retention", "year"],
    )
    return workfile


def _own_open(actor, workfile) -> WorkFile:
    workfile = WorkFile.objects.select_for_update().get(pk=workfile.pk)
    if workfile.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the file's handler changes it."))
    if workfile.closed:
        raise ValidationError({"workfile": [_("The file is closed.")]})
    return workfile


@transaction.atomic
def workfile_add(*, actor, workfile, document) -> WorkFile:
    """Put a document the handler may see into their open file (the document itself, not a copy)."""
    workfile = _own_open(actor, workfile)
    if not selectors.documents_for(actor).filter(pk=document.pk).exists():
        raise ValidationError({"document": [_("No such document.")]})
    workfile.documents.add(document)
    audit_record(
        actor=actor,
        action=WorkFileAudit.ADD,
        obj=workfile,
        organisation_id=workfile.organisation_id,
        after={"document": document.pk},
    )
    return workfile


@transaction.atomic
def workfile_close(*, actor, workfile) -> WorkFile:
    """Close the file: it no longer changes and is due for the archive within a year."""
    workfile = _own_open(actor, workfile)
    now = timezone.now()
    audited_update(
        workfile,
        actor=actor,
        action=WorkFileAudit.CLOSE,
        organisation_id=workfile.organisation_id,
        fields={"closed_at": now, "archive_due": _archive_due(city_time(now).date())},
        tracked=["closed_at", "archive_due"],
    )
    return workfile


@transaction.atomic
def workfiles_remind_archive(*, today) -> list[int]:
    """Remind each closed file's handler once, 30 days before it is due for the archive (idempotent)."""
    limit = today + datetime.timedelta(days=ARCHIVE_REMINDER_DAYS)
    reminded = []
    due = WorkFile.objects.filter(closed_at__isnull=False, archive_due__gte=today, archive_due__lte=limit)
    for workfile in due.exclude(archive_reminded_for__isnull=False):
        if WorkFile.objects.filter(pk=workfile.pk, archive_reminded_for__isnull=True).update(
            archive_reminded_for=workfile.archive_due
        ):
            audit_record(
                actor="system",
                action=WorkFileAudit.REMIND_ARCHIVE,
                obj=workfile,
                organisation_id=workfile.organisation_id,
            )
            notifications.archive_due(workfile)
            reminded.append(workfile.pk)
    return reminded
