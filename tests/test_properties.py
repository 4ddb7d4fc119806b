"""Property tests: any Unicode into the readers of text, addresses and staff lists gives an answer or a
validation error, never another exception."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from thongsuot.accounts.provisioning.reading import StaffListError, read_staff_list
from thongsuot.core.text import fold, normalise_space
from thongsuot.directory.address import address_resolve, coordinates_resolve

PROPERTY = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
HEADER = ["Họ tên", "Email", "Số điện thoại", "Chức vụ", "Vai trò", "Đơn vị"]
VIETNAMESE = st.sampled_from(
    list("aăâeêioôơuưyđAĂÂĐáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ 0123456789,./-")
)
TEXT = st.one_of(st.text(), st.text(VIETNAMESE), st.text(st.characters(codec="utf-8")))


@PROPERTY
@given(TEXT)
def test_folding_is_idempotent_and_never_fails(value):
    folded = fold(value)
    assert fold(folded) == folded
    assert folded == folded.lower() or not folded.isascii()
    assert normalise_space(normalise_space(value)) == normalise_space(value)


@PROPERTY
@given(TEXT)
def test_any_address_resolves_or_comes_back_unresolved(value):
    result = address_resolve(value)
    assert result is not None


@PROPERTY
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_any_coordinates_resolve_or_come_back_unresolved(lat, lng):
    try:
        result = coordinates_resolve(lat, lng)
    except ValueError:
        return
    assert result is not None


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


ROWS = st.lists(st.lists(TEXT, min_size=0, max_size=8), max_size=6)


@pytest.mark.django_db
@PROPERTY
@given(ROWS)
def test_any_csv_staff_list_is_read_or_refused_with_a_reason(rows):
    try:
        result = read_staff_list(_csv(rows), "list.csv")
    except StaffListError as error:
        assert str(error)
        return
    assert isinstance(result, list)


@pytest.mark.django_db
@PROPERTY
@given(st.binary(max_size=2048), st.sampled_from(["list.csv", "list.xlsx", "list.txt", "list"]))
def test_any_bytes_are_read_or_refused_with_a_reason(data, name):
    try:
        read_staff_list(data, name)
    except StaffListError as error:
        assert str(error)


@pytest.mark.django_db
@PROPERTY
@given(ROWS)
def test_any_xlsx_staff_list_is_read_or_refused_with_a_reason(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        try:
            sheet.append(row)
        except Exception:  # openpyxl itself refuses control characters: not a file anyone can send
            return
    out = io.BytesIO()
    book.save(out)
    try:
        read_staff_list(out.getvalue(), "list.xlsx")
    except StaffListError as error:
        assert str(error)
