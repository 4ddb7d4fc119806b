"""The conferences system's notifications: invitations (with an .ics file), changes, cancellations."""

from django.conf import settings
from django.urls import reverse

from thongsuot.conferences.models import Meeting
from thongsuot.core.notifications import EMAIL, IN_APP, Event


def _context(context):
    meeting = Meeting.objects.select_related("chair", "organisation").filter(pk=context["meeting_id"]).first()
    if meeting is None:
        return None
    path = reverse("conferences:meeting", args=[meeting.pk])
    return {"meeting": meeting, "url": settings.SITE_URL + path, "link": path}


def _ics(values):
    from thongsuot.conferences.ics import meeting_ics

    meeting = values["meeting"]
    return [
        ("hop-truc-tuyen.ics", meeting_ics(meeting, url=values["url"]), "text/calendar; method=" + _method(meeting))
    ]


def _method(meeting) -> str:
    return "CANCEL" if meeting.status == "cancelled" else "REQUEST"


INVITED = Event("conferences.invited", channels=(EMAIL, IN_APP), load=_context, attach=_ics)
CHANGED = Event("conferences.changed", channels=(EMAIL, IN_APP), load=_context, attach=_ics)
CANCELLED = Event("conferences.cancelled", channels=(EMAIL, IN_APP), load=_context, attach=_ics)
EVENTS = (INVITED, CHANGED, CANCELLED)
