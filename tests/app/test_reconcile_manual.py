"""手工台帐 vs 电脑台帐: the 手工台帐 sheet, computed items at the period's end, drill-down."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from app.exchange.workbook import ImportFailed, import_workbook, sheet_specs
from app.periods import Period
from app.reconcile import manual
from tests.builders import child, measure, unit, woman


@pytest.fixture
def village(ledger):
    unit(ledger, "430202001", "仙庾镇", "乡镇")
    unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    unit(ledger, "430202001002", "杏花村", "村", parent="430202001")
    a = woman(ledger, "李丽", "430202001001", born="1990-05-01")
    b = woman(ledger, "王芳", "430202001001", born="1992-05-01")
    c = woman(ledger, "张静", "430202001002", born="1988-01-01")
    woman(ledger, "赵燕", "430202001001", born="1995-01-01", married=None)          # 未婚
    woman(ledger, "刘红", "430202001001", born="1991-01-01", residence="流出")      # 流出
    woman(ledger, "陈玲", "430202001001", born="1970-01-01")                        # over 49
    measure(ledger, a, "宫内节育器", "2020-01-01")
    measure(ledger, b, "女扎", "2019-01-01")
    measure(ledger, c, "避孕套", "2025-01-01", end="2026-02-01")                  # ended before the end
    child(ledger, a, 1, born="2026-01-10", reported="2026-01-12")
    child(ledger, b, 1, born="2025-08-01", reported="2025-11-01")                    # 补报 in 2026H1
    child(ledger, c, 1, born="2026-03-30", reported="2026-04-05")                    # reported after the end
    return {"a": a, "b": b, "c": c}


def test_items_are_counted_at_the_period_end_over_the_unit_subtree(ledger, village):
    p = Period.parse("2026H1", 10)
    got = {item: manual.computed(ledger.db, "430202001", p, item) for item in manual.ITEMS}
    assert got == {"已婚育龄妇女": 3, "上环": 1, "结扎": 1, "皮埋": 0, "药具": 0, "未避孕": 1, "出生": 1, "补报": 1}
    assert manual.computed(ledger.db, "430202001001", p, "已婚育龄妇女") == 2


def test_drill_down_lists_the_cards_behind_a_figure(ledger, village):
    p = Period.parse("2026H1", 10)
    cards = manual.cards(ledger.db, "430202001", p, "上环")
    assert [c["woman_id"] for c in cards] == [village["a"]]
    births = manual.cards(ledger.db, "430202001", p, "出生")
    assert [(b["woman_id"], b["birth_date"]) for b in births] == [(village["a"], "2026-01-10")]


def test_manual_sheet_imports_all_or_nothing_and_compares(ledger, village, tmp_path):
    assert sheet_specs()[-1].name == "手工台帐"
    wb = Workbook()
    ws = wb.active
    ws.title = "手工台帐"
    ws.append(["单位代码", "统计期", "项目", "人数"])
    ws.append(["430202001001", "2026H1", "已婚育龄妇女", 2])
    ws.append(["430202001001", "2026H1", "上环", 2])
    path = tmp_path / "manual.xlsx"
    wb.save(path)
    result = import_workbook(ledger, path)
    assert result.sheets["手工台帐"].inserted == 2
    assert import_workbook(ledger, path).sheets["手工台帐"].unchanged == 2
    rows = {c.item: c for c in manual.compare(ledger.db, Period.parse("2026H1", 10))}
    assert rows["已婚育龄妇女"].difference == 0
    assert rows["上环"].difference == 1 and rows["上环"].computed == 1
    assert rows["结扎"].manual is None and rows["结扎"].difference is None

    ws.append(["430202001001", "2026H9", "上环", -1])
    ws.append(["999", "2026H1", "计生", 1])
    wb.save(path)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(ledger, path)
    messages = [str(e) for e in failed.value.errors]
    assert any(m.startswith("手工台帐!4 统计期") for m in messages)
    assert any(m.startswith("手工台帐!4 人数") for m in messages)
    assert any(m.startswith("手工台帐!5 项目") for m in messages)


def test_entering_a_manual_figure_on_screen_is_audited(ledger, village):
    manual.set_manual(ledger, "430202001002", "2026H1", "药具", 4)
    manual.set_manual(ledger, "430202001002", "2026H1", "药具", 5)
    rows = {c.item: c for c in manual.compare(ledger.db, Period.parse("2026H1", 10))}
    assert rows["药具"].manual == 5 and rows["药具"].difference == 5
    audited = ledger.db.execute("select before, after from audit_log where action = '录入手工台帐' order by id").fetchall()
    assert audited == [(None, "4"), ("4", "5")]


def test_married_women_follow_the_statistics_rule_for_marriage_changes(ledger):
    """The same 已婚育龄妇女 as the forms (app.stats): 复婚 counts; a divorce after the period's end
    still counts, one before it does not; a first marriage after the end does not."""
    from app.stats import report

    unit(ledger, "430202001", "仙庾镇", "乡镇")
    unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    v = "430202001001"
    woman(ledger, "李丽", v, born="1990-05-01")
    woman(ledger, "王芳", v, born="1990-05-01", marital="复婚", marital_change_date="2020-01-01")
    woman(ledger, "张静", v, born="1990-05-01", marital="离婚", marital_change_date="2026-05-01")
    woman(ledger, "赵燕", v, born="1990-05-01", marital="离婚", marital_change_date="2026-01-01")
    woman(ledger, "周敏", v, born="1990-05-01", married="2026-06-01")
    p = Period.parse("2026H1", 10)
    assert manual.computed(ledger.db, v, p, "已婚育龄妇女") == 3
    assert report(ledger.db, "2026H1", live=True)["contraception"]["married_women"] == 3
