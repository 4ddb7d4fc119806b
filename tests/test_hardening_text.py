"""Text that cannot be stored (NUL, lone surrogates) is refused once for the platform with a 400 naming the
field (core.middleware.UnstorableTextMiddleware); control and bidirectional characters are removed from
names and free text (core.cleaning.clean_text)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thongsuot.accounts.services import api_token_create
from thongsuot.core.cleaning import clean_text, unstorable
from thongsuot.feedback.models import PendingSubmission, Report
from thongsuot.feedback.testing import submit

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_errors(response, field):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert field in body["errors"], body
    return body


@pytest.mark.parametrize(
    "path, field",
    [
        ("/phan-anh/?q=a%00b", "q"),
        ("/phan-anh/ban-do.json?q=%00", "q"),
        ("/phan-anh/tra-cuu/?code=%00", "code"),
        ("/phan-anh/a%00b/", "path"),
    ],
)
def test_public_pages_refuse_a_nul_with_the_layout_page(client, path, field):
    response = client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<main" in page and f"“{field}”" in page
    assert "không thể lưu" in page  # Vietnamese by default


def test_api_and_open311_paths_and_queries_answer_in_their_format(client):
    api_errors(client.get("/api/v1/directory/organisations?q=%00"), "q")
    response = client.get("/open311/v2/requests/%00.json")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400 and response.json()[0]["description"].startswith("path:")
    response = client.get("/open311/v2/requests.xml?service_code=a%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")
    assert b"<code>400</code>" in response.content and b"service_code:" in response.content


def test_public_form_with_a_nul_is_refused_and_nothing_is_kept(client):
    response = client.post("/phan-anh/gui/", {"description": "a\x00b", "contact_name": "Dân"})
    assert response.status_code == 400 and "“description”" in response.content.decode()
    assert not PendingSubmission.objects.exists()
    upload = SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg")  # multipart, as with a photo
    response = client.post("/phan-anh/gui/", {"contact_name": "D\x00n", "attachments": upload})
    assert response.status_code == 400 and "“contact_name”" in response.content.decode()


def test_open311_form_and_json_with_unstorable_text(client, api_key):
    response = client.post("/open311/v2/requests.json", {"api_key": api_key, "description": "a\x00b"})
    assert response.status_code == 400 and response.json()[0]["description"].startswith("description:")
    body = '{"api_key": "' + api_key + '", "description": "a\\ud800b"}'
    response = client.post("/open311/v2/requests.json", body, content_type="application/json")
    assert response.status_code == 400 and response.json()[0]["description"].startswith("description:")
    assert not PendingSubmission.objects.exists()


def test_api_json_bodies_with_nul_or_lone_surrogate(client, dispatcher, centre_admin, ward_admin):
    auth = bearer(dispatcher)
    for text in ('"a\\u0000b"', '"a\\ud800b"', '"\\uDFFF"'):
        body = '{"category": "ha-tang-ky-thuat", "description": ' + text + ', "contact_name": "Dân"}'
        response = client.post("/api/v1/feedback/reports", body, content_type="application/json", **auth)
        api_errors(response, "description")
    report = submit()
    response = client.post(
        f"/api/v1/feedback/reports/{report.code}/progress",
        '{"note": "x\\u0000"}',
        content_type="application/json",
        **bearer(centre_admin),
    )
    api_errors(response, "note")
    body = '{"name": "\\u0000", "days": 1}'
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json", **bearer(ward_admin))
    api_errors(response, "name")
    nested = '{"a": [{"b": "\\u0000"}]}'
    response = client.post("/api/v1/accounts/tokens", nested, content_type="application/json", **bearer(ward_admin))
    api_errors(response, "a[0].b")
    assert Report.objects.count() == 1  # the one made above


def test_a_valid_surrogate_pair_and_an_escaped_backslash_pass(client, ward_admin):
    body = json.dumps({"name": "😀 \\u0000 thật", "days": 1})  # an emoji as a pair; a backslash, not a NUL
    assert "\\ud83d\\ude00" in body
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json", **bearer(ward_admin))
    assert response.status_code == 201, response.content


def test_unreadable_bodies_are_4xx(client, settings, ward_admin):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = json.dumps({"name": "x" * 5000, "days": 1})
    response = client.post("/api/v1/accounts/tokens", big, content_type="application/json", **bearer(ward_admin))
    assert response.status_code == 413 and response.json()["detail"]
    response = client.post(
        "/api/v1/accounts/provisioning", b"--x\r\n", content_type="multipart/form-data", **bearer(ward_admin)
    )
    assert response.status_code == 400 and response.json()["detail"]
    response = client.post("/api/v1/accounts/provisioning", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code in (400, 403)


def test_clean_text():
    assert clean_text("  Nguyễn\u202eVăn\x07  A\n") == "Nguyễn Văn A"
    assert clean_text("gpj.\u202eexe") == "gpj. exe"
    assert clean_text("Dòng 1\r\n\r\n\r\n\tDòng\u2066 2\x00", multiline=True) == "Dòng 1\n\nDòng 2"
    assert clean_text("Hoa\u0300") == "Hoà"  # NFC
    assert clean_text("😀 \u200d ok") == "😀 \u200d ok"  # joiners (emoji sequences) are kept
    assert unstorable("a\x00") and unstorable("\ud800") and not unstorable("😀")


def test_api_schemas_and_staff_forms_clean_free_text(client, centre_admin, ward_admin):
    from thongsuot.accounts.models import ApiToken
    from thongsuot.feedback.forms import NoteForm

    body = json.dumps({"name": "Kịch\u202e bản\x07 1", "days": 1})
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json", **bearer(ward_admin))
    assert response.status_code == 201
    assert ApiToken.objects.filter(name="Kịch bản 1").exists()
    form = NoteForm({"note": "Dòng\u2067 một\r\nhai\x1b"})
    assert form.is_valid() and form.cleaned_data["note"] == "Dòng một\nhai"
