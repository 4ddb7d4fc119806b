"""Deadline extensions as a shared building block (thongsuot.core.models.ExtensionBase and
thongsuot.core.services.extension_request / extension_decide), exercised through its first user, the
1022 system's Extension, and directly with a system's own checks and recorder."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_staff
from thongsuot.core import services as core_services
from thongsuot.core.models import AuditEntry, ExtensionBase
from thongsuot.feedback import services
from thongsuot.feedback.models import Extension, ReportEvent
from thongsuot.feedback.testing import submit


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


@pytest.fixture
def unit_leader(ben_thanh):
    return make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"])


@pytest.fixture
def assigned(dispatcher, ben_thanh):
    return services.report_assign(actor=dispatcher, report=submit(), organisation=ben_thanh)


def _request(actor, report, *, allow=True, recorded=None, **overrides):
    def require_access():
        if not allow:
            raise PermissionDenied("not yours")

    arguments = {
        "actor": actor,
        "model": Extension,
        "subject": report,
        "reason": "Chờ vật tư",
        "new_date": report.due_date + timedelta(days=5),
        "current_date": report.due_date,
        "require_access": require_access,
        "record": (recorded.append if recorded is not None else lambda extension: None),
    }
    return core_services.extension_request(**{**arguments, **overrides})


def test_a_request_is_stored_audited_and_recorded_by_the_system(assigned, handler):
    recorded = []
    extension = _request(handler, assigned, recorded=recorded, reason="  Chờ vật tư  ")
    assert recorded == [extension] and isinstance(extension, ExtensionBase)
    assert (extension.reason, extension.previous_date, extension.requested_by) == (
        "Chờ vật tư",
        assigned.due_date,
        handler,
    )
    assert extension.decision == ExtensionBase.Decision.PENDING and extension.subject == assigned
    entry = AuditEntry.objects.get(action="feedback.extension.request")
    assert entry.object_id == str(extension.pk) and entry.organisation_id == assigned.organisation_id
    assert list(Extension.pending_for(assigned)) == [extension]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"new_date": None}, "new_date"),
        ({"new_date": "2030-01-01"}, "new_date"),
        ({"new_date": timezone.localdate()}, "new_date"),  # not later than today
    ],
)
def test_bad_requests_name_the_field_and_write_nothing(assigned, handler, overrides, field):
    recorded = []
    with pytest.raises(ValidationError) as error:
        _request(handler, assigned, recorded=recorded, **overrides)
    assert field in error.value.message_dict
    assert not Extension.objects.exists() and recorded == []
    assert not AuditEntry.objects.filter(action__contains="extension").exists()


def test_the_systems_access_check_comes_before_anything_is_written(assigned, handler):
    with pytest.raises(PermissionDenied):
        _request(handler, assigned, allow=False)
    assert not Extension.objects.exists()


def test_one_pending_request_at_a_time_and_not_before_the_current_date(assigned, handler):
    _request(handler, assigned)
    with pytest.raises(ValidationError) as error:
        _request(handler, assigned, new_date=assigned.due_date + timedelta(days=9))
    assert "new_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        _request(handler, assigned, new_date=assigned.due_date)
    assert Extension.objects.count() == 1


def test_the_decision_is_the_leaders_once_audited_and_applied_by_the_system(assigned, handler, unit_leader):
    extension = _request(handler, assigned)
    applied = []

    def only_leaders(report):
        if actor is not unit_leader:
            raise PermissionDenied("leaders only")

    def decide(approve):
        return core_services.extension_decide(
            actor=actor,
            extension=extension,
            approve=approve,
            note="Đồng ý",
            require_access=only_leaders,
            record=lambda ext, report: applied.append((ext.decision, report.pk)),
        )

    actor = handler
    with pytest.raises(PermissionDenied):
        decide(True)
    extension.refresh_from_db()
    assert extension.decision == Extension.Decision.PENDING and applied == []
    actor = unit_leader
    decided = decide(True)
    assert (decided.decision, decided.approved_by, decided.decided_at is not None) == ("approved", unit_leader, True)
    assert applied == [("approved", assigned.pk)]
    entry = AuditEntry.objects.get(action="feedback.extension.approve")
    assert entry.before["decision"] == "pending" and entry.after["decision"] == "approved"
    assert entry.reason == "Đồng ý"
    with pytest.raises(ValidationError) as error:
        decide(False)
    assert "decision" in error.value.message_dict and len(applied) == 1


def test_feedback_uses_the_block_and_behaves_as_before(assigned, handler, unit_leader):
    new_date = assigned.due_date + timedelta(days=7)
    extension = services.report_extend(actor=handler, report=assigned, reason="Chờ vật tư", new_date=new_date)
    assert ReportEvent.objects.filter(report=assigned, action="extension_request", public=False).exists()
    services.extension_decide(actor=unit_leader, extension=extension, approve=True)
    assigned.refresh_from_db()
    assert assigned.due_date == new_date
    assert AuditEntry.objects.filter(action="feedback.report.extend", object_id=str(assigned.pk)).exists()
    assert AuditEntry.objects.filter(action="feedback.extension.approve", object_id=str(extension.pk)).exists()
    refused = services.report_extend(actor=handler, report=assigned, reason="Mưa", new_date=new_date + timedelta(1))
    services.extension_decide(actor=unit_leader, extension=refused, approve=False, note="Không")
    assigned.refresh_from_db()
    assert assigned.due_date == new_date
    assert ReportEvent.objects.filter(report=assigned, action="extension_refuse", note="Không").exists()
