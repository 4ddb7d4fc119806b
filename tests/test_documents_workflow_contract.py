"""The contract of the documents' workflow table (thongsuot.documents.states.WORKFLOW): for every state,
every persona and every action, the page offers it (WORKFLOW.available_actions, the buttons of the detail
page) ⇔ the service accepts it ⇔ the API endpoint accepts it; a refusal is 403 (not theirs), 409 (not in
this state), 400 (a precondition naming a field) or 404 (a document they may not see: another unit's, or a
secret one that does not name them), the same from the service and the API.

Each attempt runs inside a savepoint that is rolled back, so every persona meets the document as it was."""

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_staff
from thongsuot.core.workflow import STAFF, TransitionError
from thongsuot.documents import selectors, services
from thongsuot.documents.models import Document
from thongsuot.documents.states import WORKFLOW
from thongsuot.documents.testing import TestPKI, draft_pdf, signing_keys_install

BASE = "/api/v1/documents/documents"
PERSONAS = [
    "specialist",
    "leader",
    "clerk",
    "admin",
    "sg_clerk",
    "sg_leader",
    "sg_lead",
    "sg_support",
    "city_leader",
    "centre_admin",
]
# scenario → (the steps from a new draft of Bến Thành sent to Sài Gòn, the state reached, secret?)
SCENARIOS = {
    "draft_without_file": (["no_file"], "draft", False),
    "draft": ([], "draft", False),
    "review": (["submit"], "review", False),
    "approved": (["submit", "approve"], "approved", False),
    "signed": (["submit", "approve", "sign"], "signed", False),
    "issued": (["submit", "approve", "sign", "issue"], "issued", False),
    "arrived": (["submit", "approve", "sign", "issue", "copy"], "arrived", False),
    "sent_back": (["submit", "approve", "sign", "issue", "copy", "send_back"], "sent_back", False),
    "registered": (["submit", "approve", "sign", "issue", "copy", "register"], "registered", False),
    "handling": (["submit", "approve", "sign", "issue", "copy", "register", "direct"], "handling", False),
    "done": (["submit", "approve", "sign", "issue", "copy", "register", "direct", "complete"], "done", False),
    "recalled": (["submit", "approve", "sign", "issue", "recall"], "recalled", False),
    "recalled_copy": (["submit", "approve", "sign", "issue", "recall", "copy"], "arrived", False),
    "recalled_in_handling": (
        ["submit", "approve", "sign", "issue", "copy", "register", "direct", "recall_source"],
        "handling",
        False,
    ),
    "withdrawn": (["submit", "approve", "sign", "issue", "recall", "copy", "confirm_recall"], "withdrawn", False),
    "secret_registered": (["submit", "approve", "sign", "issue", "copy", "register"], "registered", True),
    "secret_handling": (["submit", "approve", "sign", "issue", "copy", "register", "direct"], "handling", True),
}


def _pdf_upload():
    return SimpleUploadedFile("v2.pdf", draft_pdf("Phiên bản mới"))


# command → (the service call with valid input, its payload for the API)
CALLS = {
    "revise": (
        lambda u, d, c: services.document_revise(actor=u, document=d, file=_pdf_upload()),
        lambda c: {"file": {"name": "v2.pdf", "content_base64": base64.b64encode(draft_pdf("Mới")).decode()}},
    ),
    "submit": (lambda u, d, c: services.document_submit(actor=u, document=d), lambda c: {}),
    "return": (
        lambda u, d, c: services.document_return(actor=u, document=d, reason="Sửa trích yếu"),
        lambda c: {"reason": "Sửa trích yếu"},
    ),
    "approve": (lambda u, d, c: services.document_approve(actor=u, document=d), lambda c: {}),
    "sign": (lambda u, d, c: services.document_sign(actor=u, document=d), lambda c: {}),
    "issue": (lambda u, d, c: services.document_issue(actor=u, document=d), lambda c: {}),
    "register": (lambda u, d, c: services.document_register(actor=u, document=d), lambda c: {}),
    "send_back": (
        lambda u, d, c: services.document_send_back(actor=u, document=d, reason="Gửi nhầm"),
        lambda c: {"reason": "Gửi nhầm"},
    ),
    "direct": (
        lambda u, d, c: services.document_direct(
            actor=u, document=d, lead_id=c["sg_lead"].pk, working_days=5, instruction="Giao xử lý"
        ),
        lambda c: {"lead_id": c["sg_lead"].pk, "working_days": 5, "instruction": "Giao xử lý"},
    ),
    "progress": (
        lambda u, d, c: services.document_progress(actor=u, document=d, note="Đang xử lý"),
        lambda c: {"note": "Đang xử lý"},
    ),
    "complete": (lambda u, d, c: services.document_complete(actor=u, document=d), lambda c: {}),
    "recall": (
        lambda u, d, c: services.document_recall(actor=u, document=d, reason="Ban hành nhầm"),
        lambda c: {"reason": "Ban hành nhầm"},
    ),
    "confirm_recall": (lambda u, d, c: services.document_confirm_recall(actor=u, document=d), lambda c: {}),
}
ENDPOINTS = {"send_back": "send-back", "confirm_recall": "confirm-recall"}


@pytest.fixture
def cast(db, tmp_path, settings, ben_thanh, sai_gon, city_leader, centre_admin):
    pki = TestPKI(tmp_path / "pki")
    settings.DOCUMENTS_TRUST_ROOTS = [pki.root_file]
    people = {
        "specialist": make_staff("cv@bt.test", ben_thanh, ["specialist"], full_name="Chuyên Viên"),
        "leader": make_staff("ld@bt.test", ben_thanh, ["leader"], full_name="Lãnh Đạo", position="Chủ tịch"),
        "clerk": make_staff("vt@bt.test", ben_thanh, ["clerk"], full_name="Văn Thư"),
        "admin": make_staff("qt@bt.test", ben_thanh, ["unit_admin"], full_name="Quản Trị"),
        "sg_clerk": make_staff("vt@sg.test", sai_gon, ["clerk"], full_name="Văn Thư SG"),
        "sg_leader": make_staff("ld@sg.test", sai_gon, ["leader"], full_name="Lãnh Đạo SG"),
        "sg_lead": make_staff("ct@sg.test", sai_gon, ["specialist"], full_name="Chủ Trì SG"),
        "sg_support": make_staff("ph@sg.test", sai_gon, ["specialist"], full_name="Phối Hợp SG"),
        "city_leader": city_leader,
        "centre_admin": centre_admin,
    }
    signing_keys_install(pki, admin=people["admin"], leader=people["leader"], organisation=ben_thanh)
    return {**people, "sai_gon": sai_gon}


def _build(name, cast) -> Document:
    steps, _state, secret = SCENARIOS[name]
    c = cast
    readers = [c["leader"].pk, c["clerk"].pk] if secret else []
    document = services.document_create(
        actor=c["specialist"],
        doc_type="CV",
        summary="Về việc thử hợp đồng của quy trình",
        confidentiality="mat" if secret else "",
        recipients=[c["sai_gon"].pk],
        readers=readers,
        file=None if "no_file" in steps else SimpleUploadedFile("v1.pdf", draft_pdf("Công văn")),
    )
    actions = {
        "no_file": lambda d: d,
        "submit": lambda d: services.document_submit(actor=c["specialist"], document=d),
        "approve": lambda d: services.document_approve(actor=c["leader"], document=d),
        "sign": lambda d: services.document_sign(actor=c["leader"], document=d),
        "issue": lambda d: services.document_issue(actor=c["clerk"], document=d),
        "copy": lambda d: d.deliveries.get(),
        "send_back": lambda d: services.document_send_back(actor=c["sg_clerk"], document=d, reason="Nhầm"),
        "register": lambda d: services.document_register(actor=c["sg_clerk"], document=d),
        "direct": lambda d: services.document_direct(
            actor=c["sg_leader"], document=d, lead_id=c["sg_lead"].pk, working_days=5, instruction="Xử lý"
        ),
        "complete": lambda d: services.document_complete(actor=c["sg_lead"], document=d),
        "recall": lambda d: services.document_recall(actor=c["leader"], document=d, reason="Nhầm"),
        "recall_source": lambda d: services.document_recall(actor=c["leader"], document=d.source, reason="Nhầm"),
        "confirm_recall": lambda d: services.document_confirm_recall(actor=c["sg_clerk"], document=d),
    }
    for step in steps:
        if secret and step == "direct":  # a secret document: the clerk names the leader who directs it
            services.document_name_readers(actor=c["sg_clerk"], document=document, user_ids=[c["sg_leader"].pk])
        result = actions[step](Document.objects.get(pk=document.pk))
        document = result if step == "copy" else document
    return Document.objects.get(pk=document.pk)


def _service(persona, command, document, cast):
    """None when the service accepts; else the exception it refused with."""
    try:
        with transaction.atomic():
            CALLS[command][0](persona, Document.objects.get(pk=document.pk), cast)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError) as exc:
        return exc
    return None


def _api(client, command, document, cast) -> int:
    endpoint = ENDPOINTS.get(command, command)
    with transaction.atomic():
        response = client.post(
            f"{BASE}/{document.pk}/{endpoint}", CALLS[command][1](cast), content_type="application/json"
        )
        transaction.set_rollback(True)
    return response.status_code


def _signed_in(user) -> Client:
    """A client signed in as `user` (two-factor marked as passed for a platform administrator)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.has_role("platform_admin"):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def _expected_status(refusal) -> int:
    if isinstance(refusal, PermissionDenied):
        return 403
    if isinstance(refusal, TransitionError):
        return 409
    return 400


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_pages_services_and_api_agree(scenario, cast):
    document = _build(scenario, cast)
    assert document.status == SCENARIOS[scenario][1]
    clients = {name: _signed_in(cast[name]) for name in PERSONAS}
    offered_somewhere = []
    for name in PERSONAS:
        persona = cast[name]
        buttons = WORKFLOW.available_actions(persona, document)
        assert set(buttons) <= set(WORKFLOW.commands(audience=STAFF))
        visible = selectors.can_view(persona, document)
        page = clients[name].get(f"/van-ban/{document.pk}/")
        assert page.status_code == (200 if visible else 404), f"{scenario}: {name} page {page.status_code}"
        html = page.content.decode()
        for command in CALLS:
            where = f"{scenario}: {name} {command}"
            offered = command in buttons
            assert offered == (f"/van-ban/{document.pk}/{command}/" in html), f"{where}: button and table disagree"
            refusal = _service(persona, command, document, cast)
            assert offered == (refusal is None), f"{where}: offered={offered}, service refused with {refusal!r}"
            if not visible and command != "submit":
                continue  # a document they may not see is a 404 whatever the action: asked once
            status = _api(clients[name], command, document, cast)
            if offered:
                assert status == 200, f"{where}: offered but the API answered {status}"
                offered_somewhere.append(command)
            elif not visible:
                assert status == 404, f"{where}: a document they may not see answered {status}"
            else:
                expected = _expected_status(refusal)
                assert status == expected, f"{where}: the service refused with {refusal!r}, the API with {status}"
    # Each scenario lets somebody act (the test can fail both ways), except the states that end a flow and
    # a secret document registered but not yet submitted to a leader (only the clerk is named: no action).
    ends = ("sent_back", "done", "recalled", "withdrawn", "secret_registered")
    assert bool(offered_somewhere) == (scenario not in ends)


def test_the_table_offers_what_each_role_does(cast):
    """A few rows of the table spelled out, so that a table that offers nothing cannot pass the contract."""
    draft, approved = _build("draft", cast), _build("approved", cast)
    assert WORKFLOW.available_actions(cast["specialist"], draft) == ["revise", "submit"]
    assert WORKFLOW.available_actions(cast["clerk"], draft) == ["revise", "submit"]
    assert WORKFLOW.available_actions(cast["sg_clerk"], draft) == []
    assert WORKFLOW.available_actions(cast["leader"], approved) == ["return", "sign"]
    assert WORKFLOW.available_actions(cast["specialist"], approved) == []
    handling = _build("handling", cast)
    assert WORKFLOW.available_actions(cast["sg_lead"], handling) == ["progress", "complete"]
    assert WORKFLOW.available_actions(cast["sg_support"], handling) == []  # not named by the instruction
    assert WORKFLOW.available_actions(cast["sg_leader"], handling) == []
    secret = _build("secret_registered", cast)
    assert WORKFLOW.available_actions(cast["sg_leader"], secret) == []  # not named on a secret document
    assert WORKFLOW.available_actions(cast["sg_clerk"], secret) == []
