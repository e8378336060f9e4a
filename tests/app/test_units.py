"""Organisation units keep their history: rename, move, merge and split by date."""

from __future__ import annotations

import pytest

from app import units
from app.errors import UserInputError
from tests.builders import unit, woman


@pytest.fixture
def district(ledger):
    unit(ledger, "4302", "荷塘区", "区县")
    unit(ledger, "430201", "月塘街道", "街道", parent="4302")
    unit(ledger, "430202", "仙庾镇", "乡镇", parent="4302")
    unit(ledger, "43020101", "新华社区", "社区", parent="430201")
    unit(ledger, "43020201", "桃花村", "村", parent="430202")
    return ledger


def names_on(ledger, on):
    return {u.code: u.name for u in units.units_on(ledger.db, on)}


def test_rename_keeps_the_old_name_for_past_dates(district):
    with district.write("更名", "unit", "430202"):
        units.rename(district.db, "430202", "仙庾街道", "2026-01-01")
    assert names_on(district, "2025-12-31")["430202"] == "仙庾镇"
    assert names_on(district, "2026-01-01")["430202"] == "仙庾街道"


def test_move_changes_the_subtree_from_its_date_only(district):
    township = units.id_for_code(district.db, "430202")
    village = units.id_for_code(district.db, "43020101")
    with district.write():
        units.move(district.db, "43020101", "430202", "2026-04-01")
    assert village not in units.subtree_ids(district.db, township, "2026-03-31")
    assert village in units.subtree_ids(district.db, township, "2026-04-01")


def test_a_unit_cannot_move_below_itself(district):
    with pytest.raises(UserInputError, match="下级"):
        units.move(district.db, "430202", "43020201", "2026-04-01")


def test_merge_moves_children_and_women_and_dissolves_the_source(district):
    woman(district, "李丽", unit="43020101")
    with district.write():
        moved = units.merge(district.db, ["430201"], "430202", "2026-07-01")
    assert moved == 0  # the street itself held no women; its community moved with them
    assert "430201" in names_on(district, "2026-06-30")
    assert "430201" not in names_on(district, "2026-07-01")
    township = units.id_for_code(district.db, "430202")
    community = units.id_for_code(district.db, "43020101")
    assert community in units.subtree_ids(district.db, township, "2026-07-01")


def test_split_creates_siblings_and_refuses_to_dissolve_a_unit_with_women(district):
    woman(district, "王芳", unit="43020201")
    with pytest.raises(UserInputError, match="在册妇女"), district.write():
        units.split(district.db, "43020201", [("43020202", "桃花东村")], "2026-05-01", dissolve_source=True)
    with district.write():
        units.split(district.db, "43020201", [("43020202", "桃花东村"), ("43020203", "桃花西村")], "2026-05-01")
    new = units.get(district.db, "43020202", "2026-05-01")
    assert new.parent_id == units.id_for_code(district.db, "430202")
    assert units.find(district.db, "43020202", "2026-04-30") is None


def test_history_lists_every_version(district):
    with district.write():
        units.rename(district.db, "430202", "仙庾街道", "2026-01-01")
        units.move(district.db, "430202", "430201", "2026-06-01")
    history = units.history(district.db, "430202")
    assert [h["name"] for h in history] == ["仙庾镇", "仙庾街道", "仙庾街道"]
    assert history[-1]["parent_code"] == "430201"


def test_unknown_kind_and_duplicate_code_are_refused(district):
    with pytest.raises(UserInputError, match="单位类型"):
        units.add(district.db, "9", "x", "大队")
    with pytest.raises(UserInputError, match="已存在"):
        units.add(district.db, "430202", "x", "乡镇")
