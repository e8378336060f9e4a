"""Logic checks (逻辑校核, DOMAIN.md §3): each check has a passing and a failing case."""

from __future__ import annotations

from datetime import date

import pytest

from app import checks
from tests import builders as b

AS_OF = date(2026, 6, 30)


@pytest.fixture
def office(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101", "仙庾镇", "乡镇", parent="430202")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202101")
    return ledger


def found(ledger, check, woman_id=None):
    fn = checks.CHECKS[check][1]
    return fn(ledger.db, AS_OF, None if woman_id is None else [woman_id])


def li(ledger, **kw):
    kw.setdefault("born", "1990-05-01")
    return b.woman(ledger, "李丽", unit="430202101201", **kw)


# ---- identity -----------------------------------------------------------------------------
def test_a_valid_id_number_passes(office):
    wid = li(office)
    assert found(office, "id_number", wid) == []


def test_a_wrong_check_digit_is_an_error(office):
    good = b.make_id("1990-05-01")
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    wid = li(office, id_number=bad)
    [finding] = found(office, "id_number", wid)
    assert finding.severity == "error" and "校验位错误" in finding.message


def test_id_birth_date_agreeing_with_the_card_passes(office):
    wid = li(office, id_number=b.make_id("1990-05-01"))
    assert found(office, "id_birth_sex", wid) == []


def test_id_birth_date_or_sex_disagreeing_with_the_card_is_an_error(office):
    wid = li(office, id_number=b.make_id("1990-05-02"))
    male = li(office, id_number=b.make_id("1990-05-01", female=False))
    assert "不一致" in found(office, "id_birth_sex", wid)[0].message
    assert "性别为男" in found(office, "id_birth_sex", male)[0].message


# ---- age, marriage, contraception ----------------------------------------------------------
def test_a_woman_aged_15_to_49_passes_the_age_check(office):
    assert found(office, "age", li(office, born="1976-07-01")) == []   # 49 on AS_OF


def test_a_woman_who_turned_50_is_due_to_exit_and_a_14_year_old_is_an_error(office):
    old = li(office, born="1976-06-30", married="2000-01-01")
    young = li(office, born="2012-01-01", married=None)
    assert found(office, "age", old)[0].severity == "warning"
    assert "超龄" in found(office, "age", old)[0].message
    assert found(office, "age", young)[0].severity == "error"


def test_an_exited_card_is_not_checked_for_age(office):
    assert found(office, "age", li(office, born="1970-01-01", exit_reason="超龄", exit_date="2020-01-01")) == []


def test_married_with_a_first_marriage_date_after_15_passes(office):
    assert found(office, "marriage", li(office, married="2012-01-01")) == []


def test_married_without_first_marriage_date_is_an_error(office):
    wid = li(office, married=None, marital="初婚")
    assert "缺少初婚日期" in found(office, "marriage", wid)[0].message


def test_first_marriage_before_15th_birthday_is_an_error(office):
    wid = li(office, married="2004-01-01")
    assert "早于 15 周岁生日" in found(office, "marriage", wid)[0].message


@pytest.mark.parametrize("born, married, early", [
    ("1990-05-01", "2005-04-30", True), ("1990-05-01", "2005-05-01", False), ("1990-05-01", "2005-12-31", False),
    ("1990-05-01", "2004-12-31", True), ("1992-02-29", "2007-02-28", True), ("1992-02-29", "2007-03-01", False),
])
def test_the_15th_birthday_is_exact_to_the_day_for_marriage_and_births(office, born, married, early):
    """Both the whole-ledger run and the one-card check (the cheap year test before `date()`)."""
    wid = b.woman(office, "李丽", unit="430202101201", born=born, married=married)
    b.child(office, wid, 1, married)
    for run in (found(office, "marriage"), found(office, "marriage", wid)):
        assert any("早于 15 周岁生日" in f.message for f in run) is early
    for run in (found(office, "child_dates"), found(office, "child_dates", wid)):
        assert any("未满 15 岁" in f.message for f in run) is early


def test_married_woman_with_a_current_measure_passes(office):
    wid = li(office)
    b.measure(office, wid, "未避孕", "2012-01-01")
    assert found(office, "contraception", wid) == []


def test_married_woman_without_a_current_measure_is_a_warning(office):
    wid = li(office)
    b.measure(office, wid, "避孕套", "2012-01-01", end="2015-01-01")
    [finding] = found(office, "contraception", wid)
    assert finding.severity == "warning"


def test_floating_woman_with_reason_and_date_passes(office):
    wid = li(office, residence="流入", float_reason="务工经商", float_date="2020-01-01")
    assert found(office, "floating", wid) == []


def test_floating_woman_without_reason_is_a_warning(office):
    wid = li(office, residence="流出")
    assert "流动原因" in found(office, "floating", wid)[0].message


def test_exit_with_reason_and_date_passes_but_reason_alone_fails(office):
    assert found(office, "exit", li(office, exit_reason="迁出", exit_date="2020-01-01")) == []
    assert found(office, "exit", li(office, exit_reason="迁出"))[0].severity == "error"


# ---- children ------------------------------------------------------------------------------
def test_a_child_born_after_marriage_and_reported_later_passes(office):
    wid = li(office)
    b.child(office, wid, 1, "2014-03-01", reported="2014-03-20")
    assert found(office, "child_dates", wid) == [] and found(office, "child_marriage", wid) == []


def test_a_child_born_before_the_mothers_15th_birthday_is_an_error(office):
    wid = li(office, married="2012-01-01")
    b.child(office, wid, 1, "2004-03-01")
    assert "未满 15 岁" in found(office, "child_dates", wid)[0].message


def test_reported_date_before_birth_is_an_error(office):
    wid = li(office)
    b.child(office, wid, 1, "2014-03-01", reported="2014-02-01")
    assert "上报日期 2014-02-01 早于出生日期" in found(office, "child_dates", wid)[0].message


def test_death_before_birth_is_an_error(office):
    wid = li(office)
    b.child(office, wid, 1, "2014-03-01", died="2014-01-01")
    assert "死亡日期" in found(office, "child_dates", wid)[0].message


def test_a_child_before_first_marriage_is_an_error_unless_flagged(office):
    wid = li(office, married="2015-01-01")
    b.child(office, wid, 1, "2014-03-01")
    assert "早于母亲初婚日期" in found(office, "child_marriage", wid)[0].message
    flagged = li(office, married="2015-01-01")
    b.child(office, flagged, 1, "2014-03-01", out_of_wedlock=1)
    assert found(office, "child_marriage", flagged) == []


def test_birth_orders_following_birth_dates_pass_and_twins_take_consecutive_orders(office):
    wid = li(office)
    b.child(office, wid, 1, "2013-03-01")
    b.child(office, wid, 2, "2016-05-01")
    b.child(office, wid, 3, "2016-05-01")
    assert found(office, "birth_order", wid) == []
    assert found(office, "birth_order_gap", wid) == []


def test_an_earlier_born_child_with_a_higher_order_is_an_error(office):
    wid = li(office)
    b.child(office, wid, 1, "2016-05-01")
    b.child(office, wid, 2, "2013-03-01")
    [finding] = found(office, "birth_order", wid)
    assert "孩次顺序不符" in finding.message


def test_twins_with_non_consecutive_orders_are_an_error(office):
    wid = li(office)
    b.child(office, wid, 1, "2016-05-01")
    b.child(office, wid, 3, "2016-05-01")
    assert any("同日" in f.message for f in found(office, "birth_order", wid))


def test_a_gap_in_birth_orders_is_a_warning(office):
    wid = li(office)
    b.child(office, wid, 1, "2013-03-01")
    b.child(office, wid, 3, "2016-05-01")
    [finding] = found(office, "birth_order_gap", wid)
    assert finding.severity == "warning"


def test_a_birth_with_no_long_acting_measure_in_effect_passes(office):
    wid = li(office)
    b.measure(office, wid, "宫内节育器", "2013-08-01", end="2015-03-01")
    b.child(office, wid, 2, "2016-05-01")
    assert found(office, "measure_failure", wid) == []


def test_a_birth_while_an_iud_was_in_effect_is_a_warning_not_an_error(office):
    wid = li(office)
    b.measure(office, wid, "宫内节育器", "2013-08-01")
    b.child(office, wid, 1, "2016-05-01")
    [finding] = found(office, "measure_failure", wid)
    assert finding.severity == "warning" and "措施失败" in finding.message


# ---- measures and procedures ---------------------------------------------------------------
def test_one_open_measure_with_ordered_dates_passes(office):
    wid = li(office)
    b.measure(office, wid, "避孕套", "2012-01-01", end="2013-08-01")
    b.measure(office, wid, "宫内节育器", "2013-08-01")
    assert found(office, "measures", wid) == []


def test_two_open_measures_or_an_end_before_start_are_errors(office):
    wid = li(office)
    b.measure(office, wid, "避孕套", "2012-01-01")
    b.measure(office, wid, "宫内节育器", "2013-08-01")
    b.measure(office, wid, "口服及注射避孕药", "2011-01-01", end="2010-01-01")
    messages = [f.message for f in found(office, "measures", wid)]
    assert any("2 项未终止" in m for m in messages) and any("早于开始日期" in m for m in messages)


def test_iud_removal_with_an_iud_in_effect_passes(office):
    wid = li(office)
    b.measure(office, wid, "宫内节育器", "2013-08-01", end="2016-01-01")
    b.procedure(office, wid, "上环", "2013-08-01")
    b.procedure(office, wid, "取环", "2016-01-01")
    assert found(office, "procedures", wid) == []


def test_iud_removal_without_an_iud_is_an_error(office):
    wid = li(office)
    b.procedure(office, wid, "取环", "2016-01-01")
    assert "没有宫内节育器" in found(office, "procedures", wid)[0].message


def test_iud_insertion_while_sterilized_is_an_error(office):
    wid = li(office)
    b.measure(office, wid, "女扎", "2014-01-01")
    b.procedure(office, wid, "上环", "2016-01-01")
    assert "已女扎" in found(office, "procedures", wid)[0].message


# ---- whole-ledger run ----------------------------------------------------------------------
def test_run_all_lists_every_finding_grouped_by_check(office):
    clean = li(office)
    b.measure(office, clean, "宫内节育器", "2013-08-01")
    bad = li(office, married=None, marital="初婚")
    b.procedure(office, bad, "取环", "2016-01-01")
    result = checks.run_all(office.db, AS_OF)
    assert {f.woman_id for f in result} == {bad}
    groups = checks.group(result)
    assert set(groups) >= {"婚姻", "手术与措施"}
    assert checks.for_women(office.db, [clean], AS_OF) == []
