"""Endpoints of every unit from the directory (idempotently), built-in groups, who reads and edits them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from thongsuot.conferences import services
from thongsuot.conferences.models import Endpoint, EndpointGroup
from thongsuot.core.models import AuditEntry
from thongsuot.directory.models import Organisation


@pytest.fixture
def endpoints(db):
    services.endpoints_sync()
    return Endpoint.objects.all()


def test_every_active_unit_and_department_gets_one_endpoint_and_a_second_run_changes_nothing(db):
    call_command("conference_endpoints")
    units = Organisation.objects.filter(is_active=True, kind__in=("commune", "department", "city"))
    assert Organisation.objects.filter(kind="commune", is_active=True).count() == 168
    assert Endpoint.objects.count() == units.count()
    assert set(Endpoint.objects.values_list("organisation_id", flat=True)) == set(units.values_list("pk", flat=True))
    audits = AuditEntry.objects.filter(action="conferences.endpoint.create").count()
    assert audits == units.count()
    call_command("conference_endpoints")
    assert Endpoint.objects.count() == units.count()
    assert AuditEntry.objects.filter(action__startswith="conferences.").count() == audits + 2  # the two groups, once


def test_the_built_in_groups_hold_all_wards_and_all_communes(endpoints):
    wards = EndpointGroup.objects.get(code="tat-ca-phuong")
    communes = EndpointGroup.objects.get(code="tat-ca-xa")
    assert set(wards.endpoints.values_list("organisation__division_type", flat=True)) == {"phuong"}
    assert wards.endpoints.count() == Organisation.objects.filter(division_type="phuong", is_active=True).count()
    assert communes.endpoints.count() == Organisation.objects.filter(division_type="xa", is_active=True).count()
    assert wards.endpoints.count() > 100 and communes.endpoints.count() > 40


def test_a_unit_admin_describes_their_endpoint_but_not_another_units(
    endpoints, ward_admin, ward_operator, other_ward_admin, ben_thanh
):
    mine = Endpoint.objects.get(organisation=ben_thanh)
    services.endpoint_update(
        actor=ward_admin,
        endpoint=mine,
        fields={"room": "Phòng họp tầng 2", "equipment": "Camera PTZ, micro cổ ngỗng", "network_link": "FTTH 200 Mbps"},
        operators=[ward_operator],
    )
    mine.refresh_from_db()
    assert mine.room == "Phòng họp tầng 2" and list(mine.operators.all()) == [ward_operator]
    assert AuditEntry.objects.filter(action="conferences.endpoint.update", object_id=str(mine.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.endpoint_update(actor=other_ward_admin, endpoint=mine, fields={"room": "x"})
    with pytest.raises(ValidationError) as outside:
        services.endpoint_update(actor=ward_admin, endpoint=mine, fields={}, operators=[other_ward_admin])
    assert "operators" in outside.value.message_dict
    with pytest.raises(ValidationError) as empty:
        services.endpoint_update(actor=ward_admin, endpoint=mine, fields={"name": "  "})
    assert "name" in empty.value.message_dict


def test_the_api_and_the_page_show_a_ward_its_own_endpoint_and_the_city_all_of_them(
    endpoints, ward_admin, city_clerk, login, ben_thanh, sai_gon
):
    client = login(ward_admin)
    rows = client.get("/api/v1/conferences/endpoints").json()
    assert [r["organisation_id"] for r in rows] == [ben_thanh.pk]
    page = client.get("/hoi-nghi/diem-cau/").content.decode()
    assert "Phường Bến Thành" in page and "Phường Sài Gòn" not in page
    other = Endpoint.objects.get(organisation=sai_gon)
    assert client.get(f"/hoi-nghi/diem-cau/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/conferences/endpoints/{other.pk}/calendar").status_code == 404
    client = login(city_clerk)
    assert len(client.get("/api/v1/conferences/endpoints?kind=commune").json()) == 168
