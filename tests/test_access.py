"""The access rules, each pinned: who sees and changes which organisation's records."""

import pytest

from tests.conftest import make_staff
from thongsuot.accounts import access
from thongsuot.directory.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return Organisation.objects.filter(kind="department").order_by("code").first()


@pytest.fixture
def party_body(db):
    return Organisation.objects.filter(kind="party").order_by("code").first()


def visible(user):
    return set(access.scope_to_user(Organisation.objects.all(), user, field="").values_list("pk", flat=True))


def test_only_a_leader_of_the_city_committee_sees_every_unit(city_leader, ben_thanh, sai_gon, department, party_body):
    assert access.has_city_wide_view(city_leader)
    assert access.can_view_organisation(city_leader, sai_gon.pk)
    assert not access.can_change_organisation(city_leader, sai_gon.pk)
    assert not access.has_city_wide_change(city_leader)
    for org in (ben_thanh, department, party_body):
        leader = make_staff(f"lanhdao-{org.pk}@x.test", org, ["leader"])
        assert not access.has_city_wide_view(leader), org.kind
        assert not access.can_view_organisation(leader, sai_gon.pk), org.kind
        assert access.can_view_organisation(leader, org.pk), org.kind
        assert visible(leader) == {org.pk}, org.kind


def test_a_city_committee_member_who_is_not_a_leader_sees_only_the_city(ben_thanh):
    city = Organisation.objects.get(kind="city")
    clerk = make_staff("vanthu@thanhpho.test", city, ["clerk"])
    assert not access.has_city_wide_view(clerk)
    assert not access.can_view_organisation(clerk, ben_thanh.pk)
    assert visible(clerk) == {city.pk}


def test_a_platform_administrator_sees_and_changes_every_unit(centre_admin, ben_thanh, sai_gon):
    for org in (ben_thanh, sai_gon):
        assert access.can_view_organisation(centre_admin, org.pk)
        assert access.can_change_organisation(centre_admin, org.pk)
        access.require_change(centre_admin, org.pk, roles=("leader",))
    assert visible(centre_admin) == set(Organisation.objects.values_list("pk", flat=True))


def test_unit_staff_see_and_change_only_their_own_unit(ward_admin, ben_thanh, sai_gon):
    assert access.can_view_organisation(ward_admin, ben_thanh.pk)
    assert access.can_change_organisation(ward_admin, ben_thanh.pk)
    assert not access.can_view_organisation(ward_admin, sai_gon.pk)
    assert not access.can_change_organisation(ward_admin, sai_gon.pk)
    assert not access.can_view_organisation(ward_admin, None)
    assert visible(ward_admin) == {ben_thanh.pk}
    with pytest.raises(access.PermissionDenied):
        access.require_change(ward_admin, sai_gon.pk)
    with pytest.raises(access.PermissionDenied):
        access.require_view(ward_admin, sai_gon.pk)


def test_a_staff_account_without_a_role_sees_nothing_even_of_its_own_unit(ben_thanh):
    nobody = make_staff("khongvaitro@benthanh.test", ben_thanh, [])
    assert not access.can_view_organisation(nobody, ben_thanh.pk)
    assert not access.can_change_organisation(nobody, ben_thanh.pk)
    assert visible(nobody) == set()


def test_a_role_is_required_where_the_service_names_one(ward_clerk, ben_thanh):
    access.require_change(ward_clerk, ben_thanh.pk)
    with pytest.raises(access.PermissionDenied):
        access.require_change(ward_clerk, ben_thanh.pk, roles=("leader", "unit_admin"))


def test_inactive_staff_and_citizens_see_nothing(ward_admin, citizen, ben_thanh):
    assert not access.can_view_organisation(citizen, ben_thanh.pk)
    assert visible(citizen) == set()
    ward_admin.is_active = False
    ward_admin.save()
    assert not access.has_city_wide_change(ward_admin)


def test_only_unit_administrators_and_the_centre_provision_staff(
    ward_admin, ward_clerk, centre_admin, citizen, ben_thanh
):
    assert access.can_provision(ward_admin)
    assert access.can_provision(centre_admin)
    assert not access.can_provision(ward_clerk)
    leader = make_staff("lanhdao2@benthanh.test", ben_thanh, ["leader"])
    assert not access.can_provision(leader)
    assert not access.can_provision(citizen)


def test_a_citizen_account_given_a_staff_role_by_mistake_gets_nothing(citizen, ben_thanh):
    from thongsuot.accounts.models import Role

    citizen.roles.set(Role.objects.filter(code__in=["platform_admin", "unit_admin"]))
    assert not access.has_city_wide_change(citizen)
    assert not access.has_city_wide_view(citizen)
    assert not access.can_view_organisation(citizen, ben_thanh.pk)
    assert not access.can_provision(citizen)
    assert visible(citizen) == set()


def test_an_inactive_platform_administrator_is_not_city_wide(centre_admin, sai_gon):
    centre_admin.is_active = False
    centre_admin.save()
    assert not access.has_city_wide_change(centre_admin)
    assert not access.can_change_organisation(centre_admin, sai_gon.pk)


def test_a_superuser_staff_account_changes_every_unit_without_a_role(sai_gon):
    from thongsuot.directory.models import Organisation as Org

    boss = make_staff("root@cds.test", Org.objects.get(code="000.05.05.H29"), [])
    boss.is_superuser = True
    boss.save()
    assert access.has_city_wide_change(boss)
    assert access.can_change_organisation(boss, sai_gon.pk)


def test_an_anonymous_visitor_sees_and_changes_nothing(ben_thanh):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert not access.has_city_wide_view(visitor)
    assert not access.can_view_organisation(visitor, ben_thanh.pk)
    assert not access.can_change_organisation(visitor, ben_thanh.pk)
    assert not access.can_provision(visitor)
    assert visible(visitor) == set()
