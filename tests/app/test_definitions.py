"""One notion, one meaning: every module that decides a domain notion agrees on the odd card.

app/definitions.py holds the rules (married at D, active at D, lives here, age at D, measure in
effect at D, method in use at D, birth counted in P); here each rule meets its tricky cards and
the modules that use it — the statistics (表1/表2, long-acting), the pregnancy-check roster, the
manual-ledger comparison, the reconciliation's ledger births and the 一票否决 list — must give
the same answer as the Python predicate.

Period/round 2026Q2 in a statistical year from October: 2026-01-01 … 2026-03-31.
"""

from __future__ import annotations

from datetime import date

import pytest

from app import definitions as d
from app import units
from app.forms.standard import standard_forms
from app.periods import Period
from app.reconcile import manual, run
from app.roster import due, rounds
from app.stats.report import compute_all
from app.targets import veto_list
from tests.builders import child, measure, procedure, unit, woman

P = "2026Q2"
START, END = "2026-01-01", "2026-03-31"
TOWN, VILLAGE, HOSPITAL, BUREAU = "430202003", "430202003001", "430202003101", "430202900"


@pytest.fixture
def town(ledger):
    unit(ledger, TOWN, "金山办事处", "街道")
    unit(ledger, VILLAGE, "金钩山社区", "社区", parent=TOWN)
    unit(ledger, BUREAU, "区卫生局", "公共单位", parent=TOWN)
    unit(ledger, HOSPITAL, "区人民医院", "公共单位", parent=TOWN, supervisor=BUREAU)
    return ledger


def period(ledger, code: str = P) -> Period:
    return Period.parse(code, ledger.stat_year_start)


def stats(ledger, code: str = P) -> dict:
    return compute_all(ledger.db, period(ledger, code)).figures(None)


def roster_due(ledger) -> dict[str, str]:
    return {w.name: w.category for w in due.due_list(ledger, rounds.resolve(ledger, P))}


def manual_names(ledger, item: str, code: str = P) -> set[str]:
    return {c["name"] for c in manual.cards(ledger.db, TOWN, period(ledger, code), item)}


def ledger_birth_mothers(ledger, code: str = P) -> set[str]:
    p = period(ledger, code)
    ids = units.subtree_ids(ledger.db, units.id_for_code(ledger.db, TOWN), p.end)
    births = run.ledger_births(ledger.db, ids, p.start.isoformat(), p.end.isoformat())
    return {ledger.db.execute("select w.name from children c join women w on w.id = c.mother_id"
                              " where c.id = ?", [cid]).fetchone()[0] for cid in births}


def card(ledger, wid: int) -> dict:
    return dict(next(ledger.db.query("select * from women where id = ?", [wid])))


# ---- married at D ------------------------------------------------------------------------------

def test_married_at_the_period_end_means_the_same_in_table_2_the_roster_and_the_manual_ledger(town):
    cards = {
        "期后离婚": dict(marital="离婚", marital_change_date="2026-04-01"),   # still married on 31 Mar
        "期末离婚": dict(marital="离婚", marital_change_date=END),            # divorced on the end day
        "无日离婚": dict(marital="离婚"),                                     # no date: not married
        "期内复婚": dict(marital="复婚", marital_change_date="2026-02-01"),
        "期后复婚": dict(marital="复婚", marital_change_date="2026-04-15"),  # between marriages at E
        "期后初婚": dict(married="2026-04-02"),
        "末日初婚": dict(married=END),
        "空格初婚": dict(marital="初婚 "),                                    # imported with a blank
        "丧偶期后": dict(marital="丧偶", marital_change_date="2026-05-01"),
        "未婚": dict(married=None),
    }
    ids = {name: woman(town, name, VILLAGE, born="1990-05-01", **kw) for name, kw in cards.items()}
    for wid in ids.values():
        measure(town, wid, "避孕套", "2020-01-01")
    expected = {name for name, wid in ids.items()
                if d.married_at(card(town, wid)["marital_status"], card(town, wid)["first_marriage_date"],
                                card(town, wid)["marital_change_date"], END)}
    assert expected == {"期后离婚", "期内复婚", "末日初婚", "空格初婚", "丧偶期后"}
    assert stats(town)["contraception"]["married_women"] == len(expected)
    assert set(roster_due(town)) == expected
    assert manual_names(town, "已婚育龄妇女") == expected


# ---- active card at D --------------------------------------------------------------------------

def test_an_active_card_at_the_end_is_one_rule_everywhere(town):
    cards = {
        "末日迁出": dict(exit_reason="迁出", exit_date=END),           # gone on the end day
        "期后迁出": dict(exit_reason="迁出", exit_date="2026-04-01"),  # still here on 31 Mar
        "空白原因": dict(exit_reason="  ", exit_date="2026-02-01"),    # blanks only: no exit
        "空格错误": dict(exit_reason=" 录入错误 ", exit_date="2026-06-01"),   # void, whatever the date
        "死亡无日": dict(exit_reason="死亡"),                          # exited, date unknown: gone
        "在册": {},
    }
    ids = {name: woman(town, name, VILLAGE, born="1990-05-01", **kw) for name, kw in cards.items()}
    for wid in ids.values():
        measure(town, wid, "避孕套", "2020-01-01")
    expected = {name for name, wid in ids.items()
                if d.active_at(card(town, wid)["exit_reason"], card(town, wid)["exit_date"], END)}
    assert expected == {"期后迁出", "空白原因", "在册"}
    assert stats(town)["contraception"]["married_women"] == 3
    assert set(roster_due(town)) == expected
    assert manual_names(town, "已婚育龄妇女") == expected


def test_a_void_card_counts_nowhere_even_with_blanks_around_its_reason(town):
    wid = woman(town, "错录", HOSPITAL, exit_reason=" 录入错误", exit_date="2026-06-01")
    child(town, wid, 1, born="2026-02-01", policy="政策外")
    procedure(town, wid, "上环", "2026-02-10")
    assert d.is_void(" 录入错误")
    assert stats(town)["births"] == 0 and stats(town)["procedures"]["total"] == 0
    assert manual_names(town, "出生") == set() and ledger_birth_mothers(town) == set()
    assert veto_list(town.db, "2026") == []


# ---- lives here --------------------------------------------------------------------------------

def test_lives_here_for_births_and_methods_and_the_roster_adds_outflow_women(town):
    out = woman(town, "流出", VILLAGE, residence="流出")
    inn = woman(town, "流入", VILLAGE, residence="流入")
    for wid in (out, inn):
        measure(town, wid, "宫内节育器", "2020-01-01")
        child(town, wid, 1, born="2026-02-01")
    assert [d.lives_here(r) for r in ("常住", "流入", "流出")] == [True, True, False]
    assert stats(town)["births"] == 1 and stats(town)["contraception"]["married_women"] == 1
    assert manual_names(town, "出生") == {"流入"} == ledger_birth_mothers(town)
    assert manual_names(town, "已婚育龄妇女") == {"流入"}
    assert set(roster_due(town)) == {"流出", "流入"}          # 流出 women answer by 寄回证明


# ---- age at D ----------------------------------------------------------------------------------

def test_age_15_to_49_at_the_end_agrees_between_stats_roster_and_manual(town):
    borns = {"末日满五十": "1976-03-31", "次日满五十": "1976-04-01", "末日满十五": "2011-03-31",
             "次日满十五": "2011-04-01", "闰日生": "1976-02-29"}
    for name, born in borns.items():
        measure(town, woman(town, name, VILLAGE, born=born, married="2010-01-01"), "避孕套", "2020-01-01")
    expected = {name for name, born in borns.items() if d.aged_15_49_at(born, END)}
    assert expected == {"次日满五十", "末日满十五"}
    assert stats(town)["contraception"]["married_women"] == 2
    assert set(roster_due(town)) == expected
    assert manual_names(town, "已婚育龄妇女") == expected


@pytest.mark.parametrize("end", [date(2026, 3, 31), date(2028, 2, 29), date(2026, 2, 28), date(2027, 3, 1)])
def test_age_bounds_are_the_completed_years_rule(end):
    oldest, youngest = d.age_bounds(end)
    for offset in range(-800, 800):
        for years in (15, 50):
            born = date.fromordinal(d.shift_years(end, -years).toordinal() + offset)
            assert (oldest < born.isoformat() <= youngest) == d.aged_15_49_at(born, end), (born, end)
    assert d.age_at("1976-02-29", "2026-02-28") == 49 and d.age_at("1976-02-29", "2026-03-01") == 50


# ---- measure in effect at D / method in use ----------------------------------------------------

def test_a_measure_ending_on_the_last_day_is_no_longer_in_effect_anywhere(town):
    a = woman(town, "末日取环", VILLAGE)
    measure(town, a, "宫内节育器", "2020-01-01", END)
    measure(town, a, "避孕套", END)
    b = woman(town, "次日取环", VILLAGE)
    measure(town, b, "宫内节育器", "2020-01-01", "2026-04-01")
    c = woman(town, "同日两种", VILLAGE)                 # same start: the stronger method is in use
    measure(town, c, "避孕套", "2025-05-01")
    measure(town, c, "宫内节育器", "2025-05-01")
    e = woman(town, "扎后药具", VILLAGE)                 # sterilized, a later row left open
    measure(town, e, "女扎", "2025-06-01")
    measure(town, e, "避孕套", "2025-08-01")
    assert not d.in_effect("2020-01-01", END, END) and d.in_effect("2020-01-01", "2026-04-01", END)

    def rows(wid):
        return [(m, s, x) for m, s, x in town.db.execute(
            "select method, start_date, end_date from contraception where woman_id = ?", [wid])]

    in_use = {name: d.method_in_use(rows(wid), END)
              for name, wid in (("末日取环", a), ("次日取环", b), ("同日两种", c), ("扎后药具", e))}
    assert in_use == {"末日取环": "避孕套", "次日取环": "宫内节育器", "同日两种": "宫内节育器", "扎后药具": "女扎"}
    by_method = stats(town)["contraception"]["by_method"]
    assert (by_method["避孕套"], by_method["宫内节育器"], by_method["女扎"]) == (1, 2, 1)
    assert manual_names(town, "药具") == {"末日取环"}
    assert manual_names(town, "上环") == {"次日取环", "同日两种"}
    assert manual_names(town, "结扎") == {"扎后药具"}
    assert roster_due(town) == {"末日取环": "药具", "次日取环": "上环", "同日两种": "上环",
                                "扎后药具": "结扎不足一年"}


def test_a_measure_ending_on_the_birth_day_does_not_protect_for_the_long_acting_due(town):
    ended = woman(town, "产日取环", VILLAGE)
    measure(town, ended, "宫内节育器", "2020-01-01", "2025-10-15")
    child(town, ended, 1, born="2025-10-15")             # due 2026-02-15, inside the period
    kept = woman(town, "产后取环", VILLAGE)
    measure(town, kept, "宫内节育器", "2020-01-01", "2025-10-16")
    child(town, kept, 1, born="2025-10-15")
    assert not d.in_effect("2020-01-01", "2025-10-15", "2025-10-15")
    assert stats(town)["long_acting"]["total"]["due"] == 1


# ---- birth counted in P ------------------------------------------------------------------------

def test_birth_counted_in_the_period_agrees_in_stats_manual_ledger_and_reconciliation(town):
    late = woman(town, "次日上报", VILLAGE)
    child(town, late, 1, born=END, reported="2026-04-01")          # next period's 补报
    left = woman(town, "迁出后生", VILLAGE, exit_reason="迁出", exit_date="2026-02-01")
    child(town, left, 1, born="2026-02-10")                        # born after she left
    on_exit = woman(town, "迁出日生", VILLAGE, exit_reason="迁出", exit_date="2026-02-01")
    child(town, on_exit, 1, born="2026-02-01")                     # born on the exit day: ours
    slip = woman(town, "报早", VILLAGE)
    child(town, slip, 1, born="2026-03-20", reported="2026-03-01")  # 上报日期 typed before the birth
    adopted = woman(town, "收养", VILLAGE)
    child(town, adopted, 1, born="2026-02-01", kinship="收养")
    expected = set()
    for name, wid in (("次日上报", late), ("迁出后生", left), ("迁出日生", on_exit), ("报早", slip), ("收养", adopted)):
        w = card(town, wid)
        (kinship, born, reported), = town.db.execute(
            "select kinship, birth_date, reported_date from children where mother_id = ?", [wid])
        if d.own_birth(kinship, w["residence"], w["exit_reason"], w["exit_date"], born) \
                and d.birth_in(born, reported, START, END):
            expected.add(name)
    assert expected == {"迁出日生", "报早"}
    assert stats(town)["births"] == 2
    assert manual_names(town, "出生") == expected == ledger_birth_mothers(town)
    # the late one is the next period's 补报, in the statistics and the manual ledger alike
    assert d.late_report_in(END, "2026-04-01", "2026-04-01", "2026-06-30")
    assert stats(town, "2026Q3")["late_reported"]["total"] == 1
    assert manual_names(town, "补报", "2026Q3") == {"次日上报"}


def test_the_entry_day_a_late_entry_counts_on_is_the_effective_report_day_for_every_module(town):
    """计入上报日 (counted_on, app/late_entry.py) replaces 上报日期 in the report-day rule everywhere."""
    moved = woman(town, "关账后补录", VILLAGE)
    child(town, moved, 1, born="2026-02-01", reported="2026-03-10", counted_on="2026-04-02")
    kept = woman(town, "冻结在期内", VILLAGE)
    child(town, kept, 1, born="2026-03-01", reported="2026-05-01", counted_on="2026-03-05")
    expected, late = set(), set()
    for name, wid in (("关账后补录", moved), ("冻结在期内", kept)):
        (born, reported, counted), = town.db.execute(
            "select birth_date, reported_date, counted_on from children where mother_id = ?", [wid])
        if d.birth_in(born, reported, START, END, counted_on=counted):
            expected.add(name)
        if d.late_report_in(born, reported, "2026-04-01", "2026-06-30", counted_on=counted):
            late.add(name)
    assert expected == {"冻结在期内"} and late == {"关账后补录"}
    assert d.report_day("2026-02-01", "2026-03-10", "2026-04-02") == "2026-04-02"
    assert stats(town)["births"] == 1 and stats(town)["late_reported"]["total"] == 0
    assert manual_names(town, "出生") == expected == ledger_birth_mothers(town)
    assert stats(town, "2026Q3")["late_reported"]["total"] == 1
    assert manual_names(town, "补报", "2026Q3") == late
    assert ledger_birth_mothers(town, "2026Q3") == set()
    # with as-of, the entry day is the day it became known
    as_of = compute_all(town.db, period(town, "2026Q3"), date(2026, 4, 1)).figures(None)
    assert as_of["late_reported"]["total"] == 0


def test_veto_list_uses_the_birth_rule_by_birth_date_in_the_year(town):
    staff = woman(town, "医生", HOSPITAL)
    child(town, staff, 1, born="2026-09-30", policy="政策外", reported="2026-11-02")  # reported next year
    away = woman(town, "外出", BUREAU, residence="流出")
    child(town, away, 1, born="2026-03-01", policy="政策外")      # counted where she lives
    gone = woman(town, "迁走", BUREAU, exit_reason="迁出", exit_date="2025-12-01")
    child(town, gone, 1, born="2026-01-10", policy="政策外")       # born after she left
    flagged = veto_list(town.db, "2026")
    assert [(e["code"], e["supervisor_code"], e["count"]) for e in flagged] == [(HOSPITAL, BUREAU, 1)]
    # the same 政策外 births the statistics count for the year, plus the one reported after it
    year = stats(town, "2026")
    assert year["non_policy_births"] == 0 and stats(town, "2027")["late_reported"]["non_policy"] == 1


# ---- the long-acting setting -------------------------------------------------------------------

def test_long_acting_form_says_the_indicator_is_switched_off_instead_of_printing_zeros(town):
    wid = woman(town, "农村", VILLAGE)
    child(town, wid, 1, born="2025-10-15")
    procedure(town, wid, "上环", "2026-02-20")
    on = {f.form_id: f for f in standard_forms(town, P)}["long_acting"]
    assert (on.total_row["due"], on.total_row["done"]) == (1, 1)
    town.set_setting("long_acting_enabled", 0)
    forms = {f.form_id: f for f in standard_forms(town, P)}
    off = forms["long_acting"]
    assert "已关闭" in off.title and any("已在规则设置中关闭" in n for n in off.notes)
    for record in [*off.rows, off.total_row]:
        assert [record[k] for k in ("due", "done", "owed", "rate_percent")] == [None] * 4
    assert off.total_row["rural_iud_insertion"] == 1                # procedures are still facts
    assert (forms["monthly"].total_row["la_due"], forms["monthly"].total_row["la_done"]) == (None, None)


def test_events_after_a_real_exit_are_not_this_offices_births_marriages_or_procedures(town):
    left = woman(town, "迁出", VILLAGE, married="2026-02-10", exit_reason="迁出", exit_date="2026-02-01")
    procedure(town, left, "上环", "2026-02-01")          # on the exit day: still hers
    procedure(town, left, "取环", "2026-02-10")          # after she left
    child(town, left, 1, born="2026-02-15")
    stayed = woman(town, "在册", VILLAGE, married="2026-02-10")
    procedure(town, stayed, "上环", "2026-02-10")
    w = card(town, left)
    assert not d.own_birth("亲生", w["residence"], w["exit_reason"], w["exit_date"], "2026-02-15")
    f = stats(town)
    assert (f["procedures"]["iud_insertion"], f["procedures"]["iud_removal"]) == (2, 0)
    assert f["first_marriages"]["total"] == 1 and f["births"] == 0
    assert manual_names(town, "出生") == set() == ledger_birth_mothers(town)


# ---- the logic checks ----------------------------------------------------------------------------

def test_the_check_for_a_married_woman_without_a_measure_uses_married_active_and_age_at_the_day(town):
    """app/checks.py asks the same married/active/age rules as the statistics (no measures here,
    so every woman the rules count is one the check lists)."""
    from app.checks import check_age, check_contraception_recorded

    cards = {
        "期后离婚": dict(marital="离婚", marital_change_date="2026-04-01"),
        "期末离婚": dict(marital="离婚", marital_change_date=END),
        "期内复婚": dict(marital="复婚", marital_change_date="2026-02-01"),
        "期后复婚": dict(marital="复婚", marital_change_date="2026-04-15"),
        "期后初婚": dict(married="2026-04-02"),
        "空格初婚": dict(marital="初婚 "),
        "期后迁出": dict(exit_reason="迁出", exit_date="2026-04-01"),
        "末日迁出": dict(exit_reason="迁出", exit_date=END),
        "空白原因": dict(exit_reason="  ", exit_date="2026-02-01"),
        "空格错误": dict(exit_reason=" 录入错误 ", exit_date="2026-06-01"),
        "次日满五十": dict(born="1976-04-01"),
        "末日满五十": dict(born="1976-03-31", married="2000-01-01"),
    }
    ids = {name: woman(town, name, VILLAGE, **({"born": "1990-05-01"} | kw)) for name, kw in cards.items()}

    def counted(wid: int) -> bool:
        w = card(town, wid)
        return (d.married_at(w["marital_status"], w["first_marriage_date"], w["marital_change_date"], END)
                and d.active_at(w["exit_reason"], w["exit_date"], END) and d.aged_15_49_at(w["birth_date"], END))

    expected = {name for name, wid in ids.items() if counted(wid)}
    assert expected == {"期后离婚", "期内复婚", "空格初婚", "期后迁出", "空白原因", "次日满五十"}
    listed = {f.woman_id for f in check_contraception_recorded(town.db, date.fromisoformat(END))}
    assert listed == {ids[name] for name in expected}
    assert stats(town)["contraception"]["married_women"] == len(expected)
    too_old = {f.woman_id for f in check_age(town.db, date.fromisoformat(END))}
    assert too_old == {wid for name, wid in ids.items() if not d.aged_15_49_at(card(town, wid)["birth_date"], END)
                       and d.active_at(card(town, wid)["exit_reason"], card(town, wid)["exit_date"], END)}


def test_the_age_check_uses_the_completed_years_rule_on_29_february(ledger):
    """On 29 Feb 2028 a woman born 1 Mar 2013 is 14 (her birthday is 1 March), one born
    28 Feb 1978 is 50 — app.definitions.age_bounds, not SQLite's date(-15 years)."""
    from app.checks import check_age

    unit(ledger, TOWN, "金山办事处", "街道")
    young = woman(ledger, "未满", TOWN, born="2013-03-01", married=None)
    old = woman(ledger, "已满", TOWN, born="1978-02-28", married=None)
    found = {f.woman_id: f.severity for f in check_age(ledger.db, date(2028, 2, 29))}
    assert d.age_at("2013-03-01", "2028-02-29") == 14 and d.age_at("1978-02-28", "2028-02-29") == 50
    assert found == {young: "error", old: "warning"}


# ---- the code lists ------------------------------------------------------------------------------

def test_the_code_lists_hold_every_value_the_definitions_name_and_their_groups_are_the_definitions():
    from app import codes

    assert codes.MARRIED == d.MARRIED_STATUSES and "复婚" in codes.MARRIED
    assert codes.EVER_MARRIED == d.EVER_MARRIED_STATUSES and codes.STERILIZATION == d.STERILIZATION
    marital = codes.values(codes.MARITAL)
    # every married status is stored as one of the list's values, and 复婚 is stored as 再婚
    assert {codes.normalize(codes.MARITAL, s) for s in d.MARRIED_STATUSES} == {"初婚", "再婚"}
    assert set(d.EX_MARRIED_STATUSES) <= set(marital)
    assert set(marital) - set(d.EVER_MARRIED_STATUSES) == {"未婚"}
    assert codes.values(codes.METHOD) == d.METHODS and d.NO_METHOD in d.METHODS
    assert set(d.STERILIZATION) <= set(d.LONG_ACTING_METHODS) <= set(d.METHODS)
    assert set(d.LONG_ACTING_PROCEDURES) <= set(codes.values(codes.PROCEDURE))
    assert set(d.LIVES_HERE) < set(d.ROSTER_RESIDENCE) == set(codes.values(codes.RESIDENCE))
    assert d.VOID_EXIT in codes.values(codes.EXIT_REASON)
    assert set(d.VILLAGE_LEVEL) < set(units.KINDS)


# ---- the village level ---------------------------------------------------------------------------

def test_the_monthly_forms_village_rows_are_the_units_the_roster_prints_a_page_for(town):
    """A 组 is printed and counted with its village; 村, 社区 and 公共单位 have a row and a page."""
    from app.roster.printing import village_rosters

    unit(town, "430202003002", "桃花村", "村", parent=TOWN)
    unit(town, "430202003002001", "一组", "组", parent="430202003002")
    for name, place in (("组里", "430202003002001"), ("社区里", VILLAGE), ("医院里", HOSPITAL)):
        measure(town, woman(town, name, place, born="1990-05-01"), "避孕套", "2020-01-01")
    monthly = {f.form_id: f for f in standard_forms(town, P)}["monthly"]
    rows = [r["name"] for r in monthly.rows]
    pages = {page.unit.name: {w.name for w in page.women}
             for page in village_rosters(town, rounds.resolve(town, P))}
    assert set(rows) == {"金钩山社区", "区卫生局", "区人民医院", "桃花村"}
    assert pages == {"桃花村": {"组里"}, "金钩山社区": {"社区里"}, "区人民医院": {"医院里"}}
    assert set(pages) <= set(rows)


# ---- the attendance roll call --------------------------------------------------------------------

@pytest.mark.parametrize("strict", [False, True])
def test_the_roll_call_window_is_the_rules_sign_in_window(ledger, strict):
    """app.attendance.roll_call (what the roll-call page shows) ticks a punch exactly when the
    rules engine takes it as that session's sign-in, minute by minute over a working day."""
    from datetime import datetime, timedelta

    from app.attendance import roll_call, rules, schedules
    from app.attendance import settings as att_settings

    att_settings.save(ledger, "strict_early_punch", strict)
    config = att_settings.load(ledger.db)
    day = date(2026, 3, 16)          # a Monday
    schedule = schedules.schedule_on(schedules.load(ledger.db), day)
    calls = set()
    moment = datetime(2026, 3, 16, 0, 0)
    while moment.date() == day:
        call = roll_call.roll_call_at(ledger.db, moment)
        if call is not None:
            calls.add(call)
            for probe in (call.start - timedelta(minutes=1), call.start, call.end, call.end + timedelta(minutes=1),
                          moment):
                taken = rules.sign_in(day, call.session, schedule, [probe], config) == probe
                assert roll_call.ticks(call, probe) == taken, (call, probe)
        moment += timedelta(minutes=7)
    assert {c.session for c in calls} == set(schedules.SESSIONS)
    assert roll_call.roll_call_at(ledger.db, datetime(2026, 3, 15, 9, 0)) is None   # Sunday
    assert roll_call.roll_call_at(ledger.db, datetime(2026, 3, 16, 17, 31)) is None  # after work
