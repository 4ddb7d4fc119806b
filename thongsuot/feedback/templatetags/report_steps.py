"""{% report_steps report %}: the report's place in the workflow as the design system's step indicator."""

from django import template

from thongsuot.feedback.states import Status

register = template.Library()

# The steps a citizen recognises, each with the states that belong to it (the workflow in states.py).
STEPS = (
    (Status.RECEIVED, (Status.RECEIVED, Status.VERIFIED)),
    (Status.ASSIGNED, (Status.ASSIGNED,)),
    (Status.IN_PROGRESS, (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)),
    (Status.RESOLVED, (Status.RESOLVED,)),
    (Status.PUBLISHED, (Status.PUBLISHED,)),
    (Status.CLOSED, (Status.RATED, Status.CLOSED)),
)


@register.inclusion_tag("feedback/_steps.html")
def report_steps(report):
    status = report.status
    current = next((i for i, (_label, members) in enumerate(STEPS) if status in members), None)
    steps = [
        {
            "label": label.label,
            "state": "complete"
            if current is not None and (i < current or (i == current and status == Status.CLOSED))
            else "current"
            if i == current
            else "upcoming",
        }
        for i, (label, _members) in enumerate(STEPS)
    ]
    return {
        "steps": steps,
        "current": (current or 0) + 1,
        "total": len(STEPS),
        "rejected": status == Status.REJECTED,
        "status_label": report.get_status_display(),
    }
