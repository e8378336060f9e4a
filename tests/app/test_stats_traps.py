"""Traps around every counting rule of DOMAIN.md §4–5 and the report JSON of INTERFACES.md §3.

Each test builds a tiny ledger with one odd fact beside its normal neighbours and states what a
district statistician expects, to the digit. Every test runs three ways: on a fresh ledger, after
`ANALYZE` on the small ledger, and with district-scale index statistics planted in sqlite_stat1
(SQLite 3.40.1 answers `col IN (...)` on the middle column of an index followed by a range on the
next column wrongly once statistics make the planner pick that index).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.ledger import Ledger
from app.periods import Period
from app.stats import report
from tests.builders import child, measure, population, procedure, unit, woman

TOWN, V1, V2 = "430202100", "430202100201", "430202100202"

# sqlite_stat1 rows as ANALYZE wrote them on a township demo ledger (15 000 cards).
DISTRICT_STATS = [
    ("women", "women_first_marriage", "15000 3 2"),
    ("women", "women_search_exit", "15000 5000 231"),
    ("women", "women_unit", "15000 653 218 53"),
    ("women", "sqlite_autoindex_women_1", "15000 1"),
    ("children", "children_reported", "15654 3"),
    ("children", "children_report", "15654 3 3 1 1 1 1 1 1"),
    ("children", "children_counted", "15654 7827"),
    ("children", "sqlite_autoindex_children_1", "15654 2 1"),
    ("contraception", "contraception_current", "16263 2 1 1 1"),
    ("contraception", "contraception_woman", "16263 2 1"),
    ("contraception", "sqlite_autoindex_contraception_1", "16263 2 2 1"),
    ("procedures", "procedures_date", "17069 3 2 1"),
    ("procedures", "sqlite_autoindex_procedures_1", "17069 2 2 1"),
    ("population_base", "sqlite_autoindex_population_base_1", "299 13 1"),
]

MODES = ["fresh", "analyzed", "district_stats"]


def _plan_mode(ledger: Ledger, mode: str) -> None:
    if mode == "fresh":
        return
    ledger.db.execute("analyze")
    if mode == "district_stats":
        ledger.db.execute("delete from sqlite_stat1")
        ledger.db.conn.executemany("insert into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)", DISTRICT_STATS)
        ledger.db.conn.commit()
        ledger.db.execute("analyze sqlite_schema")   # reload the statistics into the planner


@pytest.fixture(params=MODES)
def mode(request) -> str:
    return request.param


@pytest.fixture
def town(ledger, mode):
    unit(ledger, TOWN, "仙庾镇", "乡镇")
    unit(ledger, V1, "仙庾村", "村", parent=TOWN)
    unit(ledger, V2, "湖塘村", "村", parent=TOWN)
    ledger.trap_mode = mode
    return ledger


@pytest.fixture
def calendar_town(tmp_path, mode):
    """A ledger whose statistical year is the calendar year (S = 1)."""
    opened = Ledger.create(tmp_path / "calendar.db", "日历年度计生办", 1, actor="test")
    unit(opened, TOWN, "仙庾镇", "乡镇")
    unit(opened, V1, "仙庾村", "村", parent=TOWN)
    opened.trap_mode = mode
    yield opened
    opened.close()


def figures(ledger, period: str = "2026H1", **kw) -> dict:
    """The report as `fpledger report PERIOD --json` prints it, under the test's planner mode."""
    _plan_mode(ledger, getattr(ledger, "trap_mode", "fresh"))
    return report(ledger.db, period, **kw)


# ---------------------------------------------------------------- periods (DOMAIN.md §4)

def test_statistical_year_from_october_is_named_by_the_year_it_ends_in():
    spans = {code: (str(p.start), str(p.end)) for code in ("2026", "2026H1", "2026H2", "2026Q1", "2026Q2",
                                                            "2026Q3", "2026Q4")
             for p in [Period.parse(code, 10)]}
    assert spans == {"2026": ("2025-10-01", "2026-09-30"), "2026H1": ("2025-10-01", "2026-03-31"),
                     "2026H2": ("2026-04-01", "2026-09-30"), "2026Q1": ("2025-10-01", "2025-12-31"),
                     "2026Q2": ("2026-01-01", "2026-03-31"), "2026Q3": ("2026-04-01", "2026-06-30"),
                     "2026Q4": ("2026-07-01", "2026-09-30")}


def test_calendar_statistical_year_when_the_start_month_is_january():
    spans = {code: (str(p.start), str(p.end)) for code in ("2026", "2026H1", "2026H2", "2026Q1", "2026Q4")
             for p in [Period.parse(code, 1)]}
    assert spans == {"2026": ("2026-01-01", "2026-12-31"), "2026H1": ("2026-01-01", "2026-06-30"),
                     "2026H2": ("2026-07-01", "2026-12-31"), "2026Q1": ("2026-01-01", "2026-03-31"),
                     "2026Q4": ("2026-10-01", "2026-12-31")}


def test_leap_february_and_explicit_ranges_and_the_same_period_last_year():
    assert Period.parse("2028-02").end == date(2028, 2, 29)
    assert Period.parse("2026-02").end == date(2026, 2, 28)
    leap = Period.parse("2028-02-29..2028-03-31")
    assert (leap.start, leap.end) == (date(2028, 2, 29), date(2028, 3, 31))
    last = leap.previous_year()
    assert (last.start, last.end) == (date(2027, 2, 28), date(2027, 3, 31))
    assert Period.parse("2026H1", 10).previous_year().code == "2025H1"
    assert str(Period.parse("2026Q1", 10).previous_year().start) == "2024-10-01"
    assert Period.parse("2026-03").previous_year().code == "2025-03"


def test_births_on_the_first_and_last_day_of_the_period_count_and_not_a_day_outside(town):
    for i, born in enumerate(["2025-09-30", "2025-10-01", "2026-03-31", "2026-04-01"]):
        child(town, woman(town, f"母{i}", unit=V1), 1, born=born)
    assert figures(town)["births"] == 2
    assert figures(town, "2025-10-01..2026-03-31")["births"] == 2
    assert figures(town, "2026Q1")["births"] == 1          # 2025-10-01 only
    assert figures(town, "2026")["births"] == 3             # 2025-10-01 … 2026-09-30


def test_calendar_year_ledger_counts_january_to_december(calendar_town):
    for i, born in enumerate(["2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"]):
        child(calendar_town, woman(calendar_town, f"母{i}", unit=V1), 1, born=born)
    r = figures(calendar_town, "2026")
    assert (r["start"], r["end"], r["births"]) == ("2026-01-01", "2026-12-31", 2)
    assert figures(calendar_town, "2026H1")["births"] == 1
    assert figures(calendar_town, "2026H2")["births"] == 1


def test_a_birth_on_29_february_belongs_to_february(town):
    child(town, woman(town, "闰日", unit=V1), 1, born="2028-02-29")
    assert figures(town, "2028-02")["births"] == 1
    assert figures(town, "2028-03")["births"] == 0
    assert figures(town, "2028H1")["births"] == 1


# ---------------------------------------------------------------- births and 补报

def test_a_birth_reported_on_the_last_day_counts_a_day_later_it_is_the_next_periods_late_report(town):
    child(town, woman(town, "末日", unit=V1), 1, born="2026-03-10", reported="2026-03-31")
    child(town, woman(town, "次日", unit=V1), 1, born="2026-03-10", reported="2026-04-01", policy="政策外")
    r = figures(town)
    assert (r["births"], r["late_reported"]["total"]) == (1, 0)
    h2 = figures(town, "2026H2")
    assert (h2["births"], h2["late_reported"]) == (0, {"total": 1, "policy": 0, "non_policy": 1, "male": 1,
                                                       "female": 0, "by_order": {"1": 1, "2": 0, "3+": 0}})
    assert figures(town, "2026-04")["late_reported"]["total"] == 1
    assert figures(town, "2026-03")["births"] == 1


def test_a_child_without_a_reported_date_counts_as_reported_on_its_birth_date(town):
    child(town, woman(town, "无上报", unit=V1), 1, born="2026-03-31", reported=None)
    child(town, woman(town, "去年无上报", unit=V1), 1, born="2025-09-30", reported=None)
    r = figures(town)
    assert (r["births"], r["late_reported"]["total"]) == (1, 0)
    assert figures(town, "2025-09")["births"] == 1


def test_late_report_needs_a_birth_before_the_period_start(town):
    child(town, woman(town, "期内生期内报", unit=V1), 1, born="2025-10-01", reported="2026-03-01")
    child(town, woman(town, "前一天生", unit=V1), 1, born="2025-09-30", reported="2025-10-01")
    child(town, woman(town, "期外报", unit=V1), 1, born="2025-09-30", reported="2026-04-01")
    r = figures(town)
    assert (r["births"], r["late_reported"]["total"]) == (1, 1)


def test_late_reports_split_by_policy_and_never_enter_the_birth_rate(town):
    child(town, woman(town, "补内", unit=V1), 2, born="2024-05-01", reported="2025-11-01", sex="女")
    child(town, woman(town, "补外", unit=V1), 3, born="2025-05-01", reported="2026-01-01", policy="政策外")
    child(town, woman(town, "本期", unit=V1), 1, born="2026-01-01")
    population(town, TOWN, "2026H1", 8000, 0)
    r = figures(town)
    assert r["late_reported"] == {"total": 2, "policy": 1, "non_policy": 1, "male": 1, "female": 1,
                                  "by_order": {"1": 0, "2": 1, "3+": 1}}
    assert (r["births"], r["birth_rate_permille"]) == (1, 0.13)      # 1/8000 = 0.125‰, half up


def test_only_own_children_of_resident_or_inflowing_mothers_count_births_and_late_reports(town):
    for residence in ("常住", "流入", "流出"):
        mother = woman(town, f"{residence}母", unit=V1, residence=residence)
        child(town, mother, 1, born="2026-01-10")
        child(town, mother, 2, born="2025-01-10", reported="2026-01-10")
    adoptive = woman(town, "收养", unit=V1)
    child(town, adoptive, 1, born="2026-01-10", kinship="收养")
    child(town, adoptive, 2, born="2025-01-10", kinship="继子女", reported="2026-01-10")
    r = figures(town)
    assert (r["births"], r["late_reported"]["total"]) == (2, 2)


def test_a_child_who_died_is_still_a_birth_of_its_order_and_sex(town):
    mother = woman(town, "夭折", unit=V1)
    child(town, mother, 1, born="2020-01-01")
    child(town, mother, 2, born="2026-01-10", sex="女", died="2026-01-11")
    r = figures(town)
    assert (r["births"], r["births_female"], r["births_by_order"]["2"], r["births_died"]) == (1, 1, 1, 1)


def test_void_cards_count_for_nothing(town):
    void = woman(town, "录错", unit=V1, hukou="农业", exit_reason="录入错误", exit_date="2026-03-01")
    child(town, void, 1, born="2026-01-10")
    child(town, void, 2, born="2024-01-10", reported="2026-01-10")
    child(town, void, 3, born="2025-07-01")
    procedure(town, void, "上环", "2026-01-20")
    town.db.execute("update women set first_marriage_date = '2026-01-01' where id = ?", [void])
    r = figures(town)
    assert (r["births"], r["late_reported"]["total"], r["procedures"]["total"]) == (0, 0, 0)
    assert (r["long_acting"]["total"]["due"], r["first_marriages"]["total"]) == (0, 0)
    assert r["contraception"]["married_women"] == 0


@pytest.mark.parametrize("reason", ["迁出", "死亡", "超龄"])
def test_a_birth_before_the_mothers_exit_still_counts(town, reason):
    mother = woman(town, "已出队", unit=V1, exit_reason=reason, exit_date="2026-02-15")
    child(town, mother, 1, born="2026-01-10")
    child(town, mother, 2, born="2026-02-15", sex="女")                       # on the exit day
    late = woman(town, "出队补报", unit=V1, exit_reason=reason, exit_date="2026-02-01")
    child(town, late, 1, born="2025-06-01", reported="2026-03-01")          # 补报 after she left
    r = figures(town)
    assert (r["births"], r["births_male"], r["births_female"]) == (2, 1, 1)
    assert r["late_reported"]["total"] == 1


def test_a_child_dated_after_the_mothers_exit_is_not_this_offices_birth(town):
    mother = woman(town, "迁走", unit=V1, exit_reason="迁出", exit_date="2025-12-31")
    child(town, mother, 1, born="2026-01-10")
    assert figures(town)["births"] == 0


def test_reported_before_the_birth_date_counts_in_the_birth_period_once(town):
    mother = woman(town, "早报", unit=V1)
    child(town, mother, 1, born="2026-01-10", reported="2025-09-20")     # a slip: before the birth
    assert figures(town)["births"] == 1
    assert figures(town, "2025H2")["late_reported"]["total"] == 0
    assert figures(town, "2025H2")["births"] == 0
    assert figures(town, as_of="2025-12-31")["births"] == 0             # not born yet on that day
    assert figures(town, as_of="2026-01-10")["births"] == 1


def test_third_and_later_orders_share_one_column_with_their_own_sex_ratio(town):
    facts = [(1, "男"), (1, "女"), (2, "男"), (3, "男"), (4, "女"), (5, "男"), (2, "男")]
    for i, (order, sex) in enumerate(facts):
        child(town, woman(town, f"母{i}", unit=V1), order, born="2026-02-01", sex=sex,
              policy="政策外" if order >= 3 else "政策内")
    r = figures(town)
    assert r["births_by_order"] == {"1": 2, "2": 2, "3+": 3}
    assert r["order_share_percent"] == {"1": 28.57, "2": 28.57, "3+": 42.86}
    assert r["sex_ratio"] == 250.0
    assert r["sex_ratio_by_order"] == {"1": 100.0, "2": None, "3+": 200.0}
    assert (r["policy_births"], r["policy_birth_rate_percent"]) == (4, 57.14)


def test_no_births_gives_blank_shares_and_ratios_not_zero(town):
    population(town, TOWN, "2026H1", 1000, 2)
    r = figures(town)
    assert r["births"] == 0 and r["birth_rate_permille"] == 0.0
    assert r["order_share_percent"] == {"1": None, "2": None, "3+": None}
    assert r["sex_ratio"] is None and r["policy_birth_rate_percent"] is None
    assert r["sex_ratio_by_order"] == {"1": None, "2": None, "3+": None}
    assert (r["natural_increase"], r["death_rate_permille"], r["natural_growth_rate_permille"]) == (-2, 2.0, -2.0)


# ---------------------------------------------------------------- --as-of

def test_as_of_counts_children_by_reported_date_and_other_facts_by_entry_time(town):
    mother = woman(town, "甲", unit=V1)
    child(town, mother, 1, born="2026-01-05", reported="2026-01-20")
    child(town, woman(town, "乙", unit=V1), 1, born="2025-05-05", reported="2026-02-01")
    pid = procedure(town, mother, "上环", "2026-01-25")
    town.db.execute("update procedures set created_at = '2026-02-10T09:00:00' where id = ?", [pid])
    early = figures(town, as_of="2026-01-19")
    assert (early["births"], early["late_reported"]["total"], early["procedures"]["total"]) == (0, 0, 0)
    mid = figures(town, as_of="2026-02-01")
    assert (mid["births"], mid["late_reported"]["total"], mid["procedures"]["total"]) == (1, 1, 0)
    assert figures(town, as_of="2026-02-10")["procedures"]["total"] == 1


# ---------------------------------------------------------------- population, rates, change

def test_a_unit_without_a_row_sums_its_children_and_a_period_without_a_row_uses_its_months(town):
    population(town, V1, "2025-10", 1000, 1)
    population(town, V1, "2025-12", 1010, 2)          # November and Jan–Mar missing
    population(town, V2, "2026H1", 2000, 7)
    r = figures(town, unit_code=TOWN)
    assert (r["population"], r["deaths"]) == (3010, 10)
    v1 = figures(town, unit_code=V1)
    assert (v1["population"], v1["deaths"]) == (1010, 3)


def test_birth_rate_averages_the_population_at_the_end_of_the_previous_period(town):
    child(town, woman(town, "甲", unit=V1), 1, born="2026-01-10")
    population(town, TOWN, "2026H1", 1100, 1)
    population(town, TOWN, "2025H2", 900, 0)
    r = figures(town)
    assert (r["population_start"], r["birth_rate_permille"], r["death_rate_permille"]) == (900, 1.0, 1.0)


def test_the_start_population_can_come_from_any_row_ending_the_day_before(town):
    child(town, woman(town, "甲", unit=V1), 1, born="2026-01-10")
    population(town, TOWN, "2026H1", 1100, 0)
    population(town, TOWN, "2025", 900, 0)               # statistical year ending 2025-09-30
    assert figures(town)["population_start"] == 900
    population(town, TOWN, "2025-09", 950, 0)             # the month ending that day is more precise
    assert figures(town)["population_start"] == 950
    population(town, TOWN, "2025H2", 940, 0)              # the same-length previous period wins
    assert figures(town)["population_start"] == 940


def test_a_start_known_for_only_some_villages_is_not_used(town):
    child(town, woman(town, "甲", unit=V1), 1, born="2026-01-10")
    population(town, V1, "2026H1", 1000, 0)
    population(town, V2, "2026H1", 1000, 0)
    population(town, V1, "2025H2", 600, 0)               # 湖塘村 has no start
    r = figures(town, unit_code=TOWN)
    assert (r["population"], r["population_start"], r["birth_rate_permille"]) == (2000, None, 0.5)
    population(town, V2, "2025H2", 1400, 0)
    r = figures(town, unit_code=TOWN)
    assert (r["population_start"], r["birth_rate_permille"]) == (2000, 0.5)
    v1 = figures(town, unit_code=V1)
    assert (v1["population_start"], v1["birth_rate_permille"]) == (600, 1.25)


def test_rates_round_half_up_and_the_change_of_a_rate_is_the_difference_of_printed_figures(town):
    child(town, woman(town, "今年", unit=V1), 1, born="2026-01-10")
    child(town, woman(town, "去年", unit=V1), 1, born="2025-01-10")
    population(town, TOWN, "2026H1", 8000, 0)            # 1/8000 = 0.125‰ → 0.13
    population(town, TOWN, "2025H1", 16000, 0)           # 1/16000 = 0.0625‰ → 0.06
    r = figures(town)
    assert (r["birth_rate_permille"], r["previous_year"]["birth_rate_permille"]) == (0.13, 0.06)
    assert r["change"]["birth_rate_permille"] == 0.07    # exact difference 0.0625 would print 0.06
    assert r["change"]["births"] == 0 and r["change"]["population"] == -8000
    assert r["previous_year"]["period"] == "2025H1"
    assert (r["previous_year"]["start"], r["previous_year"]["end"]) == ("2024-10-01", "2025-03-31")


def test_sex_ratio_rounds_half_up_like_the_seed(town):
    # 454 boys / 460 girls = 98.695…: 98.70 (the seed's 98.69 is a truncation)
    for i in range(454):
        child(town, woman(town, f"男{i}", unit=V1, id_number=f"M{i:017d}"), 1, born="2026-01-10", sex="男")
    for i in range(460):
        child(town, woman(town, f"女{i}", unit=V2, id_number=f"F{i:017d}"), 1, born="2026-01-10", sex="女")
    r = figures(town)
    assert r["sex_ratio"] == 98.7 and r["sex_ratio_by_order"]["1"] == 98.7


# ---------------------------------------------------------------- procedures

def test_procedures_by_date_in_groups_with_iud_after_the_first_child(town):
    first = woman(town, "一孩", unit=V1, hukou="非农业")
    child(town, first, 1, born="2025-05-01")
    second = woman(town, "二孩", unit=V1)
    child(town, second, 1, born="2015-05-01")
    child(town, second, 2, born="2025-05-01")
    none = woman(town, "无孩", unit=V2)
    later = woman(town, "后生", unit=V2)
    child(town, later, 1, born="2026-02-01")                # born after her 上环
    outflow = woman(town, "流出", unit=V2, residence="流出")
    child(town, outflow, 1, born="2025-01-01")
    procedure(town, first, "上环", "2025-10-01")              # first day
    procedure(town, second, "上环", "2026-03-31")             # last day
    procedure(town, none, "上环", "2025-12-01")
    procedure(town, later, "上环", "2026-01-15")
    procedure(town, outflow, "上环", "2026-01-15")            # counted where she is registered
    procedure(town, first, "取环", "2025-09-30")              # the day before: not in P
    procedure(town, second, "女扎", "2026-04-01")             # the day after: not in P
    procedure(town, none, "男扎", "2026-02-01")
    procedure(town, none, "人工流产", "2026-01-01")
    procedure(town, later, "中期引产", "2025-11-01")
    procedure(town, first, "皮埋", "2026-03-01")
    p = figures(town)["procedures"]
    assert p == {"female_sterilization": 0, "male_sterilization": 1, "sterilization": 1,
                 "iud_insertion": 5, "iud_insertion_first_child": 2, "iud_removal": 0, "implant": 1,
                 "abortion": 1, "mid_term_induction": 1, "abortion_and_induction": 2, "total": 9}


# ---------------------------------------------------------------- 长效节育措施落实

def _rural(ledger, name, born_child, order=1, unit_code=V1, **kw):
    mother = woman(ledger, name, unit=unit_code, hukou="农业", **kw)
    for earlier in range(1, order):
        child(ledger, mother, earlier, born=f"{2010 + earlier}-01-01")
    child(ledger, mother, order, born=born_child)
    return mother


def test_long_acting_due_date_is_birth_plus_n_months_within_the_period(town):
    _rural(town, "前", "2025-05-31")      # due 2025-09-30
    _rural(town, "首日", "2025-06-01")    # due 2025-10-01
    _rural(town, "末日", "2025-11-30")    # due 2026-03-30
    _rural(town, "三十一", "2025-11-30")  # (again, another village's habit)
    _rural(town, "月末", "2025-10-31")    # due 2026-02-28
    _rural(town, "后", "2025-12-01")      # due 2026-04-01
    la = figures(town)["long_acting"]["total"]
    assert (la["due"], la["done"], la["owed"], la["rate_percent"]) == (4, 0, 4, 0.0)


def test_long_acting_measure_ending_or_starting_around_the_birth_date(town):
    a = _rural(town, "产日取环", "2025-07-01")
    measure(town, a, "宫内节育器", "2020-01-01", end="2025-07-01")   # ended that day: not in effect
    b = _rural(town, "次日上环", "2025-07-01")
    measure(town, b, "宫内节育器", "2025-07-02")                      # started after: not in effect
    c = _rural(town, "产日结扎", "2025-07-01")
    measure(town, c, "女扎", "2025-07-01")                            # from that day: the take-up, due
    d = _rural(town, "皮埋中", "2025-07-01")
    measure(town, d, "皮下埋植", "2023-01-01", end="2026-01-01")      # in effect at the birth
    e = _rural(town, "药具", "2025-07-01")
    measure(town, e, "口服及注射避孕药", "2024-01-01")
    assert figures(town)["long_acting"]["total"]["due"] == 4


def test_long_acting_done_is_a_procedure_from_the_birth_date_to_the_period_end(town):
    a = _rural(town, "产日上环", "2025-07-01")
    procedure(town, a, "上环", "2025-07-01")
    b = _rural(town, "末日结扎", "2025-07-01", order=2)
    procedure(town, b, "男扎", "2026-03-31")
    c = _rural(town, "晚一天", "2025-07-01")
    procedure(town, c, "上环", "2026-04-01")
    d = _rural(town, "前一天", "2025-07-01")
    procedure(town, d, "上环", "2025-06-30")     # the day before the birth: not this birth's take-up,
    procedure(town, d, "取环", "2025-07-01")     # and removed on the birth date, so she is due
    e = _rural(town, "取环", "2025-07-01")
    procedure(town, e, "取环", "2025-12-01")
    la = figures(town)["long_acting"]["total"]
    assert (la["due"], la["done"], la["owed"], la["rate_percent"]) == (5, 2, 3, 40.0)
    assert (la["rural_sterilization"], la["rural_iud_insertion"]) == (1, 0)


def test_long_acting_only_married_rural_resident_or_inflowing_women(town):
    _rural(town, "常住", "2025-07-01")
    _rural(town, "流入", "2025-07-01", residence="流入")
    _rural(town, "流出", "2025-07-01", residence="流出")
    _rural(town, "未婚", "2025-07-01", married=None)
    _rural(town, "再婚", "2025-07-01", marital="再婚")
    _rural(town, "离婚", "2025-07-01", marital="离婚")
    city = woman(town, "城镇", unit=V1, hukou="非农业")
    child(town, city, 1, born="2025-07-01")
    assert figures(town)["long_acting"]["total"]["due"] == 3


def test_long_acting_looks_at_the_youngest_child_living_at_the_period_end(town):
    dead = _rural(town, "幼子夭折", "2025-07-01", order=2)
    town.db.execute("update children set death_date = '2026-03-01' where mother_id = ? and birth_order = 2", [dead])
    alive = _rural(town, "幼子期后夭折", "2025-07-01", order=2)
    town.db.execute("update children set death_date = '2026-04-02' where mother_id = ? and birth_order = 2", [alive])
    later = _rural(town, "期后又生", "2025-07-01")
    child(town, later, 2, born="2026-05-01")          # after P's end: she was due in P
    younger = _rural(town, "期内又生", "2025-07-01")
    child(town, younger, 2, born="2026-02-01")        # inside P: her youngest is due in June
    la = figures(town)["long_acting"]["total"]
    assert la["due"] == 2
    assert figures(town, "2026H2")["long_acting"]["total"]["due"] == 2   # 期内又生 and 期后又生's baby


def test_long_acting_twins_are_one_due_woman_with_the_higher_order(town):
    twins = woman(town, "双胞胎", unit=V1, hukou="农业")
    child(town, twins, 1, born="2025-07-01")
    child(town, twins, 2, born="2025-07-01", sex="女")
    la = figures(town)["long_acting"]["total"]
    assert la["due"] == 1


def test_long_acting_excludes_cards_that_left_before_the_period_end(town):
    _rural(town, "期内迁出", "2025-07-01", exit_reason="迁出", exit_date="2026-03-01")
    _rural(town, "期后迁出", "2025-07-01", exit_reason="迁出", exit_date="2026-04-01")
    assert figures(town)["long_acting"]["total"]["due"] == 1


def test_long_acting_units_are_the_direct_children_rolled_up_over_their_subtree(town):
    unit(town, "430202100201001", "一组", "组", parent=V1)
    a = _rural(town, "组里", "2025-07-01", unit_code="430202100201001")
    procedure(town, a, "上环", "2025-08-01")
    _rural(town, "村里", "2025-07-01", unit_code=V1)
    b = _rural(town, "湖塘", "2025-07-01", order=2, unit_code=V2)
    procedure(town, b, "女扎", "2026-01-05")
    la = figures(town)["long_acting"]
    rows = {u["code"]: (u["due"], u["done"], u["owed"], u["rate_percent"], u["rural_sterilization"],
                        u["rural_iud_insertion"]) for u in la["units"]}
    assert rows == {V1: (2, 1, 1, 50.0, 0, 0), V2: (1, 1, 0, 100.0, 1, 0)}
    assert (la["total"]["due"], la["total"]["done"], la["total"]["rate_percent"]) == (3, 2, 66.67)
    village = figures(town, unit_code=V1)["long_acting"]
    assert [u["code"] for u in village["units"]] == ["430202100201001"]
    assert village["units"][0]["due"] == 1 and village["total"]["due"] == 2


def test_long_acting_months_setting_and_switch_off(town):
    _rural(town, "甲", "2025-09-01")     # due 2026-01-01 (N=4); 2026-03-01 (N=6); 2026-05-01 (N=8)
    assert figures(town)["long_acting"]["total"]["due"] == 1
    town.set_setting("long_acting_months", 6)
    assert figures(town)["long_acting"]["total"]["due"] == 1
    town.set_setting("long_acting_months", 8)
    assert figures(town)["long_acting"]["total"]["due"] == 0
    assert figures(town, "2026H2")["long_acting"]["total"]["due"] == 1
    town.set_setting("long_acting_enabled", 0)
    la = figures(town)["long_acting"]
    assert (la["enabled"], la["units"], la["total"]) == (False, [], None)


def test_married_means_married_at_the_period_end(town):
    _rural(town, "期后结婚", "2025-07-01", married="2026-05-01")           # 初婚 today, not in P
    _rural(town, "期后离婚", "2025-07-01", marital="离婚", marital_change_date="2026-04-01")
    _rural(town, "期内离婚", "2025-07-01", marital="离婚", marital_change_date="2026-03-31")
    _rural(town, "期后再婚", "2025-07-01", marital="再婚", marital_change_date="2026-06-01")
    _rural(town, "期内再婚", "2025-07-01", marital="再婚", marital_change_date="2026-01-01")
    r = figures(town)
    assert r["long_acting"]["total"]["due"] == 2                        # 期后离婚, 期内再婚
    assert r["contraception"]["married_women"] == 2


def test_a_blank_exit_reason_is_no_exit_and_an_exit_on_the_last_day_is_gone(town):
    _rural(town, "空白", "2025-07-01", exit_reason="", exit_date=None)
    _rural(town, "末日迁出", "2025-07-01", exit_reason="迁出", exit_date="2026-03-31")
    _rural(town, "录错带空格", "2025-07-01", exit_reason=" 录入错误 ", exit_date="2026-06-01")
    r = figures(town)
    assert (r["long_acting"]["total"]["due"], r["contraception"]["married_women"]) == (1, 1)
    assert r["births"] == 0 and figures(town, "2025H2")["births"] == 2

# ---------------------------------------------------------------- the JSON document

def test_report_json_has_the_interface_keys_with_ints_and_two_decimal_numbers(town):
    mother = _rural(town, "甲", "2025-07-01")
    child(town, woman(town, "乙", unit=V2), 1, born="2026-01-10", sex="女")
    procedure(town, mother, "上环", "2025-11-01")
    population(town, TOWN, "2026H1", 3000, 1)
    population(town, TOWN, "2025H1", 2900, 2)
    r = figures(town)
    for key in ("population", "deaths", "births", "births_male", "births_female", "natural_increase",
                "policy_births"):
        assert type(r[key]) is int, key
    for key in ("birth_rate_permille", "death_rate_permille", "natural_growth_rate_permille",
                "policy_birth_rate_percent"):
        assert type(r[key]) is float and round(r[key], 2) == r[key], key
    assert (r["period"], r["start"], r["end"], r["unit"]) == ("2026H1", "2025-10-01", "2026-03-31", TOWN)
    assert set(r["births_by_order"]) == set(r["order_share_percent"]) == set(r["sex_ratio_by_order"]) == {
        "1", "2", "3+"}
    assert set(r["late_reported"]) >= {"total", "policy", "non_policy"}
    assert set(r["procedures"]) == {"female_sterilization", "male_sterilization", "sterilization",
                                    "iud_insertion", "iud_insertion_first_child", "iud_removal", "implant",
                                    "abortion", "mid_term_induction", "abortion_and_induction", "total"}
    assert set(r["long_acting"]["total"]) == {"due", "done", "owed", "rate_percent", "rural_sterilization",
                                              "rural_iud_insertion"}
    assert {"code", "name", "due", "done", "owed", "rate_percent"} <= set(r["long_acting"]["units"][0])
    assert r["previous_year"]["period"] == "2025H1" and r["previous_year"]["births"] == 0
    assert r["change"]["births"] == 1 and r["change"]["deaths"] == -1
    assert r["change"]["birth_rate_permille"] == 0.33        # 0.33 − 0.00
    assert r["sex_ratio"] == 0.0 and r["sex_ratio_by_order"]["1"] == 0.0


# ---------------------------------------------------------------- the SQLite 3.40.1 IN-then-range plan

def _indexed_columns(ledger) -> dict[str, dict[str, bool]]:
    """table → column → True when some index has it in a middle position (a column follows it)."""
    out: dict[str, dict[str, bool]] = {}
    tables = [r[0] for r in ledger.db.execute("select name from sqlite_master where type = 'table'")]
    for table in tables:
        for index in ledger.db.execute(f"pragma index_list('{table}')").fetchall():
            cols = [r[2] for r in ledger.db.execute(f"pragma index_info('{index[1]}')")]
            for position, col in enumerate(cols):
                middle = 0 < position < len(cols) - 1
                out.setdefault(table, {})[col] = out.get(table, {}).get(col, False) or middle
    return out


def test_no_stats_query_puts_an_in_list_on_the_middle_column_of_an_index(ledger):
    """SQLite 3.40.1 + ANALYZE: `a = ? AND b IN (...) AND c <= ?` over an index (a, b, c) returns
    rows outside the range. Every IN list on such a column in app/stats must carry a unary `+`
    (which keeps it off the index) — checked against the real schema's indexes."""
    import re

    from app import targets
    from app.stats import births, long_acting, procedures, women

    middle = _indexed_columns(ledger)
    offenders = []
    for module in (births, long_acting, procedures, women, targets):
        for name, sql in vars(module).items():
            if not (isinstance(sql, str) and "select" in sql.lower() and "from" in sql.lower()):
                continue
            aliases = {m[1] or m[0]: m[0] for m in re.findall(r"(?:from|join)\s+(\w+)(?:\s+(?:as\s+)?(\w+))?", sql)}
            for plus, alias, col in re.findall(r"(\+?)\b(\w+)\.(\w+)\s+(?:not\s+)?in\s*\(", sql, re.I):
                table = aliases.get(alias, alias)
                if middle.get(table, {}).get(col) and not plus:
                    offenders.append(f"{module.__name__}.{name}: {alias}.{col} in (...)")
    assert offenders == []
