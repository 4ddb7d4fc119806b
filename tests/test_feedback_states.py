"""The 1022 workflow table and its state groups, pinned: an edge added or removed, or a state moved between
groups, fails here (each was a mutant that passed the suite)."""

import pytest

from thongsuot.feedback import states
from thongsuot.feedback.states import Status as S

EDGES = {
    S.RECEIVED: {S.VERIFIED: "verify", S.REJECTED: "reject"},
    S.VERIFIED: {S.ASSIGNED: "assign", S.REJECTED: "reject"},
    S.ASSIGNED: {S.ACCEPTED: "accept", S.VERIFIED: "return"},
    S.ACCEPTED: {S.IN_PROGRESS: "start", S.RESOLVED: "resolve"},
    S.REOPENED: {S.IN_PROGRESS: "start", S.RESOLVED: "resolve"},
    S.IN_PROGRESS: {S.RESOLVED: "resolve"},
    S.RESOLVED: {S.PUBLISHED: "publish"},
    S.PUBLISHED: {S.RATED: "rate", S.CLOSED: "close"},
    S.RATED: {S.REOPENED: "reopen", S.CLOSED: "close"},
}


def test_the_table_has_exactly_these_edges():
    assert {k: dict(v) for k, v in states.TRANSITIONS.items()} == EDGES
    for source in S.values:
        for target in S.values:
            assert states.allowed(source, target) == (target in EDGES.get(source, {})), (source, target)


@pytest.mark.parametrize(
    "source, target",
    [(S.RESOLVED, S.CLOSED), (S.RECEIVED, S.ASSIGNED), (S.REJECTED, S.VERIFIED), (S.CLOSED, S.REOPENED)],
)
def test_shortcuts_the_rules_forbid_are_refused(source, target):
    assert not states.allowed(source, target)
    with pytest.raises(states.TransitionError):
        states.action_for(source, target)


def test_the_state_groups():
    assert states.HANDLING == {S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}
    assert states.DISPATCH == {S.RECEIVED, S.VERIFIED}
    assert states.FINAL == {S.REJECTED, S.CLOSED}
    assert states.PUBLIC == {S.PUBLISHED, S.RATED, S.CLOSED}
    # a duplicate may be merged into any report still being worked on, not into a finished or public one
    assert states.OPEN == {S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.REOPENED}
    assert not (states.OPEN & states.PUBLIC) and not (states.OPEN & states.FINAL)


@pytest.mark.django_db
def test_a_refusal_says_why(ben_thanh, sai_gon, ward_clerk):
    from types import SimpleNamespace

    from django.utils import translation

    from tests.conftest import make_staff

    handler = make_staff("xl@benthanh.test", ben_thanh, ["feedback_handler"])
    actions = {action.name: action for action in states.ACTIONS}
    own, other = SimpleNamespace(organisation_id=ben_thanh.pk), SimpleNamespace(organisation_id=sai_gon.pk)
    refusal = states.WORKFLOW.access.refusal
    with translation.override("en"):
        assert refusal(handler, own, actions["verify"]) == "Only the 1022 dispatchers may do this."
        assert refusal(handler, SimpleNamespace(organisation_id=None), actions["accept"]) == (
            "Only the 1022 dispatchers may do this."
        )
        assert refusal(handler, other, actions["accept"]) == "You may not change this organisation's records."
        assert refusal(ward_clerk, own, actions["accept"]) == "Your role does not allow this action."
        assert refusal(handler, own, actions["rate"]) == "Only the person who sent the report can rate it."


@pytest.mark.django_db
def test_only_the_reports_own_citizen_is_its_citizen(citizen):
    from types import SimpleNamespace

    from thongsuot.accounts.models import User

    other = User.objects.create(username="0909999999", phone="0909999999", full_name="Người Khác", kind="citizen")
    assert other.pk > citizen.pk
    access = states.WORKFLOW.access
    for author, stranger in ((citizen, other), (other, citizen)):  # a stranger's id below and above the author's
        report = SimpleNamespace(citizen_id=author.pk, citizen_key="k" * 20)
        assert access.is_citizen(author, report, "")
        assert not access.is_citizen(stranger, report, "")


def test_the_sweep_closes_and_a_resolved_report_is_no_longer_overdue():
    close = next(action for action in states.ACTIONS if action.name == "close")
    assert states.WORKFLOW.permits("system", object(), close)  # only the sweep (the "system") closes
    resolve = next(action for action in states.ACTIONS if action.name == "resolve")
    assert resolve.stamped()["overdue"] is False
