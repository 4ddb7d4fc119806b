"""The audit log: every service writes one row per state change, inside its own transaction."""

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from thongsuot.core.models import AuditEntry
from thongsuot.core.request_context import client_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
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


def audit_record(
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
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_label = object_label or str(obj)[:300]
    if isinstance(actor, str) or actor is None:
        actor_user, actor_label = None, actor or "system"
    else:
        actor_user, actor_label = actor, actor.get_username()
    return AuditEntry.objects.create(
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
