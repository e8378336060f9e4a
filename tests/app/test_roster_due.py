"""Who is due in a pregnancy-check round (DOMAIN.md §6), at the edges the office meets."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserInputError
from app.roster import due, rates, results, rounds
from app.roster.results import CheckResult
from tests.builders import measure, unit, woman

ROUND = "2026Q2"   # statistical year from October: 2026-01-01 … 2026-03-31


@pytest.fixture
def town(ledger):
    unit(ledger, "4302", "荷塘区", "区县")
    unit(ledger, "430201", "仙庾镇", "乡镇", parent="4302")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430201002", "杏花村", "村", parent="430201")
    unit(ledger, "430202", "明照乡", "乡镇", parent="4302")
    unit(ledger, "430202001", "新村", "村", parent="430202")
    return ledger


def due_names(ledger, code: str = ROUND) -> dict[str, str]:
    rnd = rounds.resolve(ledger, code)
    return {w.name: w.category for w in due.due_list(ledger, rnd)}


def test_round_code_is_a_period_in_the_statistical_year(town):
    rnd = rounds.resolve(town, "2026q2")
    assert (rnd.code, rnd.start, rnd.end) == ("2026Q2", date(2026, 1, 1), date(2026, 3, 31))


def test_woman_turning_50_inside_the_round_is_not_due(town):
    woman(town, "满五十", "430201001", born="1976-02-15")      # 50 on 2026-02-15
    woman(town, "末日满五十", "430201001", born="1976-03-31")  # 50 on the round's last day
    woman(town, "四十九", "430201001", born="1976-04-01")      # 50 the day after the round
    assert set(due_names(town)) == {"四十九"}


def test_woman_turning_15_counts_from_her_birthday(town):
    woman(town, "十五岁", "430201001", born="2011-03-31", married="2026-01-01")
    woman(town, "不满十五", "430201001", born="2011-04-01", married="2026-01-01")
    assert set(due_names(town)) == {"十五岁"}


def test_sterilized_13_months_before_the_round_is_exempt_11_months_is_due(town):
    old = woman(town, "扎了十三个月", "430201001")
    recent = woman(town, "扎了十一个月", "430201001")
    exact = woman(town, "扎了整十二个月", "430201001")
    measure(town, old, "女扎", "2024-12-01")       # 13 months before 2026-01-01
    measure(town, recent, "女扎", "2025-02-01")    # 11 months before
    measure(town, exact, "男扎", "2025-01-01")     # exactly 12: not MORE than 12
    assert due_names(town) == {"扎了十一个月": "结扎不足一年", "扎了整十二个月": "结扎不足一年"}


def test_exempt_months_is_a_setting(town):
    recent = woman(town, "扎了十一个月", "430201001")
    measure(town, recent, "女扎", "2025-02-01")
    town.set_setting(rounds.EXEMPT_MONTHS_KEY, 6)
    assert due_names(town) == {}


def test_unmarried_divorced_widowed_and_exited_women_are_not_due(town):
    woman(town, "未婚", "430201001", married=None)
    woman(town, "离婚", "430201001", marital="离婚", marital_change_date="2025-06-01")
    woman(town, "丧偶", "430201001", marital="丧偶", marital_change_date="2024-06-01")
    woman(town, "迁出", "430201001", exit_reason="迁出", exit_date="2026-02-01")
    woman(town, "死亡", "430201001", exit_reason="死亡", exit_date="2025-12-01")
    woman(town, "录错", "430201001", exit_reason="录入错误", exit_date="2026-05-01")
    woman(town, "在册", "430201001")
    assert set(due_names(town)) == {"在册"}


def test_state_at_the_rounds_end_counts(town):
    woman(town, "轮后迁出", "430201001", exit_reason="迁出", exit_date="2026-04-10")
    woman(town, "轮后离婚", "430201001", marital="离婚", marital_change_date="2026-05-01")
    woman(town, "轮后结婚", "430201001", married="2026-04-02")
    assert set(due_names(town)) == {"轮后迁出", "轮后离婚"}


def test_categories_follow_the_measure_in_effect_at_the_rounds_end(town):
    for name, method in [("环", "宫内节育器"), ("埋", "皮下埋植"), ("药", "口服及注射避孕药"),
                         ("套", "避孕套"), ("外", "外用药"), ("其他", "其他"), ("未", "未避孕")]:
        measure(town, woman(town, name, "430201001"), method, "2020-01-01")
    woman(town, "无措施", "430201001")
    taken_out = woman(town, "取了环", "430201001")
    measure(town, taken_out, "宫内节育器", "2020-01-01", end="2026-02-01")
    later = woman(town, "轮后上环", "430201001")
    measure(town, later, "宫内节育器", "2026-04-05")
    assert due_names(town) == {"环": "上环", "埋": "皮埋", "药": "药具", "套": "药具", "外": "药具",
                               "其他": "未避孕/应落实未落实", "未": "未避孕/应落实未落实", "无措施": "未避孕/应落实未落实",
                               "取了环": "未避孕/应落实未落实", "轮后上环": "未避孕/应落实未落实"}


def test_outflow_women_are_due_and_answer_by_certificate(town):
    away = woman(town, "外出务工", "430201001", residence="流出")
    woman(town, "流入", "430201002", residence="流入")
    assert set(due_names(town)) == {"外出务工", "流入"}
    results.record(town, ROUND, away, CheckResult("寄回证明", certificate_date=date(2026, 4, 20),
                                                  pregnancy="未孕"))
    figures = rates.figures(town, rounds.resolve(town, ROUND), today=date(2026, 6, 1))
    assert (figures.total.due, figures.total.certificate, figures.total.missed) == (2, 1, 1)
    assert figures.total.rate == 50


def test_outflow_certificate_overdue_after_the_setting_days(town):
    away = woman(town, "外出务工", "430201001", residence="流出")
    rnd = rounds.resolve(town, ROUND)
    assert rates.overdue_certificates(town, rnd, today=date(2026, 4, 30)) == []   # 30 days: not yet
    late = rates.overdue_certificates(town, rnd, today=date(2026, 5, 5))
    assert [(item.woman.woman_id, item.days_overdue) for item in late] == [(away, 5)]
    results.record(town, ROUND, away, CheckResult("寄回证明", certificate_date=date(2026, 5, 4)))
    rnd = rounds.resolve(town, ROUND)
    assert rates.overdue_certificates(town, rnd, today=date(2026, 5, 5)) == []


def test_check_exempt_mark_with_reason_is_audited_and_clearable(town):
    ill = woman(town, "免查", "430201001")
    rounds_exempt = results.set_exempt
    rounds_exempt(town, ill, "子宫切除")
    assert due_names(town) == {}
    rounds_exempt(town, ill, None)
    assert set(due_names(town)) == {"免查"}
    actions = [r[0] for r in town.db.execute(
        "select action from audit_log where object_type = 'woman' and object_id = ?", [str(ill)])]
    assert actions == ["设置免查", "取消免查"]


def test_woman_changing_unit_during_the_round_is_due_once_in_her_new_unit(town):
    mover = woman(town, "搬家", "430201001")
    rnd = rounds.resolve(town, ROUND)
    results.record(town, ROUND, mover, CheckResult("已查", check_date=date(2026, 1, 10), place="镇卫生院"))
    new_unit = town.db.execute("select id from units where code = '430202001'").fetchone()[0]
    with town.write():
        town.db.execute("update women set unit_id = ? where id = ?", [new_unit, mover])   # moved 2026-02
    rnd = rounds.resolve(town, ROUND)
    figures = rates.figures(town, rnd)
    by_code = {u.unit.code: u.total for u in figures.units}
    assert (figures.total.due, figures.total.checked) == (1, 1)
    assert (by_code["430201"].due, by_code["430202"].due, by_code["430202"].checked) == (0, 1, 1)


def test_closing_freezes_the_due_list_unit_and_category(town):
    stays = woman(town, "留下", "430201001")
    measure(town, stays, "宫内节育器", "2020-01-01")
    assert rounds.close(town, ROUND, today=date(2026, 4, 1)) == 1
    other = town.db.execute("select id from units where code = '430202001'").fetchone()[0]
    with town.write():
        town.db.execute("update women set unit_id = ?, marital_status = '离婚', marital_change_date = '2026-01-15'"
                        " where id = ?", [other, stays])
    woman(town, "后建卡", "430201001")
    rnd = rounds.resolve(town, ROUND)
    assert rnd.closed
    assert due_names(town) == {"留下": "上环"}
    assert {u.unit.code: u.total.due for u in rates.figures(town, rnd).units} == {"430201": 1, "430202": 0}
    rounds.reopen(town, ROUND, "补录漏建卡片")
    assert set(due_names(town)) == {"后建卡"}


def test_round_cannot_close_before_it_ends_and_can_be_created_ahead(town):
    rounds.create(town, "2027Q1")
    assert rounds.resolve(town, "2027Q1").id is not None
    with pytest.raises(UserInputError, match="才能关账"):
        rounds.close(town, "2027Q1", today=date(2026, 12, 1))
