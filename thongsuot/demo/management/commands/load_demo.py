"""Demo data for a first look: personas with known passwords and staff lists for some units.

Only for development machines: refuses to run in production.
"""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from thongsuot.accounts.models import Role, User
from thongsuot.accounts.services import provisioning_apply, provisioning_preview
from thongsuot.directory.models import Organisation

DEMO_PASSWORD = "ThongSuot@2025"
SIGN_INS = (
    "Demo sign-ins (password " + DEMO_PASSWORD + "):\n"
    "  admin@thongsuot.local              platform administrator (sets up two-factor at first sign-in)\n"
    "  lanhdao@thongsuot.local            city leader (sees every unit)\n"
    "  quantri.benthanh@thongsuot.local   unit administrator, Phường Bến Thành\n"
    "  vanthu.benthanh@thongsuot.local    clerk, Phường Bến Thành\n"
    "  dieuphoi@thongsuot.local           1022 dispatcher: routes every unit's reports, hotline entry\n"
    "  xuly.benthanh@thongsuot.local      1022 handler, Phường Bến Thành\n"
    "  lanhdao.benthanh@thongsuot.local   leader of Phường Bến Thành (publishes results, approves extensions)"
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Đức", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]
POSITIONS = {
    "leader": "Chủ tịch UBND",
    "unit_admin": "Chuyên viên CNTT",
    "clerk": "Văn thư",
    "one_stop_officer": "Cán bộ Trung tâm Phục vụ hành chính công",
    "feedback_handler": "Chuyên viên tiếp nhận 1022",
    "specialist": "Chuyên viên",
}


def _persona(username, full_name, org, roles, position):
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": username,
            "full_name": full_name,
            "organisation": org,
            "position": position,
            "kind": User.Kind.STAFF,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.activated_at = user.activated_at or timezone.now()
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


# Calls waiting for the 1022 dispatcher in the demo (category code, what the caller said, where).
HOTLINE_CALLS = [
    (
        "cap-nuoc-ngap-nuoc",
        "Đường Lê Thánh Tôn ngập sâu sau cơn mưa chiều, xe máy chết máy.",
        "Lê Thánh Tôn, Phường Bến Thành, TP.HCM",
    ),
    ("chieu-sang-dien", "Ba cột đèn đường tắt từ tối qua, đoạn đường rất tối.", "Nguyễn Huệ, Phường Sài Gòn, TP.HCM"),
    ("ve-sinh-moi-truong", "Rác thải bỏ bừa bãi ở góc chợ, bốc mùi hôi.", "Phường Bến Nghé, Quận 1, TP.HCM"),
    (
        "trat-tu-do-thi",
        "Quán ăn lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
        "Phường Phú Cường, TP Thủ Dầu Một, Bình Dương",
    ),
    (
        "cay-xanh",
        "Cây xanh nghiêng sắp đổ sau bão, nguy hiểm cho người đi đường.",
        "Phường Vũng Tàu, Thành phố Hồ Chí Minh",
    ),
]


class Command(BaseCommand):
    help = "Load demo personas and staff lists for about two thirds of the units (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=110, help="How many units get a staff list")
        parser.add_argument("--no-sign-ins", action="store_true", help="load without printing the demo sign-ins")
        parser.add_argument("--sign-ins", action="store_true", help="only print the demo sign-ins (`make run`)")

    def handle(self, *args, units, no_sign_ins=False, sign_ins=False, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo is for development machines only")
        if sign_ins:
            self.stdout.write(SIGN_INS)
            return
        centre = Organisation.objects.filter(code="000.05.05.H29").first()
        city = Organisation.objects.filter(kind=Organisation.Kind.CITY).first()
        communes = list(Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True).order_by("seq"))
        if not (centre and city and communes):
            raise CommandError("Run `manage.py load_directory` first")
        ward = next(o for o in communes if o.name == "Phường Bến Thành")
        with transaction.atomic():
            admin = _persona(
                "admin@thongsuot.local", "Quản trị Trung tâm", centre, ["platform_admin"], "Kỹ sư vận hành"
            )
            admin.is_superuser = admin.is_staff = True
            admin.save()
            _persona("lanhdao@thongsuot.local", "Lãnh đạo UBND Thành phố", city, ["leader"], "Phó Chủ tịch UBND TP")
            _persona(
                "quantri.benthanh@thongsuot.local",
                "Quản trị Phường Bến Thành",
                ward,
                ["unit_admin", "specialist"],
                "Chuyên viên CNTT",
            )
            _persona("vanthu.benthanh@thongsuot.local", "Văn thư Phường Bến Thành", ward, ["clerk"], "Văn thư")
            _persona(
                "dieuphoi@thongsuot.local", "Điều phối viên 1022", centre, ["feedback_dispatcher"], "Tổng đài viên 1022"
            )
            _persona(
                "xuly.benthanh@thongsuot.local",
                "Cán bộ xử lý 1022 Phường Bến Thành",
                ward,
                ["feedback_handler"],
                "Chuyên viên tiếp nhận 1022",
            )
            _persona(
                "lanhdao.benthanh@thongsuot.local", "Chủ tịch UBND Phường Bến Thành", ward, ["leader"], "Chủ tịch UBND"
            )

        rng = random.Random(2025)
        lines = ["Họ tên,Email,Số điện thoại,Chức vụ,Vai trò,Đơn vị"]
        for org in communes[:units]:
            if org.pk == ward.pk:
                continue
            roles = ["leader", "unit_admin", "clerk", "one_stop_officer", "feedback_handler", "specialist"]
            if rng.random() < 0.2:
                roles.remove(rng.choice(roles[:5]))  # some units still miss a role
            for i, role in enumerate(roles):
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                email = f"{role.replace('_', '')}{i}.u{org.seq:03d}@thongsuot.local"
                phone = f"09{org.seq:03d}{i:05d}"
                lines.append(f"{name},{email},{phone},{POSITIONS[role]},{role},{org.code}")
        data = ("\n".join(lines) + "\n").encode("utf-8")
        batch, plan = provisioning_preview(uploader=admin, data=data, filename="demo-staff.csv")
        provisioning_apply(actor=admin, batch=batch)
        # A share of the demo staff have activated and signed in, so the board shows every state.
        staff = list(User.objects.filter(email__endswith=".local", email__contains=".u").order_by("pk"))
        now = timezone.now()
        for user in staff:
            if rng.random() < 0.7:
                user.activated_at = now
                if rng.random() < 0.8:
                    user.last_login = now
                user.save(update_fields=["activated_at", "last_login"])
        # 1022 feedback: ~3,000 generated reports over the last 90 days, once (idempotent).
        from datetime import timedelta

        from thongsuot.demo.feedback import demo_reports, generate_reports

        if not demo_reports().exists():
            today = timezone.localdate()
            made = generate_reports(count=3000, start=today - timedelta(days=90), end=today, as_of=timezone.now())
            self.stdout.write(f"Demo feedback: {made:,} generated reports")
            # and a few calls just taken by the hotline, through the real service: the dispatcher's queue.
            from thongsuot.feedback.models import Channel
            from thongsuot.feedback.services import report_submit

            operator = User.objects.get(email="dieuphoi@thongsuot.local")
            for i, (category, description, address) in enumerate(HOTLINE_CALLS):
                report_submit(
                    actor=operator,
                    channel=Channel.HOTLINE,
                    category=category,
                    description=description,
                    address=address,
                    contact_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    contact_phone=f"0938{i:06d}",
                )
        self.stdout.write(self.style.SUCCESS(f"Demo data: {plan.summary}"))
        if not no_sign_ins:
            self.stdout.write(SIGN_INS)
