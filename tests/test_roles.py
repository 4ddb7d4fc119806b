"""Roles declared by each app and collected by accounts (thongsuot/accounts/roles.py): accounts names no
system, and the codes and Vietnamese names stay those of the data and the staff lists."""

import pytest

from tests.conftest import make_staff
from thongsuot.accounts import access, roles
from thongsuot.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_every_declared_role_is_in_the_roles_table_with_the_same_name():
    table = dict(Role.objects.values_list("code", "name"))
    declared = {spec.code: spec.name for spec in roles.declared()}
    assert declared == table
    assert declared["feedback_handler"] == "Cán bộ xử lý 1022"
    assert declared["feedback_dispatcher"] == "Điều phối viên 1022"


def test_collected_from_the_apps_as_before():
    assert roles.required_for_unit() == ("unit_admin", "leader", "clerk", "one_stop_officer", "feedback_handler")
    assert roles.system_wide() == {"feedback": frozenset({"feedback_dispatcher"})}
    assert roles.aliases()["dieu phoi 1022"] == "feedback_dispatcher"
    assert roles.aliases()["1022"] == "feedback_handler"


def test_a_system_wide_role_reaches_every_unit_of_its_own_system_only(dispatcher, sai_gon):
    assert access.can_change_organisation(dispatcher, sai_gon.pk, system="feedback")
    assert not access.can_change_organisation(dispatcher, sai_gon.pk, system="documents")
    assert not access.can_change_organisation(dispatcher, sai_gon.pk)


def test_core_asks_accounts_who_administers_the_platform(centre_admin, ben_thanh, monkeypatch):
    from thongsuot.core import permissions

    clerk = make_staff("vanthu@roles.test", ben_thanh, ["clerk"])
    assert permissions.is_platform_admin(centre_admin)
    assert not permissions.is_platform_admin(clerk)
    monkeypatch.setattr(permissions, "_platform_admin_check", None)  # accounts not started: nobody may
    assert not permissions.is_platform_admin(centre_admin)
