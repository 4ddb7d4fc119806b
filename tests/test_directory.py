import dataclasses

import pytest
from vietnam_provinces import ProvinceCode, Ward

from thongsuot.core.models import AuditEntry
from thongsuot.directory.models import Organisation
from thongsuot.directory.services import directory_load

pytestmark = pytest.mark.django_db


def test_the_city_has_168_units_of_the_three_types():
    communes = Organisation.objects.filter(kind="commune", is_active=True)
    assert communes.count() == 168
    assert communes.filter(division_type="phuong").count() == 113
    assert communes.filter(division_type="xa").count() == 54
    assert communes.filter(division_type="dac_khu").count() == 1
    assert not communes.filter(name__contains="  ").exists()  # "Phường  Rạch Dừa" normalised
    assert communes.filter(name="Phường Rạch Dừa").exists()


def test_identifiers_follow_the_national_format_and_are_unique():
    city = Organisation.objects.get(kind="city")
    assert city.code == "000.00.00.H29"
    codes = list(Organisation.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    for code in codes:
        assert len(code) <= 35 and code.endswith(".H29"), code
    assert Organisation.objects.filter(kind="commune", parent=city).count() == 168


def test_city_bodies_and_party_committees_are_loaded():
    assert Organisation.objects.filter(kind="department", name="Trung tâm Chuyển đổi số Thành phố").exists()
    assert Organisation.objects.filter(kind="party", name="Thành ủy Thành phố Hồ Chí Minh").exists()
    ward = Organisation.objects.get(name="Phường Bến Thành")
    party = Organisation.objects.get(kind="party", counterpart=ward)
    assert party.name == "Đảng ủy Phường Bến Thành"


def test_second_load_changes_nothing():
    before = AuditEntry.objects.count()
    report = directory_load()
    assert not report.changed
    assert AuditEntry.objects.count() == before


def test_renamed_unit_is_renamed_and_vanished_unit_is_retired_never_deleted():
    wards = list(Ward.iter_by_province(ProvinceCode(79)))
    target = next(w for w in wards if w.name == "Phường Bến Thành")
    gone = next(w for w in wards if w.name == "Phường Sài Gòn")
    changed = [
        dataclasses.replace(w, name="Phường Bến Thành Mới") if w is target else w for w in wards if w is not gone
    ]
    org = Organisation.objects.get(admin_code=str(int(target.code)))
    code_before = org.code
    report = directory_load(wards=changed)
    org.refresh_from_db()
    assert org.name == "Phường Bến Thành Mới" and org.code == code_before
    retired = Organisation.objects.get(admin_code=str(int(gone.code)))
    assert not retired.is_active and retired.retired_at is not None
    assert not Organisation.objects.get(kind="party", counterpart=retired).is_active
    assert AuditEntry.objects.filter(action="organisation.rename", object_id=str(org.pk)).exists()
    assert AuditEntry.objects.filter(action="organisation.retire", object_id=str(retired.pk)).exists()
    assert report.retired
    # Back to the reference data: the unit returns with its old identifier.
    directory_load()
    retired.refresh_from_db()
    assert retired.is_active and retired.retired_at is None


def test_public_directory_api(client):
    response = client.get("/api/v1/directory/organisations", {"kind": "commune", "q": "ben thanh"})
    assert response.status_code == 200
    assert [o["name"] for o in response.json()] == ["Phường Bến Thành"]
    response = client.get("/api/v1/directory/organisations/000.00.00.H29")
    assert response.json()["kind"] == "city"
    assert client.get("/api/v1/directory/organisations/NOPE").status_code == 404
