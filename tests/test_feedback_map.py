"""The public map of 1022: the JSON behind the list's map, the follow page's map, the form's position fields."""

import pytest
from django.urls import reverse

from tests.conftest import make_staff
from thongsuot.feedback import services
from thongsuot.feedback.testing import SAI_GON_POINT, submit


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


def _published(report, handler, dispatcher, organisation):
    report = services.report_assign(actor=dispatcher, report=report, organisation=organisation)
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý")
    services.report_resolve(actor=handler, report=report, resolution="Đã khơi thông cống.")
    return services.report_publish(actor=dispatcher, report=report)


def _points(client, **params):
    response = client.get(reverse("feedback:map_points"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["points"]


def test_map_points_are_published_placed_reports_with_public_fields_only(client, centre_admin, handler, ben_thanh):
    flooded = _published(
        submit(category="cap-nuoc-ngap-nuoc", description="Đường Lê Lợi ngập nước sau mưa"),
        handler,
        centre_admin,
        ben_thanh,
    )
    no_position = _published(
        submit(latitude=None, longitude=None, client_ip="198.51.100.4", contact_phone="0911000001"),
        handler,
        centre_admin,
        ben_thanh,
    )
    hidden = _published(submit(client_ip="198.51.100.5", contact_phone="0911000002"), handler, centre_admin, ben_thanh)
    services.report_hide(actor=centre_admin, report=hidden, reason="Nội dung không phù hợp")
    waiting = submit(client_ip="198.51.100.6", contact_phone="0911000003")

    points = _points(client)
    assert [p["code"] for p in points] == [flooded.code]
    point = points[0]
    assert set(point) == {"code", "lat", "lng", "category", "unit", "status", "date", "url"}
    assert point["category"] == "Cấp nước và ngập nước" and point["unit"] == ben_thanh.name
    assert point["url"] == reverse("feedback:follow", args=[flooded.code])
    assert (point["lat"], point["lng"]) == pytest.approx((flooded.latitude, flooded.longitude))
    body = client.get(reverse("feedback:map_points")).content.decode()
    for secret in ("Nguyễn Văn Dân", "0901234567", "dan@example.test", "ngập nước sau mưa"):
        assert secret not in body
    assert no_position.code not in body and hidden.code not in body and waiting.code not in body


def test_map_points_follow_the_list_filter_without_diacritics(client, centre_admin, handler, ben_thanh, sai_gon):
    flooded = _published(
        submit(category="cap-nuoc-ngap-nuoc", description="Đường Lê Lợi ngập nước sau mưa"),
        handler,
        centre_admin,
        ben_thanh,
    )
    sai_gon_handler = make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"])
    trees = _published(
        submit(
            category="cay-xanh",
            description="Cây đổ chắn lối đi",
            address="1 Công xã Paris, Phường Sài Gòn",
            latitude=SAI_GON_POINT[0],
            longitude=SAI_GON_POINT[1],
            client_ip="198.51.100.7",
        ),
        sai_gon_handler,
        centre_admin,
        sai_gon,
    )
    assert [p["code"] for p in _points(client, q="ngap nuoc")] == [flooded.code]
    assert [p["code"] for p in _points(client, q="CAY DO")] == [trees.code]
    assert [p["code"] for p in _points(client, category="cay-xanh")] == [trees.code]
    assert _points(client, q="ngap", category="cay-xanh") == []
    assert {p["code"] for p in _points(client)} == {flooded.code, trees.code}
    # the list page points its map at the same filter
    page = client.get(reverse("feedback:public_list"), {"q": "ngập nước", "category": "cap-nuoc-ngap-nuoc"})
    assert f"{reverse('feedback:map_points')}?q=ng%E1%BA%ADp%20n%C6%B0%E1%BB%9Bc&amp;category=cap-nuoc-ngap-nuoc" in (
        page.content.decode()
    )


def test_map_points_are_capped(centre_admin, handler, ben_thanh):
    from thongsuot.feedback import selectors

    _published(submit(), handler, centre_admin, ben_thanh)
    second = _published(submit(client_ip="198.51.100.8", contact_phone="0911000004"), handler, centre_admin, ben_thanh)
    assert len(selectors.public_map_points()) == 2
    assert [p["code"] for p in selectors.public_map_points(limit=1)] == [second.code]


def test_map_pages_allow_the_tile_server_and_load_only_local_scripts(client, db):
    response = client.get(reverse("feedback:public_list"))
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in csp
    assert "script-src 'self';" in csp
    body = response.content.decode()
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in body
    assert "vendor/leaflet/dist/leaflet.js" in body and "js/feedback-map.js" in body
    assert "<script>" not in body


def test_follow_page_shows_the_place_only_with_the_text(client, centre_admin, handler, ben_thanh):
    report = submit()
    anonymous = client.get(reverse("feedback:follow", args=[report.code])).content.decode()
    assert 'data-map="point"' not in anonymous  # not published yet: the place is the citizen's to see
    owner = client.get(reverse("feedback:follow", args=[report.code]), {"k": report.citizen_key}).content.decode()
    assert f'data-lat="{report.latitude}"' in owner and f'data-lng="{report.longitude}"' in owner
    _published(report, handler, centre_admin, ben_thanh)
    assert 'data-map="point"' in client.get(reverse("feedback:follow", args=[report.code])).content.decode()
    unplaced = submit(latitude=None, longitude=None, client_ip="198.51.100.9", contact_phone="0911000005")
    page = client.get(reverse("feedback:follow", args=[unplaced.code]), {"k": unplaced.citizen_key})
    assert 'data-map="point"' not in page.content.decode()


def test_form_position_fields_are_hidden_and_the_address_alone_is_enough(client, db):
    from thongsuot.feedback.models import Category, Report

    page = client.get(reverse("feedback:new")).content.decode()
    assert '<input type="hidden" name="latitude"' in page and '<input type="hidden" name="longitude"' in page
    assert 'data-map="pick"' in page and 'data-lat-input="id_latitude"' in page
    response = client.post(
        reverse("feedback:new"),
        {
            "category": Category.objects.get(code="ha-tang-ky-thuat").pk,
            "description": "Nắp cống bị vỡ trước số 12 Lê Lợi.",
            "address": "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
            "latitude": "",
            "longitude": "",
            "contact_name": "Nguyễn Văn Dân",
            "contact_phone": "0901234567",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.latitude is None and report.resolved_unit is not None
