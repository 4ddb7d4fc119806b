"""The audit log: every service writes one row per state change, inside its own transaction.

- `audit_record(...)` writes one row; `audit_entry(...)` builds it unsaved and `audit_record_bulk(...)`
  writes many at once (staff-list provisioning);
- `audited_update(obj, ...)` is the usual write: snapshot → set the fields → save → audit row, atomic;
- each system declares its action names once, as a subclass of `AuditActions` (see its docstring).
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from thongsuot.core.models import AuditEntry
from thongsuot.core.request_context import client_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """The named fields of obj as JSON-ready values (foreign keys as ids)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _jsonable(data)


class AuditActions:
    """The audit action names of one kind of object, declared once instead of formatted at each call:

        class CategoryAudit(AuditActions, prefix="feedback.category"):
            CREATE = "create"
            UPDATE = "update"

    makes `CategoryAudit.CREATE == "feedback.category.create"` (the string stored in the log) and
    `CategoryAudit.of("create")` the same, raising KeyError for a name the class does not declare."""

    prefix = ""
    _names: dict[str, str] = {}

    def __init_subclass__(cls, *, prefix: str, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.prefix = prefix
        cls._names = {}
        for attr, value in list(vars(cls).items()):
            if attr.isupper() and isinstance(value, str):
                full = f"{prefix}.{value}" if prefix else value
                if len(full) > AuditEntry._meta.get_field("action").max_length:
                    raise ValueError(f"audit action too long: {full}")
                setattr(cls, attr, full)
                cls._names[value] = full

    @classmethod
    def of(cls, name: str) -> str:
        """The stored action string for the short `name` (e.g. a timeline event's action)."""
        try:
            return cls._names[name]
        except KeyError:
            raise KeyError(f"{cls.__name__} declares no audit action {name!r}") from None

    @classmethod
    def names(cls) -> list[str]:
        return list(cls._names)


def audit_entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_label: str = "",
    organisation_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """One audit row, not yet saved: `actor` a user, or a label such as "system" or "citizen"."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_label = object_label or str(obj)[:300]
    if isinstance(actor, str) or actor is None:
        actor_user, actor_label = None, actor or "system"
    else:
        actor_user, actor_label = actor, actor.get_username()
    return AuditEntry(
        actor=actor_user,
        actor_label=actor_label[:200],
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=object_label[:300],
        organisation_id=organisation_id,
        ip=client_ip(),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )


def audit_record(**kwargs) -> AuditEntry:
    """Write one audit row (the arguments of audit_entry)."""
    entry = audit_entry(**kwargs)
    entry.save(force_insert=True)
    return entry


def audit_record_bulk(entries: Iterable[AuditEntry], *, batch_size: int = 1000) -> list[AuditEntry]:
    """Write many rows built by audit_entry in a few statements (for thousands of rows at once)."""
    return AuditEntry.objects.bulk_create(list(entries), batch_size=batch_size)


@transaction.atomic(savepoint=False)
def audited_update(
    obj: models.Model,
    *,
    actor,
    fields: dict[str, Any],
    action: str,
    organisation_id: int | None = None,
    reason: str = "",
    tracked: Iterable[str] | None = None,
    only_if_changed: bool = False,
) -> AuditEntry | None:
    """Set `fields` on `obj`, save it and write the audit row with the `tracked` fields (default: the
    names in `fields`) before and after, in one transaction. An object not saved yet is inserted and its
    row has no "before". With only_if_changed, nothing is saved or written when no value changes
    (returns None)."""
    tracked = list(tracked if tracked is not None else fields)
    creating = obj.pk is None or obj._state.adding
    before = None if creating else snapshot(obj, tracked)
    for name, value in fields.items():
        setattr(obj, name, value)
    after = snapshot(obj, tracked)
    if only_if_changed and not creating and after == before:
        return None
    if creating:
        obj.save()
    else:
        obj.save(update_fields=list(fields) or None)
    return audit_record(
        actor=actor,
        action=action,
        obj=obj,
        organisation_id=organisation_id,
        before=before,
        after=snapshot(obj, tracked),
        reason=reason,
    )
