"""The forms still missing (issue 19 item 4): 人口变动, 育龄妇女年龄结构, 孩次节育情况 and the annual
生殖健康服务情况 — through the one road (rows → app/stats counts → one Form → xlsx/pdf), read back
from the .xlsx (openpyxl) and the PDF (text), adding up across units, frozen at close."""

from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import pytest

from app import closing
from app.exchange import period_package
from app.forms.pdf import write_pdf
from app.forms.standard import ANNUAL_FORM_IDS, FORM_IDS, standard_forms
from app.forms.xlsx import write_xlsx
from app.periods import Period
from app.roster import results, rounds
from app.roster.results import CheckResult
from app.stats.period_figures import period_figures
from tests.builders import as_setup_admin, child, measure, unit, woman

TOWN, EAST, WEST = "430202100", "430202100201", "430202100202"


@pytest.fixture
def town(ledger):
    """Two villages with women of every kind the new forms split by."""
    unit(ledger, TOWN, "仙庾镇", "乡镇")
    unit(ledger, EAST, "桃花村", "村", parent=TOWN)
    unit(ledger, WEST, "湖塘村", "村", parent=TOWN)
    w = {}
    # 2026-03 is in the statistical year 2026 (2025-10-01 … 2026-09-30)
    w["a"] = woman(ledger, "甲", EAST, born="1996-05-01", married="2020-01-01")               # 29 → 25-29, 初婚
    child(ledger, w["a"], 1, born="2026-03-05", sex="女")
    measure(ledger, w["a"], "宫内节育器", "2026-03-20")
    w["b"] = woman(ledger, "乙", EAST, born="1980-01-01", married="2003-01-01", marital="再婚",
                   marital_change_date="2015-01-01")                                        # 46 → 45-49, 再婚
    child(ledger, w["b"], 1, born="2005-01-01", sex="男")
    child(ledger, w["b"], 2, born="2010-01-01", sex="女", died="2012-01-01")
    measure(ledger, w["b"], "女扎", "2016-01-01")
    w["c"] = woman(ledger, "丙", EAST, born="2005-02-02", married=None)                       # 21 → 20-24, 未婚
    w["d"] = woman(ledger, "丁", WEST, born="1990-07-07", married="2012-01-01", residence="流入",
                   float_date="2026-03-10", float_reason="务工经商")                           # moved in in March
    for order in (1, 2, 3):
        child(ledger, w["d"], order, born=f"201{order * 2}-01-01", sex="男")
    w["e"] = woman(ledger, "戊", WEST, born="1988-03-03", married="2010-01-01", residence="流出",
                   float_date="2026-03-15", float_reason="婚姻嫁娶")                           # moved out: not counted at end
    w["f"] = woman(ledger, "己", WEST, born="1985-04-04", married="2008-01-01", marital="离婚",
                   marital_change_date="2026-03-20")                                        # divorced in March
    w["g"] = woman(ledger, "庚", WEST, born="1976-03-01", married="1998-01-01", exit_reason="超龄",
                   exit_date="2026-03-01")                                                  # exited in March
    w["h"] = woman(ledger, "辛", EAST, born="1992-01-01", married="2014-01-01", exit_reason="死亡",
                   exit_date="2026-03-25")
    w["void"] = woman(ledger, "壬", EAST, born="1991-01-01", married="2013-01-01", exit_reason="录入错误",
                      exit_date="2026-03-02", card_date="2026-03-02")
    w["new"] = woman(ledger, "癸", WEST, born="1999-09-09", married="2025-12-12", card_date="2026-03-30")
    return ledger, w


def by_id(forms):
    return {f.form_id: f for f in forms}


def cells(path, title):
    sheet = openpyxl.load_workbook(path)[title]
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_new_forms_come_with_the_period_and_the_annual_one_with_a_year(town):
    ledger, _ = town
    assert [f.form_id for f in standard_forms(ledger, "2026-03")] == list(FORM_IDS)
    assert [f.form_id for f in standard_forms(ledger, "2026")] == list(FORM_IDS + ANNUAL_FORM_IDS)


def test_population_change_counts_moves_exits_and_new_cards_and_adds_up(town, tmp_path):
    ledger, _ = town
    form = by_id(standard_forms(ledger, "2026-03"))["population_change"]
    assert form.title == "人口变动情况月报表"
    east, west = form.rows
    total = form.total_row
    assert (east["name"], west["name"]) == ("桃花村", "湖塘村")
    assert (east["births"], east["births_f"]) == (1, 1)
    assert west["in_total"] == 1 and west["in_0"] == 1            # 务工经商
    assert west["out_total"] == 1 and west["out_1"] == 1          # 婚姻嫁娶
    assert (west["exit_total"], west["exit_0"]) == (1, 1)         # 超龄
    assert (east["exit_total"], east["exit_2"]) == (1, 1)         # 死亡 (the void card is not an exit)
    assert (east["new_cards"], west["new_cards"]) == (0, 1)       # the void card's 建卡 does not count
    for key, value in total.items():
        if key != "name":
            assert value == east[key] + west[key], key
    path = write_xlsx([form], tmp_path / "change.xlsx")
    sheet = cells(path, form.title)
    total_line = next(r for r in sheet if r[0] == "合计")
    assert [v for v in total_line[1:] if v is not None][:3] == [1, 0, 1]
    write_pdf([form], tmp_path / "change.pdf")
    text = pdf_text(tmp_path / "change.pdf")
    assert "人口变动情况月报表" in text and "务工经商" in text and "湖塘村" in text


def test_age_structure_is_at_the_periods_end_by_band_and_status(town, tmp_path):
    ledger, _ = town
    form = by_id(standard_forms(ledger, "2026-03"))["age_structure"]
    rows = {r["band"]: r for r in form.rows}
    assert rows["25–29"]["s_初婚"] == 2                       # 甲, 癸
    assert rows["45–49"]["s_再婚"] == 1                       # 乙
    assert rows["20–24"]["s_未婚"] == 1                       # 丙
    assert rows["40–44"]["s_离婚"] == 1                       # 己, divorced on 2026-03-20
    total = form.total_row
    assert total["total"] == 6                                # 甲乙丙丁己癸 (戊 流出, 庚 and 辛 exited)
    assert total["total"] == sum(r["total"] for r in form.rows)
    married = period_figures(ledger.db, Period.parse("2026-03", 10)).counts(None)["married_women"]
    assert total["married"] == married == 4                    # 甲乙丁癸
    # a month earlier 己 was still married, 辛 alive and 庚 49: all three there, as married women
    feb = by_id(standard_forms(ledger, "2026-02"))["age_structure"].total_row
    assert feb["married"] == 7 and feb["s_离婚"] == 0
    path = write_xlsx([form], tmp_path / "age.xlsx")
    assert any(r[0] == "合计" and 6 in r for r in cells(path, form.title))
    write_pdf([form], tmp_path / "age.pdf")
    assert "育龄妇女年龄结构" in pdf_text(tmp_path / "age.pdf")


def test_children_and_methods_add_up_to_the_contraception_form(town, tmp_path):
    ledger, _ = town
    forms = by_id(standard_forms(ledger, "2026-03"))
    form = forms["children_methods"]
    rows = {r["kids"]: r for r in form.rows}
    assert rows["一孩"]["m_2"] == 1 and rows["一孩"]["married"] == 2   # 甲 上环; 乙 (one living) 女扎
    assert rows["一孩"]["m_1"] == 1
    assert rows["三孩及以上"]["none"] == 1                               # 丁
    assert rows["无孩"]["married"] == 1                                 # 癸
    total = form.total_row
    table2 = forms["contraception"].total_row
    assert total["married"] == table2["married"] and total["users"] == table2["users"]
    assert total["married"] == sum(r["married"] for r in form.rows)
    write_pdf([form], tmp_path / "kids.pdf")
    text = pdf_text(tmp_path / "kids.pdf")
    assert "已婚育龄妇女孩次、节育情况" in text and "三孩及以上" in text


def test_reproductive_health_counts_the_rounds_of_the_year(town, tmp_path):
    ledger, w = town
    with as_setup_admin(ledger):
        rounds.create(ledger, "2026Q2")    # 2026-01-01 … 2026-03-31
        rounds.create(ledger, "2026Q3")    # 2026-04-01 … 2026-06-30
        results.record(ledger, "2026Q2", w["a"], CheckResult("已查", check_date=date(2026, 3, 28), place="镇卫生院"))
        results.record(ledger, "2026Q3", w["a"], CheckResult("已查", check_date=date(2026, 5, 2), place="镇卫生院"))
    form = by_id(standard_forms(ledger, "2026"))["reproductive_health"]
    total = form.total_row
    from app.roster import rates

    q2 = rates.figures(ledger, rounds.resolve(ledger, "2026Q2"))
    q3 = rates.figures(ledger, rounds.resolve(ledger, "2026Q3"))
    assert total["due_total"] == q2.total.due + q3.total.due
    assert total["done_total"] == 2
    assert total["due_total"] == sum(r["due_total"] for r in form.rows)
    assert "2026Q2、2026Q3" in form.notes[0]
    path = write_xlsx([form], tmp_path / "rh.xlsx")
    assert any(r[0] == "合计" and total["due_total"] in r for r in cells(path, form.title))
    write_pdf([form], tmp_path / "rh.pdf")
    assert "已婚育龄妇女生殖健康服务情况" in pdf_text(tmp_path / "rh.pdf")


def test_a_closed_period_keeps_the_new_counts_in_its_snapshot_and_figures_json(town):
    ledger, w = town
    with as_setup_admin(ledger):
        closing.close_period(ledger, "2026-03")
    frozen = by_id(standard_forms(ledger, "2026-03"))
    from tests.builders import woman as add_woman

    add_woman(ledger, "后来", WEST, born="1995-01-01", married="2019-01-01", residence="流入",
              float_date="2026-03-11", float_reason="务工经商")
    again = by_id(standard_forms(ledger, "2026-03"))
    assert again["population_change"].total_row == frozen["population_change"].total_row
    assert again["age_structure"].total_row == frozen["age_structure"].total_row
    live = by_id(standard_forms(ledger, "2026-03", live=True))
    assert live["population_change"].total_row["in_total"] == frozen["population_change"].total_row["in_total"] + 1
    package = period_package.prepare(ledger, "2026-03")
    root = package.figures["counts"]["period"]["units"][0]["counts"]
    assert root["moves_in|务工经商"] == 1 and root["new_cards"] == 1


def test_a_snapshot_from_before_these_counts_leaves_the_cells_blank(town):
    ledger, _ = town
    with as_setup_admin(ledger):
        closing.close_period(ledger, "2026-03")
    import json

    row = ledger.db.execute("select id, snapshot from period_closures").fetchone()
    snap = json.loads(row[1])
    snap["counts"] = {code: {k: v for k, v in c.items() if not k.startswith(("moves_", "exits|", "new_cards", "age|",
                                                                              "kids_method|", "health_checks|"))}
                      for code, c in snap["counts"].items()}
    with ledger.write():
        ledger.db.execute("update period_closures set snapshot = ? where id = ?", [json.dumps(snap), row[0]])
    form = by_id(standard_forms(ledger, "2026-03"))["population_change"]
    assert form.total_row["in_total"] is None and form.total_row["births"] is None
    assert form.notes[0].startswith("本期关账快照早于本表")
