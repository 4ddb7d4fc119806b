"""The GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2). Thin: parse the arguments, call a
selector or the service, render in the format the path ends with (.xml or .json)."""

import json
from datetime import datetime, time
from functools import wraps

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from thongsuot.core.middleware import client_ip_of
from thongsuot.feedback.open311 import formats, selectors, services
from thongsuot.feedback.services import RateLimited


class BadRequest(Exception):
    def __init__(self, messages: dict):
        self.messages = messages


def open311(view):
    """Unknown format → 404; wrong jurisdiction_id → 404; BadRequest → 400 (all in the spec's error format)."""

    @wraps(view)
    def wrapper(request, *args, fmt: str, **kwargs):
        if fmt not in formats.FORMATS:
            return formats.errors("json", 404, _("Unknown format “%(fmt)s”: use xml or json.") % {"fmt": fmt})
        jurisdiction = request.POST.get("jurisdiction_id") if request.method == "POST" else None
        jurisdiction = jurisdiction or request.GET.get("jurisdiction_id")
        if not selectors.jurisdiction_ok(jurisdiction):
            return formats.errors(fmt, 404, {"jurisdiction_id": [_("Unknown jurisdiction.")]})
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except BadRequest as exc:
            return formats.errors(fmt, 400, exc.messages)

    return wrapper


@require_GET
@open311
def service_list(request, fmt):
    return formats.render(fmt, "services", [formats.service(c) for c in selectors.services()])


@require_GET
@open311
def service_definition(request, service_code, fmt):
    category = selectors.service_get(service_code)
    if category is None:
        return formats.errors(fmt, 404, {"service_code": [_("Unknown service.")]})
    return formats.render(fmt, "service_definition", formats.service_definition(category))


# Requests ---------------------------------------------------------------------------------------


def _csv(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _datetime(params, name: str, errors: dict, *, end_of_day: bool = False) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw) if len(raw) == 10 else None  # a date alone: the whole day
        if day is not None:
            value = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            value = parse_datetime(raw.replace(" ", "+"))  # an unencoded "+07:00" arrives as " 07:00"
    except ValueError:
        value = None
    if value is None:
        errors[name] = [_("Use a W3C datetime, e.g. 2025-07-01T08:00:00+07:00.")]
        return None
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:  # beyond, the 90-day span overflows Python's dates
        errors[name] = [_("Use a date between %(a)d and %(b)d.") % {"a": _FIRST_YEAR, "b": _LAST_YEAR}]
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


_FIRST_YEAR, _LAST_YEAR = 1970, 2999


def _int(params, name: str, default: int, low: int, high: int, errors: dict) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        return min(max(int(raw), low), high)
    except ValueError:
        errors[name] = [_("Enter a whole number.")]
        return default


def _filters(params) -> selectors.RequestFilters:
    errors: dict[str, list[str]] = {}
    start = _datetime(params, "start_date", errors)
    end = _datetime(params, "end_date", errors, end_of_day=True)
    if start and end:
        if start > end:
            errors["end_date"] = [_("end_date is before start_date.")]
        elif end - start > selectors.DEFAULT_SPAN:
            errors["end_date"] = [_("The span between start_date and end_date may not exceed 90 days.")]
    statuses = [s.lower() for s in _csv(params.get("status"))]
    if any(s not in ("open", "closed") for s in statuses):
        errors["status"] = [_("Use open or closed.")]
    filters = selectors.RequestFilters(
        ids=_csv(params.get("service_request_id")),
        service_codes=_csv(params.get("service_code")),
        start=start,
        end=end,
        statuses=statuses,
        page=_int(params, "page", 1, 1, 1_000_000, errors),
        page_size=_int(params, "page_size", selectors.PAGE_SIZE, 1, selectors.MAX_PAGE_SIZE, errors),
    )
    if errors:
        raise BadRequest(errors)
    return filters


def _request_data(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise BadRequest({"": [_("The body is not valid JSON.")]})
        if not isinstance(data, dict):
            raise BadRequest({"": [_("The body is not valid JSON.")]})
        return {key: value if isinstance(value, str) or value is None else str(value) for key, value in data.items()}
    return request.POST


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    reports, total = selectors.request_list(_filters(request.GET))
    response = formats.render(
        fmt, "service_requests", [formats.service_request(report, request=request) for report in reports]
    )
    response["X-Total-Count"] = str(total)
    return response


def _create(request, fmt):
    data = _request_data(request)
    raw_key = (data.get("api_key") or request.GET.get("api_key") or "").strip()
    client = services.open311_client_authenticate(raw_key)
    if client is None:
        message = _("Invalid or revoked api_key.") if raw_key else _("This argument is required.")
        return formats.errors(fmt, 403, {"api_key": [message]})
    if not selectors.jurisdiction_ok(data.get("jurisdiction_id")):
        return formats.errors(fmt, 404, {"jurisdiction_id": [_("Unknown jurisdiction.")]})
    try:
        accepted = services.open311_request_submit(
            client=client, data=data, files=request.FILES.getlist("media"), client_ip=client_ip_of(request)
        )
    except RateLimited as exc:
        # The spec knows 400, 403 and 404 only ("400 otherwise"); Retry-After tells clients that read it
        response = formats.errors(fmt, 400, exc.message_dict)
        response["Retry-After"] = "3600"
        return response
    except ValidationError as exc:
        return formats.errors(fmt, 400, exc.message_dict)
    account_id = (data.get("account_id") or "").strip()
    return formats.render(fmt, "service_requests", [formats.submitted(accepted, account_id=account_id)], status=201)


@require_GET
@open311
def request_detail(request, service_request_id, fmt):
    report = selectors.request_get(service_request_id)
    if report is None:
        return formats.errors(fmt, 404, {"service_request_id": [_("Unknown service request.")]})
    return formats.render(fmt, "service_requests", [formats.service_request(report, request=request)])


@require_GET
@open311
def token(request, token_id, fmt):
    """Requests are numbered at once, so a token is the service_request_id itself."""
    report = selectors.request_get(token_id)
    if report is None:
        return formats.errors(fmt, 404, {"token_id": [_("Unknown token.")]})
    return formats.render(fmt, "service_requests", [formats.token(report)])
