"""The contract of the dossiers' workflow table (thongsuot.procedures.states.WORKFLOW): for every state,
every persona and every action, the page offers it (selectors.available_actions) ⇔ the service accepts it
⇔ the API accepts it; a refusal is 403 (not theirs), 409 (not in this state), 400 (a precondition naming a
field) or 404 (a dossier they cannot see), the same from the service and the API.

The dossier is received at Phường Bến Thành and decided by Phường Sài Gòn (phi địa giới). Each attempt
runs in a savepoint that is rolled back, so every persona meets the dossier as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.conftest import make_staff
from tests.test_procedures_dossiers import PDF
from thongsuot.accounts.services import api_token_create
from thongsuot.core.workflow import STAFF, TransitionError
from thongsuot.procedures import selectors, services, testing
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import WORKFLOW, Status

BASE = "/api/v1/procedures/dossiers"
PERSONAS = [
    "desk",
    "specialist",
    "leader",
    "other_desk",
    "other_specialist",
    "other_leader",
    "ward_admin",
    "ward_clerk",
    "city_leader",
    "centre_admin",
    "citizen",
]
SCENARIOS = {
    "submitted": [],
    "received": ["accept"],
    "additional_before_acceptance": ["request_additional"],
    "additional_at_the_desk": ["accept", "request_additional"],
    "processing": ["accept", "forward"],
    "processing_after_a_request": ["accept", "request_additional", "supply_additional", "forward"],
    "additional_while_processing": ["accept", "forward", "request_additional_processing"],
    "approval": ["accept", "forward", "complete_step"],
    "processing_late": ["accept", "forward", "past_due"],
    "processing_late_apologised": ["accept", "forward", "past_due", "apologise"],
    "approved": ["accept", "forward", "complete_step", "approve"],
    "returned": ["accept", "forward", "complete_step", "approve", "return_result"],
    "received_paid": ["accept", "pay"],
    "returned_rated": ["accept", "forward", "complete_step", "approve", "return_result", "rate"],
    "refused": ["refuse"],
    "withdrawn": ["withdraw"],
}

NEW_DUE = timezone.now() + datetime.timedelta(days=30)

# command → (the service call with valid input, the API action, its payload)
CALLS = {
    "accept": (lambda u, d: services.dossier_accept(actor=u, dossier=d), "accept", {}),
    "request_additional": (
        lambda u, d: services.dossier_request_additional(actor=u, dossier=d, missing="Bản sao căn cước"),
        "request-additional",
        {"missing": "Bản sao căn cước"},
    ),
    "supply_additional": (
        lambda u, d: services.dossier_supply_additional(actor=u, dossier=d, note="Đã bổ sung"),
        "supply-additional",
        {"note": "Đã bổ sung"},
    ),
    "refuse": (
        lambda u, d: services.dossier_refuse(actor=u, dossier=d, reason="Không đủ điều kiện"),
        "refuse",
        {"reason": "Không đủ điều kiện"},
    ),
    "forward": (lambda u, d: services.dossier_forward(actor=u, dossier=d), "forward", {}),
    "complete_step": (lambda u, d: services.dossier_complete_step(actor=u, dossier=d), "complete-step", {}),
    "approve": (lambda u, d: services.dossier_approve(actor=u, dossier=d), "approve", {}),
    "return_result": (
        lambda u, d: services.dossier_return_result(actor=u, dossier=d, note="Đã trả"),
        "return-result",
        {"note": "Đã trả"},
    ),
    "apologise": (
        lambda u, d: services.dossier_apologise(actor=u, dossier=d, reason="Chờ xác minh", new_due_at=NEW_DUE),
        "apologise",
        {"reason": "Chờ xác minh", "new_due_at": NEW_DUE.isoformat()},
    ),
    "pay": (lambda u, d: services.dossier_pay(actor=u, dossier=d), "pay", {}),
    "rate": (
        lambda u, d: services.dossier_rate(actor=u, dossier=d, rating=4, note="Nhanh"),
        "rate",
        {"rating": 4, "note": "Nhanh"},
    ),
    "withdraw": (
        lambda u, d: services.dossier_withdraw(actor=u, dossier=d, reason="Nộp nhầm"),
        "withdraw",
        {"reason": "Nộp nhầm"},
    ),
}


@pytest.fixture
def cast(db, ben_thanh, sai_gon, ward_admin, ward_clerk, city_leader, centre_admin, citizen):
    return {
        "desk": make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"]),
        "specialist": make_staff("hotich@benthanh.test", ben_thanh, ["specialist"]),
        "leader": make_staff("chutich@benthanh.test", ben_thanh, ["leader"]),
        "other_desk": make_staff("motcua@saigon.test", sai_gon, ["one_stop_officer"]),
        "other_specialist": make_staff("hotich@saigon.test", sai_gon, ["specialist"]),
        "other_leader": make_staff("chutich@saigon.test", sai_gon, ["leader"]),
        "ward_admin": ward_admin,
        "ward_clerk": ward_clerk,
        "city_leader": city_leader,
        "centre_admin": centre_admin,
        "citizen": citizen,
        "ben_thanh": ben_thanh,
        "sai_gon": sai_gon,
    }


def _build(name, cast):
    procedure = testing.procedure(testing.CERTIFIED_COPY)  # a fee is due: "pay" is offered
    files = {
        i: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf") for i in range(len(procedure.documents))
    }
    dossier = services.dossier_submit(
        actor=cast["citizen"],
        procedure=procedure,
        receiving_unit=cast["ben_thanh"],
        applicant=testing.APPLICANT,
        files=files,
    )
    Dossier.objects.filter(pk=dossier.pk).update(deciding_unit=cast["sai_gon"])  # decided elsewhere
    desk, handler, leader = cast["desk"], cast["other_specialist"], cast["other_leader"]
    steps = {
        "accept": lambda d: services.dossier_accept(actor=desk, dossier=d),
        "request_additional": lambda d: services.dossier_request_additional(actor=desk, dossier=d, missing="Tờ khai"),
        "request_additional_processing": lambda d: services.dossier_request_additional(
            actor=handler, dossier=d, missing="Tờ khai"
        ),
        "supply_additional": lambda d: services.dossier_supply_additional(actor=cast["citizen"], dossier=d),
        "forward": lambda d: services.dossier_forward(actor=desk, dossier=d),
        "complete_step": lambda d: services.dossier_complete_step(actor=handler, dossier=d),
        "approve": lambda d: services.dossier_approve(actor=leader, dossier=d),
        "return_result": lambda d: services.dossier_return_result(actor=desk, dossier=d),
        "refuse": lambda d: services.dossier_refuse(actor=desk, dossier=d, reason="Sai thẩm quyền"),
        "withdraw": lambda d: services.dossier_withdraw(actor=cast["citizen"], dossier=d),
        "past_due": lambda d: Dossier.objects.filter(pk=d.pk).update(
            due_at=timezone.now() - datetime.timedelta(hours=1)
        ),
        "apologise": lambda d: services.dossier_apologise(actor=handler, dossier=d, reason="Chờ", new_due_at=NEW_DUE),
        "rate": lambda d: services.dossier_rate(actor=cast["citizen"], dossier=d, rating=5),
        "pay": lambda d: services.dossier_pay(actor=desk, dossier=d),
    }
    for step in SCENARIOS[name]:
        steps[step](Dossier.objects.get(pk=dossier.pk))
    return Dossier.objects.get(pk=dossier.pk)


def _service(persona, command, dossier):
    try:
        with transaction.atomic():
            CALLS[command][0](persona, Dossier.objects.get(pk=dossier.pk))
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError) as exc:
        return exc
    return None


def _api(client, auth, command, dossier) -> int:
    with transaction.atomic():
        response = client.post(
            f"{BASE}/{dossier.code}/{CALLS[command][1]}", CALLS[command][2], content_type="application/json", **auth
        )
        transaction.set_rollback(True)
    return response.status_code


def _expected_status(refusal) -> int:
    if isinstance(refusal, PermissionDenied):
        return 403
    if isinstance(refusal, TransitionError):
        return 409
    return 400


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_pages_services_and_api_agree(scenario, cast, client):
    dossier = _build(scenario, cast)
    tokens = {
        name: {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=cast[name], name='t')[1]}"} for name in PERSONAS
    }
    offered_somewhere = []
    for name in PERSONAS:
        persona = cast[name]
        buttons = selectors.available_actions(user=persona, dossier=dossier)
        assert set(buttons) <= set(WORKFLOW.commands(audience=STAFF))
        visible = selectors.dossiers_visible(user=persona).filter(pk=dossier.pk).exists()
        for command in CALLS:
            offered = command in buttons
            refusal = _service(persona, command, dossier)
            where = f"{scenario}: {name} {command}"
            assert offered == (refusal is None), f"{where}: offered={offered}, service refused with {refusal!r}"
            status = _api(client, tokens[name], command, dossier)
            if not visible:
                assert not offered, f"{where}: offered on a dossier they cannot see"
                assert status == 404, f"{where}: a dossier they cannot see answered {status}"
            elif offered:
                assert status == 200, f"{where}: offered but the API answered {status}"
                offered_somewhere.append(command)
            else:
                assert status == _expected_status(refusal), f"{where}: service {refusal!r}, API {status}"
    final = dossier.status in (Status.REFUSED, Status.WITHDRAWN) or dossier.rating is not None
    assert bool(offered_somewhere) == (not final)


def test_the_table_offers_what_each_role_does(cast):
    """A few rows spelled out, so that a table offering nothing cannot pass the contract."""
    submitted = _build("submitted", cast)
    assert selectors.available_actions(user=cast["desk"], dossier=submitted) == [
        "accept",
        "request_additional",
        "refuse",
        "pay",
        "withdraw",
    ]
    assert selectors.available_actions(user=cast["citizen"], dossier=submitted) == ["pay", "withdraw"]
    paid = _build("received_paid", cast)
    assert selectors.available_actions(user=cast["desk"], dossier=paid) == [
        "request_additional",
        "refuse",
        "forward",
        "withdraw",
    ]
    assert selectors.available_actions(user=cast["other_desk"], dossier=submitted) == []
    assert selectors.available_actions(user=cast["ward_clerk"], dossier=submitted) == []
    assert selectors.available_actions(user=cast["city_leader"], dossier=submitted) == []
    processing = _build("processing", cast)
    assert selectors.available_actions(user=cast["desk"], dossier=processing) == []
    assert selectors.available_actions(user=cast["other_specialist"], dossier=processing) == [
        "request_additional",
        "refuse",
        "complete_step",
    ]
    approval = _build("approval", cast)
    assert selectors.available_actions(user=cast["other_leader"], dossier=approval) == ["refuse", "approve"]
    assert selectors.available_actions(user=cast["leader"], dossier=approval) == []
    late = _build("processing_late", cast)
    assert selectors.available_actions(user=cast["other_specialist"], dossier=late) == [
        "request_additional",
        "refuse",
        "complete_step",
        "apologise",
    ]
    assert selectors.available_actions(user=cast["citizen"], dossier=_build("returned", cast)) == ["rate"]
    asked = _build("processing_after_a_request", cast)
    assert selectors.available_actions(user=cast["other_specialist"], dossier=asked) == ["refuse", "complete_step"]
