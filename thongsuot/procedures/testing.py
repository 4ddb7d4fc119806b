"""Helpers for the procedures system's tests (and the demo): a procedure from the shipped data file."""

import json
from pathlib import Path

from thongsuot.procedures.models import Procedure

DATA = Path(__file__).resolve().parent / "data" / "procedures.json"

BIRTH = "1.001193.000.00.00.H29"  # 8 working hours, cut-off 15:00, online in full, regardless of residence
MARRIAGE_STATUS = "1.004873.000.00.00.H29"  # 3 working days, online in full
MOBILE_BIRTH = "1.003583.000.00.00.H29"  # not online
CERTIFIED_COPY = "2.000815.000.00.00.H29"  # 8 working hours, fee 2.000 đồng, online in full, 2 documents
PERMANENT_RESIDENCE = "1.004194.000.00.00.H29"  # 7 working days, only where one lives

APPLICANT = {
    "name": "Nguyễn Văn An",
    "id_number": "079200001234",
    "phone": "0903123456",
    "email": "an@example.test",
    "address": "12 Lê Lợi, Phường Bến Thành",
}


def procedure(code: str) -> Procedure:
    """The procedure `code` of the data file, loaded once into the catalogue."""
    from thongsuot.procedures.services import procedures_load

    found = Procedure.objects.filter(code=code).first()
    if found:
        return found
    records = [r for r in json.loads(DATA.read_text(encoding="utf-8"))["procedures"] if r["code"] == code]
    procedures_load(actor="system", records=records)
    return Procedure.objects.get(code=code)
