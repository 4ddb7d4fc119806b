"""Address → one of the city's units, through vietnamadminunits. Never guesses a wrong unit:
an address outside the city, or one that names no unit, is returned unresolved."""

import math
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from thongsuot.core.text import fold
from thongsuot.directory.models import Organisation

CITY_PROVINCE_CODE = "79"
# A pre-July-2025 address names a district level (quận, huyện, thị xã, thành phố thuộc tỉnh)
# or one of the provinces merged into the city.
_LEGACY_MARKERS = re.compile(
    r"(^|[\s,])(quan|q\.?|huyen|h\.|thi xa|tx\.?|tp\.? (thu duc|thu dau mot|di an|thuan an|tan uyen|ben cat|"
    r"vung tau|ba ria|phu my))(\s|\d|\.|$)|binh duong|ba ria|vung tau|brvt|\bbd\b"
)
MAX_POINT_DISTANCE_KM = 15.0


@dataclass
class Resolution:
    resolved: bool
    organisation: Organisation | None = None
    method: str = ""
    reason: str = ""


def _is_legacy(text: str) -> bool:
    return bool(_LEGACY_MARKERS.search(fold(text)))


def _unit_for(ward_code) -> Organisation | None:
    if not ward_code:
        return None
    return Organisation.objects.filter(
        kind=Organisation.Kind.COMMUNE, admin_code=str(int(ward_code)), is_active=True
    ).first()


def address_resolve(text: str) -> Resolution:
    """Resolve a free-text address in the new or the pre-2025 form to one of the city's units."""
    from vietnamadminunits import convert_address, parse_address

    text = (text or "").strip()
    if not text:
        return Resolution(False, reason="empty address")
    attempts = ("legacy", "new") if _is_legacy(text) else ("new", "legacy")
    for method in attempts:
        try:
            unit = convert_address(text) if method == "legacy" else parse_address(text, level=2)
        except Exception:  # the parser raises on text it cannot read at all
            continue
        if getattr(unit, "province_code", None) and unit.province_code != CITY_PROVINCE_CODE:
            return Resolution(False, reason="outside the city")
        org = _unit_for(getattr(unit, "ward_code", None))
        if org is not None:
            return Resolution(True, org, method=method)
    return Resolution(False, reason="no unit recognised in the address")


@lru_cache(maxsize=1)
def _all_ward_centroids() -> list[tuple[str, str, float, float]]:
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT provinceCode, wardCode, wardLat, wardLon FROM admin_units WHERE wardLat IS NOT NULL"
        ).fetchall()
    return [(str(p).zfill(2), str(int(w)), lat, lon) for p, w, lat, lon in rows if w]


def _km(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def coordinates_resolve(lat: float, lng: float) -> Resolution:
    """The unit whose centre is nearest to the point, among all the country's units: a point nearer
    to a neighbouring province's unit is outside the city and stays unresolved."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return Resolution(False, reason="invalid coordinates")
    best = min(_all_ward_centroids(), key=lambda row: _km(lat, lng, row[2], row[3]))
    province, ward_code, wlat, wlon = best
    if province != CITY_PROVINCE_CODE:
        return Resolution(False, reason="outside the city")
    if _km(lat, lng, wlat, wlon) > MAX_POINT_DISTANCE_KM:
        return Resolution(False, reason="too far from any unit")
    org = _unit_for(ward_code)
    if org is None:
        return Resolution(False, reason="unit not in the directory")
    return Resolution(True, org, method="nearest")
