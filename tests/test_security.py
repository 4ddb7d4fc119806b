import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thongsuot import env
from thongsuot.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Ph0ng-Test!2025"


def test_every_page_carries_csp_and_security_headers(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()


def test_login_locks_out_after_repeated_failures(client, ward_clerk):
    for _ in range(5):
        client.post("/accounts/login/", {"username": ward_clerk.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": ward_clerk.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_signs_in_with_the_form(client, ward_clerk):
    response = client.post("/accounts/login/", {"username": ward_clerk.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_platform_admin_must_set_up_two_factor(client, centre_admin):
    client.post("/accounts/login/", {"username": centre_admin.username, "password": PASSWORD})
    response = client.get("/san-sang/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/2fa/setup/")
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=centre_admin, confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 200  # wrong code
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the next try for a second
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert client.post("/accounts/2fa/setup/", {"token": code}).status_code == 302
    assert client.get("/san-sang/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enable", actor=centre_admin).exists()


def test_staff_with_a_device_must_enter_a_code(client, ward_clerk):
    device = TOTPDevice.objects.create(user=ward_clerk, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": ward_clerk.username, "password": PASSWORD})
    response = client.get("/")
    assert response["Location"].endswith("/accounts/2fa/verify/")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    client.post("/accounts/2fa/verify/", {"token": code})
    assert client.get("/").status_code == 200


def test_activation_link_sets_a_strong_password_once(client, ward_clerk):
    ward_clerk.set_unusable_password()
    ward_clerk.activated_at = None
    ward_clerk.save()
    uid = urlsafe_base64_encode(force_bytes(ward_clerk.pk))
    url = f"/accounts/activate/{uid}/{default_token_generator.make_token(ward_clerk)}/"
    weak = client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200 and "errorlist" in weak.content.decode()
    strong = "Bến-Thành-2025!x"
    assert client.post(url, {"password1": strong, "password2": strong}).status_code == 302
    ward_clerk.refresh_from_db()
    assert ward_clerk.check_password(strong) and ward_clerk.activated_at is not None
    assert client.get(url).status_code == 400  # a used link is dead
    assert AuditEntry.objects.filter(action="account.activate", object_id=str(ward_clerk.pk)).exists()


def test_audit_log_is_append_only_and_only_for_platform_admins(login, ward_admin, centre_admin):
    entry = AuditEntry.objects.first()
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert login(ward_admin).get("/nhat-ky/").status_code == 403
    response = login(centre_admin).get("/nhat-ky/", {"action": "organisation."})
    assert response.status_code == 200 and "organisation.create" in response.content.decode()


@pytest.mark.postgres_only
def test_audit_rows_cannot_be_changed_even_in_sql():
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is installed on PostgreSQL")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x'")


@pytest.mark.parametrize(
    "helper,name,value",
    [
        (lambda: env.env_bool("T_BOOL"), "T_BOOL", "maybe"),
        (lambda: env.env_int("T_INT", 1), "T_INT", "ten"),
        (lambda: env.env_int("T_INT", 1, minimum=5), "T_INT", "2"),
        (lambda: env.env_choice("T_CHOICE", "a", ("a", "b")), "T_CHOICE", "c"),
    ],
)
def test_bad_settings_fail_loudly_naming_the_variable(monkeypatch, helper, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        helper()


def test_two_factor_set_up_offers_the_key_in_groups_not_the_otpauth_address(client, centre_admin):
    import base64

    client.post("/accounts/login/", {"username": centre_admin.username, "password": PASSWORD})
    page = client.get("/accounts/2fa/setup/").content.decode()
    device = TOTPDevice.objects.get(user=centre_admin, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = page.split('id="totp-key">', 1)[1].split("</code>", 1)[0]
    assert shown.replace(" ", "") == secret and all(len(group) == 4 for group in shown.split(" "))
    assert "otpauth://" not in page
