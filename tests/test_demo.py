"""`manage.py load_demo` (what `make run` loads): the personas in the README, their roles, idempotent."""

import pytest
from django.core.management import call_command

from thongsuot.accounts.models import User
from thongsuot.demo.feedback import demo_reports
from thongsuot.feedback.models import Report

PERSONAS = {
    "admin@thongsuot.local": {"platform_admin"},
    "lanhdao@thongsuot.local": {"leader"},
    "quantri.benthanh@thongsuot.local": {"unit_admin", "specialist"},
    "vanthu.benthanh@thongsuot.local": {"clerk"},
    "dieuphoi@thongsuot.local": {"feedback_dispatcher"},
    "xuly.benthanh@thongsuot.local": {"feedback_handler"},
    "lanhdao.benthanh@thongsuot.local": {"leader"},
}


@pytest.mark.django_db
def test_load_demo_gives_the_readme_personas_and_runs_twice(capsys):
    call_command("load_demo", units=3)
    out = capsys.readouterr().out
    for email, roles in PERSONAS.items():
        user = User.objects.get(email=email)
        assert user.role_codes() == roles and user.check_password("ThongSuot@2025")
        assert email in out
    reports = demo_reports().count()
    assert reports > 1000
    assert demo_reports().filter(organisation__name="Phường Bến Thành").exists()
    waiting = Report.objects.filter(status="received", channel="hotline")
    assert waiting.count() == 5  # the dispatcher's queue is not empty
    assert waiting.filter(resolved_unit__name="Phường Bến Thành").exists()
    users = User.objects.count()
    call_command("load_demo", units=3)
    assert User.objects.count() == users and demo_reports().count() == reports and waiting.count() == 5
