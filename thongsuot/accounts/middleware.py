from django.conf import settings
from django.shortcuts import redirect

from thongsuot.accounts.models import Role, User

_EXEMPT = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/accounts/activate/", "/open311/")


class TwoFactorRequiredMiddleware:
    """Staff who have a TOTP device must enter a code after the password; platform
    administrators must set one up before they can do anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.kind == "staff" and not request.path.startswith(_EXEMPT):
            if not user.is_verified():
                from django_otp import user_has_device

                if user_has_device(user):
                    return redirect("accounts:otp_verify")
                if user.is_superuser or user.has_role(Role.PLATFORM_ADMIN):
                    return redirect("accounts:otp_setup")
        return self.get_response(request)


class RememberLanguageMiddleware:
    """Keep the language a signed-in user chose (the language switch's cookie) on their account, so the
    notifications sent to them later, by the worker, are written in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if user.is_authenticated and chosen in dict(settings.LANGUAGES) and user.language != chosen:
            User.objects.filter(pk=user.pk).update(language=chosen)
            user.language = chosen
        return self.get_response(request)
