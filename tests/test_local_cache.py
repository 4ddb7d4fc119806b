"""Per-process copies of reference data: what is handed out is the caller's own."""

from thongsuot.core.local_cache import instance_copy
from thongsuot.feedback import selectors


def test_instance_copy_is_the_callers_own(db):
    kept = selectors.categories().select_related("department").get(code="ha-tang-ky-thuat")
    mine = instance_copy(kept)
    assert mine == kept and mine is not kept and type(mine) is type(kept)
    before = dict(kept._state.fields_cache)
    mine.name = "Đổi tên"
    mine._state.fields_cache["department"] = "another"
    assert kept.name != "Đổi tên" and kept._state.fields_cache == before
    assert mine._state.db == kept._state.db and not mine._state.adding


def test_cached_category_handed_out_as_a_copy(db):
    first = selectors.active_category("ha-tang-ky-thuat")
    first.handling_days = 99
    again = selectors.active_category("ha-tang-ky-thuat")
    assert again.handling_days != 99 and again is not first
