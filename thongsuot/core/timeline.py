"""The timeline of a workflow object: an abstract event model and the one `record()` that writes it.

A system declares its event model (a subclass of TimelineEvent with a foreign key to its object) and a
`Timeline` that names it, the object's fields the audit rows snapshot and its typed audit actions:

    class ReportEvent(TimelineEvent):
        report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")

    TIMELINE = Timeline(event_model=ReportEvent, subject="report", tracked=TRACKED, audit=ReportAudit)
    TIMELINE.record(report, actor=user, action="progress", note="…", fields={"committed_date": day})

`record` does, in one transaction: snapshot → apply the fields → save → timeline event → audit row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from thongsuot.core.audit import AuditActions, audit_record, snapshot


class TimelineEvent(models.Model):
    """One entry of an object's timeline: who (a user, or a label such as "citizen" or "system"), which
    action, the state before and after (empty for an action without a state change), a note, and whether
    the public may read it. Subclasses add the foreign key to their object and may narrow the state
    fields (their choices, their length)."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def created_at(self):
        return self.at


def is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _organisation_id(obj) -> int | None:
    return getattr(obj, "organisation_id", None)


@dataclass(frozen=True)
class Timeline:
    """How one system records its objects' events (see the module's docstring)."""

    event_model: type[TimelineEvent] | str  # the model, or "app_label.Model" (read when first used)
    subject: str  # the event model's foreign key to the object
    tracked: tuple[str, ...]  # the object's fields its audit rows hold before and after
    audit: type[AuditActions]  # the typed audit action names; each recorded action must be declared
    anonymous: str = "citizen"  # who acted when the actor is None
    organisation: Callable[[models.Model], int | None] = _organisation_id

    def model(self) -> type[TimelineEvent]:
        if isinstance(self.event_model, str):
            return apps.get_model(self.event_model)
        return self.event_model

    @transaction.atomic(savepoint=False)
    def record(
        self,
        obj: models.Model,
        *,
        actor,
        action: str,
        note: str = "",
        public: bool = True,
        fields: dict | None = None,
        from_status: str = "",
        to_status: str = "",
        save: bool = True,
    ) -> TimelineEvent:
        """Apply `fields`, save, and write the timeline event and the audit row (before/after).
        `save=False` for an object its caller has just inserted, with nothing to change."""
        audit_action = self.audit.of(action)  # before any write: an undeclared action is a bug
        before = snapshot(obj, list(self.tracked))
        if save:
            for name, value in (fields or {}).items():
                setattr(obj, name, value)
            obj.save()
        elif fields or obj.pk is None:
            raise ValueError("save=False records an object already saved as it is")
        user = is_user(actor)
        event = self.model().objects.create(
            **{self.subject: obj},
            actor=actor if user else None,
            actor_label=actor.get_username() if user else (actor or self.anonymous),
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
            public=public,
        )
        audit_record(
            actor=actor if user else (actor or self.anonymous),
            action=audit_action,
            obj=obj,
            organisation_id=self.organisation(obj),
            before=before,
            after=snapshot(obj, list(self.tracked)),
            reason=note,
        )
        return event
