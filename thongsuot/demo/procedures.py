"""Demo dossiers (hồ sơ) for a first look: a small preset received over the last weeks at a few units,
online and at the desk, each taken through the procedures system's own services at its own moments, so
every history follows the workflow table (timeline, audit rows, due times, late dossiers). Nobody is
notified. Not the 2.5-million generator of issue 16 (item 7): that one is still to be written."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thongsuot.accounts.models import Role, User
from thongsuot.core import calendar
from thongsuot.directory.models import Organisation
from thongsuot.procedures import notifications, services
from thongsuot.procedures.models import Dossier, Procedure

UNITS = ("Phường Bến Thành", "Phường Sài Gòn", "Phường Tân Định")
PASSWORD = "ThongSuot@2025"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Ngọc Dung", "Đức Hải", "Thu Hà", "Hoàng Long", "Thanh Mai"]


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def _staff(unit: Organisation, slug: str) -> dict:
    people = {}
    for role, prefix, position in (
        ("one_stop_officer", "motcua", "Cán bộ Bộ phận Một cửa"),
        ("specialist", "chuyenvien", "Công chức Tư pháp - Hộ tịch"),
        ("leader", "chutich", "Chủ tịch UBND"),
    ):
        username = f"{prefix}.{slug}@thongsuot.local"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": username,
                "full_name": f"{position} {unit.name}",
                "organisation": unit,
                "position": position,
                "kind": User.Kind.STAFF,
                "activated_at": timezone.now(),
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        user.roles.add(*Role.objects.filter(code=role))
        people[role] = user
    return people


def _moment(rng: random.Random, day: datetime.date, hour_from: int = 8, hour_to: int = 16) -> datetime.datetime:
    return datetime.datetime.combine(
        day,
        datetime.time(rng.randint(hour_from, hour_to), rng.choice((0, 15, 30, 45))),
        tzinfo=timezone.get_default_timezone(),
    )


def _after(moment: datetime.datetime, hours: float) -> datetime.datetime:
    return calendar.add_working_hours(moment, hours)


def generate_dossiers(*, count: int = 60, days: int = 20, seed: int = 16) -> int:
    """`count` dossiers received over the last `days` working days; returns how many were made."""
    rng = random.Random(seed)
    units = list(Organisation.objects.filter(kind="commune", name__in=UNITS).order_by("name"))
    if not units or not Procedure.objects.exists():
        return 0
    slugs = {unit.pk: f"demo{index}" for index, unit in enumerate(units, start=1)}
    staff = {unit.pk: _staff(unit, slugs[unit.pk]) for unit in units}
    citizen, _created = User.objects.get_or_create(
        username="0901000016", defaults={"phone": "0901000016", "full_name": "Công Dân Mẫu", "kind": "citizen"}
    )
    if _created:
        citizen.set_password(PASSWORD)
        citizen.save()
    procedures = list(Procedure.objects.filter(active=True, level="commune").order_by("code"))
    now = timezone.now()
    day = calendar.city_time(now).date()
    working_days = []
    while len(working_days) < days:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            working_days.append(day)
    pdf = _pdf()
    made = 0
    with notifications.silenced():
        for _index in range(count):
            unit = rng.choice(units)
            people = staff[unit.pk]
            procedure = rng.choice(procedures)
            received = _moment(rng, rng.choice(working_days))
            applicant = {
                "name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                "id_number": f"0792{rng.randint(10**7, 10**8 - 1)}",
                "phone": f"09{rng.randint(10**7, 10**8 - 1)}",
                "address": f"{rng.randint(1, 200)} Lê Lợi, {unit.name}",
            }
            online = procedure.online != "none" and rng.random() < 0.6
            if online:
                files = {
                    i: SimpleUploadedFile(f"{i}.pdf", pdf, content_type="application/pdf")
                    for i in range(len(procedure.documents))
                }
                dossier = services.dossier_submit(
                    actor=citizen,
                    procedure=procedure,
                    receiving_unit=unit,
                    applicant=applicant,
                    files=files,
                    at=received,
                )
                received = _after(received, rng.uniform(0.5, 4))
                if received > now:
                    made += 1
                    continue
                if rng.random() < 0.05:
                    services.dossier_refuse(
                        actor=people["one_stop_officer"],
                        dossier=dossier,
                        reason="Hồ sơ không thuộc thẩm quyền.",
                        at=received,
                    )
                    made += 1
                    continue
                dossier = services.dossier_accept(actor=people["one_stop_officer"], dossier=dossier, at=received)
            else:
                dossier = services.dossier_intake(
                    actor=people["one_stop_officer"],
                    procedure=procedure,
                    applicant=applicant,
                    received=list(range(len(procedure.documents))),
                    at=received,
                )
            made += 1
            _process(rng, dossier, people, received, now)
    return made


def _process(rng, dossier: Dossier, people: dict, moment: datetime.datetime, now: datetime.datetime) -> None:
    """Take a received dossier as far as its age allows: usually on time, sometimes slowly (late)."""
    total = calendar.working_hours_between(dossier.received_at, dossier.due_at)
    slow = rng.random() < 0.12
    steps = [
        ("forward", people["one_stop_officer"]),
        ("complete_step", people["specialist"]),
        ("approve", people["leader"]),
        ("return_result", people["one_stop_officer"]),
    ]
    if rng.random() < 0.1:
        moment = _after(moment, 0.5)
        if moment > now:
            return
        dossier = services.dossier_request_additional(
            actor=people["one_stop_officer"], dossier=dossier, missing="Bản sao giấy tờ tùy thân", at=moment
        )
        moment = _after(moment, rng.uniform(4, 24))
        if moment > now:
            return
        dossier = services.dossier_supply_additional(actor=people["one_stop_officer"], dossier=dossier, at=moment)
    for command, actor in steps:
        moment = _after(moment, max(rng.uniform(0.1, 0.3) * total * (2.2 if slow else 1), 0.25))
        if moment > now:
            return
        if command == "forward":
            dossier = services.dossier_forward(actor=actor, dossier=dossier, at=moment)
        elif command == "complete_step":
            while dossier.status == "processing":
                dossier = services.dossier_complete_step(actor=actor, dossier=dossier, at=moment)
        elif command == "approve":
            dossier = services.dossier_approve(actor=actor, dossier=dossier, at=moment)
        else:
            dossier = services.dossier_return_result(actor=actor, dossier=dossier, note="Đã trả kết quả", at=moment)


def dossiers_exist() -> bool:
    return Dossier.objects.exists()
