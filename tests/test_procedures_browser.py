"""A dossier in a real browser: a citizen submits it online with its documents, the desk of Phường Bến
Thành receives it and forwards it to Phường Sài Gòn, whose specialist and leader process and approve it,
the desk returns the result with its file, and the citizen rates the service.

Same Chromium launch and transactional set-up as tests/test_feedback_browser.py."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_staff
from tests.test_browser import PASSWORD, vi
from tests.test_feedback_browser import directory, new_page  # noqa: F401 - fixtures
from tests.test_procedures_dossiers import PDF
from thongsuot.accounts.models import User
from thongsuot.directory.models import Organisation
from thongsuot.procedures import testing
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Sign in")).click()
    assert "/accounts/login/" not in page.url, page.content()


def act(page, code, command, **fields):
    form = page.locator(f"form[data-action='{command}']")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "file":
            field.set_input_files(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".messages li.success").count() == 1, page.content()


def test_online_submission_to_the_rating_across_two_units(new_page, directory, tmp_path):  # noqa: F811
    ben_thanh = Organisation.objects.get(kind="commune", name="Phường Bến Thành")
    sai_gon = Organisation.objects.get(kind="commune", name="Phường Sài Gòn")
    procedure = testing.procedure(testing.BIRTH)
    citizen = User.objects.create(username="0903123456", phone="0903123456", full_name="Nguyễn Văn An", kind="citizen")
    citizen.set_password(PASSWORD)
    citizen.save()
    desk = make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"], password=PASSWORD)
    specialist = make_staff("hotich@saigon.test", sai_gon, ["specialist"], password=PASSWORD)
    leader = make_staff("chutich@saigon.test", sai_gon, ["leader"], password=PASSWORD)
    pdf = tmp_path / "giay-to.pdf"
    pdf.write_bytes(PDF)

    # The citizen submits online from the procedure's page.
    page = new_page()
    sign_in(page, citizen.username)
    page.goto(f"/thu-tuc/{procedure.code}/")
    with page.expect_navigation():
        page.get_by_role("link", name=vi("Submit a dossier online")).click()
    page.get_by_label(vi("ID number (căn cước)")).fill("079200001234")
    page.locator("#id_receiving_unit").select_option(str(ben_thanh.pk))
    for index in range(len(procedure.documents)):
        page.set_input_files(f"#id_document_{index}", str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Submit the dossier")).click()
    dossier = Dossier.objects.get()
    assert page.url.endswith(f"/ho-so/{dossier.code}/"), page.content()
    expect(page.locator("#dossier-status")).to_contain_text(vi(Status.SUBMITTED.label))

    # The desk of Bến Thành receives it and forwards it to Sài Gòn.
    staff = new_page()
    sign_in(staff, desk.username)
    staff.goto("/ho-so/")
    with staff.expect_navigation():
        staff.get_by_role("link", name=dossier.code).click()
    act(staff, dossier.code, "accept")
    expect(staff.get_by_role("link", name=vi("Form 01: receipt and appointment (PDF)"))).to_be_visible()
    act(staff, dossier.code, "forward", deciding_unit=str(sai_gon.pk))
    assert Dossier.objects.get().deciding_unit == sai_gon

    # Sài Gòn's specialist completes the processing step; its leader approves.
    for person, command in ((specialist, "complete_step"), (leader, "approve")):
        other = new_page()
        sign_in(other, person.username)
        other.goto(f"/ho-so/{dossier.code}/")
        act(other, dossier.code, command)
    assert Dossier.objects.get().status == Status.APPROVED

    # The desk returns the result with its file.
    staff.goto(f"/ho-so/{dossier.code}/")
    act(staff, dossier.code, "return_result", note="Giấy khai sinh bản chính", result_file=str(pdf))
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RETURNED and dossier.result_file

    # The citizen sees the result and rates the service.
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.get_by_role("link", name=vi("Download the result (PDF)"))).to_be_visible()
    act(page, dossier.code, "rate", rating="5", note="Nhanh, chu đáo")
    assert Dossier.objects.get().rating == 5
    events = list(Dossier.objects.get().events.values_list("action", flat=True))
    assert events == ["submit", "accept", "forward", "complete_step", "approve", "return_result", "rate"]
