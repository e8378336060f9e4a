"""Counting rules of DOMAIN.md §5, one small ledger each (statistical year from October)."""

from __future__ import annotations

import pytest

from app.stats import report
from tests.builders import child, measure, population, procedure, unit, woman


@pytest.fixture
def town(ledger):
    unit(ledger, "430202100", "仙庾镇", "乡镇")
    unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
    unit(ledger, "430202100202", "湖塘村", "村", parent="430202100")
    return ledger


def figures(ledger, period="2026H1", **kw):
    return report(ledger.db, period, **kw)


def test_birth_reported_after_period_counts_as_late_next_period(town):
    li = woman(town, "李丽", unit="430202100201", hukou="非农业")
    child(town, li, 1, born="2026-03-20", reported="2026-04-03")
    assert figures(town)["births"] == 0
    assert figures(town)["late_reported"]["total"] == 0
    h2 = figures(town, "2026H2")
    assert h2["births"] == 0 and h2["late_reported"]["total"] == 1
    assert figures(town, "2026-04")["late_reported"]["total"] == 1


def test_birth_reported_in_period_but_born_before_is_late_not_a_birth(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2025-08-01", policy="政策外", reported="2025-12-10")
    r = figures(town)
    assert r["births"] == 0
    assert r["late_reported"] == {"total": 1, "policy": 0, "non_policy": 1, "male": 1, "female": 0,
                                  "by_order": {"1": 1, "2": 0, "3+": 0}}
    population(town, "430202100", "2026H1", 10000, 5)
    assert figures(town)["birth_rate_permille"] == 0.0     # late reports never enter the rate


def test_reported_date_defaults_to_birth_date_and_counts_on_the_last_day(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-03-31")
    wang = woman(town, "王芳", unit="430202100201")
    child(town, wang, 1, born="2025-10-01", reported="2026-03-31")
    assert figures(town)["births"] == 2


def test_births_of_outflowing_mothers_are_not_counted_inflowing_are(town):
    out = woman(town, "流出妇女", unit="430202100201", residence="流出")
    child(town, out, 1, born="2026-01-10")
    child(town, woman(town, "流入妇女", unit="430202100201", residence="流入"), 1, born="2026-01-11", sex="女")
    out_late = woman(town, "流出补报", unit="430202100201", residence="流出")
    child(town, out_late, 1, born="2025-01-10", reported="2026-01-10")
    r = figures(town)
    assert (r["births"], r["births_female"], r["late_reported"]["total"]) == (1, 1, 0)


def test_adopted_and_step_children_are_never_births(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-01-10", kinship="收养")
    child(town, li, 2, born="2026-02-10", kinship="继子女")
    child(town, li, 3, born="2025-02-10", kinship="收养", reported="2026-02-11")
    r = figures(town)
    assert r["births"] == 0 and r["late_reported"]["total"] == 0


def test_a_child_who_died_after_birth_is_still_a_birth(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-01-10", died="2026-01-12")
    r = figures(town)
    assert (r["births"], r["births_died"]) == (1, 1)


def test_orders_sex_ratio_and_policy(town):
    for i, (order, sex, policy) in enumerate([(1, "男", "政策内"), (1, "女", "政策内"), (2, "男", "政策内"),
                                              (3, "男", "政策外"), (4, "女", "政策外")]):
        mother = woman(town, f"母{i}", unit="430202100201")
        child(town, mother, order, born="2026-02-01", sex=sex, policy=policy)
    r = figures(town)
    assert r["births_by_order"] == {"1": 2, "2": 1, "3+": 2}
    assert r["sex_ratio"] == 150.0 and r["sex_ratio_by_order"] == {"1": 100.0, "2": None, "3+": 100.0}
    assert r["policy_birth_rate_percent"] == 60.0 and r["non_policy_births"] == 2


def test_void_cards_are_never_counted(town):
    li = woman(town, "李丽", unit="430202100201", exit_reason="录入错误", exit_date="2026-02-01")
    child(town, li, 1, born="2026-01-10")
    procedure(town, li, "上环", "2026-01-20")
    r = figures(town)
    assert r["births"] == 0 and r["procedures"]["total"] == 0


def test_procedures_on_the_first_and_last_day_count_and_outside_do_not(town):
    li = woman(town, "李丽", unit="430202100201")
    procedure(town, li, "人工流产", "2025-10-01")
    procedure(town, li, "上环", "2026-03-31")
    procedure(town, li, "取环", "2025-09-30")
    procedure(town, li, "女扎", "2026-04-01")
    p = figures(town)["procedures"]
    assert (p["abortion"], p["iud_insertion"], p["iud_removal"], p["female_sterilization"], p["total"]) == (1, 1, 0, 0, 2)
    assert figures(town, "2025-10")["procedures"]["total"] == 1
    assert figures(town, "2026-03")["procedures"]["iud_insertion"] == 1


def test_iud_insertion_after_first_child_is_counted_separately(town):
    one = woman(town, "一孩", unit="430202100201")
    child(town, one, 1, born="2025-05-01")
    procedure(town, one, "上环", "2025-11-01")
    two = woman(town, "二孩", unit="430202100201")
    child(town, two, 1, born="2018-05-01")
    child(town, two, 2, born="2025-05-01")
    procedure(town, two, "上环", "2025-11-01")
    p = figures(town)["procedures"]
    assert (p["iud_insertion"], p["iud_insertion_first_child"]) == (2, 1)


def _rural_mother(ledger, name, born_child, order=1, **kw):
    mother = woman(ledger, name, unit="430202100201", hukou="农业", **kw)
    if order == 2:
        child(ledger, mother, 1, born="2019-01-01")
    child(ledger, mother, order, born=born_child)
    return mother


def test_long_acting_due_window_is_birth_plus_four_months_inside_the_period(town):
    _rural_mother(town, "窗口前", "2025-05-31")   # due 2025-09-30: before P
    _rural_mother(town, "窗口首日", "2025-06-01")  # due 2025-10-01
    _rural_mother(town, "窗口末日", "2025-11-30")  # due 2026-03-30
    _rural_mother(town, "月末", "2025-10-31")     # due 2026-02-28 (no 31 February)
    _rural_mother(town, "窗口后", "2025-12-01")    # due 2026-04-01: next period
    la = figures(town)["long_acting"]["total"]
    assert (la["due"], la["done"], la["owed"]) == (3, 0, 3)


def test_long_acting_setting_months_and_switch_off(town):
    _rural_mother(town, "甲", "2025-09-01")        # due 2026-01-01 with N=4; 2026-05-01 with N=8
    assert figures(town)["long_acting"]["total"]["due"] == 1
    town.set_setting("long_acting_months", 8)
    assert figures(town)["long_acting"]["total"]["due"] == 0
    town.set_setting("long_acting_enabled", 0)
    la = figures(town)["long_acting"]
    assert la["enabled"] is False and la["total"] is None and la["units"] == []


def test_long_acting_done_by_procedure_from_birth_to_period_end(town):
    a = _rural_mother(town, "已上环", "2025-07-01")
    procedure(town, a, "上环", "2025-08-15")               # before P but after the birth: done
    b = _rural_mother(town, "已结扎", "2025-07-02", order=2)
    procedure(town, b, "女扎", "2026-03-31")               # last day of P: done
    c = _rural_mother(town, "太晚", "2025-07-03")
    procedure(town, c, "上环", "2026-04-01")               # after P: owed
    d = _rural_mother(town, "太早", "2025-07-04")
    procedure(town, d, "上环", "2025-07-03")               # before the birth: not for this child
    procedure(town, d, "取环", "2025-07-04")               # (removed at delivery, so she is due)
    e = _rural_mother(town, "取环", "2025-07-05")
    procedure(town, e, "取环", "2025-12-01")               # not a long-acting procedure
    r = figures(town)
    la = r["long_acting"]
    assert (la["total"]["due"], la["total"]["done"], la["total"]["owed"]) == (5, 2, 3)
    assert la["total"]["rate_percent"] == 40.0
    assert la["total"]["rural_sterilization"] == 1 and la["total"]["rural_iud_insertion"] == 0
    assert [u["code"] for u in la["units"]] == ["430202100201", "430202100202"]


def test_long_acting_measure_already_in_effect_at_birth_means_not_due(town):
    a = _rural_mother(town, "带环", "2025-07-01")
    measure(town, a, "宫内节育器", "2024-01-01")          # in effect on the birth date
    b = _rural_mother(town, "环已取", "2025-07-01")
    measure(town, b, "宫内节育器", "2020-01-01", end="2024-06-01")
    c = _rural_mother(town, "丈夫结扎", "2025-07-01")
    measure(town, c, "男扎", "2025-07-01")                # from the birth date itself: the take-up, due
    d = _rural_mother(town, "避孕套", "2025-07-01")
    measure(town, d, "避孕套", "2025-01-01")              # not long-acting
    assert figures(town)["long_acting"]["total"]["due"] == 3


def test_long_acting_only_rural_married_resident_women_with_a_living_youngest_child(town):
    _rural_mother(town, "城镇", "2025-07-01")
    town.db.execute("update women set hukou_type = '非农业' where name = '城镇'")
    _rural_mother(town, "流出", "2025-07-01", residence="流出")
    _rural_mother(town, "未婚", "2025-07-01", married=None)
    dead = _rural_mother(town, "夭折", "2025-07-01")
    town.db.execute("update children set death_date = '2025-08-01' where mother_id = ?", [dead])
    younger = _rural_mother(town, "又生", "2025-07-01")
    child(town, younger, 2, born="2026-02-01")          # her youngest is now born 2026-02: due later
    _rural_mother(town, "流入", "2025-07-01", residence="流入")
    assert figures(town)["long_acting"]["total"]["due"] == 1


def test_as_of_counts_children_by_reported_date_and_procedures_by_entry(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-01-10", reported="2026-02-20")
    pid = procedure(town, li, "上环", "2026-01-15")
    town.db.execute("update procedures set created_at = '2026-03-05T10:00:00' where id = ?", [pid])
    early = figures(town, as_of="2026-02-19")
    assert early["births"] == 0 and early["procedures"]["total"] == 0 and early["as_of"] == "2026-02-19"
    mid = figures(town, as_of="2026-02-20")
    assert mid["births"] == 1 and mid["procedures"]["total"] == 0
    assert figures(town, as_of="2026-03-05")["procedures"]["total"] == 1


def test_first_marriages_and_age_23_plus(town):
    woman(town, "二十二", unit="430202100201", born="2003-01-01", married="2025-12-31")   # 22
    woman(town, "刚满23", unit="430202100201", born="2002-11-01", married="2025-11-01")   # 23 that day
    woman(town, "闰日", unit="430202100201", born="2000-02-29", married="2026-03-01")     # 26
    woman(town, "去年", unit="430202100201", born="1995-01-01", married="2025-09-30")
    fm = figures(town)["first_marriages"]
    assert fm == {"total": 3, "age_23_plus": 2, "age_23_plus_percent": 66.67}


def test_contraception_in_use_at_period_end(town):
    a = woman(town, "上环", unit="430202100201")
    measure(town, a, "宫内节育器", "2020-01-01")
    b = woman(town, "取了", unit="430202100201")
    measure(town, b, "宫内节育器", "2020-01-01", end="2026-03-31")   # ended on the last day
    measure(town, b, "避孕套", "2026-03-31")
    woman(town, "无措施", unit="430202100201")
    woman(town, "超龄", unit="430202100201", born="1976-01-01")      # 50 at P's end
    woman(town, "未婚", unit="430202100201", married=None)
    c = figures(town)["contraception"]
    assert c["married_women"] == 3
    assert (c["by_method"]["宫内节育器"], c["by_method"]["避孕套"], c["by_method"]["未避孕"]) == (1, 1, 1)
    assert c["users"] == 2 and c["rate_percent"] == 66.67


def test_rollup_uses_the_tree_at_the_period_end(town):
    from app import units

    unit(town, "430202101", "明照乡", "乡镇")
    li = woman(town, "李丽", unit="430202100202")
    child(town, li, 1, born="2026-01-10")
    with town.write():
        units.move(town.db, "430202100202", "430202101", "2026-06-01")
    assert figures(town, unit_code="430202100")["births"] == 1      # H1 ends before the move
    assert figures(town, unit_code="430202101")["births"] == 0
    assert figures(town, "2026", unit_code="430202101")["births"] == 1   # the year ends after it


def test_figures_are_the_same_before_and_after_analyze(ledger):
    from tests.halfyear_ledger import build

    build(ledger)
    before = figures(ledger)
    ledger.db.execute("analyze")
    assert figures(ledger) == before


def test_a_unit_that_did_not_exist_last_year_has_no_previous_figures(town):
    unit(town, "430202100203", "新村", "村", parent="430202100", since="2025-12-01")
    child(town, woman(town, "李丽", unit="430202100203"), 1, born="2026-01-10")
    r = figures(town, unit_code="430202100203")
    assert r["births"] == 1 and r["previous_year"]["source"] == "none" and "births" not in r["change"]
