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
