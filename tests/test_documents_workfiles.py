"""Work files (hồ sơ công việc): a handler opens a file in the year's catalogue, adds documents (one
document in several files, no copy), closes it (due for the archive a year later, reminded once 30 days
before), exports its index in chronological order; only the handler changes it, another unit never sees
it, a secret document goes only into the file of someone named on it; services, pages and API."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from thongsuot.core.models import AuditEntry
from thongsuot.core.notifications.models import Notification
from thongsuot.documents import services
from thongsuot.documents.models import WorkFile
from thongsuot.documents.numbering import today_in_city
from thongsuot.documents.testing import draft_pdf


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _draft(actor, summary, **extra):
    return services.document_create(
        actor=actor, doc_type="KH", summary=summary, file=SimpleUploadedFile("kh.pdf", draft_pdf(summary)), **extra
    )


def test_a_handler_opens_fills_and_closes_a_file(ward_specialist, ward_clerk, ward_leader, other_ward_admin):
    first = services.workfile_open(actor=ward_specialist, code="01.VX", title="Chuyển đổi số 2026", retention="10 năm")
    assert first.year == today_in_city().year and not first.closed
    with pytest.raises(ValidationError) as bad:
        services.workfile_open(actor=ward_specialist, code="01.VX", title=" ", retention="")
    assert set(bad.value.message_dict) == {"code", "title", "retention"}
    second = services.workfile_open(actor=ward_specialist, code="02.VX", title="Báo cáo năm", retention="Vĩnh viễn")
    plan, report = _draft(ward_specialist, "Kế hoạch chuyển đổi số"), _draft(ward_specialist, "Báo cáo tổng kết")
    services.workfile_add(actor=ward_specialist, workfile=first, document=plan)
    services.workfile_add(actor=ward_specialist, workfile=first, document=report)
    services.workfile_add(actor=ward_specialist, workfile=second, document=plan)  # the same document, no copy
    assert set(plan.work_files.all()) == {first, second}
    with pytest.raises(PermissionDenied):  # only the file's handler
        services.workfile_add(actor=ward_clerk, workfile=first, document=plan)
    others = _draft(other_ward_admin, "Kế hoạch của Sài Gòn")
    with pytest.raises(ValidationError):  # a document the handler may not see
        services.workfile_add(actor=ward_specialist, workfile=first, document=others)
    secret = _draft(ward_leader, "Kế hoạch mật", confidentiality="mat")
    with pytest.raises(ValidationError):  # a secret document that does not name the handler
        services.workfile_add(actor=ward_specialist, workfile=first, document=secret)
    services.workfile_close(actor=ward_specialist, workfile=first)
    first.refresh_from_db()
    today = today_in_city()
    assert first.closed and first.archive_due == today.replace(year=today.year + 1)
    with pytest.raises(ValidationError):
        services.workfile_add(actor=ward_specialist, workfile=first, document=secret)
    actions = set(AuditEntry.objects.filter(object_id=str(first.pk)).values_list("action", flat=True))
    assert {"documents.workfile.open", "documents.workfile.add", "documents.workfile.close"} <= actions


def test_the_archive_reminder_is_sent_once_30_days_before(ward_specialist, django_capture_on_commit_callbacks):
    workfile = services.workfile_open(actor=ward_specialist, code="03.VX", title="Hồ sơ cũ", retention="5 năm")
    services.workfile_close(actor=ward_specialist, workfile=workfile)
    today = today_in_city()
    assert services.workfiles_remind_archive(today=today) == []  # a year away
    WorkFile.objects.filter(pk=workfile.pk).update(archive_due=today + datetime.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.workfiles_remind_archive(today=today) == [workfile.pk]
        assert services.workfiles_remind_archive(today=today) == []
    [note] = Notification.objects.filter(recipient=ward_specialist, event="documents.archive_due")
    assert "03.VX" in note.title and note.link == f"/van-ban/ho-so/{workfile.pk}/"


def test_pages_and_api_catalogue_index_and_access(ward_specialist, ward_clerk, other_ward_admin):
    client = _as(ward_specialist)
    created = client.post(
        "/api/v1/documents/workfiles",
        {"code": "04.VX", "title": "Hồ sơ thử", "retention": "10 năm"},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = client.post("/api/v1/documents/workfiles", {"code": "", "title": ""}, content_type="application/json")
    assert bad.status_code == 400 and {"code", "title", "retention"} <= set(bad.json()["errors"])
    older, newer = _draft(ward_specialist, "Văn bản trước"), _draft(ward_specialist, "Văn bản sau")
    for document in (newer, older):
        response = client.post(
            f"/api/v1/documents/workfiles/{pk}/documents", {"document_id": document.pk}, content_type="application/json"
        )
        assert response.status_code == 200
    assert response.json()["document_ids"] == [older.pk, newer.pk]  # chronological
    page = client.get(f"/van-ban/ho-so/{pk}/").content.decode()
    assert "Văn bản trước" in page and f"/van-ban/ho-so/{pk}/close/" in page
    assert f"/van-ban/ho-so/{pk}/close/" not in _as(ward_clerk).get(f"/van-ban/ho-so/{pk}/").content.decode()
    assert "04.VX" in client.get("/van-ban/ho-so/").content.decode()
    sheet = load_workbook(io.BytesIO(client.get(f"/van-ban/ho-so/{pk}/?format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Số, ký hiệu văn bản", "Ngày tháng văn bản")
    assert [row[0] for row in rows[1:]] == [1, 2] and "Văn bản trước" in rows[1][4]
    assert client.get(f"/api/v1/documents/workfiles/{pk}?format=pdf").content.startswith(b"%PDF")
    other = _as(other_ward_admin)
    assert other.get(f"/van-ban/ho-so/{pk}/").status_code == 404
    assert other.get(f"/api/v1/documents/workfiles/{pk}").status_code == 404
    assert other.get("/api/v1/documents/workfiles").json() == []
    assert _as(ward_clerk).post(f"/api/v1/documents/workfiles/{pk}/close").status_code == 403
    client.post(f"/van-ban/ho-so/{pk}/close/")
    assert client.get(f"/api/v1/documents/workfiles/{pk}").json()["closed_at"] is not None
