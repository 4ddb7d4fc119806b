"""Who may act on a meeting, from the conferences' workflow table and its access rules."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from tests.conftest import make_staff
from thongsuot.conferences import states

pytestmark = pytest.mark.django_db


def _meeting(organisation, chair=None, status="scheduled"):
    return SimpleNamespace(organisation_id=organisation.pk, chair_id=chair.pk if chair else None, status=status)


def test_the_organiser_units_roles_and_platform_administrators_act_others_do_not(
    ben_thanh, ward_admin, other_ward_admin, ward_specialist, centre_admin
):
    meeting = _meeting(ben_thanh)
    offered = states.WORKFLOW.available_actions(ward_admin, meeting)
    assert "start" in offered and "cancel" in offered
    assert states.WORKFLOW.available_actions(centre_admin, meeting) == offered  # every unit's meetings
    assert states.WORKFLOW.available_actions(other_ward_admin, meeting) == []  # another unit
    assert states.WORKFLOW.available_actions(ward_specialist, meeting) == []  # not an organiser's role
    assert states.WORKFLOW.available_actions(AnonymousUser(), meeting) == []  # nobody, even with no chair


def test_the_chair_acts_on_the_meetings_they_chair_and_no_other(ben_thanh, sai_gon):
    bystander = make_staff("bystander@saigon.test", sai_gon, ["specialist"])  # created first: a smaller id
    chair = make_staff("chair@saigon.test", sai_gon, ["specialist"])
    assert bystander.pk < chair.pk
    chaired = _meeting(ben_thanh, chair=chair, status="live")
    assert "moderate" in states.WORKFLOW.available_actions(chair, chaired)
    assert states.WORKFLOW.available_actions(bystander, chaired) == []
    assert states.WORKFLOW.available_actions(chair, _meeting(ben_thanh, chair=bystander)) == []


def test_a_refusal_says_why(ben_thanh, other_ward_admin, ward_specialist):
    meeting = _meeting(ben_thanh)
    start = next(action for action in states.ACTIONS if action.name == "start")
    with translation.override("en"):
        assert states.WORKFLOW.access.refusal(other_ward_admin, meeting, start) == (
            "You may not change this organisation's records."
        )
        assert states.WORKFLOW.access.refusal(ward_specialist, meeting, start) == (
            "Your role does not allow this action."
        )
