"""The audit building blocks (thongsuot.core.audit): typed action names, the audited update, the bulk form."""

import datetime

import pytest
from django.db import transaction

from thongsuot.core.audit import AuditActions, audit_entry, audit_record_bulk, audited_update
from thongsuot.core.models import AuditEntry, CalendarDay
from thongsuot.core.request_context import reset_client_ip, set_client_ip


class DayAudit(AuditActions, prefix="test.day"):
    CREATE = "create"
    UPDATE = "update"


def test_typed_action_names_are_the_stored_strings():
    assert DayAudit.CREATE == "test.day.create" and DayAudit.of("update") == "test.day.update"
    assert DayAudit.names() == ["create", "update"]
    with pytest.raises(KeyError):
        DayAudit.of("delete")
    with pytest.raises(ValueError, match="too long"):

        class _TooLong(AuditActions, prefix="x" * 80):
            A = "a"


def test_the_stored_strings_of_the_systems_did_not_change():
    from thongsuot.accounts.audit_actions import AccountAudit, ApiTokenAudit
    from thongsuot.core.services import CalendarAudit
    from thongsuot.feedback.audit_actions import CategoryAudit, Open311ClientAudit, ReportAudit

    assert ReportAudit.of("return") == "feedback.report.return"
    assert ReportAudit.DUE_REMINDER == "feedback.report.due_reminder"
    assert CategoryAudit.CREATE == "feedback.category.create"
    assert Open311ClientAudit.REVOKE == "feedback.open311_client.revoke"
    assert AccountAudit.PASSWORD_RESET == "account.password_reset"
    assert ApiTokenAudit.REVOKE == "api_token.revoke"
    assert CalendarAudit.DELETE == "calendar.day.delete"


def test_every_timeline_action_of_a_report_is_a_declared_audit_action():
    """A report's timeline refuses an undeclared action: each one the timeline can show must be declared."""
    from thongsuot.feedback.audit_actions import ReportAudit
    from thongsuot.feedback.states import ACTION_LABELS, ACTIONS

    edges = {action.name for action in ACTIONS if action.target}  # what transition() records
    assert set(ACTION_LABELS) | edges <= set(ReportAudit.names())


def test_audited_update_inserts_then_updates_with_before_and_after(db, centre_admin):
    day = CalendarDay(date=datetime.date(2031, 5, 3))
    created = audited_update(
        day,
        actor=centre_admin,
        fields={"kind": "working", "reason": "Làm bù"},
        action=DayAudit.CREATE,
        tracked=["date", "kind", "reason"],
        reason="QĐ 1",
    )
    assert day.pk and created.before is None
    assert created.after == {"date": "2031-05-03", "kind": "working", "reason": "Làm bù"}
    assert (created.actor, created.action, created.object_type, created.object_id, created.reason) == (
        centre_admin,
        "test.day.create",
        "core.calendarday",
        str(day.pk),
        "QĐ 1",
    )
    updated = audited_update(day, actor=centre_admin, fields={"reason": "Làm bù thứ Bảy"}, action=DayAudit.UPDATE)
    assert (updated.before, updated.after) == ({"reason": "Làm bù"}, {"reason": "Làm bù thứ Bảy"})
    assert CalendarDay.objects.get(pk=day.pk).reason == "Làm bù thứ Bảy"


def test_audited_update_skips_an_unchanged_object_when_asked(db, centre_admin):
    day = CalendarDay.objects.create(date=datetime.date(2031, 5, 4), kind="off", reason="Nghỉ")
    assert audited_update(day, actor=centre_admin, fields={"kind": "off"}, action="x", only_if_changed=True) is None
    assert not AuditEntry.objects.filter(object_type="core.calendarday").exists()
    assert audited_update(day, actor=centre_admin, fields={"kind": "off"}, action=DayAudit.UPDATE) is not None


def test_audited_update_rolls_back_the_save_when_the_audit_row_fails(db):
    day = CalendarDay.objects.create(date=datetime.date(2031, 5, 5), kind="off", reason="Nghỉ")
    with pytest.raises(AttributeError), transaction.atomic():
        audited_update(day, actor=object(), fields={"reason": "Đổi"}, action="x")  # an actor the row cannot name
    assert CalendarDay.objects.get(pk=day.pk).reason == "Nghỉ"


def test_audit_record_bulk_writes_every_row_with_who_and_where(db, centre_admin, ward_admin):
    token = set_client_ip("192.0.2.9")
    try:
        rows = [
            audit_entry(actor=centre_admin, action="test.bulk", obj=ward_admin, object_label="Lê Thị", after={"n": n})
            for n in range(3)
        ]
    finally:
        reset_client_ip(token)
    audit_record_bulk(rows)
    stored = list(AuditEntry.objects.filter(action="test.bulk").order_by("id"))
    assert [row.after for row in stored] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert {(r.actor_label, r.ip, r.object_type, r.object_id, r.object_label) for r in stored} == {
        (centre_admin.username, "192.0.2.9", "accounts.user", str(ward_admin.pk), "Lê Thị")
    }
