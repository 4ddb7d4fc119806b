"""The audit log as people read it: actions by name, what changed as "field: before → after" with
labels and the city's time, instead of codes and raw JSON.

Each app names its own actions in an `audit_labels` module (found at first use, as Django's admin finds
`admin` modules) that calls `register_action_labels`; core itself knows no other app. The fields are
named by the verbose names of the audited model (the entry's object type), their values by the field's
choices, so a new system needs only its `audit_labels` module.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_LABELS: dict[str, Any] = {}
_FIELD_LABELS: dict[tuple[str, str], Any] = {}
_discovered = False

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def register_action_labels(labels: dict[str, Any]) -> None:
    """Name audit actions ("two_factor.enable" → "Two-factor sign-in enabled"); lazy texts welcome."""
    _LABELS.update(labels)


def register_field_labels(object_type: str, labels: dict[str, Any]) -> None:
    """Name what an audited object's before/after holds where its model gives no name (a field without a
    verbose name, a key that is no field): register_field_labels("directory.organisation", {...})."""
    _FIELD_LABELS.update({(object_type, key): label for key, label in labels.items()})


register_action_labels(
    {
        "calendar.day.create": gettext_lazy("Working-day calendar: exception added"),
        "calendar.day.update": gettext_lazy("Working-day calendar: exception changed"),
        "calendar.day.delete": gettext_lazy("Working-day calendar: exception removed"),
    }
)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_labels")
        _discovered = True


def action_label(action: str) -> str:
    """The action's name in the active language; the code itself when no app named it."""
    _discover()
    label = _LABELS.get(action)
    return str(label) if label is not None else action


@dataclass
class Change:
    field: str
    before: str
    after: str


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(value: Any, field) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(v, field) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v, None)}" for k, v in value.items())
    choices = dict(getattr(field, "flatchoices", None) or ()) if field is not None else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(value, str) and _ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    return str(value)


def entry_changes(entry) -> list[Change]:
    """What the entry changed: every field that differs between before and after (all of them for a
    creation or a deletion), named and written for people."""
    _discover()
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [Change("", _value(before, None), _value(after, None))]
    model = _model(entry.object_type)
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        field = _field(model, key)
        name = _FIELD_LABELS.get((entry.object_type, key))
        if name is None:
            name = getattr(field, "verbose_name", None) or key
        name = str(name)
        changes.append(
            Change(
                name[:1].upper() + name[1:],
                _value(old, field) if key in before else "",
                _value(new, field) if key in after else "",
            )
        )
    return changes
