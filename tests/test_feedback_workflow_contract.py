"""The contract of the workflow table (thongsuot.feedback.states.WORKFLOW): for every state, every persona
and every action, the page offers it (selectors.available_actions) ⇔ the service accepts it ⇔ the API
endpoint accepts it; a refusal is 403 (not theirs), 409 (not in this state), 400 (a precondition that
names a field) or 404 (a report they cannot see), the same refusal from the service and the API.

Each attempt runs inside a savepoint that is rolled back, so every persona meets the report as it was."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from tests.conftest import make_staff
from thongsuot.accounts import access
from thongsuot.accounts.services import api_token_create
from thongsuot.core.workflow import CITIZEN, STAFF, TransitionError
from thongsuot.feedback import SYSTEM, selectors, services
from thongsuot.feedback.models import Report
from thongsuot.feedback.states import WORKFLOW, Status
from thongsuot.feedback.testing import submit

BASE = "/api/v1/feedback/reports"
PERSONAS = [
    "dispatcher",
    "handler",
    "other_handler",
    "unit_leader",
    "ward_admin",
    "ward_clerk",
    "city_leader",
    "centre_admin",
    "citizen",
]
# scenario → the steps that lead there from a received report (and whether an extension is pending)
SCENARIOS = {
    "received": [],
    "verified": ["verify"],
    "rejected": ["reject"],
    "assigned": ["assign"],
    "accepted": ["assign", "accept"],
    "in_progress": ["assign", "accept", "progress"],
    "in_progress_extension_pending": ["assign", "accept", "progress", "extend"],
    "resolved": ["assign", "accept", "progress", "resolve"],
    "resolved_extension_pending": ["assign", "accept", "progress", "extend", "resolve"],
    "published": ["assign", "accept", "progress", "resolve", "publish"],
    "rated": ["assign", "accept", "progress", "resolve", "publish", "rate_unsatisfied"],
    "closed": ["assign", "accept", "progress", "resolve", "publish", "rate_satisfied"],
    "reopened": ["assign", "accept", "progress", "resolve", "publish", "rate_unsatisfied", "reopen"],
}
NEW_DATE = date(2099, 1, 2)


class Refused(Exception):
    """The API or the view refused before reaching the service (e.g. no pending extension to decide)."""


def _pending(report):
    extension = selectors.pending_extensions(report=report).first()
    if extension is None:
        raise Refused
    return extension


# command → (the service call with valid input, the API endpoint, its payload)
CALLS = {
    "verify": (lambda u, r, c: services.report_verify(actor=u, report=r), "verify", lambda c, r: {}),
    "assign": (
        lambda u, r, c: services.report_assign(actor=u, report=r, organisation=c["ben_thanh"]),
        "assign",
        lambda c, r: {"organisation_id": c["ben_thanh"].pk},
    ),
    "reject": (
        lambda u, r, c: services.report_reject(actor=u, report=r, reason="spam"),
        "reject",
        lambda c, r: {"reason": "spam"},
    ),
    "merge": (
        lambda u, r, c: services.report_merge(actor=u, report=r, into=c["into"]),
        "merge",
        lambda c, r: {"into": c["into"].code},
    ),
    "accept": (lambda u, r, c: services.report_accept(actor=u, report=r), "accept", lambda c, r: {}),
    "return": (
        lambda u, r, c: services.report_return(actor=u, report=r, reason="Không thuộc phường"),
        "return",
        lambda c, r: {"reason": "Không thuộc phường"},
    ),
    "progress": (
        lambda u, r, c: services.report_update_progress(actor=u, report=r, note="Đang xử lý"),
        "progress",
        lambda c, r: {"note": "Đang xử lý"},
    ),
    "resolve": (
        lambda u, r, c: services.report_resolve(actor=u, report=r, resolution="Đã xong"),
        "resolve",
        lambda c, r: {"resolution": "Đã xong"},
    ),
    "extend": (
        lambda u, r, c: services.report_extend(actor=u, report=r, reason="Chờ vật tư", new_date=NEW_DATE),
        "extend",
        lambda c, r: {"reason": "Chờ vật tư", "new_date": NEW_DATE.isoformat()},
    ),
    "publish": (lambda u, r, c: services.report_publish(actor=u, report=r), "publish", lambda c, r: {}),
    "decide": (
        lambda u, r, c: services.extension_decide(actor=u, extension=_pending(r), approve=True),
        "extension-decide",
        lambda c, r: {
            "extension_id": getattr(selectors.pending_extensions(report=r).first(), "pk", 0),
            "approve": True,
        },
    ),
    "hide": (
        lambda u, r, c: services.report_hide(actor=u, report=r, reason="Dữ liệu cá nhân"),
        "hide",
        lambda c, r: {"reason": "Dữ liệu cá nhân"},
    ),
    # the citizen's (follow page, no API endpoint)
    "rate": (lambda u, r, c: services.report_rate(actor=u, report=r, rating=4, satisfied=False), None, None),
    "reopen": (lambda u, r, c: services.report_reopen(actor=u, report=r, reason="Vẫn còn ngập"), None, None),
}


def _build(name, cast):
    dispatcher, handler, unit_leader = cast["dispatcher"], cast["handler"], cast["unit_leader"]
    report = submit(client_ip="198.51.100.20", contact_phone="0912000001")
    Report.objects.filter(pk=report.pk).update(citizen=cast["citizen"])
    steps = {
        "verify": lambda r: services.report_verify(actor=dispatcher, report=r),
        "reject": lambda r: services.report_reject(actor=dispatcher, report=r, reason="out_of_scope"),
        "assign": lambda r: services.report_assign(actor=dispatcher, report=r, organisation=cast["ben_thanh"]),
        "accept": lambda r: services.report_accept(actor=handler, report=r),
        "progress": lambda r: services.report_update_progress(actor=handler, report=r, note="Bắt đầu"),
        "extend": lambda r: services.report_extend(actor=handler, report=r, reason="Chờ", new_date=NEW_DATE),
        "resolve": lambda r: services.report_resolve(actor=handler, report=r, resolution="Xong"),
        "publish": lambda r: services.report_publish(actor=unit_leader, report=r),
        "rate_unsatisfied": lambda r: services.report_rate(
            actor=None, report=r, rating=2, satisfied=False, key=r.citizen_key
        ),
        "rate_satisfied": lambda r: services.report_rate(
            actor=None, report=r, rating=5, satisfied=True, key=r.citizen_key
        ),
        "reopen": lambda r: services.report_reopen(actor=None, report=r, reason="Chưa xong", key=r.citizen_key),
    }
    for step in SCENARIOS[name]:
        steps[step](Report.objects.get(pk=report.pk))
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def cast(db, ben_thanh, sai_gon, dispatcher, ward_admin, ward_clerk, city_leader, centre_admin, citizen):
    people = {
        "dispatcher": dispatcher,
        "handler": make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"]),
        "other_handler": make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"]),
        "unit_leader": make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"]),
        "ward_admin": ward_admin,
        "ward_clerk": ward_clerk,
        "city_leader": city_leader,
        "centre_admin": centre_admin,
        "citizen": citizen,
    }
    # the report duplicates are merged into: open and in the ward, so the ward's staff see it
    into = services.report_assign(
        actor=dispatcher, report=submit(client_ip="198.51.100.21", contact_phone="0912000002"), organisation=ben_thanh
    )
    return {**people, "ben_thanh": ben_thanh, "into": into}


def _service(persona, command, report, cast):
    """None when the service accepts; else the exception it refused with."""
    call = CALLS[command][0]
    try:
        with transaction.atomic():
            call(persona, Report.objects.get(pk=report.pk), cast)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError, Refused) as exc:
        return exc
    return None


def _api(client, auth, command, report, cast) -> int:
    _call, endpoint, payload = CALLS[command]
    with transaction.atomic():
        response = client.post(
            f"{BASE}/{report.code}/{endpoint}", payload(cast, report), content_type="application/json", **auth
        )
        transaction.set_rollback(True)
    return response.status_code


def _expected_status(refusal) -> int:
    if isinstance(refusal, PermissionDenied):
        return 403
    if isinstance(refusal, TransitionError):
        return 409
    if isinstance(refusal, Refused):
        return 404
    return 400


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_pages_services_and_api_agree(scenario, cast, client):
    report = _build(scenario, cast)
    assert report.status == scenario.split("_extension")[0]
    tokens = {
        name: {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=cast[name], name='t')[1]}"} for name in PERSONAS
    }
    offered_somewhere = []
    for name in PERSONAS:
        persona = cast[name]
        staff_buttons = selectors.available_actions(user=persona, report=report)
        citizen_buttons = WORKFLOW.available_actions(persona, report, audience=CITIZEN)
        assert set(staff_buttons) <= set(WORKFLOW.commands(audience=STAFF))
        visible = access.can_view_organisation(persona, report.organisation_id, system=SYSTEM)
        for command in CALLS:
            offered = command in (citizen_buttons if command in ("rate", "reopen") else staff_buttons)
            refusal = _service(persona, command, report, cast)
            where = f"{scenario}: {name} {command}"
            assert offered == (refusal is None), f"{where}: offered={offered}, service refused with {refusal!r}"
            if CALLS[command][1] is None or (not visible and command != "verify"):
                continue  # a report they cannot see is a 404 whatever the action: asked once ("verify")
            status = _api(client, tokens[name], command, report, cast)
            if offered:
                assert status in (200, 201), f"{where}: offered but the API answered {status}"
                offered_somewhere.append(command)
            elif name == "citizen":
                assert status in (401, 403, 404), f"{where}: a citizen reached the staff API ({status})"
            elif not visible:
                assert status == 404, f"{where}: a report they cannot see answered {status}"
            else:
                expected = _expected_status(refusal)
                assert status == expected, f"{where}: the service refused with {refusal!r}, the API with {status}"
    # Each scenario lets somebody act (the test can fail both ways), except a refused report.
    assert bool(offered_somewhere) == (report.status != Status.REJECTED)


def test_the_table_offers_what_each_role_does(cast):
    """A few rows of the table spelled out, so that a table that offers nothing cannot pass the contract."""
    received, assigned = _build("received", cast), _build("assigned", cast)
    assert selectors.available_actions(user=cast["dispatcher"], report=received) == [
        "verify",
        "assign",
        "reject",
        "merge",
    ]
    assert selectors.available_actions(user=cast["handler"], report=received) == []
    assert selectors.available_actions(user=cast["handler"], report=assigned) == ["accept", "return", "extend"]
    assert selectors.available_actions(user=cast["ward_clerk"], report=assigned) == []
    assert selectors.available_actions(user=cast["other_handler"], report=assigned) == []
    assert selectors.available_actions(user=cast["city_leader"], report=assigned) == []
    with translation.override("vi"), pytest.raises(TransitionError, match="Không thể thực hiện thao tác này"):
        services.report_hide(actor=cast["dispatcher"], report=assigned, reason="Dữ liệu cá nhân")
    published = _build("published", cast)
    assert selectors.available_actions(user=cast["dispatcher"], report=published) == ["hide"]
    assert WORKFLOW.available_actions(cast["citizen"], published, audience=CITIZEN) == ["rate"]
    assert WORKFLOW.available_actions(cast["handler"], published, audience=CITIZEN) == []
    pending = _build("in_progress_extension_pending", cast)
    assert selectors.available_actions(user=cast["unit_leader"], report=pending) == ["progress", "resolve", "decide"]
    assert selectors.available_actions(user=cast["handler"], report=pending) == ["progress", "resolve"]
