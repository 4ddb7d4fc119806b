"""Accepted means kept: whatever the database would refuse is refused when a submission is accepted, and a
submission that still fails to register reaches a person (an e-mail, a staff list, a follow page that says
what happens next)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from thongsuot.feedback import services
from thongsuot.feedback.models import PendingSubmission, Report
from thongsuot.feedback.services import submissions
from thongsuot.feedback.testing import accept, sample

pytestmark = pytest.mark.django_db


def _limit(name: str) -> int:
    return Report._meta.get_field(name).max_length


@pytest.mark.parametrize(
    "field, value",
    [
        ("contact_email", lambda: "a" * (_limit("contact_email") - 10) + "@example.test"),  # 305-character kind
        ("contact_email", lambda: ("b" * 60 + ".") * 4 + "@example.vn"),
        ("contact_name", lambda: "Nguyễn " * (_limit("contact_name") // 7 + 1)),
        ("address", lambda: "12 Lê Lợi " * (_limit("address") // 10 + 1)),
        ("description", lambda: "Ngập " * (_limit("description") // 5 + 1)),
    ],
)
def test_what_the_database_would_refuse_is_refused_on_acceptance(field, value):
    with pytest.raises(ValidationError) as caught:
        accept(**{field: value()})
    assert field in caught.value.message_dict
    assert not PendingSubmission.objects.exists() and not Report.objects.exists()


def test_the_public_form_and_open311_name_the_long_email(client, api_key):
    email = "a" * 293 + "@example.test"  # 305 characters
    form = {**sample(contact_email=email), "category": ""}
    form.pop("client_ip")
    from thongsuot.feedback.models import Category

    form["category"] = str(Category.objects.get(code="ha-tang-ky-thuat").pk)
    response = client.post(reverse("feedback:new"), form)
    assert response.status_code == 400 and "254" in response.content.decode()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "ha-tang-ky-thuat",
            "lat": "10.7713",
            "long": "106.694",
            "description": "Nắp cống bị vỡ.",
            "first_name": "Dân",
            "email": email,
        },
    )
    assert response.status_code == 400 and "email" in response.json()[0]["description"]
    assert not PendingSubmission.objects.exists()


def test_control_and_bidi_characters_are_removed_from_what_is_kept():
    accept(contact_name="Nguyễn\u202e Văn\x07 Dân", description="Dòng một\r\nDòng\u2066 hai\x1b")
    report = Report.objects.get()
    assert report.contact_name == "Nguyễn Văn Dân"
    assert report.description == "Dòng một\nDòng hai"


@pytest.fixture
def failing(monkeypatch):
    """Registration fails (as a database refusal would) until the test lets it through."""
    state = {"fail": True}
    real = submissions.report_register

    def register(**kwargs):
        if state["fail"]:
            raise RuntimeError("value too long for type character varying(254)")
        return real(**kwargs)

    monkeypatch.setattr(submissions, "report_register", register)
    return state


def test_a_submission_that_keeps_failing_reaches_a_person(
    client, login, failing, centre_admin, dispatcher, ward_admin, django_capture_on_commit_callbacks
):
    accepted = accept()  # the immediate worker tries once
    pending = PendingSubmission.objects.get()
    assert pending.attempts == 1 and not mail.outbox
    follow = f"{reverse('feedback:follow', args=[accepted.code])}?k={accepted.citizen_key}"
    assert 'http-equiv="refresh"' in client.get(follow).content.decode()
    for _attempt in range(PendingSubmission.MAX_ATTEMPTS - 1):
        with django_capture_on_commit_callbacks(execute=True):
            services.submissions_register_pending()
    pending.refresh_from_db()
    assert pending.attempts == PendingSubmission.MAX_ATTEMPTS and "varying(254)" in pending.last_error
    # an e-mail to the platform administrators, once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [centre_admin.email]
    assert accepted.code in mail.outbox[0].subject and "dang-ky-loi" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.submissions_register_pending()  # given up: not tried, no second mail
    assert len(mail.outbox) == 1
    # the citizen is told what happens next, in Vietnamese, without the page reloading forever
    page = client.get(follow).content.decode()
    assert "Bộ phận quản trị nền tảng đã được báo" in page and 'http-equiv="refresh"' not in page
    # the list in the staff pages: platform administrators only
    url = reverse("feedback:failed_submissions")
    for persona in (dispatcher, ward_admin):
        assert login(persona).get(url).status_code == 403
    page = login(centre_admin).get(url)
    assert page.status_code == 200 and accepted.code in page.content.decode()
    assert "varying(254)" in page.content.decode()
    failing["fail"] = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"code": [accepted.code]})
    assert response.status_code == 302
    assert Report.objects.filter(code=accepted.code).exists() and not PendingSubmission.objects.exists()
