"""No stored script injection: descriptions, names, results and file names are shown as text everywhere."""

from tests.conftest import make_staff
from thongsuot.feedback import services
from thongsuot.feedback.testing import JPEG, submit, upload

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'


def _assert_escaped(body: str) -> None:
    assert SCRIPT not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_injected_markup_is_escaped_on_staff_and_public_pages(client, login, centre_admin, ben_thanh):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    report = submit(
        description=f"Cống vỡ {SCRIPT} tại Lê Lợi",
        contact_name=f"Dân {IMG}",
        files=[upload(f"anh{IMG}.jpg", JPEG)],
        address=f"12 Lê Lợi {SCRIPT}, Phường Bến Thành, Thành phố Hồ Chí Minh",
    )
    assert report.attachments.get().original_name.endswith(".jpg")
    services.report_assign(actor=centre_admin, report=report, organisation=ben_thanh)
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note=f"Đang xử lý {SCRIPT}")
    services.report_resolve(actor=handler, report=report, resolution=f"Đã sửa {SCRIPT}")
    services.report_publish(actor=centre_admin, report=report)

    staff_page = login(handler).get(f"/xu-ly-phan-anh/{report.code}/").content.decode()
    _assert_escaped(staff_page)
    client.logout()
    for url in (f"/phan-anh/{report.code}/", "/phan-anh/", "/phan-anh/?q=cong+vo"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in client.get(f"/phan-anh/{report.code}/").content.decode()


def test_public_pages_forbid_inline_scripts(client, db):
    response = client.get("/phan-anh/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
