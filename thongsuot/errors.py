"""Error pages inside the platform's layout (400, 403, 404, 500, CSRF failures), in the user's language,
with a way back; and a logging filter that keeps a refused request (403) out of the error tracebacks."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, message: str):
    context = {"status": status, "title": title, "message": message}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request, exception=None):
    return _page(
        request, 400, _("The request could not be understood"), _("Check the address or the form and try again.")
    )


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("You do not have access to this page"),
        _("Your role does not allow you to open this page. If you need it for your work, ask your unit administrator."),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "The page you asked for does not exist or is no longer available. "
            "Check the address or start again from the home page."
        ),
    )


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your security the form could not be accepted: it was open too long or your browser blocked "
            "its cookie. Go back, reload the page and send it again."
        ),
    )


def server_error(request):
    try:
        return _page(
            request,
            500,
            _("Something went wrong on our side"),
            _("The error has been recorded and the platform team will look into it. Try again in a few minutes."),
        )
    except Exception:  # the layout itself may be what fails (e.g. the database is down): plain text then
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang='vi'><meta charset='utf-8'><title>Lỗi máy chủ · Thông Suốt</title>"
            "<h1>Đã có lỗi ở phía hệ thống</h1><p>Vui lòng thử lại sau ít phút.</p><p><a href='/'>Trang chủ</a></p>",
        )


class ForbiddenWithoutTraceback(logging.Filter):
    """django.request logs a refused request (403) with the exception's traceback: keep the one line only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
