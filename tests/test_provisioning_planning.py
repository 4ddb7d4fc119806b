"""The staff-list planner's rules, each pinned: phone forms, units by short name, role lists with
empty parts, phones owned by other accounts, and which units a "deactivate missing" plan touches."""

import pytest

from tests.conftest import make_staff
from thongsuot.accounts.provisioning.planning import CREATE, DEACTIVATE, ERROR, UNCHANGED, build_plan, normalise_phone

pytestmark = pytest.mark.django_db


def row(line=2, **values):
    base = {
        "line": line,
        "full_name": "Nguyễn Văn An",
        "email": "an@benthanh.test",
        "phone": "",
        "position": "Chuyên viên",
        "roles": "Chuyên viên",
        "unit": "Phường Bến Thành",
    }
    return {**base, **values}


@pytest.mark.parametrize(
    "written, stored",
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("84 91 234 5678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("8491234567", "8491234567"),  # ten digits starting 84: not the country code
        ("849123456789", "849123456789"),
    ],
)
def test_phone_numbers_are_normalised(written, stored):
    assert normalise_phone(written) == stored


def test_a_phone_written_with_the_country_code_but_no_plus_is_accepted(centre_admin):
    plan = build_plan(rows=[row(phone="84912345678")], uploader=centre_admin, deactivate_missing=False)
    assert plan.rows[0].action == CREATE, plan.rows[0].errors
    assert plan.rows[0].phone == "0912345678"


def test_a_unit_can_be_named_by_its_code_its_name_or_its_short_name(centre_admin):
    rows = [
        row(line=2, email="a@x.test", unit="000.00.02.H29"),
        row(line=3, email="b@x.test", unit="Sở Nội vụ"),
        row(line=4, email="c@x.test", unit="SNV"),
        row(line=5, email="d@x.test", unit="snv"),
    ]
    plan = build_plan(rows=rows, uploader=centre_admin, deactivate_missing=False)
    assert [r.action for r in plan.rows] == [CREATE] * 4, [r.errors for r in plan.rows]
    assert len({r.organisation_id for r in plan.rows}) == 1


def test_every_role_after_an_empty_part_is_kept(centre_admin):
    plan = build_plan(
        rows=[row(roles="Văn thư,,Chuyên viên"), row(line=3, email="b@x.test", roles="; Lãnh đạo ;")],
        uploader=centre_admin,
        deactivate_missing=False,
    )
    assert plan.rows[0].roles == ["clerk", "specialist"]
    assert plan.rows[1].roles == ["leader"]


def test_a_phone_of_another_account_is_refused_whatever_the_order_of_the_rows(centre_admin, ben_thanh):
    owner = make_staff("owner@benthanh.test", ben_thanh, ["specialist"], full_name="Chủ Số")
    owner.phone = "0912345678"
    owner.save(update_fields=["phone"])
    # The owner keeps their own phone (their e-mail written in capitals): no error.
    own = build_plan(
        rows=[row(email="OWNER@benthanh.test", full_name="Chủ Số", phone="+84 912 345 678", roles="Chuyên viên")],
        uploader=centre_admin,
        deactivate_missing=False,
    )
    assert own.rows[0].action != ERROR, own.rows[0].errors
    # Another account with that phone is refused, before or after the owner's row.
    for rows in (
        [row(email="other@benthanh.test", phone="0912345678"), row(line=3, email="owner@benthanh.test")],
        [row(email="owner@benthanh.test"), row(line=3, email="other@benthanh.test", phone="84912345678")],
    ):
        plan = build_plan(rows=rows, uploader=centre_admin, deactivate_missing=False)
        other = next(r for r in plan.rows if r.email == "other@benthanh.test")
        assert other.action == ERROR
        assert any("Phone" in e or "Số điện thoại" in e for e in other.errors), other.errors


def test_deactivating_missing_staff_touches_only_units_with_valid_rows(centre_admin, ben_thanh, sai_gon):
    make_staff("stays@saigon.test", sai_gon, ["specialist"])
    leaves = make_staff("leaves@benthanh.test", ben_thanh, ["specialist"])
    rows = [
        row(line=2, email="an@benthanh.test", unit="Phường Bến Thành"),
        row(line=3, email="not-an-email", unit="Phường Sài Gòn"),  # an error row names Sài Gòn
    ]
    plan = build_plan(rows=rows, uploader=centre_admin, deactivate_missing=True)
    deactivated = {r.email for r in plan.rows if r.action == DEACTIVATE}
    assert deactivated == {leaves.email}
    assert plan.organisation_ids == {ben_thanh.pk}


def test_a_list_of_only_error_rows_deactivates_nobody(centre_admin, ben_thanh):
    make_staff("keep@benthanh.test", ben_thanh, ["specialist"])
    plan = build_plan(rows=[row(email="bad")], uploader=centre_admin, deactivate_missing=True)
    assert [r.action for r in plan.rows] == [ERROR]


def test_an_unchanged_account_is_unchanged(centre_admin, ben_thanh):
    make_staff("an@benthanh.test", ben_thanh, ["specialist"], full_name="Nguyễn Văn An")
    plan = build_plan(rows=[row()], uploader=centre_admin, deactivate_missing=False)
    assert plan.rows[0].action == UNCHANGED, (plan.rows[0].errors, plan.rows[0].changes)


def test_nothing_to_apply_is_false_and_something_to_apply_is_true(centre_admin):
    only_errors = build_plan(rows=[row(email="bad")], uploader=centre_admin, deactivate_missing=False)
    assert only_errors.applicable is False
    creates = build_plan(rows=[row()], uploader=centre_admin, deactivate_missing=False)
    assert creates.applicable is True


def test_values_as_long_as_their_columns_pass_and_one_more_character_is_refused(centre_admin):
    from thongsuot.accounts.models import User

    name_limit = User._meta.get_field("full_name").max_length
    exact = build_plan(rows=[row(full_name="A" * name_limit)], uploader=centre_admin, deactivate_missing=False)
    assert exact.rows[0].action == CREATE, exact.rows[0].errors
    over = build_plan(rows=[row(full_name="A" * (name_limit + 1))], uploader=centre_admin, deactivate_missing=False)
    assert over.rows[0].action == ERROR
    assert over.rows[0].errors == [f"Họ tên: tối đa {name_limit} ký tự (đã nhập {name_limit + 1})."]


def test_a_phone_twice_in_the_file_names_the_first_line(centre_admin):
    rows = [row(phone="0912345678"), row(line=7, email="b@benthanh.test", phone="+84912345678")]
    plan = build_plan(rows=rows, uploader=centre_admin, deactivate_missing=False)
    assert plan.rows[0].action == CREATE
    assert plan.rows[1].errors == ["Số điện thoại: trùng với dòng 2 trong tệp."]


def test_existing_accounts_are_found_beyond_the_first_thousand_emails(centre_admin, ben_thanh):
    """Existing accounts are looked up 900 e-mails at a time: none may fall between two batches."""
    from thongsuot.accounts.models import User

    emails = [f"cb{i:04d}@benthanh.test" for i in range(1900)]
    User.objects.bulk_create(
        User(
            username=email,
            email=email,
            full_name="Cán bộ",
            organisation=ben_thanh,
            position="Chuyên viên",
            kind=User.Kind.STAFF,
        )
        for email in emails
    )
    plan = build_plan(
        rows=[row(line=i + 2, email=email, full_name="Cán bộ") for i, email in enumerate(emails)],
        uploader=centre_admin,
        deactivate_missing=False,
    )
    assert all(r.user_id is not None for r in plan.rows), [r.email for r in plan.rows if r.user_id is None][:5]
    # phones are looked up in batches too: every phone of those accounts, written for new people, is refused
    for i, email in enumerate(emails):
        User.objects.filter(email=email).update(phone=f"09{i:08d}")
    newcomers = build_plan(
        rows=[row(line=i + 2, email=f"new{i}@benthanh.test", phone=f"09{i:08d}") for i in range(len(emails))],
        uploader=centre_admin,
        deactivate_missing=False,
    )
    assert all(r.action == ERROR for r in newcomers.rows), [r.email for r in newcomers.rows if r.action != ERROR][:5]


def test_a_city_wide_administrator_moves_an_account_to_another_unit(centre_admin, ben_thanh, sai_gon):
    for there, here in ((ben_thanh, sai_gon), (sai_gon, ben_thanh)):  # both orders of the units' ids
        person = make_staff(f"moves{there.pk}@x.test", there, ["specialist"], full_name="Nguyễn Văn An")
        plan = build_plan(
            rows=[row(email=person.email, unit=here.name)], uploader=centre_admin, deactivate_missing=False
        )
        assert plan.rows[0].action == "update", plan.rows[0].errors
        assert plan.rows[0].changes == ["organisation"]


def test_a_unit_administrator_cannot_take_an_account_of_another_unit(ward_admin, other_ward_admin, ben_thanh, sai_gon):
    for uploader, owner_unit, unit in ((ward_admin, sai_gon, ben_thanh), (other_ward_admin, ben_thanh, sai_gon)):
        person = make_staff(f"p{owner_unit.pk}@x.test", owner_unit, ["specialist"])
        plan = build_plan(rows=[row(email=person.email, unit=unit.name)], uploader=uploader, deactivate_missing=False)
        assert plan.rows[0].action == ERROR
        assert plan.rows[0].errors == ["Email: đã được dùng cho tài khoản của đơn vị khác."]


def test_every_kind_of_change_is_seen_whichever_way_the_value_moves(centre_admin, ben_thanh):
    make_staff("an@benthanh.test", ben_thanh, ["specialist"], full_name="Nguyễn Văn An", position="Chuyên viên")
    for name, position in (
        ("Nguyễn Văn Bình", "Chuyên viên"),
        ("Nguyễn Văn A", "Chuyên viên"),
        ("Nguyễn Văn An", "Ai"),
    ):
        plan = build_plan(
            rows=[row(full_name=name, position=position)], uploader=centre_admin, deactivate_missing=False
        )
        expected = [
            field
            for field, changed in (("full_name", name != "Nguyễn Văn An"), ("position", position != "Chuyên viên"))
            if changed
        ]
        assert plan.rows[0].changes == expected, (name, position, plan.rows[0].changes)


def test_a_citizens_email_cannot_become_a_staff_account(centre_admin, citizen):
    citizen.email = "congdan@x.test"
    citizen.save(update_fields=["email"])
    plan = build_plan(rows=[row(email="congdan@x.test")], uploader=centre_admin, deactivate_missing=False)
    assert plan.rows[0].action == ERROR
    assert plan.rows[0].errors == ["Email: thuộc về một tài khoản công dân."]


def test_only_the_centre_grants_a_role_that_reaches_every_unit(ward_admin, centre_admin):
    grant = [row(email="dp@benthanh.test", roles="Điều phối viên 1022")]
    refused = build_plan(rows=grant, uploader=ward_admin, deactivate_missing=False)
    assert refused.rows[0].action == ERROR
    assert len(refused.rows[0].errors) == 1 and "1022" not in refused.rows[0].errors[0]
    granted = build_plan(rows=grant, uploader=centre_admin, deactivate_missing=False)
    assert granted.rows[0].action == CREATE and granted.rows[0].roles == ["feedback_dispatcher"]


def test_a_deactivation_names_no_line_of_the_file(centre_admin, ben_thanh):
    make_staff("leaves@benthanh.test", ben_thanh, ["specialist"])
    plan = build_plan(rows=[row()], uploader=centre_admin, deactivate_missing=True)
    assert [(r.action, r.line) for r in plan.rows if r.email == "leaves@benthanh.test"] == [(DEACTIVATE, 0)]
