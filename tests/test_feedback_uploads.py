"""Uploaded files follow their transaction: a failed submission or result leaves no file behind."""

import pytest

from tests.conftest import make_staff
from thongsuot.feedback import services
from thongsuot.feedback.models import Attachment, Report
from thongsuot.feedback.services import _common
from thongsuot.feedback.testing import JPEG, PNG, submit, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_successful_submission_keeps_its_files(_media, db):
    report = submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    assert report.attachments.count() == 2
    assert len(_files(_media)) == 4  # each photo and its thumbnail


def test_a_failed_submission_deletes_the_files_it_stored(_media, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("thongsuot.feedback.services.intake.record", broken)
    with pytest.raises(RuntimeError):
        submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert _files(_media) == []


def test_a_failed_result_deletes_its_photos_and_keeps_the_citizens(_media, centre_admin, ben_thanh, monkeypatch):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    report = services.report_assign(
        actor=centre_admin, report=submit(files=[upload("a.jpg", JPEG)]), organisation=ben_thanh
    )
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý.")
    original = _common.transition

    def failing_transition(report, to_state, **kwargs):
        if to_state == "resolved":
            raise RuntimeError("boom")
        return original(report, to_state, **kwargs)

    monkeypatch.setattr("thongsuot.feedback.services.workflow.transition", failing_transition)
    with pytest.raises(RuntimeError):
        services.report_resolve(actor=handler, report=report, resolution="Xong", files=[upload("kq.png", PNG)])
    assert Attachment.objects.filter(report=report).count() == 1
    assert len(_files(_media)) == 2  # the citizen's photo and its thumbnail
