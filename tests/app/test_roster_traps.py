"""Traps around every rule of the pregnancy-check round (DOMAIN.md §6, INTERFACES.md §4).

Each test runs twice: on a fresh ledger and after ANALYZE (imports run ANALYZE and closing a
ledger runs `pragma optimize`; SQLite 3.40.1 answers some IN queries wrongly once statistics
exist). Round 2026Q2 in a statistical year from October = 2026-01-01 … 2026-03-31.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.exchange.workbook import import_workbook
from app.roster import due, rates, results, rounds
from app.roster.results import CheckResult
from tests.builders import make_id, measure, unit, woman

ROUND = "2026Q2"
CATEGORY_NAMES = ["上环", "皮埋", "药具", "结扎不足一年", "未避孕/应落实未落实"]
_area = iter(range(100000, 999999, 7))


def wid(ledger, name: str, unit_code: str = "430201001", born: str = "1990-01-01", **kw) -> int:
    """A woman with an ID number unique across the whole test (builders' serials repeat)."""
    kw.setdefault("id_number", make_id(born, area=f"{next(_area):06d}"))
    return woman(ledger, name, unit_code, born=born, **kw)


@pytest.fixture(params=["fresh", "analyzed"])
def town(request, ledger):
    unit(ledger, "4302", "荷塘区", "区县")
    unit(ledger, "430201", "仙庾镇", "乡镇", parent="4302")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430201002", "杏花村", "村", parent="430201")
    unit(ledger, "430202", "明照乡", "乡镇", parent="4302")
    unit(ledger, "430202001", "新村", "村", parent="430202")
    ledger.analyzed = request.param == "analyzed"
    return ledger


def _statistics(ledger) -> None:
    if getattr(ledger, "analyzed", False):
        with ledger.write():
            ledger.db.execute("analyze")
        ledger.conn.execute("pragma optimize")


def due_names(ledger, code: str = ROUND) -> dict[str, str]:
    _statistics(ledger)
    return {w.name: w.category for w in due.due_list(ledger, rounds.resolve(ledger, code))}


def figures(ledger, code: str = ROUND, unit_code: str | None = None) -> dict:
    _statistics(ledger)
    return rates.figures(ledger, rounds.resolve(ledger, code), unit_code, today=date(2026, 4, 2)).as_json()


# ---- age at the round's END ------------------------------------------------------------------

def test_age_is_taken_at_the_rounds_end_50th_birthday_on_or_before_the_end_is_not_due(town):
    wid(town, "五十岁生日在轮内", born="1976-02-10")
    wid(town, "五十岁生日在末日", born="1976-03-31")
    wid(town, "五十岁生日在次日", born="1976-04-01")
    wid(town, "轮前已满五十", born="1975-12-31")
    assert set(due_names(town)) == {"五十岁生日在次日"}


def test_15th_birthday_on_or_before_the_rounds_end_is_due_the_day_after_is_not(town):
    wid(town, "十五岁生日在轮内", born="2011-02-01", married="2026-01-01")
    wid(town, "十五岁生日在末日", born="2011-03-31", married="2026-01-01")
    wid(town, "十五岁生日在次日", born="2011-04-01", married="2026-01-01")
    assert set(due_names(town)) == {"十五岁生日在轮内", "十五岁生日在末日"}


def test_born_on_29_february_has_her_birthday_on_1_march_in_a_common_year(town):
    # Round 2026-02 ends on 2026-02-28: born 1976-02-29 she is still 49 that day.
    wid(town, "闰日生", born="1976-02-29")
    wid(town, "二月二十八日生", born="1976-02-28")
    assert set(due_names(town, "2026-02")) == {"闰日生"}


# ---- married at the round's end ----------------------------------------------------------------

def test_married_means_married_at_the_rounds_end(town):
    wid(town, "未婚", married=None)
    wid(town, "初婚在轮内", married="2026-03-31")
    wid(town, "初婚在轮后", married="2026-04-01")
    wid(town, "轮后离婚", marital="离婚", marital_change_date="2026-04-01")
    wid(town, "末日离婚", marital="离婚", marital_change_date="2026-03-31")
    wid(town, "离婚无日期", marital="离婚")
    wid(town, "轮前丧偶", marital="丧偶", marital_change_date="2025-06-01")
    wid(town, "轮后丧偶", marital="丧偶", marital_change_date="2026-05-01")
    wid(town, "再婚", marital="再婚", marital_change_date="2020-05-01")
    wid(town, "再婚无日期", marital="再婚")
    wid(town, "轮后再婚", marital="再婚", marital_change_date="2026-04-15")
    wid(town, "复婚", marital="复婚", marital_change_date="2021-05-01")
    assert set(due_names(town)) == {"初婚在轮内", "轮后离婚", "轮后丧偶", "再婚", "再婚无日期", "复婚"}


# ---- active card -------------------------------------------------------------------------------

def test_card_must_be_active_at_the_rounds_end(town):
    wid(town, "在册")
    wid(town, "出队在末日", exit_reason="迁出", exit_date="2026-03-31")
    wid(town, "出队在次日", exit_reason="迁出", exit_date="2026-04-01")
    wid(town, "轮内死亡", exit_reason="死亡", exit_date="2026-02-01")
    wid(town, "录入错误在轮后", exit_reason="录入错误", exit_date="2026-06-01")
    wid(town, "出队无日期", exit_reason="迁出")
    wid(town, "出队原因空白", exit_reason="")
    assert set(due_names(town)) == {"在册", "出队在次日", "出队原因空白"}


def test_resident_inflow_and_outflow_women_are_due(town):
    wid(town, "常住", residence="常住")
    wid(town, "流入", residence="流入")
    wid(town, "流出", residence="流出")
    wid(town, "其他状态", residence="不详")
    assert set(due_names(town)) == {"常住", "流入", "流出"}


# ---- exemption -----------------------------------------------------------------------------------

def test_sterilized_more_than_12_months_before_the_round_starts_is_exempt_exactly_12_is_due(town):
    for name, method, start in [("女扎十三个月", "女扎", "2024-12-01"), ("女扎前一日", "女扎", "2024-12-31"),
                                ("女扎整十二个月", "女扎", "2025-01-01"), ("女扎十一个月", "女扎", "2025-02-01"),
                                ("男扎十一个月", "男扎", "2025-02-01"), ("男扎十三个月", "男扎", "2024-12-01"),
                                ("轮内女扎", "女扎", "2026-03-31"), ("轮后女扎", "女扎", "2026-04-01")]:
        measure(town, wid(town, name), method, start)
    assert due_names(town) == {"女扎整十二个月": "结扎不足一年", "女扎十一个月": "结扎不足一年",
                               "男扎十一个月": "结扎不足一年", "轮内女扎": "结扎不足一年",
                               "轮后女扎": "未避孕/应落实未落实"}


def test_an_old_sterilization_exempts_whatever_other_rows_are_open(town):
    both = wid(town, "新女扎旧男扎")
    measure(town, both, "女扎", "2025-06-01")
    measure(town, both, "男扎", "2020-01-01")
    iud_later = wid(town, "结扎后又记上环")
    measure(town, iud_later, "女扎", "2018-01-01")
    measure(town, iud_later, "宫内节育器", "2025-01-01")
    assert due_names(town) == {}


def test_a_sterilization_row_that_ended_before_the_rounds_end_does_not_exempt(town):
    reversed_ = wid(town, "已复通")
    measure(town, reversed_, "女扎", "2015-01-01", end="2025-08-01")
    measure(town, reversed_, "宫内节育器", "2025-09-01")
    ended_after = wid(town, "轮后复通")
    measure(town, ended_after, "女扎", "2015-01-01", end="2026-04-01")
    assert due_names(town) == {"已复通": "上环"}


def test_exempt_mark_needs_a_reason(town):
    wid(town, "免查有原因", check_exempt_reason="子宫切除")
    wid(town, "免查原因空白", check_exempt_reason="")
    wid(town, "免查原因空格", check_exempt_reason="  ")
    assert set(due_names(town)) == {"免查原因空白", "免查原因空格"}


# ---- categories --------------------------------------------------------------------------------

def test_categories_partition_the_due_women_other_goes_to_unprotected(town):
    for name, method in [("环", "宫内节育器"), ("埋", "皮下埋植"), ("药", "口服及注射避孕药"), ("套", "避孕套"),
                         ("外", "外用药"), ("其他", "其他"), ("未避孕", "未避孕")]:
        measure(town, wid(town, name), method, "2020-01-01")
    wid(town, "无措施")
    recent_male = wid(town, "男扎半年")
    measure(town, recent_male, "男扎", "2025-07-01")
    doc = figures(town)
    assert list(doc["by_category"]) == CATEGORY_NAMES
    assert {k: v["due"] for k, v in doc["by_category"].items()} == {
        "上环": 1, "皮埋": 1, "药具": 3, "结扎不足一年": 1, "未避孕/应落实未落实": 3}
    assert sum(v["due"] for v in doc["by_category"].values()) == doc["due"] == 9


def test_a_measure_ending_on_the_rounds_last_day_is_no_longer_in_effect(town):
    out = wid(town, "末日取环")
    measure(town, out, "宫内节育器", "2020-01-01", end="2026-03-31")
    still = wid(town, "次日取环")
    measure(town, still, "宫内节育器", "2020-01-01", end="2026-04-01")
    assert due_names(town) == {"末日取环": "未避孕/应落实未落实", "次日取环": "上环"}


def test_with_two_open_measures_the_one_started_last_names_the_category(town):
    late_condom = wid(town, "旧环新套")
    measure(town, late_condom, "宫内节育器", "2015-01-01")
    measure(town, late_condom, "避孕套", "2025-05-01")
    late_iud = wid(town, "旧药新环")
    measure(town, late_iud, "口服及注射避孕药", "2015-01-01")
    measure(town, late_iud, "宫内节育器", "2025-05-01")
    same_day = wid(town, "同日两项")
    measure(town, same_day, "避孕套", "2024-01-01")
    measure(town, same_day, "皮下埋植", "2024-01-01")
    recent_sterilized = wid(town, "新结扎又记套")
    measure(town, recent_sterilized, "女扎", "2025-06-01")
    measure(town, recent_sterilized, "避孕套", "2025-09-01")
    assert due_names(town) == {"旧环新套": "药具", "旧药新环": "上环", "同日两项": "皮埋",
                               "新结扎又记套": "结扎不足一年"}


# ---- results and rates -------------------------------------------------------------------------

def test_due_women_without_a_result_and_with_weiche_are_both_missed(town):
    checked = wid(town, "已查")
    away = wid(town, "寄回", residence="流出")
    no_show = wid(town, "未查")
    wid(town, "无结果")
    results.record(town, ROUND, checked, CheckResult("已查", check_date=date(2026, 2, 1)))
    results.record(town, ROUND, away, CheckResult("寄回证明", certificate_date=date(2026, 3, 20)))
    results.record(town, ROUND, no_show, CheckResult("未查", followup_action="电话通知"))
    doc = figures(town)
    assert {k: doc[k] for k in ("due", "checked", "certificate", "missed", "rate_percent")} == {
        "due": 4, "checked": 1, "certificate": 1, "missed": 2, "rate_percent": 50.0}


def test_rate_rounds_half_up_to_two_decimals(town):
    ids = [wid(town, f"妇女{i:02d}") for i in range(32)]
    results.record(town, ROUND, ids[0], CheckResult("已查", check_date=date(2026, 2, 1)))
    doc = figures(town)
    assert doc["rate_percent"] == 3.13          # 1/32 = 3.125 % → 3.13 (half up, not half even)
    three = [wid(town, f"另{i}", unit_code="430202001") for i in range(3)]
    for woman_id in three[:2]:
        results.record(town, ROUND, woman_id, CheckResult("已查", check_date=date(2026, 2, 1)))
    doc = figures(town)
    assert [u["rate_percent"] for u in doc["units"]] == [3.13, 66.67]
    assert doc["rate_percent"] == 8.57          # 3/35 = 8.5714… %


def test_rate_is_null_when_nobody_is_due(town):
    doc = figures(town)
    assert doc["due"] == 0 and doc["rate_percent"] is None
    assert all(v["rate_percent"] is None for v in doc["by_category"].values())
    assert [u["rate_percent"] for u in doc["units"]] == [None, None]


def test_results_of_women_who_are_not_due_and_of_other_rounds_are_not_counted(town, tmp_path):
    from openpyxl import Workbook

    due_id = wid(town, "应查者")
    single = wid(town, "未婚者", married=None)
    old = wid(town, "早扎者")
    measure(town, old, "女扎", "2010-01-01")
    number = {w: town.db.execute("select id_number from women where id = ?", [w]).fetchone()[0]
              for w in (due_id, single, old)}
    book = Workbook()
    sheet = book.active
    sheet.title = "孕检记录"
    sheet.append(["证件号码", "轮次", "结果", "检查日期", "环情", "孕情", "病情"])
    sheet.append([number[single], ROUND, "已查", "2026-02-01", None, "未孕", None])
    sheet.append([number[old], ROUND, "已查", "2026-02-01", None, "未孕", None])
    sheet.append([number[due_id], "2026Q1", "已查", "2025-11-01", None, "未孕", None])
    sheet.append([number[due_id], "2026Q3", "寄回证明", "2026-04-05", None, "未孕", None])
    book.save(tmp_path / "checks.xlsx")
    outcome = import_workbook(town, tmp_path / "checks.xlsx")
    assert outcome.sheets["孕检记录"].inserted == 4
    doc = figures(town)
    assert {k: doc[k] for k in ("due", "checked", "certificate", "missed")} == {
        "due": 1, "checked": 0, "certificate": 0, "missed": 1}
    q3 = figures(town, "2026Q3")
    assert (q3["due"], q3["certificate"]) == (1, 1)


# ---- units: the root's direct children, tree at the round's end --------------------------------

def test_units_are_the_roots_children_rolled_up_over_the_tree_at_the_rounds_end(town):
    with town.write():
        from app import units

        unit(town, "430201003", "梨花村", "村", parent="430201")
        units.move(town.db, "430201003", "430202", "2026-02-15")       # inside the round: ends in 明照乡
        unit(town, "430201004", "桃园村", "村", parent="430201")
        units.move(town.db, "430201004", "430202", "2026-05-01")       # after the round: still 仙庾镇
        unit(town, "430202009", "新建社区", "社区", parent="430202", since="2026-06-01")   # after the end
    wid(town, "梨花", "430201003")
    wid(town, "桃园", "430201004")
    wid(town, "新社区", "430202009")
    wid(town, "区直属", "4302")
    doc = figures(town)
    assert [(u["code"], u["due"]) for u in doc["units"]] == [("430201", 1), ("430202", 2)]
    assert doc["due"] == 4                 # the woman attached to the root itself is in the total only
    scoped = figures(town, unit_code="430202")
    assert (scoped["due"], [(u["code"], u["due"]) for u in scoped["units"]]) == (
        2, [("430202001", 0), ("430201003", 1)])


def test_a_woman_who_moved_during_the_round_is_due_once_and_keeps_her_result(town):
    mover = wid(town, "搬家")
    results.record(town, ROUND, mover, CheckResult("已查", check_date=date(2026, 1, 10)))
    new_unit = town.db.execute("select id from units where code = '430202001'").fetchone()[0]
    with town.write():
        town.db.execute("update women set unit_id = ? where id = ?", [new_unit, mover])
    doc = figures(town)
    assert (doc["due"], doc["checked"]) == (1, 1)
    assert [(u["code"], u["due"], u["checked"]) for u in doc["units"]] == [("430201", 0, 0), ("430202", 1, 1)]


# ---- round codes ---------------------------------------------------------------------------------

def test_round_codes_are_periods_of_the_ledgers_statistical_year(town, tmp_path):
    from app.ledger import Ledger

    assert (figures(town)["start"], figures(town)["end"]) == ("2026-01-01", "2026-03-31")
    assert (figures(town, "2026H1")["start"], figures(town, "2026H1")["end"]) == ("2025-10-01", "2026-03-31")
    with Ledger.create(tmp_path / "calendar.db", "日历年度", 1, actor="test") as calendar:
        rnd = rounds.resolve(calendar, "2026q2")
        assert (rnd.code, rnd.start, rnd.end) == ("2026Q2", date(2026, 4, 1), date(2026, 6, 30))


def test_a_woman_in_a_unit_created_after_the_round_is_listed_and_printed_with_its_ancestor(town):
    from app.roster import printing

    unit(town, "430202009", "新建社区", "社区", parent="430202", since="2026-06-01")
    wid(town, "新社区", "430202009")
    _statistics(town)
    rnd = rounds.resolve(town, ROUND)
    inside = rates.subtree(town, rnd.end, town.db.execute("select id from units where code = '430202'").fetchone()[0])
    assert [item.woman.name for item in rates.missed_worklist(town, rnd, inside)] == ["新社区"]
    assert [(g.unit.code, [w.name for w in g.women]) for g in printing.village_rosters(town, rnd)] == [
        ("430202", ["新社区"])]
