"""Writes to the directory. load_directory is idempotent: a second run changes nothing."""

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from vietnam_provinces import ProvinceCode, Ward

from thongsuot.core.audit import audit_record, snapshot
from thongsuot.core.text import normalise_space
from thongsuot.directory.models import Organisation

DATA_FILE = Path(__file__).parent / "data" / "city_bodies.json"
_TRACKED = ["code", "name", "short_name", "kind", "division_type", "parent", "counterpart", "is_active"]
_DIVISION = {
    "phường": Organisation.DivisionType.WARD,
    "xã": Organisation.DivisionType.COMMUNE,
    "đặc khu": Organisation.DivisionType.SPECIAL_ZONE,
}


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


def _ward_centroids() -> dict[str, tuple[float, float]]:
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT DISTINCT wardCode, wardLat, wardLon FROM admin_units").fetchall()
    return {str(int(code)): (lat, lon) for code, lat, lon in rows if code}


def _upsert(report: LoadReport, lookup: dict, values: dict, actor: str) -> Organisation:
    org = Organisation.objects.filter(**lookup).first()
    if org is None:
        org = Organisation.objects.create(**lookup, **values)
        report.created.append(org.code)
        audit_record(
            actor=actor, action="organisation.create", obj=org, organisation_id=org.pk, after=snapshot(org, _TRACKED)
        )
        return org
    before = snapshot(org, _TRACKED)
    for name, value in values.items():
        if name in ("latitude", "longitude") and getattr(org, name) is not None:
            continue  # coordinates may have been corrected by an administrator
        setattr(org, name, value)
    if not org.is_active:
        org.is_active, org.retired_at = True, None
    after = snapshot(org, _TRACKED)
    if before != after:
        org.save()
        report.updated.append(org.code)
        action = "organisation.rename" if before["name"] != after["name"] else "organisation.update"
        audit_record(actor=actor, action=action, obj=org, organisation_id=org.pk, before=before, after=after)
    return org


def _retire(report: LoadReport, queryset, actor: str) -> None:
    for org in queryset.filter(is_active=True):
        before = snapshot(org, _TRACKED)
        org.is_active, org.retired_at = False, timezone.now()
        org.save(update_fields=["is_active", "retired_at", "updated_at"])
        report.retired.append(org.code)
        audit_record(
            actor=actor,
            action="organisation.retire",
            obj=org,
            organisation_id=org.pk,
            before=before,
            after=snapshot(org, _TRACKED),
        )


@transaction.atomic
def directory_load(
    *, data_file: Path = DATA_FILE, wards: list | None = None, actor: str = "load_directory"
) -> LoadReport:
    """Bring the directory in line with the reference data: create, rename, retire; never delete.

    `wards` defaults to the city's units in vietnam-provinces; tests pass a modified list.
    """
    data = json.loads(Path(data_file).read_text(encoding="utf-8"))
    report = LoadReport()
    if wards is None:
        wards = list(Ward.iter_by_province(ProvinceCode(data["province_code"])))
    centroids = _ward_centroids()

    city_data = data["city"]
    city = _upsert(
        report,
        {"code": city_data["code"]},
        {
            "name": city_data["name"],
            "short_name": city_data.get("short_name", ""),
            "kind": Organisation.Kind.CITY,
            "parent": None,
        },
        actor,
    )

    # Commune-level units, keyed by their official administrative code. The electronic identifier is
    # given once, from the unit's sequence, and kept when the unit is renamed.
    existing = {o.admin_code: o for o in Organisation.objects.filter(kind=Organisation.Kind.COMMUNE)}
    next_seq = max([o.seq or 0 for o in existing.values()], default=0) + 1
    seen_codes = set()
    communes = []
    for ward in sorted(wards, key=lambda w: int(w.code)):
        admin_code = str(int(ward.code))
        seen_codes.add(admin_code)
        current = existing.get(admin_code)
        if current is not None:
            seq, code = current.seq, current.code
        else:
            seq, next_seq = next_seq, next_seq + 1
            code = data["commune_code_pattern"].format(seq=seq)
        lat, lon = centroids.get(admin_code, (None, None))
        division = ward.division_type.value if hasattr(ward.division_type, "value") else str(ward.division_type)
        communes.append(
            _upsert(
                report,
                {"admin_code": admin_code},
                {
                    "code": code,
                    "seq": seq,
                    "name": normalise_space(ward.name),
                    "kind": Organisation.Kind.COMMUNE,
                    "division_type": _DIVISION[division],
                    "parent": city,
                    "latitude": lat,
                    "longitude": lon,
                },
                actor,
            )
        )
    _retire(
        report, Organisation.objects.filter(kind=Organisation.Kind.COMMUNE).exclude(admin_code__in=seen_codes), actor
    )

    # City departments and Party bodies from the data file (parents listed before children).
    body_codes = set()
    by_code = {city.code: city}
    for body in data["bodies"]:
        parent = by_code.get(body.get("parent", city.code)) or Organisation.objects.get(code=body["parent"])
        org = _upsert(
            report,
            {"code": body["code"]},
            {
                "name": normalise_space(body["name"]),
                "short_name": body.get("short_name", ""),
                "kind": body["kind"],
                "parent": parent,
            },
            actor,
        )
        by_code[org.code] = org
        body_codes.add(org.code)

    party = data["commune_party"]
    party_parent = by_code[party["parent"]]
    for unit in communes:
        if not unit.is_active:
            continue
        org = _upsert(
            report,
            {"counterpart": unit},
            {
                "code": party["code_pattern"].format(seq=unit.seq),
                "name": party["name_pattern"].format(name=unit.name),
                "kind": Organisation.Kind.PARTY,
                "parent": party_parent,
            },
            actor,
        )
        body_codes.add(org.code)
    _retire(
        report,
        Organisation.objects.filter(kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.PARTY]).exclude(
            code__in=body_codes
        ),
        actor,
    )
    return report
