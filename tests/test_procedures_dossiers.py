"""Dossiers: codes `<unit code>-YYMMDD-XXXX` per unit per day (gapless, also under 50 concurrent intakes on
PostgreSQL), desk intake with its completeness check, online submission, every path of the workflow with
its due times (cut-off hour, weekends, Tết, the paused clock), late dossiers, the timeline and audit."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.conftest import make_staff
from thongsuot.core.models import AuditEntry
from thongsuot.directory.models import Organisation
from thongsuot.procedures import services, testing
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import Status, TransitionError

TZ = timezone.get_default_timezone()
MONDAY_9 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


PDF = _pdf()


def at(day, hour=9, minute=0):
    return datetime.datetime(*day, hour, minute, tzinfo=TZ)


@pytest.fixture
def desk(ben_thanh):
    return make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"], full_name="Lý Một Cửa")


@pytest.fixture
def specialist(ben_thanh):
    return make_staff("hotich@benthanh.test", ben_thanh, ["specialist"], full_name="Tạ Hộ Tịch")


@pytest.fixture
def leader(ben_thanh):
    return make_staff("chutich@benthanh.test", ben_thanh, ["leader"], full_name="Hồ Chủ Tịch")


@pytest.fixture
def other_specialist(sai_gon):
    return make_staff("hotich@saigon.test", sai_gon, ["specialist"], full_name="Tạ Sài Gòn")


@pytest.fixture
def other_leader(sai_gon):
    return make_staff("chutich@saigon.test", sai_gon, ["leader"], full_name="Hồ Sài Gòn")


def intake(desk, code=testing.BIRTH, *, when=MONDAY_9, **kwargs):
    procedure = testing.procedure(code)
    kwargs.setdefault("received", list(range(len(procedure.documents))))
    return services.dossier_intake(actor=desk, procedure=procedure, applicant=testing.APPLICANT, at=when, **kwargs)


def test_codes_are_per_unit_per_day_and_numbered_from_one(desk, ben_thanh, sai_gon):
    other = make_staff("motcua@saigon.test", sai_gon, ["one_stop_officer"])
    first, second = intake(desk), intake(desk)
    assert first.code == f"{ben_thanh.code}-260302-0001"
    assert second.code == f"{ben_thanh.code}-260302-0002"
    assert intake(other).code == f"{sai_gon.code}-260302-0001"  # per unit
    assert intake(desk, when=at((2026, 3, 3))).code == f"{ben_thanh.code}-260303-0001"  # per day
    # the day is the city's: 23:30 on 2 March in Hà Nội time is still 2 March
    assert intake(desk, when=at((2026, 3, 2), 23, 30)).code == f"{ben_thanh.code}-260302-0003"


def test_a_rolled_back_intake_gives_its_number_back(desk, ben_thanh):
    with pytest.raises(ValidationError):
        intake(desk, decision="refuse", reason="")  # refused without a reason: nothing written
    assert not Dossier.objects.exists()
    assert intake(desk).code.endswith("-0001")


def test_desk_intake_checks_completeness_and_the_applicant(desk):
    with pytest.raises(ValidationError) as error:
        intake(desk, received=[0])
    assert "received" in error.value.message_dict
    assert "Giấy chứng sinh" in " ".join(error.value.message_dict["received"]) or "chứng sinh" in str(error.value)
    bad = {**testing.APPLICANT, "id_number": "123", "phone": "12345", "email": "x@"}
    with pytest.raises(ValidationError) as error:
        services.dossier_intake(
            actor=desk, procedure=testing.procedure(testing.BIRTH), applicant=bad, received=[0, 1, 2], at=MONDAY_9
        )
    assert set(error.value.message_dict) == {"applicant_id_number", "applicant_phone", "applicant_email"}
    assert not Dossier.objects.exists()


def test_only_a_desk_officer_receives(ward_clerk, citizen, specialist):
    for person in (ward_clerk, citizen, specialist):
        with pytest.raises(PermissionDenied):
            intake(person)


def test_accepted_at_the_desk_the_clock_starts_with_the_cut_off_hour(desk):
    dossier = intake(desk)
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == MONDAY_9
    assert dossier.due_at == at((2026, 3, 3))  # 8 working hours from Monday 09:00
    after_cutoff = intake(desk, when=at((2026, 3, 2), 15, 30))
    assert after_cutoff.due_at == at((2026, 3, 3), 17)  # counted from Tuesday: the end of its office day
    steps = list(dossier.steps.values_list("name", "due_at"))
    assert len(steps) == 4 and steps[-1][1] == dossier.due_at


def test_a_dossier_received_before_tet_is_due_after_it(desk):
    # 3 working days from Friday 13 February 2026 (Tết holidays 14–22 February 2026)
    dossier = intake(desk, testing.MARRIAGE_STATUS, when=at((2026, 2, 13)))
    assert dossier.due_at.date() > datetime.date(2026, 2, 22)
    assert dossier.due_at == at((2026, 2, 25))  # Fri 13 → Mon 23, Tue 24, Wed 25 at 09:00


def test_the_full_path_across_two_units_to_the_result(desk, sai_gon, other_specialist, other_leader, leader):
    dossier = intake(desk, deciding_unit_id=sai_gon.pk)
    assert dossier.deciding_unit == sai_gon and dossier.receiving_unit == desk.organisation
    with pytest.raises(PermissionDenied):
        services.dossier_complete_step(actor=other_specialist, dossier=dossier)  # still at the desk
    dossier = services.dossier_forward(actor=desk, dossier=dossier, at=at((2026, 3, 2), 10))
    assert dossier.status == Status.PROCESSING and dossier.current_step == 1
    with pytest.raises(PermissionDenied):
        services.dossier_complete_step(actor=desk, dossier=dossier)  # now at the deciding unit
    dossier = services.dossier_complete_step(actor=other_specialist, dossier=dossier, at=at((2026, 3, 2), 11))
    assert dossier.status == Status.APPROVAL
    with pytest.raises(PermissionDenied):
        services.dossier_approve(actor=leader, dossier=dossier)  # the receiving unit's leader does not decide
    dossier = services.dossier_approve(actor=other_leader, dossier=dossier, at=at((2026, 3, 2), 14))
    assert dossier.status == Status.APPROVED
    dossier = services.dossier_return_result(
        actor=desk,
        dossier=dossier,
        note="Giấy khai sinh bản chính",
        result_file=SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf"),
        at=at((2026, 3, 2), 16),
    )
    assert dossier.status == Status.RETURNED and not dossier.late
    assert dossier.result_file.name.endswith(".pdf")
    assert all(step.completed_at for step in dossier.steps.all())
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["intake", "accept", "forward", "complete_step", "approve", "return_result"]
    audited = AuditEntry.objects.filter(object_type="procedures.dossier", object_id=str(dossier.pk))
    assert audited.count() == 6
    assert audited.filter(action="procedures.dossier.return_result").get().after["status"] == "returned"


def test_a_request_for_additional_documents_stops_the_clock_once(desk, specialist):
    dossier = intake(desk, testing.MARRIAGE_STATUS)  # due Thursday 09:00
    assert dossier.due_at == at((2026, 3, 5))
    dossier = services.dossier_request_additional(
        actor=desk, dossier=dossier, missing="Bản sao căn cước", at=at((2026, 3, 2), 13)
    )
    assert dossier.status == Status.ADDITIONAL and dossier.paused_at == at((2026, 3, 2), 13)
    with pytest.raises(TransitionError):
        services.dossier_forward(actor=desk, dossier=dossier)
    # supplied a week later: the 20 working hours left are counted again from then
    dossier = services.dossier_supply_additional(actor=desk, dossier=dossier, at=at((2026, 3, 9), 13))
    assert dossier.status == Status.RECEIVED and dossier.paused_at is None
    assert dossier.due_at == at((2026, 3, 12))
    assert dossier.steps.order_by("-index").first().due_at == dossier.due_at
    dossier = services.dossier_forward(actor=desk, dossier=dossier, at=at((2026, 3, 9), 14))
    with pytest.raises(PermissionDenied):
        services.dossier_request_additional(actor=desk, dossier=dossier, missing="Lần hai")  # not the desk's now
    with pytest.raises(ValidationError) as error:
        services.dossier_request_additional(actor=specialist, dossier=dossier, missing="Lần hai")
    assert "missing" in error.value.message_dict  # only once


def test_late_at_completion_stays_late(desk, specialist, leader):
    dossier = intake(desk)  # due Tuesday 09:00
    dossier = services.dossier_forward(actor=desk, dossier=dossier, at=at((2026, 3, 2), 10))
    dossier = services.dossier_complete_step(actor=specialist, dossier=dossier, at=at((2026, 3, 3), 10))
    assert dossier.late  # past due while processing: late for good
    dossier = services.dossier_approve(actor=leader, dossier=dossier, at=at((2026, 3, 3), 11))
    dossier = services.dossier_return_result(actor=desk, dossier=dossier, at=at((2026, 3, 3), 12))
    assert dossier.late and dossier.status == Status.RETURNED
    on_time = intake(desk)
    on_time = services.dossier_forward(actor=desk, dossier=on_time, at=at((2026, 3, 2), 10))
    assert not on_time.late


def test_refusal_needs_a_reason_and_is_final(desk):
    dossier = intake(desk, decision="refuse", reason="Không thuộc thẩm quyền")
    assert dossier.status == Status.REFUSED and dossier.refusal_reason == "Không thuộc thẩm quyền"
    assert dossier.due_at is None
    with pytest.raises(TransitionError):
        services.dossier_accept(actor=desk, dossier=dossier)


def test_desk_may_ask_for_what_is_missing_at_intake(desk):
    dossier = intake(desk, received=[0], decision="request_additional", missing="")
    assert dossier.status == Status.ADDITIONAL
    assert "Giấy chứng sinh" in dossier.missing  # the list defaults to the mandatory documents not received
    dossier = services.dossier_supply_additional(actor=desk, dossier=dossier, received=[1, 2])
    assert dossier.status == Status.SUBMITTED
    dossier = services.dossier_accept(actor=desk, dossier=dossier)
    assert dossier.status == Status.RECEIVED


def test_a_procedure_not_received_regardless_of_residence_stays_with_its_unit(desk, sai_gon):
    with pytest.raises(ValidationError) as error:
        intake(desk, testing.PERMANENT_RESIDENCE, deciding_unit_id=sai_gon.pk)
    assert "deciding_unit" in error.value.message_dict


def test_online_submission_by_a_citizen(citizen, desk, ben_thanh):
    procedure = testing.procedure(testing.BIRTH)
    pdf = lambda: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")  # noqa: E731
    with pytest.raises(ValidationError) as error:
        services.dossier_submit(
            actor=citizen, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files={0: pdf()}
        )
    assert set(error.value.message_dict) == {"document_1", "document_2"}
    fake = SimpleUploadedFile("b.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.dossier_submit(
            actor=citizen,
            procedure=procedure,
            receiving_unit=ben_thanh,
            applicant=testing.APPLICANT,
            files={0: pdf(), 1: fake, 2: pdf()},
        )
    assert set(error.value.message_dict) == {"document_1"}
    dossier = services.dossier_submit(
        actor=citizen,
        procedure=procedure,
        receiving_unit=ben_thanh,
        applicant=testing.APPLICANT,
        files={0: pdf(), 1: pdf(), 2: pdf()},
        at=MONDAY_9,
    )
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online" and dossier.citizen == citizen
    assert dossier.code == f"{ben_thanh.code}-260302-0001"
    assert dossier.documents.filter(received=True).count() == 3
    assert dossier.documents.first().file.name.endswith(".pdf")
    with pytest.raises(PermissionDenied):
        services.dossier_accept(actor=citizen, dossier=dossier)
    dossier = services.dossier_accept(actor=desk, dossier=dossier, at=at((2026, 3, 2), 10))
    assert dossier.status == Status.RECEIVED
    not_online = testing.procedure(testing.MOBILE_BIRTH)
    with pytest.raises(ValidationError) as error:
        services.dossier_submit(
            actor=citizen, procedure=not_online, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files={}
        )
    assert "procedure" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.dossier_submit(
            actor=desk, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files={}
        )


def test_the_applicant_withdraws_their_own_dossier(citizen, desk, ben_thanh):
    procedure = testing.procedure(testing.MARRIAGE_STATUS)
    files = {
        i: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf") for i in range(len(procedure.documents))
    }
    dossier = services.dossier_submit(
        actor=citizen, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files=files
    )
    stranger = type(citizen).objects.create(username="0909999999", phone="0909999999", kind="citizen")
    with pytest.raises(PermissionDenied):
        services.dossier_withdraw(actor=stranger, dossier=dossier)
    dossier = services.dossier_withdraw(actor=citizen, dossier=dossier, reason="Nộp nhầm")
    assert dossier.status == Status.WITHDRAWN
    assert dossier.events.last().actor_label == citizen.username


class _Failed(Exception):
    pass


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_50_concurrent_intakes_get_every_code_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    ben_thanh = Organisation.objects.get(kind="commune", name="Phường Bến Thành")
    desk = make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"])
    procedure = testing.procedure(testing.BIRTH)
    count = 50
    barrier = threading.Barrier(count)
    numbers, errors = [], []

    def work(index):
        try:
            barrier.wait(30)
            with transaction.atomic():
                dossier = services.dossier_intake(
                    actor=desk, procedure=procedure, applicant=testing.APPLICANT, received=[0, 1, 2], at=MONDAY_9
                )
                if index % 10 == 0:  # every tenth intake fails after taking its code
                    raise _Failed
                numbers.append(dossier.number)
        except _Failed:
            pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, 46))  # no duplicate, no gap
    codes = sorted(Dossier.objects.filter(receiving_unit=ben_thanh).values_list("code", flat=True))
    assert codes == [f"{ben_thanh.code}-260302-{n:04d}" for n in range(1, 46)]


def test_the_desk_forwards_an_online_dossier_to_another_unit(citizen, desk, ben_thanh, sai_gon, other_specialist):
    procedure = testing.procedure(testing.BIRTH)
    files = {i: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf") for i in range(3)}
    dossier = services.dossier_submit(
        actor=citizen, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files=files
    )
    dossier = services.dossier_accept(actor=desk, dossier=dossier)
    dossier = services.dossier_forward(actor=desk, dossier=dossier, deciding_unit_id=sai_gon.pk)
    assert dossier.deciding_unit == sai_gon and dossier.status == Status.PROCESSING
    assert dossier.events.last().note == sai_gon.name
    dossier = services.dossier_complete_step(actor=other_specialist, dossier=dossier)
    assert dossier.status == Status.APPROVAL
    residence = intake(desk, testing.PERMANENT_RESIDENCE)
    with pytest.raises(ValidationError) as error:
        services.dossier_forward(actor=desk, dossier=residence, deciding_unit_id=sai_gon.pk)
    assert "deciding_unit" in error.value.message_dict
    assert Dossier.objects.get(pk=residence.pk).status == Status.RECEIVED
