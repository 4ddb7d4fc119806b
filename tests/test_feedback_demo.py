"""The demo data generator of the 1022 feedback system (thongsuot.demo.feedback) and its command."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from thongsuot.core.calendar import add_working_days, is_working_day
from thongsuot.core.text import fold
from thongsuot.demo.feedback import CODE_PREFIX, delete_demo_reports, demo_reports, fast_fold, generate_reports
from thongsuot.feedback import states
from thongsuot.feedback.models import CodeSequence, Report, ReportEvent
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import submit

pytestmark = pytest.mark.django_db

START, END = date(2025, 8, 1), date(2025, 11, 1)


def _generate(count=300, seed=7, **kwargs):
    return generate_reports(count=count, start=START, end=END, seed=seed, **kwargs)


def _snapshot():
    fields = [
        "code",
        "category__code",
        "organisation__code",
        "resolved_unit__code",
        "status",
        "received_at",
        "forwarded_at",
        "resolved_at",
        "due_date",
        "rating",
        "description",
        "contact_phone",
        "citizen_key",
    ]
    return list(demo_reports().order_by("code").values_list(*fields))


def test_count_units_and_channels():
    assert _generate() == 300
    reports = list(demo_reports().select_related("organisation", "resolved_unit", "category"))
    assert len(reports) == 300
    assert all(r.code.startswith(f"{CODE_PREFIX}-") for r in reports)
    for r in reports:
        assert r.resolved_unit.kind == "commune"
        if r.organisation_id is not None:
            assert r.organisation.kind in ("commune", "department")
        if r.organisation_id and r.category.responsible == "department" and r.return_count == 0:
            assert r.organisation.kind == "department"
        assert START <= timezone.localtime(r.received_at).date() < END
        assert r.contact_phone or r.contact_email
        assert not r.contact_phone or (len(r.contact_phone) == 10 and r.contact_phone.startswith("0"))
        assert len(r.citizen_key) == 22
    assert len({r.resolved_unit_id for r in reports}) > 80  # spread over the city
    channels = [r.channel for r in reports]
    assert channels.count("hotline") > channels.count("web") > channels.count("email")


def test_statuses_consistent_with_timestamps():
    _generate()
    reports = list(demo_reports().select_related("category"))
    statuses = {r.status for r in reports}
    assert {Status.CLOSED, Status.REJECTED} <= statuses
    for r in reports:
        for moment in (r.verified_at, r.forwarded_at, r.accepted_at, r.resolved_at, r.published_at, r.closed_at):
            assert moment is None or moment >= r.received_at
        if r.forwarded_at:
            assert r.organisation_id is not None
        if r.status in (Status.RECEIVED, Status.VERIFIED, Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS):
            if r.reopen_count == 0:
                assert r.resolved_at is None and r.published_at is None and r.closed_at is None
        if r.status in states.PUBLIC or r.status == Status.RESOLVED:
            assert r.resolved_at is not None and r.resolution
        if r.status in states.PUBLIC:
            assert r.published_at >= r.resolved_at
        if r.status == Status.REJECTED:
            assert r.reject_reason and r.closed_at and r.organisation_id is None
        if r.status == Status.CLOSED:
            assert r.closed_at >= r.published_at
        if r.rating is not None:
            assert 1 <= r.rating <= 5 and r.satisfied is not None
            assert r.satisfied == (r.rating >= 4)
        if r.overdue:
            assert r.status in states.HANDLING and r.due_date < timezone.localtime(r.resolved_at or END_AWARE).date()
    resolved = [r for r in reports if r.resolved_at and r.reopen_count == 0]
    on_time = sum(timezone.localtime(r.resolved_at).date() <= r.due_date for r in resolved) / len(resolved)
    assert 0.75 < on_time < 0.97


END_AWARE = timezone.make_aware(timezone.datetime(END.year, END.month, END.day))


def test_due_dates_are_working_days_from_the_calendar():
    _generate()
    for r in demo_reports().select_related("category"):
        assert r.due_date is not None and is_working_day(r.due_date)
        if r.reopen_count == 0:
            assert r.due_date == add_working_days(r.received_at, r.category.handling_days)


def test_public_text_and_search_keep_contact_data_out():
    _generate(count=600)
    with_contact_in_text = 0
    for r in demo_reports().select_related("category"):
        assert r.contact_phone not in r.public_text or not r.contact_phone
        assert r.contact_name not in r.public_text
        assert not r.contact_phone or r.contact_phone not in r.search_folded
        if r.contact_phone and r.contact_phone in r.description:
            with_contact_in_text += 1
            assert r.public_description
        expected = r.search_folded
        r.refresh_search()
        assert r.search_folded == expected
    assert with_contact_in_text > 0


def test_fast_fold_equals_fold():
    for text in ["Hà Nội", "Đường  Nguyễn Thị Minh Khai, PHƯỜNG Bàn Cờ", "Ổ gà – ngập 40 cm!", " Quận  12 "]:
        assert fast_fold(text) == fold(text)


def test_deterministic_for_a_seed():
    _generate(seed=11)
    first = _snapshot()
    delete_demo_reports()
    assert not demo_reports().exists()
    _generate(seed=11)
    assert _snapshot() == first
    delete_demo_reports()
    _generate(seed=12)
    assert _snapshot() != first


def test_events_only_when_asked():
    _generate(count=100)
    assert ReportEvent.objects.filter(report__in=demo_reports()).count() > 300
    first = demo_reports().filter(status=Status.CLOSED).first()
    actions = list(first.events.values_list("action", flat=True))
    assert actions[0] == "submit" and actions[-1] == "close"
    delete_demo_reports()
    _generate(count=100, with_events=False)
    assert not ReportEvent.objects.filter(report__in=demo_reports()).exists()


def test_command_replace_and_repeat():
    args = ["--count", "120", "--start", "2025-09-01", "--end", "2025-10-01", "--no-events"]
    call_command("generate_feedback", *args)
    call_command("generate_feedback", *args)  # again, without --replace: more reports, new codes
    assert demo_reports().count() == 240
    assert demo_reports().values("code").distinct().count() == 240
    call_command("generate_feedback", *args, "--replace")
    assert demo_reports().count() == 120


def test_replace_leaves_real_reports_alone(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    real = submit()
    _generate(count=50)
    delete_demo_reports()
    assert Report.objects.filter(pk=real.pk).exists()


def test_real_submission_after_generation_does_not_collide(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    generate_reports(count=200, start=today - timedelta(days=40), end=today + timedelta(days=1))
    report = submit()
    assert report.code.startswith("PA-")
    assert not report.code.startswith(CODE_PREFIX)
    assert Report.objects.filter(code=report.code).count() == 1
    generate_reports(count=50, start=today - timedelta(days=3), end=today + timedelta(days=1), seed=5)
    assert Report.objects.count() == 251
    assert Report.objects.values("code").distinct().count() == 251
    assert CodeSequence.objects.filter(prefix=f"{CODE_PREFIX}-{today:%y%m}").exists()


def test_returns_not_ours_belong_to_a_staff_member_of_the_returning_unit_so_statistics_count_them():
    from tests.conftest import make_staff
    from thongsuot.directory.models import Organisation
    from thongsuot.feedback import stats

    communes = list(Organisation.objects.filter(kind="commune", is_active=True))
    handlers = {org.pk: make_staff(f"xuly{org.pk}@demo.test", org, ["feedback_handler"]) for org in communes}
    _generate(count=800, with_events=True)
    returns = ReportEvent.objects.filter(action="return", report__in=demo_reports())
    assert returns.exists()
    for event in returns.select_related("actor"):
        assert event.actor == handlers[event.actor.organisation_id]
    by_unit = stats.period_stats(start=START, end=END - timedelta(days=1), group_by="organisation")
    assert sum(row.returned for row in by_unit) == returns.values("report").distinct().count()


@pytest.mark.parametrize("seed", [7, 1022])
def test_every_generated_history_follows_the_workflow_table(seed):
    """Each generated report's timeline walks states.TRANSITIONS: it starts received, every change of state
    is an allowed transition named by its action, consecutive changes chain (each starts where the last
    ended), and the report ends in the state of its last change."""
    made = generate_reports(
        count=800, start=START, end=END, seed=seed, with_events=True, as_of=timezone.make_aware(datetime(2025, 10, 20))
    )
    assert made == 800
    events: dict[int, list] = {}
    rows = ReportEvent.objects.filter(report__in=demo_reports()).order_by("report_id", "at", "pk")
    for report_id, action, from_status, to_status in rows.values_list(
        "report_id", "action", "from_status", "to_status"
    ):
        events.setdefault(report_id, []).append((action, from_status, to_status))
    walked = set()
    for report in demo_reports().only("pk", "code", "status"):
        history = events[report.pk]
        assert history[0] == ("submit", "", Status.RECEIVED), report.code
        state = Status.RECEIVED
        for action, from_status, to_status in history[1:]:
            if not to_status:  # an event that changes no state (a progress note)
                assert not from_status and action not in states.TRANSITIONS.get(state, {}).values(), report.code
                continue
            assert from_status == state, f"{report.code}: {action} from {from_status}, but the report was {state}"
            assert states.allowed(from_status, to_status), f"{report.code}: {from_status} → {to_status}"
            assert states.action_for(from_status, to_status) == action, report.code
            walked.add((from_status, to_status))
            state = to_status
        assert state == report.status, report.code
    every = {(a, b) for a, targets in states.TRANSITIONS.items() for b in targets}
    # The generator walks the whole table but for shortcuts it does not take: it refuses reports on receipt
    # (never once verified) and always starts the handling before recording a result.
    shortcuts = {
        (Status.VERIFIED, Status.REJECTED),
        (Status.ACCEPTED, Status.RESOLVED),
        (Status.REOPENED, Status.RESOLVED),
    }
    assert every - walked <= shortcuts and len(walked) >= len(every) - len(shortcuts)
