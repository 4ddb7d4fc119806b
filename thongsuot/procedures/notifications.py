"""The procedures system's notifications (registered by ProceduresConfig.ready()): the applicant is told of
every change of their dossier (e-mail and SMS to the addresses they gave, and the list inside the platform
when they have an account); the units' staff of a dossier that is about to be late or late.

The services call these inside their transaction; core.notifications.notify() sends after the commit."""

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from thongsuot.accounts.models import User
from thongsuot.core.notifications import EMAIL, IN_APP, SMS, Contact, Event, notify
from thongsuot.procedures.models import Dossier, DossierEvent
from thongsuot.procedures.states import ACTION_LABELS, AT_DECIDING_UNIT, DESK_ROLES, HANDLER_ROLES, Status

_silenced: ContextVar[bool] = ContextVar("procedures_notifications_silenced", default=False)


@contextmanager
def silenced():
    """Nobody is told of the changes made inside (demo data loaded through the services)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def lookup_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse("procedures:lookup") + "?" + urlencode({"code": dossier.code})


def _status_context(context: dict) -> dict | None:
    event = DossierEvent.objects.select_related("dossier__procedure").filter(pk=context["event_id"]).first()
    if event is None or event.dossier_id != context["dossier_id"] or not event.public:
        return None
    dossier = event.dossier
    url = lookup_url(dossier)
    return {
        "dossier": dossier,
        "event": event,
        "what": ACTION_LABELS.get(event.action, event.action),
        "status": Status(dossier.status).label,
        "url": url,
        "link": reverse("procedures:dossier", args=[dossier.code]) if dossier.citizen_id else url,
    }


def _staff_context(context: dict) -> dict | None:
    dossier = Dossier.objects.select_related("procedure").filter(pk=context["dossier_id"]).first()
    if dossier is None:
        return None
    path = reverse("procedures:dossier", args=[dossier.code])
    return {"dossier": dossier, "url": settings.SITE_URL + path, "link": path}


DOSSIER_STATUS = Event("procedures.dossier_status", channels=(EMAIL, SMS, IN_APP), load=_status_context)
DOSSIER_DUE_SOON = Event("procedures.dossier_due_soon", channels=(EMAIL, IN_APP), load=_staff_context)
DOSSIER_LATE = Event("procedures.dossier_late", channels=(EMAIL, IN_APP), load=_staff_context)
EVENTS = (DOSSIER_STATUS, DOSSIER_DUE_SOON, DOSSIER_LATE)


def applicant_told(dossier: Dossier, event: DossierEvent) -> None:
    """A public change of the dossier: to the applicant's e-mail and phone, and their account's list."""
    if not event.public or _silenced.get():
        return
    recipients = [Contact(email=dossier.applicant_email, phone=dossier.applicant_phone, name=dossier.applicant_name)]
    if dossier.citizen_id:
        recipients.append(User(pk=dossier.citizen_id))
    notify(DOSSIER_STATUS, recipients, {"dossier_id": dossier.pk, "event_id": event.pk})


def handlers_of(dossier: Dossier):
    """Who acts on the dossier now: the desk of the receiving unit, or the deciding unit's handlers."""
    if dossier.status in AT_DECIDING_UNIT:
        unit, roles = dossier.deciding_unit_id, HANDLER_ROLES
    else:
        unit, roles = dossier.receiving_unit_id, DESK_ROLES
    return User.objects.filter(
        organisation_id=unit, is_active=True, kind=User.Kind.STAFF, roles__code__in=roles
    ).distinct()


def staff_warned(dossier: Dossier, *, late: bool) -> None:
    """From the sweep (already in the worker): the handlers and the desk, at once."""
    desk = User.objects.filter(
        organisation_id=dossier.receiving_unit_id, is_active=True, kind=User.Kind.STAFF, roles__code__in=DESK_ROLES
    )
    people = {user.pk: user for user in [*handlers_of(dossier), *desk]}
    notify(DOSSIER_LATE if late else DOSSIER_DUE_SOON, people.values(), {"dossier_id": dossier.pk}, at_once=True)
