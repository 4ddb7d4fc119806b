import io
import unicodedata

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from thongsuot.accounts.models import ProvisioningBatch, User
from thongsuot.accounts.provisioning.reading import StaffListError, read_staff_list
from thongsuot.accounts.services import provisioning_apply, provisioning_preview
from thongsuot.core.models import AuditEntry

pytestmark = pytest.mark.django_db
HEADER = "Họ tên,Email,Số điện thoại,Chức vụ,Vai trò,Đơn vị"


def staff_csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def ben_thanh_list(code: str) -> str:
    return staff_csv(
        f"Nguyễn Thị Hằng,hang@benthanh.test,0901000001,Chủ tịch UBND,Lãnh đạo,{code}",
        f"Trần Văn Đức,duc@benthanh.test,+84 901 000 002,Văn thư,clerk,{code}",
        "Lê Quốc Việt,viet@benthanh.test,,Cán bộ một cửa,Cán bộ một cửa; Chuyên viên,Phường Bến Thành",
    )


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Encode as Excel does in Windows-1258: base letters precomposed, tone marks combining."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "windows-1258"])
def test_csv_in_every_excel_encoding_reads_the_same(encoding):
    text = staff_csv("Đặng Thị Ngọc Ánh,anh@x.test,0901000009,Văn thư,clerk,Phường Bến Thành")
    data = windows_1258(text) if encoding == "windows-1258" else text.encode(encoding)
    assert encoding != "windows-1258" or b"\xd2" in data or b"\xf2" in data  # combining marks really used
    rows = read_staff_list(data, "list.csv")
    assert rows == [
        {
            "line": 2,
            "full_name": "Đặng Thị Ngọc Ánh",
            "email": "anh@x.test",
            "phone": "0901000009",
            "position": "Văn thư",
            "roles": "clerk",
            "unit": "Phường Bến Thành",
        }
    ]


def test_semicolon_csv_and_xlsx_are_read():
    rows = read_staff_list(staff_csv("A,a@x.test,,,clerk,X").replace(",", ";").encode(), "l.csv")
    assert rows[0]["email"] == "a@x.test"
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(["Bùi Thị Xuân", "xuan@x.test", 901000010, "Văn thư", "clerk", "Phường Bến Thành"])
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = read_staff_list(buffer.getvalue(), "list.xlsx")
    assert rows[0]["full_name"] == "Bùi Thị Xuân" and rows[0]["phone"] == "901000010"


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "a.csv", "Tệp rỗng"),
        (
            b"name;age\nAn;3\n",
            "a.csv",
            r"không phải danh sách cán bộ: dòng tiêu đề \(dòng 1\) thiếu cột Email, Vai trò, Đơn vị",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv", "không phải danh sách cán bộ dạng CSV"),
        (b"plain text", "list.xlsx", "không phải tệp Excel"),
    ],
)
def test_a_file_that_is_not_a_staff_list_is_refused_and_writes_nothing(ward_admin, data, name, message):
    with pytest.raises(StaffListError, match=message):
        provisioning_preview(uploader=ward_admin, data=data, filename=name)
    assert not ProvisioningBatch.objects.exists()


def test_preview_then_apply_creates_accounts_and_sends_activation(
    ward_admin, ben_thanh, django_capture_on_commit_callbacks
):
    batch, plan = provisioning_preview(
        uploader=ward_admin, data=ben_thanh_list(ben_thanh.code).encode(), filename="l.csv"
    )
    assert plan.summary == {"create": 3, "update": 0, "unchanged": 0, "deactivate": 0, "error": 0}
    assert not User.objects.filter(email="hang@benthanh.test").exists()  # preview writes no account
    with django_capture_on_commit_callbacks(execute=True):
        provisioning_apply(actor=ward_admin, batch=batch)
    duc = User.objects.get(email="duc@benthanh.test")
    assert duc.phone == "0901000002" and duc.organisation == ben_thanh and duc.role_codes() == {"clerk"}
    assert not duc.has_usable_password()
    assert User.objects.get(email="viet@benthanh.test").role_codes() == {"one_stop_officer", "specialist"}
    assert len(mail.outbox) == 3
    body = mail.outbox[0].body
    assert "/accounts/activate/" in body
    assert AuditEntry.objects.filter(action="account.create", object_id=str(duc.pk), actor=ward_admin).exists()
    assert not AuditEntry.objects.filter(after__icontains="password").exists()


def test_the_same_file_twice_changes_nothing(ward_admin, ben_thanh):
    data = ben_thanh_list(ben_thanh.code).encode()
    batch, _ = provisioning_preview(uploader=ward_admin, data=data, filename="l.csv")
    provisioning_apply(actor=ward_admin, batch=batch)
    audits = AuditEntry.objects.filter(action__startswith="account.").count()
    batch2, plan = provisioning_preview(uploader=ward_admin, data=data, filename="l.csv")
    assert plan.summary["unchanged"] == 3 and plan.summary["create"] == 0
    provisioning_apply(actor=ward_admin, batch=batch2)
    assert User.objects.filter(organisation=ben_thanh, kind="staff").count() == 4  # 3 + the admin
    assert AuditEntry.objects.filter(action__startswith="account.").count() == audits


def test_changes_are_updates_and_missing_staff_can_be_deactivated(ward_admin, ward_clerk, ben_thanh):
    batch, _ = provisioning_preview(uploader=ward_admin, data=ben_thanh_list(ben_thanh.code).encode(), filename="l.csv")
    provisioning_apply(actor=ward_admin, batch=batch)
    new = staff_csv(f"Nguyễn Thị Hằng,hang@benthanh.test,0901000001,Phó Chủ tịch,leader,{ben_thanh.code}")
    batch, plan = provisioning_preview(
        uploader=ward_admin, data=new.encode(), filename="l2.csv", deactivate_missing=True
    )
    actions = {r.email: r.action for r in plan.rows}
    assert actions["hang@benthanh.test"] == "update"
    assert actions["duc@benthanh.test"] == actions["viet@benthanh.test"] == actions[ward_clerk.email] == "deactivate"
    assert ward_admin.email not in actions  # never deactivates the uploader
    provisioning_apply(actor=ward_admin, batch=batch)
    assert User.objects.get(email="hang@benthanh.test").position == "Phó Chủ tịch"
    ward_clerk.refresh_from_db()
    assert not ward_clerk.is_active
    entry = AuditEntry.objects.get(action="account.deactivate", object_id=str(ward_clerk.pk))
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_every_bad_row_gets_its_reason(ward_admin, ben_thanh, sai_gon, citizen):
    c = ben_thanh.code
    text = staff_csv(
        f",noname@x.test,,,clerk,{c}",
        f"Bad Email,not-an-email,,,clerk,{c}",
        f"Bad Phone,p@x.test,12345,,clerk,{c}",
        f"Bad Role,r@x.test,,,thủ quỹ,{c}",
        "Bad Unit,u@x.test,,,clerk,Phường Không Có",
        f"Other Ward,o@x.test,,,clerk,{sai_gon.code}",
        f"Dup One,dup@x.test,0902000001,,clerk,{c}",
        f"Dup Two,dup@x.test,0902000002,,clerk,{c}",
        f"Admin Grab,g@x.test,,,platform_admin,{c}",
        f"Citizen,c@x.test,{citizen.phone},,clerk,{c}",
        f"No Role,nr@x.test,,,,{c}",
    )
    _, plan = provisioning_preview(uploader=ward_admin, data=text.encode(), filename="bad.csv")
    errors = {r.line: " ".join(r.errors) for r in plan.rows}
    assert "Họ tên: bắt buộc" in errors[2]
    assert "Email: 'not-an-email'" in errors[3]
    assert "Số điện thoại: '12345'" in errors[4]
    assert "thủ quỹ" in errors[5]
    assert "Phường Không Có" in errors[6]
    assert "Đơn vị: bạn chỉ được cấu hình tài khoản của đơn vị mình" in errors[7]
    assert errors[8] == "" and "Email: trùng với dòng 8" in errors[9]
    assert "quản trị nền tảng" in errors[10]
    assert "Số điện thoại: đã được dùng cho tài khoản khác" in errors[11]
    assert "Vai trò: cần ít nhất một vai trò" in errors[12]
    assert plan.summary["error"] == 10 and plan.summary["create"] == 1


def test_apply_with_errors_is_refused_unless_skipped(ward_admin, ben_thanh):
    text = staff_csv(f"Good,good@x.test,,,clerk,{ben_thanh.code}", "Bad,bad@x.test,,,clerk,Nowhere")
    batch, _ = provisioning_preview(uploader=ward_admin, data=text.encode(), filename="l.csv")
    with pytest.raises(ValidationError):
        provisioning_apply(actor=ward_admin, batch=batch)
    assert not User.objects.filter(email="good@x.test").exists()
    provisioning_apply(actor=ward_admin, batch=batch, skip_errors=True)
    assert User.objects.filter(email="good@x.test").exists()


def test_only_administrators_provision_and_only_their_unit(
    ward_clerk, other_ward_admin, ward_admin, ben_thanh, centre_admin
):
    data = ben_thanh_list(ben_thanh.code).encode()
    with pytest.raises(PermissionDenied):
        provisioning_preview(uploader=ward_clerk, data=data, filename="l.csv")
    _, plan = provisioning_preview(uploader=other_ward_admin, data=data, filename="l.csv")
    assert plan.summary["error"] == 3
    batch, _ = provisioning_preview(uploader=ward_admin, data=data, filename="l.csv")
    with pytest.raises(PermissionDenied):
        provisioning_apply(actor=other_ward_admin, batch=batch)
    _, plan = provisioning_preview(uploader=centre_admin, data=data, filename="l.csv")
    assert plan.summary["create"] == 3  # the Centre provisions any unit


def test_an_account_of_another_unit_is_a_conflict_for_a_unit_admin(ward_admin, other_ward_admin, sai_gon):
    text = staff_csv(f"Taken,{other_ward_admin.email},,,clerk,Phường Bến Thành")
    _, plan = provisioning_preview(uploader=ward_admin, data=text.encode(), filename="l.csv")
    assert "đơn vị khác" in plan.rows[0].errors[0]


def test_management_command_previews_and_applies(tmp_path, ward_admin, ben_thanh, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "list.csv"
    path.write_text(ben_thanh_list(ben_thanh.code), encoding="utf-8-sig")
    call_command("provision_staff", str(path), "--as", ward_admin.email)
    assert "'create': 3" in capsys.readouterr().out
    assert not User.objects.filter(email="duc@benthanh.test").exists()
    call_command("provision_staff", str(path), "--as", ward_admin.email, "--apply")
    assert User.objects.filter(email="duc@benthanh.test").exists()
    with pytest.raises(CommandError, match="No active account"):
        call_command("provision_staff", str(path), "--as", "nobody@x.test")


def test_activation_emails_go_in_jobs_of_200(centre_admin, ben_thanh, django_capture_on_commit_callbacks):
    from django_tasks.signals import task_enqueued

    rows = [f"Cán Bộ {i},cb{i}@benthanh.test,,Chuyên viên,specialist,{ben_thanh.code}" for i in range(450)]
    batch, _ = provisioning_preview(uploader=centre_admin, data=staff_csv(*rows).encode(), filename="l.csv")
    jobs = []
    task_enqueued.connect(lambda sender, task_result, **kw: jobs.append(task_result), weak=False, dispatch_uid="t")
    mail.outbox.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            provisioning_apply(actor=centre_admin, batch=batch)
    finally:
        task_enqueued.disconnect(dispatch_uid="t")
    assert [len(job.args[0] if job.args else job.kwargs["user_ids"]) for job in jobs] == [200, 200, 50]
    assert len(mail.outbox) == 450 and {m.to[0] for m in mail.outbox} == {f"cb{i}@benthanh.test" for i in range(450)}
