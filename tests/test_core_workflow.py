"""The generic workflow machinery (thongsuot.core.workflow) on a tiny toy table, and the timeline's record."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import translation

from thongsuot.core.audit import AuditActions
from thongsuot.core.models import AuditEntry
from thongsuot.core.timeline import Timeline
from thongsuot.core.workflow import CITIZEN, Action, Guard, TransitionError, Workflow, transition


class Toy(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    DONE = "done", "Done"


class ToyAudit(AuditActions, prefix="toy.dossier"):
    SUBMIT = "submit"
    APPROVE = "approve"
    NOTE = "note"
    ARCHIVE = "archive"


class ToyAccess:
    """Users are plain objects: a dispatcher flag, their unit and roles; the citizen holds a key."""

    def is_dispatcher(self, user) -> bool:
        return getattr(user, "dispatcher", False)

    def in_unit(self, user, obj, roles) -> bool:
        return getattr(user, "unit", None) == obj.unit and bool(set(getattr(user, "roles", ())) & set(roles))

    def is_citizen(self, user, obj, key) -> bool:
        return key == obj.key

    def refusal(self, user, obj, action) -> str:
        return f"not yours: {action.name}"


def _signed(obj) -> bool:
    return bool(obj.signed)


TABLE = (
    Action("submit", (Toy.DRAFT,), Toy.REVIEW, roles=("clerk",), stamps={"submitted": True}),
    Action(
        "approve",
        (Toy.REVIEW,),
        Toy.DONE,
        roles=("leader",),
        dispatcher=True,
        guards=(Guard(_signed, "Sign it first.", "signed"),),
    ),
    Action("note", (Toy.DRAFT, Toy.REVIEW), roles=("clerk", "leader")),
    Action("note", (Toy.DONE,), citizen=True, command="comment", audience=CITIZEN),
    Action("archive", (Toy.DONE,), Toy.DRAFT, system=True, command=None),
)
TIMELINE = Timeline(event_model="feedback.ReportEvent", subject="report", tracked=("status",), audit=ToyAudit)


def toy_workflow(actions=TABLE, states=Toy):
    return Workflow(
        name="toy",
        states=states,
        actions=actions,
        access=ToyAccess(),
        timeline=TIMELINE,
        illegal_message="“%(from)s” cannot become “%(to)s”.",
        unavailable_message="Not while “%(from)s”.",
    )


WF = toy_workflow()
CLERK = SimpleNamespace(unit=1, roles=("clerk",))
LEADER = SimpleNamespace(unit=1, roles=("leader",))
OTHER_LEADER = SimpleNamespace(unit=2, roles=("leader",))
DISPATCHER = SimpleNamespace(dispatcher=True)
NOBODY = SimpleNamespace()


def dossier(status, signed=True):
    return SimpleNamespace(status=status, unit=1, key="k", signed=signed)


def test_the_edges_come_from_the_table():
    assert WF.allowed(Toy.DRAFT, Toy.REVIEW) and not WF.allowed(Toy.DRAFT, Toy.DONE)
    assert WF.edge(Toy.DONE, Toy.DRAFT).name == "archive"
    with pytest.raises(TransitionError, match="“Draft” cannot become “Done”"):
        WF.edge(Toy.DRAFT, Toy.DONE)
    assert WF.commands() == ["submit", "approve", "note", "comment"]
    assert WF.commands(audience=CITIZEN) == ["comment"]


def test_a_table_that_contradicts_itself_is_refused():
    with pytest.raises(ValueError, match="both"):
        toy_workflow(TABLE + (Action("reopen", (Toy.DRAFT,), Toy.REVIEW),))
    with pytest.raises(ValueError, match="unknown state"):
        toy_workflow((Action("submit", ("lost",), Toy.REVIEW),))


def test_require_refuses_the_wrong_person_then_the_wrong_state_then_a_failed_guard():
    with pytest.raises(PermissionDenied, match="not yours: approve"):
        WF.require(CLERK, dossier(Toy.REVIEW), "approve")
    with pytest.raises(PermissionDenied):
        WF.require(OTHER_LEADER, dossier(Toy.REVIEW), "approve")
    with pytest.raises(TransitionError, match="“Draft” cannot become “Done”"):
        WF.require(LEADER, dossier(Toy.DRAFT), "approve")
    with pytest.raises(TransitionError, match="Not while “Done”"):
        WF.require(LEADER, dossier(Toy.DONE), "note")  # an action without a state change
    with pytest.raises(ValidationError) as refused:
        WF.require(LEADER, dossier(Toy.REVIEW, signed=False), "approve")
    assert refused.value.message_dict == {"signed": ["Sign it first."]}
    assert WF.require(DISPATCHER, dossier(Toy.REVIEW), "approve").name == "approve"
    assert WF.require(NOBODY, dossier(Toy.DONE), "comment", key="k").name == "note"
    with pytest.raises(PermissionDenied):
        WF.require(NOBODY, dossier(Toy.DONE), "comment", key="wrong")
    with pytest.raises(KeyError):
        WF.require(LEADER, dossier(Toy.DONE), "archive")  # nobody's command


def test_a_guard_without_a_field_is_a_conflict():
    table = (Action("submit", (Toy.DRAFT,), Toy.REVIEW, roles=("clerk",), guards=(Guard(_signed, "Unsigned."),)),)
    with pytest.raises(TransitionError, match="Unsigned."):
        toy_workflow(table).require(CLERK, dossier(Toy.DRAFT, signed=False), "submit")


@pytest.mark.parametrize("status", Toy.values)
@pytest.mark.parametrize("signed", [True, False])
def test_available_actions_offers_exactly_what_require_accepts(status, signed):
    obj = dossier(status, signed=signed)
    for user in (CLERK, LEADER, OTHER_LEADER, DISPATCHER, NOBODY):
        for audience in ("staff", CITIZEN):
            offered = WF.available_actions(user, obj, audience=audience, key="k")
            for command in WF.commands(audience=audience):
                assert (command in offered) == WF.may(user, obj, command, key="k"), (status, user, command)


def test_the_buttons_follow_the_state():
    assert WF.available_actions(CLERK, dossier(Toy.DRAFT)) == ["submit", "note"]
    assert WF.available_actions(LEADER, dossier(Toy.REVIEW)) == ["approve", "note"]
    assert WF.available_actions(LEADER, dossier(Toy.REVIEW, signed=False)) == ["note"]
    assert WF.available_actions(LEADER, dossier(Toy.DONE)) == []
    assert WF.available_actions(NOBODY, dossier(Toy.DONE), audience=CITIZEN, key="k") == ["comment"]


# transition() and the timeline, on a real table (the feedback report and its events) -----------------


@pytest.fixture
def report(db):
    from thongsuot.feedback.testing import submit

    return submit()


def report_workflow():
    from thongsuot.feedback.states import Status

    class Audit(AuditActions, prefix="toy.report"):
        VERIFY = "verify"

    table = (Action("verify", (Status.RECEIVED,), Status.VERIFIED, dispatcher=True, stamps={"status_note": "ok"}),)
    timeline = Timeline(
        event_model="feedback.ReportEvent", subject="report", tracked=("status", "status_note"), audit=Audit
    )
    return Workflow(
        name="toy",
        states=Status,
        actions=table,
        access=ToyAccess(),
        timeline=timeline,
        illegal_message="%(from)s → %(to)s",
        unavailable_message="%(from)s",
    )


def test_transition_stamps_saves_and_records_event_and_audit_row(report):
    event = transition(report_workflow(), report, "verified", actor="system", note="checked", public=False)
    report.refresh_from_db()
    assert report.status == "verified" and report.status_note == "ok"
    assert (event.action, event.from_status, event.to_status, event.actor_label) == (
        "verify",
        "received",
        "verified",
        "system",
    )
    assert event.created_at == event.at and not event.public
    row = AuditEntry.objects.get(action="toy.report.verify", object_id=str(report.pk))
    assert row.before == {"status": "received", "status_note": ""}
    assert row.after == {"status": "verified", "status_note": "ok"} and row.reason == "checked"


def test_the_callers_fields_win_over_the_stamps(report):
    transition(report_workflow(), report, "verified", actor=None, fields={"status_note": "by hand"})
    report.refresh_from_db()
    assert report.status_note == "by hand"
    assert report.events.get(action="verify").actor_label == "citizen"  # the timeline's anonymous actor


def test_an_illegal_transition_writes_nothing(report):
    before = (report.events.count(), AuditEntry.objects.count())
    with translation.override("en"), pytest.raises(TransitionError, match="Received → Closed"):
        transition(report_workflow(), report, "closed", actor="system")
    report.refresh_from_db()
    assert report.status == "received" and (report.events.count(), AuditEntry.objects.count()) == before


def test_an_undeclared_audit_action_writes_nothing(report):
    with pytest.raises(KeyError, match="declares no audit action 'verify'"), transaction.atomic():
        TIMELINE.record(report, actor="system", action="verify", fields={"status_note": "x"})
    report.refresh_from_db()
    assert report.status_note == "" and not report.events.filter(action="verify").exists()
