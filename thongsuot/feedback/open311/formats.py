"""The two GeoReport v2 formats: Python values (dicts, lists) rendered as JSON or as the spec's XML."""

import json
from datetime import date, datetime
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.feedback.models import Category, Report
from thongsuot.feedback.open311 import selectors
from thongsuot.feedback.states import RejectReason, Status

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# the element of each item under a root element
ITEMS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute"}
VALUES = {"values": "value"}


def w3c(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(w3c(value))


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        child = ITEMS.get(tag) or VALUES.get(tag) or "item"
        for item in value:
            _append(element, child, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    """A list under <root> (each item named from ITEMS) or a dict as the children of <root>."""
    element = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            _append(element, ITEMS[root], item)
    else:
        for key, item in value.items():
            _append(element, key, item)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return w3c(value)
    return str(value)


def render(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False, default=_json_default).encode()
    response = HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))
    response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials
    return response


def errors(fmt: str, status: int, messages) -> HttpResponse:
    """The spec's error body: a list of {code, description}; `messages` is a string, a list or a
    {argument: [messages]} dict (each description then names the argument)."""
    if isinstance(messages, str):
        descriptions = [messages]
    elif isinstance(messages, dict):
        descriptions = [
            f"{field}: {message}" if field else str(message) for field, items in messages.items() for message in items
        ]
    else:
        descriptions = [str(m) for m in messages]
    body = [{"code": status, "description": description} for description in descriptions]
    return render(fmt, "errors", body, status=status)


# Resources --------------------------------------------------------------------------------------


def service(category: Category) -> dict:
    group = category.department.name if category.department_id else _("Commune-level unit")
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("Handled within %(days)d working days.") % {"days": category.handling_days},
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(word for word in category.code.split("-") if len(word) > 1),
        "group": group,
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def status_notes(report: Report) -> str:
    if report.status in (Status.PUBLISHED, Status.RATED, Status.CLOSED) and not report.hidden and report.resolution:
        return report.resolution
    if report.status == Status.REJECTED and report.reject_reason:
        return str(RejectReason(report.reject_reason).label)
    return str(Status(report.status).label)


def service_request(report: Report, *, request=None) -> dict:
    """A report as the public may see it: no contact field is ever read here."""
    address, lat, lng = selectors.public_location(report)
    files = selectors.media_files(report)
    media_url = ""
    if files:
        image = next((f for f in files if f.content_type.startswith("image/")), files[0])
        path = reverse("feedback:attachment", args=[image.pk])
        media_url = request.build_absolute_uri(path) if request is not None else path
    organisation = report.organisation.name if report.organisation_id else _("1022 dispatch centre")
    return {
        "service_request_id": report.code,
        "status": selectors.open311_status(report.status),
        "status_notes": status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": selectors.public_description(report),
        "agency_responsible": organisation,
        "service_notice": "",
        "requested_datetime": report.received_at,
        "updated_datetime": report.updated_at,
        "expected_datetime": selectors.expected_datetime(report),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lng,
        "media_url": media_url,
    }


def submitted(accepted, *, account_id: str = "") -> dict:
    """The answer to a POST: the request is numbered at once (the worker registers it seconds later)."""
    notice = _("Received. Your tracking code is %(code)s; the report is due to be handled by %(date)s.") % {
        "code": accepted.code,
        "date": accepted.due_date.strftime("%d/%m/%Y"),
    }
    return {"service_request_id": accepted.code, "service_notice": notice, "account_id": account_id or None}


def token(report: Report) -> dict:
    return {"service_request_id": report.code, "token": report.code}
