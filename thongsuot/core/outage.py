"""When the database cannot be reached (restarted, failed over, out of connections), every request answers
503 with a clear message and Retry-After, never a 500 with a traceback: the citizen or the app tries again
in a moment. Nothing was written: the request's transaction failed with the connection.

Django closes a broken connection at the end of the request, so the next request connects again."""

import json
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
MACHINE_PREFIXES = ("/api/", "/open311/")


def outage_response(request) -> HttpResponse:
    message = _("The system is briefly unavailable. Nothing was saved: please try again in a minute.")
    if request.path.startswith(MACHINE_PREFIXES):
        if request.path.startswith("/open311/") and request.path.endswith(".xml"):
            body = (
                '<?xml version="1.0" encoding="utf-8"?><errors><error><code>503</code>'
                f"<description>{escape(message)}</description></error></errors>"
            )
            response = HttpResponse(body, status=503, content_type="text/xml; charset=utf-8")
        elif request.path.startswith("/open311/"):
            body = json.dumps([{"code": 503, "description": message}], ensure_ascii=False)
            response = HttpResponse(body, status=503, content_type="application/json")
        else:
            response = HttpResponse(
                json.dumps({"detail": message}, ensure_ascii=False), status=503, content_type="application/json"
            )
    else:
        title = _("Briefly unavailable")
        body = (
            f'<!doctype html><html lang="{escape(getattr(request, "LANGUAGE_CODE", "vi"))}"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>"
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """Turns a lost database connection raised by a view into a 503 (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
            return outage_response(request)
        return None
