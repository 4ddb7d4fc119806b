import json
from urllib.parse import urlsplit

from django.conf import settings

from thongsuot.core.request_context import reset_client_ip, set_client_ip


def tile_origin(url: str) -> str:
    """The origin of a map tile URL template for the CSP ("{s}." subdomains become "*.")."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


_TILES = tile_origin(getattr(settings, "FEEDBACK_MAP_TILES_URL", ""))
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:" + (f" {_TILES}" if _TILES else ""),
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def client_ip_of(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # One policy everywhere, the API docs included: django-ninja's Swagger UI page (ninja is an
        # installed app) loads its script and styles from the static files, nothing inline.
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=(self)")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestContextMiddleware:
    """Remembers the client's IP for the audit rows written while serving this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_client_ip(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language switch sets a cookie).

    The browser's Accept-Language is deliberately ignored: a government platform speaks
    Vietnamese by default, whatever language the computer was set up in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # and the thread's language back afterwards: nothing leaks
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UnstorableTextMiddleware:
    """Refuses, once for the whole platform, a request whose body cannot be read or whose text cannot be
    stored: a NUL character or a lone surrogate (core.cleaning.unstorable) in the path, a query argument, a
    form field or a file name, or a JSON body's value or key, is answered 400 naming the field; a body over
    the upload limit 413; a body that cannot be parsed (a multipart form without its boundary) 400. The
    answer is JSON under /api/ (the API's error shape) and /open311/ (the GeoReport error list, XML for
    .xml paths), the platform's page otherwise. Views never see such text, so none has to guard against it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
        from django.http.multipartparser import MultiPartParserError
        from django.utils.translation import gettext as _

        try:
            field = _unstorable_field(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            message = _("The request is larger than the limit of %(n)d MB.") % {"n": limit}
            return refusal(request, 413, "", message)
        except (MultiPartParserError, SuspiciousOperation, UnicodeError):
            return refusal(request, 400, "", _("The request's body could not be read."))
        if field is not None:
            message = _("This field contains a character that cannot be stored (a NUL or an invalid character).")
            return refusal(request, 400, field, message)
        return self.get_response(request)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _unstorable_field(request) -> str | None:
    """The name of the first part of the request holding text that cannot be stored, or None."""
    from thongsuot.core.cleaning import unstorable

    if unstorable(request.path_info):
        return "path"
    for name, values in request.GET.lists():
        if unstorable(name) or any(unstorable(value) for value in values):
            return _printable(name)
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        for name, values in request.POST.lists():
            if unstorable(name) or any(unstorable(value) for value in values):
                return _printable(name)
        for name, uploads in request.FILES.lists():
            if unstorable(name) or any(unstorable(upload.name or "") for upload in uploads):
                return _printable(name)
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = request.body  # raises RequestDataTooBig past the limit
        # Only an escape can produce a NUL or a surrogate that JSON's parser accepts: the common body is
        # not parsed twice. A body that is not JSON is left to the view, which says so.
        if b"\\u" in body or b"\\U" in body:
            try:
                return _unstorable_in_json(json.loads(body), "")
            except ValueError:
                return None
    return None


def _unstorable_in_json(value, path: str) -> str | None:
    from thongsuot.core.cleaning import unstorable

    if isinstance(value, str):
        return (path or "body") if unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if unstorable(key):
                return _printable(name)
            if (found := _unstorable_in_json(item, name)) is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _unstorable_in_json(item, f"{path}[{index}]")) is not None:
                return found
    return None


def _printable(name: str) -> str:
    """A field's name fit to be shown back (its unstorable characters escaped)."""
    from thongsuot.core.cleaning import unstorable

    if not unstorable(name):
        return name[:100]
    return name.encode("unicode_escape", "backslashreplace").decode("ascii")[:100]


def refusal(request, status: int, field: str, message: str):
    """A 4xx answer in the form the client reads: JSON under /api/ ({"detail", "errors": {field: [..]}}),
    the GeoReport error list under /open311/, the platform's page otherwise."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    path = request.path_info
    if path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {field or "__all__": [message]}}, status=status)
    if path.startswith("/open311/"):
        description = f"{field}: {message}" if field else message
        if path.endswith(".xml"):
            from xml.sax.saxutils import escape

            body = (
                f'<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>{status}</code>'
                f"<description>{escape(description)}</description></error></errors>"
            )
            response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse([{"code": status, "description": description}], status=status, safe=False)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    html = render_to_string(
        "core/bad_request.html", {"status": status, "field": field, "message": message}, request=request
    )
    return HttpResponse(html, status=status)
