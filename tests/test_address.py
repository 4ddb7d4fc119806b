"""Address and point resolution, on real addresses of the three former provinces.

Expected units for pre-July-2025 addresses are those of the conversion table shipped with
vietnamadminunits (data/converter_2025.json), read by hand for the addresses listed here; the sweeps
at the end read the table directly and check every one of the 442 former wards and 168 units.
"""

import json
import math
import sqlite3
from pathlib import Path
from unittest import mock

import pytest
import vietnamadminunits
from unidecode import unidecode

from thongsuot.directory import address as address_module
from thongsuot.directory.address import address_resolve, coordinates_resolve

pytestmark = pytest.mark.django_db

DATA = Path(vietnamadminunits.__file__).parent / "data"

# (address before July 2025, unit it became): landmarks and everyday ways of writing.
OLD_HO_CHI_MINH_CITY = [
    ("135 Nam Kỳ Khởi Nghĩa, Phường Bến Thành, Quận 1, TP.HCM", "Phường Bến Thành"),  # Dinh Độc Lập
    ("86 Lê Thánh Tôn, Phường Bến Nghé, Quận 1, TP.HCM", "Phường Sài Gòn"),  # City People's Committee
    ("01 Công xã Paris, P. Bến Nghé, Q.1, TP.HCM", "Phường Sài Gòn"),  # Nhà thờ Đức Bà
    ("so 7 lam son, phuong ben nghe, quan 1, tp hcm", "Phường Sài Gòn"),  # Nhà hát Thành phố
    ("phuong ben thanh, quan 1, ho chi minh", "Phường Bến Thành"),
    ("P. Bến Thành, Q.1, Tp. Hồ Chí Minh", "Phường Bến Thành"),
    ("123 Nguyen Hue Phuong Ben Nghe Quan 1 TPHCM", "Phường Sài Gòn"),  # no commas
    ("Tòa nhà Bitexco, số 2 Hải Triều, Bến Nghé, Quận 1", "Phường Sài Gòn"),  # ward without its type
    ("TP.HCM, Quận 1, Phường Bến Thành", "Phường Bến Thành"),  # written from the top down
    ("phuongbenthanh, quan1, hcm", "Phường Bến Thành"),
    ("Phường Tân Định, Quận 1, TP.HCM", "Phường Tân Định"),
    ("28 Võ Văn Tần, Phường Võ Thị Sáu, Quận 3, TP.HCM", "Phường Xuân Hòa"),  # War Remnants Museum
    ("Phường 5, Quận 3, TP.HCM", "Phường Bàn Cờ"),
    ("227 Nguyễn Văn Cừ, Phường 4, Quận 5, TP. Hồ Chí Minh", "Phường Chợ Quán"),  # University of Science
    ("57A Tháp Mười, Phường 2, Quận 6, TP.HCM", "Phường Bình Tây"),  # Chợ Bình Tây
    ("58 Trường Sơn, Phường 2, Quận Tân Bình, TP.HCM", "Phường Tân Sơn Hòa"),  # Tân Sơn Nhất domestic terminal
    ("Phường 12, Quận 10", "Phường Hòa Hưng"),
    ("P.12, Q.10, TP.HCM", "Phường Hòa Hưng"),
    ("Ward 12, District 10, Ho Chi Minh City", "Phường Hòa Hưng"),
    ("Hẻm 12 Nguyễn Trãi P2 Q5 HCM", "Phường Chợ Quán"),
    ("Phường 12, Quận Gò Vấp, TP.HCM", "Phường An Hội Tây"),
    ("F12, Q.Gò Vấp, TPHCM", "Phường An Hội Tây"),
    ("P.12, Q.8, TP.HCM", "Phường Phú Định"),  # Phường 12 was merged into Phường Xóm Củi before 2025
    ("Phường Tân Phong, Quận 7, TP.HCM", "Phường Tân Hưng"),
    ("Phường 25, Quận Bình Thạnh, TP.HCM", "Phường Thạnh Mỹ Tây"),
    ("Phường 1, Quận Bình Thạnh, TP.HCM", "Phường Gia Định"),
    ("Phường 9, Quận Phú Nhuận, TP.HCM", "Phường Đức Nhuận"),
    ("Phường 13, Quận 4, TP.HCM", "Phường Xóm Chiếu"),
    ("Phường 5, Quận 11, TP.HCM", "Phường Hòa Bình"),
    ("Phường Bình Hưng Hòa, Quận Bình Tân, TP.HCM", "Phường Bình Hưng Hòa"),
    ("Số 10 Đường số 7, Phường Bình Trị Đông B, Quận Bình Tân", "Phường An Lạc"),  # not Phường Bình Trị Đông
    ("Phường Tân Sơn Nhì, Quận Tân Phú, TP.HCM", "Phường Tân Sơn Nhì"),
    ("1 Võ Văn Ngân, Phường Linh Chiểu, TP Thủ Đức, TP.HCM", "Phường Thủ Đức"),  # University of Technology
    ("Khu phố 6, Phường Linh Trung, Thành phố Thủ Đức, TP.HCM", "Phường Linh Xuân"),  # National University
    ("Phường Thảo Điền, Quận 2, TP.HCM", "Phường An Khánh"),  # Quận 2 became part of Thủ Đức in 2021
    ("Phường Linh Trung", "Phường Linh Xuân"),  # no district or province, but no other ward of that name
    ("Thị trấn Cần Thạnh, Huyện Cần Giờ, TP.HCM", "Xã Cần Giờ"),
    ("Xã Long Hòa, Huyện Cần Giờ", "Xã Cần Giờ"),  # not the new Xã Long Hòa (Dầu Tiếng)
    ("Xã Thạnh An, Huyện Cần Giờ, TP.HCM", "Xã Thạnh An"),
    ("xa thanh an, huyen can gio, tp hcm", "Xã Thạnh An"),
    ("Xã Phú Mỹ Hưng, Huyện Củ Chi, TP.HCM", "Xã An Nhơn Tây"),  # Địa đạo Bến Dược
    ("TT Củ Chi, H. Củ Chi, TP.HCM", "Xã Tân An Hội"),
    ("Thị trấn Nhà Bè, Huyện Nhà Bè, TP.HCM", "Xã Nhà Bè"),
    ("Thị trấn Hóc Môn, Huyện Hóc Môn, TP.HCM", "Xã Hóc Môn"),
    ("Xã Bình Chánh, Huyện Bình Chánh, TP.HCM", "Xã Bình Chánh"),
]
BINH_DUONG = [
    ("Phường Phú Cường, TP Thủ Dầu Một, Bình Dương", "Phường Thủ Dầu Một"),
    ("Phường Phú Thọ, Thành phố Thủ Dầu Một, Tỉnh Bình Dương", "Phường Thủ Dầu Một"),
    ("Phường Chánh Nghĩa, Thủ Dầu Một, Bình Dương", "Phường Thủ Dầu Một"),
    ("phuong phu cuong, tp thu dau mot, binh duong", "Phường Thủ Dầu Một"),
    ("Phường Phú Cường, Bình Dương", "Phường Thủ Dầu Một"),  # no district, but one Phú Cường in the province
    ("Đường Lê Lợi, Phường Hòa Phú, TP Thủ Dầu Một, Bình Dương", "Phường Bình Dương"),  # the province's centre
    ("Phường Phú Lợi, TP Thủ Dầu Một, Bình Dương", "Phường Phú Lợi"),
    ("Phường Lái Thiêu, TP Thuận An, Bình Dương", "Phường Lái Thiêu"),
    ("Phường Hưng Định, TP Thuận An, Bình Dương", "Phường Thuận An"),
    ("Phường An Phú, TP Thuận An, Bình Dương", "Phường An Phú"),
    ("Phường Bình Hòa, Thuận An, Bình Dương", "Phường Bình Hòa"),
    ("Phường Dĩ An, TP Dĩ An, Bình Dương", "Phường Dĩ An"),
    ("Phường Đông Hòa, Thành phố Dĩ An, Bình Dương", "Phường Đông Hòa"),
    ("Phường Bình An, TP Dĩ An, Bình Dương", "Phường Đông Hòa"),
    ("Phường Tân Bình, TP Dĩ An, Bình Dương", "Phường Tân Đông Hiệp"),  # not the city's Phường Tân Bình
    ("Phường Thới Hòa, TX Bến Cát, Bình Dương", "Phường Thới Hòa"),
    ("Phường Uyên Hưng, TP Tân Uyên, Bình Dương", "Phường Tân Uyên"),
    ("Xã Tân Định, Huyện Bắc Tân Uyên, Bình Dương", "Xã Bắc Tân Uyên"),  # not Phường Tân Định
    ("Thị trấn Dầu Tiếng, Huyện Dầu Tiếng, Bình Dương", "Xã Dầu Tiếng"),
    ("Xã Long Hòa, Huyện Dầu Tiếng, Bình Dương", "Xã Long Hòa"),
    ("Thị trấn Phước Vĩnh, Huyện Phú Giáo, Bình Dương", "Xã Phú Giáo"),
]
BA_RIA_VUNG_TAU = [
    ("Phường 7, TP Vũng Tàu, Bà Rịa - Vũng Tàu", "Phường Tam Thắng"),  # not Phường Vũng Tàu
    ("Phường 7, TP Vũng Tàu", "Phường Tam Thắng"),
    ("Phường 7, TP Vũng Tàu, TP.HCM", "Phường Tam Thắng"),
    ("phuong 7, vung tau", "Phường Tam Thắng"),
    ("Phường 1, Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu", "Phường Vũng Tàu"),
    ("Phường Thắng Tam, TP Vũng Tàu, BR-VT", "Phường Vũng Tàu"),  # Bãi Sau
    ("Phường Thắng Nhì, TP. Vũng Tàu, Bà Rịa-Vũng Tàu", "Phường Vũng Tàu"),
    ("Phường Rạch Dừa, Vũng Tàu, Bà Rịa - Vũng Tàu", "Phường Rạch Dừa"),
    ("Phường 11, TP Vũng Tàu, Bà Rịa - Vũng Tàu", "Phường Phước Thắng"),
    ("Xã Long Sơn, TP Vũng Tàu, Bà Rịa - Vũng Tàu", "Xã Long Sơn"),
    ("Phường Phước Hiệp, TP Bà Rịa, Bà Rịa - Vũng Tàu", "Phường Bà Rịa"),  # merged into Phước Trung before 2025
    ("Phường Long Toàn, TP Bà Rịa, Bà Rịa - Vũng Tàu", "Phường Bà Rịa"),
    ("Thị trấn Ngãi Giao, Huyện Châu Đức, Bà Rịa - Vũng Tàu", "Xã Ngãi Giao"),
    ("Thị trấn Kim Long, Huyện Châu Đức, Bà Rịa - Vũng Tàu", "Xã Kim Long"),
    ("Thị trấn Phước Bửu, Huyện Xuyên Mộc, Bà Rịa - Vũng Tàu", "Xã Hồ Tràm"),
    ("Xã Bình Châu, Huyện Xuyên Mộc, Bà Rịa - Vũng Tàu", "Xã Bình Châu"),
    ("Thị trấn Long Điền, Huyện Long Điền, Bà Rịa - Vũng Tàu", "Xã Long Điền"),
    ("Thị trấn Đất Đỏ, Huyện Đất Đỏ, Bà Rịa - Vũng Tàu", "Xã Đất Đỏ"),
    ("Phường Phú Mỹ, Thị xã Phú Mỹ, Bà Rịa - Vũng Tàu", "Phường Phú Mỹ"),
    ("Phường Mỹ Xuân, TX Phú Mỹ, Bà Rịa - Vũng Tàu", "Phường Phú Mỹ"),
    ("Huyện Côn Đảo, Bà Rịa - Vũng Tàu", "Đặc khu Côn Đảo"),
]
# (address after July 2025, unit), including those named after a former district or province.
NEW_FORM = [
    ("Phường Bến Thành, Thành phố Hồ Chí Minh", "Phường Bến Thành"),
    ("123 Lê Lợi, Phường Bến Thành, TP.HCM", "Phường Bến Thành"),
    ("12 Bình Thới, Phường Bình Thới, TP.HCM", "Phường Bình Thới"),  # a street named like the unit
    ("12 Huyền Trân Công Chúa, Phường Bến Thành, TP.HCM", "Phường Bến Thành"),
    ("Phường Bến Thành, HCM", "Phường Bến Thành"),
    ("p bến thành, hcm", "Phường Bến Thành"),
    ("Phường Bến Thành", "Phường Bến Thành"),  # no province, but the only Phường Bến Thành in the country
    ("Bến Thành, TP.HCM", "Phường Bến Thành"),
    ("phuong sai gon, tp hcm", "Phường Sài Gòn"),
    ("Phường Sài Gòn, Quận 1, TP.HCM", "Phường Sài Gòn"),  # new unit, former district
    ("Phường Bàn Cờ, TP.HCM", "Phường Bàn Cờ"),
    ("Phường An Phú Đông, TP.HCM", "Phường An Phú Đông"),
    ("Phường Gò Vấp, Thành phố Hồ Chí Minh", "Phường Gò Vấp"),
    ("Phường Thủ Đức, Tp. Hồ Chí Minh", "Phường Thủ Đức"),
    ("Xã Thạnh An, TP.HCM", "Xã Thạnh An"),
    ("Xã Thanh An, TP.HCM", "Xã Thanh An"),
    ("Phường Thủ Dầu Một, Thành phố Hồ Chí Minh", "Phường Thủ Dầu Một"),
    ("Phường Thủ Dầu Một, Bình Dương", "Phường Thủ Dầu Một"),
    ("Phường Bình Dương, TP.HCM", "Phường Bình Dương"),
    ("Xã Bàu Bàng, TP.HCM", "Xã Bàu Bàng"),
    ("Phường Vũng Tàu, TP.HCM", "Phường Vũng Tàu"),
    ("Phường Vũng Tàu, Bà Rịa - Vũng Tàu", "Phường Vũng Tàu"),
    ("Phường Tam Thắng, Thành phố Hồ Chí Minh, Việt Nam", "Phường Tam Thắng"),
    ("Đặc khu Côn Đảo, TP.HCM", "Đặc khu Côn Đảo"),
]
# (address, words the reason must contain): outside the city, not understood, or ambiguous.
UNRESOLVED = [
    ("", "empty"),
    ("   ", "empty"),
    ("abc xyz", "no ward"),
    ("Lê Lợi", "no ward"),
    ("123 Lê Lợi, TP.HCM", "no ward"),
    ("TP.HCM", "no ward"),
    ("Thành phố Hồ Chí Minh", "no ward"),
    ("Đường Tân Sơn Nhì, TP.HCM", "no ward"),  # a street named like a unit
    ("Quận 1, TP.HCM", "Quận 1"),
    ("Phường 12, TP.HCM", "name the district"),
    ("xa thanh an, tp hcm", "diacritics"),  # Xã Thanh An or Xã Thạnh An
    ("Phường Phú Lợi", "several provinces"),
    ("Phường Long Bình", "several provinces"),
    ("Phường 1, TP.HCM", "name the district"),
    ("Phường Bến Thành, Phường Sài Gòn, TP.HCM", "several units"),
    ("Ben Thanh Ward, District 1, HCMC", "Quận 1"),
    ("Phường Tân Định, Huyện Bắc Tân Uyên, Bình Dương", "does not cover"),  # Xã Tân Định, wrong type
    ("Phường Tân Định, Thủ Dầu Một, Bình Dương", "does not cover"),
    ("Đồng Nai, Phường Bến Thành", "outside the city"),
    ("Phường Bến Thành, Quận 1, Hà Nội", "outside the city"),
    ("Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội", "outside the city"),
    ("Phường Tràng Tiền, Quận Hoàn Kiếm", "outside the city"),
    ("Phường Trấn Biên, Đồng Nai", "outside the city"),
    ("Phường Tân Phong, TP Biên Hòa, Đồng Nai", "outside the city"),
    ("Thị trấn Đức Hòa, Huyện Đức Hòa, Long An", "outside the city"),
    ("Long An", "outside the city"),
    ("P" * 600, "longer than"),
]
# (former ward split between several units on 1 July 2025, the units).
SPLIT = [
    ("45 Đinh Tiên Hoàng, Phường Đa Kao, Quận 1, TP.HCM", {"Phường Sài Gòn", "Phường Tân Định"}),
    ("Phường Đa Kao, TP.HCM", {"Phường Sài Gòn", "Phường Tân Định"}),
    ("Phường 14, Quận 10, TP.HCM", {"Phường Diên Hồng", "Phường Hòa Hưng"}),
    ("Phường An Phú, Quận 2, TP.HCM", {"Phường An Khánh", "Phường Bình Trưng"}),
    ("Phường Phú Mỹ, Quận 7, TP.HCM", {"Phường Tân Mỹ", "Phường Phú Thuận"}),  # not the new Phường Phú Mỹ
    ("Xã An Thới Đông, Huyện Cần Giờ", {"Xã An Thới Đông", "Xã Bình Khánh"}),
    ("Phường Mỹ Phước, TX Bến Cát, Bình Dương", {"Phường Bến Cát", "Phường Long Nguyên"}),
    ("Phường Tân Đông Hiệp, TP Dĩ An, Bình Dương", {"Phường Dĩ An", "Phường Tân Đông Hiệp"}),
]
# (name, latitude, longitude, unit or None when it must stay unresolved).
POINTS = [
    ("Chợ Bến Thành", 10.7725, 106.6980, "Phường Bến Thành"),
    ("Dinh Độc Lập", 10.7770, 106.6953, "Phường Bến Thành"),
    ("Nhà thờ Đức Bà", 10.7798, 106.6990, "Phường Sài Gòn"),
    ("Côn Đảo", 8.68, 106.61, "Đặc khu Côn Đảo"),
    ("Bãi Trước, Vũng Tàu", 10.3460, 107.0720, "Phường Vũng Tàu"),
    ("Thủ Dầu Một", 10.9804, 106.6519, "Phường Thủ Dầu Một"),
    ("Dĩ An", 10.9057, 106.7693, "Phường Dĩ An"),
    ("Biên Hòa, Đồng Nai", 10.95, 106.82, None),
    ("Tân An, Long An (now Tây Ninh)", 10.535, 106.413, None),
    ("Hà Nội", 21.0285, 105.8542, None),
    ("the sea off Vũng Tàu", 10.0, 107.5, None),
]


def _resolved_to(text, name, method):
    result = address_resolve(text)
    assert result.resolved, (text, result.reason)
    assert result.organisation.name == name, text
    assert result.organisation.kind == "commune"
    assert result.method == method


@pytest.mark.parametrize(("text", "name"), OLD_HO_CHI_MINH_CITY)
def test_a_former_ho_chi_minh_city_address_resolves_to_the_unit_it_became(text, name):
    _resolved_to(text, name, "legacy")


@pytest.mark.parametrize(("text", "name"), BINH_DUONG)
def test_a_former_binh_duong_address_resolves_to_the_unit_it_became(text, name):
    _resolved_to(text, name, "legacy")


@pytest.mark.parametrize(("text", "name"), BA_RIA_VUNG_TAU)
def test_a_former_ba_ria_vung_tau_address_resolves_to_the_unit_it_became(text, name):
    _resolved_to(text, name, "legacy")


@pytest.mark.parametrize(("text", "name"), NEW_FORM)
def test_a_new_form_address_resolves_to_the_unit_it_names(text, name):
    _resolved_to(text, name, "new")


@pytest.mark.parametrize(("text", "reason"), UNRESOLVED)
def test_an_address_outside_the_city_or_not_understood_is_unresolved_with_a_reason(text, reason):
    result = address_resolve(text)
    assert not result.resolved
    assert result.organisation is None
    assert reason in result.reason


@pytest.mark.parametrize(("text", "units"), SPLIT)
def test_a_former_ward_split_between_units_is_unresolved_with_the_candidates(text, units):
    result = address_resolve(text)
    assert not result.resolved and result.organisation is None
    assert "split" in result.reason
    assert {org.name for org in result.candidates} == units


def _conversion_table():
    data = json.loads((DATA / "converter_2025.json").read_text(encoding="utf-8"))
    whole = {
        old: new for new, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"]["thanhphohochiminh"].items() for old in olds
    }
    return whole, data["DICT_PROVINCE_WARD_DIVIDED"]["thanhphohochiminh"]


def _dataset(sql):
    with sqlite3.connect(DATA / "dataset.db") as conn:
        return conn.execute(sql).fetchall()


def test_every_former_ward_of_the_three_provinces_converts_as_the_table_says():
    whole, split = _conversion_table()
    names = dict(_dataset("SELECT wardKey, ward FROM admin_units WHERE provinceCode = '79'"))
    rows = _dataset(
        "SELECT provinceKey, districtKey, wardKey, province, district, ward FROM admin_units_legacy "
        "WHERE provinceKey IN ('thanhphohochiminh', 'tinhbinhduong', 'tinhbariavungtau')"
    )
    assert len(rows) == 442
    wrong = []
    for index, (province_key, district_key, ward_key, province, district, ward) in enumerate(rows):
        key = f"{province_key}_{district_key}_{ward_key or ''}"
        text = ", ".join(part for part in (ward, district, province) if part)
        text = (text, unidecode(text).lower(), f"12 Đường số 3, {text}")[index % 3]
        result = address_resolve(text)
        if key in whole:
            right = result.resolved and result.organisation.name == names[whole[key]]
        else:
            expected = {names[unit["newWardKey"]] for unit in split[key]}
            right = not result.resolved and {org.name for org in result.candidates} == expected
        if not right:
            wrong.append((text, result.organisation, result.reason))
    assert wrong == []


def test_every_unit_of_the_city_resolves_from_its_name():
    wrong = []
    for index, (name,) in enumerate(_dataset("SELECT ward FROM admin_units WHERE provinceCode = '79'")):
        text = (f"{name}, Thành phố Hồ Chí Minh", f"12 Đường số 3, {name}, TP.HCM", f"{name}, Hồ Chí Minh")[index % 3]
        result = address_resolve(text)
        if not result.resolved or result.organisation.name != name:
            wrong.append((text, result.reason))
    assert wrong == []


@pytest.mark.parametrize(("place", "lat", "lng", "name"), POINTS)
def test_a_point_resolves_to_the_nearest_unit_of_the_city_or_stays_unresolved(place, lat, lng, name):
    result = coordinates_resolve(lat, lng)
    if name is None:
        assert not result.resolved and result.organisation is None and result.reason, place
    else:
        assert result.resolved and result.organisation.name == name, place
        assert result.method == "nearest"


@pytest.mark.parametrize(("lat", "lng"), [(91, 106.7), (10.77, 181), (math.nan, 106.7), (10.77, math.inf), ("x", 1)])
def test_invalid_coordinates_are_unresolved(lat, lng):
    result = coordinates_resolve(lat, lng)
    assert not result.resolved and result.reason == "invalid coordinates"


def test_every_unit_centre_resolves_to_its_unit():
    """Also covers the ten units whose code differs between vietnamadminunits and the directory."""
    rows = _dataset("SELECT ward, wardLat, wardLon FROM admin_units WHERE provinceCode = '79'")
    wrong = [(name, coordinates_resolve(lat, lng).organisation) for name, lat, lng in rows]
    assert [(name, org) for name, org in wrong if org is None or org.name != name] == []


def test_resolving_reads_no_data_file_once_warm():
    address_resolve("Phường Bến Nghé, Quận 1, TP.HCM")
    coordinates_resolve(10.7725, 106.6980)
    with (
        mock.patch.object(address_module.sqlite3, "connect", side_effect=AssertionError("dataset reread")),
        mock.patch("builtins.open", side_effect=AssertionError("file reread")),
    ):
        assert address_resolve("Phường 7, TP Vũng Tàu, Bà Rịa - Vũng Tàu").organisation.name == "Phường Tam Thắng"
        assert coordinates_resolve(8.68, 106.61).organisation.name == "Đặc khu Côn Đảo"


def test_the_nearest_centre_is_the_one_a_full_scan_finds():
    """The latitude-ordered search gives the answer of comparing every centre in the country."""
    import random

    def full_scan(lat, lng):
        scale = math.cos(math.radians(lat))
        return min(address_module._all_unit_centres(), key=lambda r: (r[2] - lat) ** 2 + ((r[3] - lng) * scale) ** 2)

    rng = random.Random(1022)
    points = [(rng.uniform(8, 23.5), rng.uniform(102, 110)) for _ in range(2000)]
    points += [(rng.uniform(10.3, 11.2), rng.uniform(106.3, 107.2)) for _ in range(2000)]
    points += [(0, 0), (-80, -170), (89, 179)] + [(r[2], r[3]) for r in address_module._all_unit_centres()[::7]]
    assert [p for p in points if address_module._nearest_centre(*p) != full_scan(*p)] == []


def test_units_are_read_from_the_database_once_and_again_after_a_change(ben_thanh, django_assert_num_queries):
    coordinates_resolve(10.7713, 106.694)
    with django_assert_num_queries(0):
        assert coordinates_resolve(10.7713, 106.694).organisation == ben_thanh
    ben_thanh.name = "Phường Bến Thành Mới"
    ben_thanh.save()  # renamed here: this process reads the units again at once (found by code)
    assert coordinates_resolve(10.7713, 106.694).organisation.name == "Phường Bến Thành Mới"
    ben_thanh.is_active = False
    ben_thanh.save()
    assert not coordinates_resolve(10.7713, 106.694).resolved


def test_a_unit_missing_from_the_copy_is_looked_up_in_the_database(ben_thanh):
    from thongsuot.directory.models import Organisation

    Organisation.objects.filter(pk=ben_thanh.pk).update(is_active=False)  # .update() sends no signal
    assert not coordinates_resolve(10.7713, 106.694).resolved  # the copy now lacks the unit
    Organisation.objects.filter(pk=ben_thanh.pk).update(is_active=True)  # as if reactivated elsewhere
    assert coordinates_resolve(10.7713, 106.694).organisation == ben_thanh


def test_the_api_resolves_an_old_address(client):
    response = client.get("/api/v1/directory/resolve", {"address": "Phường Bến Nghé, Quận 1, TP.HCM"})
    assert response.status_code == 200
    body = response.json()
    assert body["resolved"] is True and body["method"] == "legacy"
    assert body["organisation"]["name"] == "Phường Sài Gòn"


def test_the_api_resolves_a_point_and_refuses_one_outside_the_city(client):
    body = client.get("/api/v1/directory/resolve", {"lat": 10.7725, "lng": 106.6980}).json()
    assert body["resolved"] is True and body["organisation"]["name"] == "Phường Bến Thành"
    body = client.get("/api/v1/directory/resolve", {"lat": 10.95, "lng": 106.82}).json()
    assert body == {"resolved": False, "organisation": None, "method": "", "reason": "outside the city"}


def test_the_api_explains_an_unresolved_address_and_needs_one(client):
    body = client.get("/api/v1/directory/resolve", {"address": "Phường Tràng Tiền, Hà Nội"}).json()
    assert body["resolved"] is False and body["organisation"] is None
    assert "outside the city" in body["reason"]
    assert client.get("/api/v1/directory/resolve").status_code == 400


def test_a_server_worker_reads_the_package_data_before_its_first_request(django_assert_num_queries):
    loaders = [address_module._city_units_by_code, address_module._centres_by_latitude, address_module._province_names]
    for loader in loaders:
        loader.cache_clear()
    with django_assert_num_queries(0):  # no database: a worker may start before the database answers
        address_module.address_data_load()
    assert all(loader.cache_info().currsize == 1 for loader in loaders)


def test_the_wsgi_module_gunicorn_imports_reads_the_package_data():
    import importlib

    import thongsuot.wsgi

    loaders = [address_module._city_units_by_code, address_module._centres_by_latitude, address_module._province_names]
    for loader in loaders:
        loader.cache_clear()
    importlib.reload(thongsuot.wsgi)  # what each server worker runs at start
    assert all(loader.cache_info().currsize == 1 for loader in loaders)
