"""The host's own attendance marks: present, late or absent, with the reason (an endpoint that joined by
phone, or failed to connect). A mark overrides the roll-call from Janus' events; marking again changes it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thongsuot.conferences.audit_actions import MeetingAudit
from thongsuot.conferences.models import AttendanceMark, Meeting
from thongsuot.conferences.states import WORKFLOW
from thongsuot.core.audit import audit_record


@transaction.atomic
def attendance_mark(*, actor, meeting, endpoint, mark: str, reason: str) -> AttendanceMark:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "mark")
    if not meeting.invitations.filter(endpoint=endpoint).exists():
        raise ValidationError({"endpoint": [_("This endpoint is not invited to the meeting.")]})
    if mark not in AttendanceMark.Mark.values:
        raise ValidationError({"mark": [_("Choose present, late or absent.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you mark this endpoint by hand.")]})
    existing = AttendanceMark.objects.filter(meeting=meeting, endpoint=endpoint).first()
    before = {"mark": existing.mark, "reason": existing.reason} if existing else None
    saved, _made = AttendanceMark.objects.update_or_create(
        meeting=meeting, endpoint=endpoint, defaults={"mark": mark, "reason": reason[:300], "marked_by": actor}
    )
    audit_record(
        actor=actor,
        action=MeetingAudit.MARK,
        obj=meeting,
        organisation_id=endpoint.organisation_id,
        before=before,
        after={"endpoint": endpoint.code, "mark": mark, "reason": reason[:300]},
    )
    return saved
