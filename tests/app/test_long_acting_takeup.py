"""长效节育措施落实 take-up at delivery (DOMAIN.md §5) and the one history effect of a procedure.

A long-acting measure that STARTS on the youngest child's birth date (sterilized or fitted at
delivery) is that birth's take-up: she is due, and done. Only a measure carried into the birth
date from before keeps her out of 应落实. And a procedure changes the history the same way from
the card editor, the 手术 sheet of an import and the test builders (app.history).
"""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from app import definitions, registry
from app.exchange.workbook import import_workbook
from app.stats import report
from tests import builders as b
from tests.app.test_registry_import import UNITS, WOMEN_HEAD, woman_row, write_book

BORN = "2025-07-01"          # due 2025-11-01 with N = 4: inside 2026H1 (2025-10-01 … 2026-03-31)
VILLAGE = "430202101201"


@pytest.fixture
def office(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101", "仙庾镇", "乡镇", parent="430202")
    b.unit(ledger, VILLAGE, "桃花村", "村", parent="430202101")
    return ledger


def long_acting(ledger) -> tuple[int, int]:
    total = report(ledger.db, "2026H1")["long_acting"]["total"]
    return total["due"], total["done"]


def history(ledger, woman_id: int) -> list[tuple]:
    return [(m["method"], m["start_date"], m["end_date"], m["procedure_id"] is not None)
            for m in registry.get_card(ledger.db, woman_id)["contraception"]]


# ---- the acceptance case: through the real entry paths ---------------------------------------
def test_sterilized_at_delivery_through_the_card_editor_is_due_and_done(office):
    wid = registry.save_woman(office, {"id_number": b.make_id("1990-05-01"), "name": "王丽芳",
                                       "hukou_type": "农业", "residence": "常住", "marital_status": "初婚",
                                       "first_marriage_date": "2012-01-01", "unit_code": VILLAGE}).id
    registry.add_child(office, wid, {"birth_order": 1, "sex": "女", "birth_date": "2019-03-01", "policy": "政策内"})
    registry.add_child(office, wid, {"birth_order": 2, "sex": "男", "birth_date": BORN, "policy": "政策内"})
    registry.record_procedure(office, wid, "女扎", BORN, provider="区妇幼")
    assert history(office, wid) == [("女扎", BORN, None, True)]
    assert long_acting(office) == (1, 1)       # the old rule: (0, 0) — the 女扎 hid her from 应落实


def test_an_iud_fitted_at_delivery_through_the_import_is_due_and_done(office, tmp_path):
    number = b.make_id("1991-02-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "子女": [("母亲证件号码", "孩次", "性别", "出生日期", "政策属性"), (number, 1, "女", BORN, "政策内")],
            "手术": [("证件号码", "手术类型", "手术日期"), (number, "上环", BORN)]}
    import_workbook(office, write_book(tmp_path / "in.xlsx", rows))
    assert history(office, 1) == [("宫内节育器", BORN, None, True)]
    assert long_acting(office) == (1, 1)


# ---- boundaries around the birth date (counting rule, builders with the real history) ---------
def _prior_iud(ledger, wid, end=None):
    b.measure(ledger, wid, "宫内节育器", "2020-01-01", end)


CASES = [
    ("IUD fitted the day before the birth", lambda lg, w: b.procedure(lg, w, "上环", "2025-06-30"), (0, 0)),
    ("implant the day before the birth", lambda lg, w: b.procedure(lg, w, "皮埋", "2025-06-30"), (0, 0)),
    ("husband's vasectomy the day before", lambda lg, w: b.procedure(lg, w, "男扎", "2025-06-30"), (0, 0)),
    ("sterilized on the birth date", lambda lg, w: b.procedure(lg, w, "女扎", BORN), (1, 1)),
    ("IUD fitted on the birth date", lambda lg, w: b.procedure(lg, w, "上环", BORN), (1, 1)),
    ("husband's vasectomy on the birth date", lambda lg, w: b.procedure(lg, w, "男扎", BORN), (1, 1)),
    ("a measure from the birth date but no procedure", lambda lg, w: b.measure(lg, w, "宫内节育器", BORN), (1, 0)),
    ("IUD fitted the day after the birth", lambda lg, w: b.procedure(lg, w, "上环", "2025-07-02"), (1, 1)),
    ("a measure the day after, no procedure", lambda lg, w: b.measure(lg, w, "皮下埋植", "2025-07-02"), (1, 0)),
    ("IUD removed on the birth date", lambda lg, w: (_prior_iud(lg, w), b.procedure(lg, w, "取环", BORN)), (1, 0)),
    ("IUD removed the day after the birth", lambda lg, w: (_prior_iud(lg, w), b.procedure(lg, w, "取环", "2025-07-02")),
     (0, 0)),
    ("IUD removed on the birth date, a new one that day",
     lambda lg, w: (_prior_iud(lg, w), b.procedure(lg, w, "取环", BORN), b.procedure(lg, w, "上环", BORN)), (1, 1)),
    ("old IUD taken out and 女扎 at delivery",
     lambda lg, w: (_prior_iud(lg, w), b.procedure(lg, w, "女扎", BORN)), (1, 1)),
    ("IUD ended before the birth", lambda lg, w: _prior_iud(lg, w, "2024-10-01"), (1, 0)),
    ("condoms before the birth", lambda lg, w: b.measure(lg, w, "避孕套", "2024-01-01"), (1, 0)),
]


@pytest.mark.parametrize("facts, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_long_acting_around_the_birth_date(office, facts, expected):
    wid = b.woman(office, "李丽", VILLAGE, born="1992-01-01", married="2015-01-01")
    b.child(office, wid, 1, born=BORN)
    facts(office, wid)
    assert long_acting(office) == expected


def test_a_sterilization_at_delivery_ends_the_old_iud_on_the_birth_date(office):
    """An IUD that failed (she gave birth with it) and a 女扎 at delivery: the 女扎 closes the IUD
    on the birth date, so the IUD — like one taken out that day — is not in effect on it
    (app.definitions.in_effect: a row ending on D is not in effect on D). She is due, and done."""
    wid = b.woman(office, "李丽", VILLAGE, born="1992-01-01", married="2015-01-01")
    b.child(office, wid, 1, born=BORN)
    _prior_iud(office, wid)
    b.procedure(office, wid, "女扎", BORN)
    assert history(office, wid) == [("宫内节育器", "2020-01-01", BORN, False), ("女扎", BORN, None, True)]
    assert long_acting(office) == (1, 1)


# ---- the rule in app.definitions: Python and SQL agree ---------------------------------------
def test_prior_measure_on_the_day():
    day = "2025-07-01"
    assert definitions.prior_measure_on("2025-06-30", None, day)
    assert not definitions.prior_measure_on(day, None, day)               # starts that day: the take-up
    assert not definitions.prior_measure_on("2025-07-02", None, day)
    assert not definitions.prior_measure_on("2020-01-01", day, day)       # ended that day
    assert definitions.prior_measure_on("2020-01-01", "2025-07-02", day)
    assert definitions.in_effect(day, None, day)                          # still in effect that day
    assert not definitions.had_prior_long_acting([("避孕套", "2020-01-01", None)], day)
    assert definitions.had_prior_long_acting([("男扎", "2020-01-01", None)], day)


DAYS = ["2025-06-29", "2025-06-30", "2025-07-01", "2025-07-02", "2025-07-03"]


def test_prior_long_acting_python_and_sql_agree_on_every_small_case():
    """Every (method, start, end) row around five days, and every pair of them: the predicate and
    the SQL fragment the statistics use give the same answer."""
    singles = [(m, s, e) for m in ("宫内节育器", "女扎", "男扎", "皮下埋植", "避孕套")
               for s in DAYS for e in (None, *DAYS)]
    cases = [[r] for r in singles] + [list(p) for p in itertools.combinations(singles[::7], 2)]
    db = sqlite3.connect(":memory:")
    db.execute("create table contraception (woman_id, method, start_date, end_date)")
    for wid, rows in enumerate(cases):
        db.executemany("insert into contraception values (?, ?, ?, ?)", [(wid, *r) for r in rows])
    sql = f"select {definitions.prior_long_acting_sql(':day', ':wid')}"
    for day in DAYS:
        for wid, rows in enumerate(cases):
            got = bool(db.execute(sql, {"day": day, "wid": wid}).fetchone()[0])
            assert got == definitions.had_prior_long_acting(rows, day), (rows, day)


# ---- one history effect: the card editor, the import and the builders ------------------------
STEPS = [("measure", "避孕套", "2014-01-01"), ("上环", "2014-08-01"), ("取环", "2016-01-01"),
         ("上环", "2016-06-01"), ("女扎", "2019-05-01"), ("人工流产", "2013-05-01")]


def _by_card_editor(ledger) -> int:
    wid = registry.save_woman(ledger, {"id_number": b.make_id("1990-05-01"), "name": "王丽芳",
                                       "hukou_type": "农业", "residence": "常住", "marital_status": "初婚",
                                       "first_marriage_date": "2012-01-01", "unit_code": VILLAGE}).id
    for step in STEPS:
        if step[0] == "measure":
            registry.add_measure(ledger, wid, step[1], step[2])
        else:
            registry.record_procedure(ledger, wid, *step)
    return wid


def _by_builders(ledger) -> int:
    wid = b.woman(ledger, "王丽芳", VILLAGE)
    for step in STEPS:
        if step[0] == "measure":
            b.measure(ledger, wid, step[1], step[2])
        else:
            b.procedure(ledger, wid, *step)
    return wid


def _by_import(ledger, tmp_path) -> int:
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "节育措施": [("证件号码", "措施", "开始日期"), *((number, s[1], s[2]) for s in STEPS if s[0] == "measure")],
            "手术": [("证件号码", "手术类型", "手术日期"), *((number, *s) for s in STEPS if s[0] != "measure")]}
    import_workbook(ledger, write_book(tmp_path / "in.xlsx", rows))
    return 1


def test_a_procedure_changes_the_history_the_same_way_on_every_path(tmp_path):
    from app.ledger import Ledger

    made = []
    for name, build in (("card", _by_card_editor), ("builders", _by_builders),
                        ("import", lambda lg: _by_import(lg, tmp_path))):
        ledger = Ledger.create(tmp_path / f"{name}.db", "荷塘区人口计生局", 10, actor="test")
        try:
            b.unit(ledger, "430202", "荷塘区", "区县")
            b.unit(ledger, "430202101", "仙庾镇", "乡镇", parent="430202")
            b.unit(ledger, VILLAGE, "桃花村", "村", parent="430202101")
            made.append(history(ledger, build(ledger)))
        finally:
            ledger.close()
    expected = [("避孕套", "2014-01-01", "2014-08-01", False), ("宫内节育器", "2014-08-01", "2016-01-01", True),
                ("宫内节育器", "2016-06-01", "2019-05-01", True), ("女扎", "2019-05-01", None, True)]
    assert made == [expected, expected, expected]


def test_a_measure_then_its_procedure_in_the_builders_is_one_row_linked(office):
    wid = b.woman(office, "李丽", VILLAGE)
    b.measure(office, wid, "宫内节育器", "2026-05-20")
    pid = b.procedure(office, wid, "上环", "2026-05-20")
    rows = office.db.execute("select method, start_date, end_date, procedure_id from contraception").fetchall()
    assert rows == [("宫内节育器", "2026-05-20", None, pid)]


def test_a_removal_before_an_iud_rows_own_end_keeps_that_end_on_every_path(office, tmp_path):
    """取环 on D while the IUD row already ends after D: the history keeps its end (the import of the
    same workbook twice gives the same history; the card editor does the same)."""
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "节育措施": [("证件号码", "措施", "开始日期", "终止日期"), (number, "宫内节育器", "2014-08-01", "2017-01-01")],
            "手术": [("证件号码", "手术类型", "手术日期"), (number, "取环", "2016-01-01")]}
    import_workbook(office, write_book(tmp_path / "a.xlsx", rows))
    first = history(office, 1)
    import_workbook(office, write_book(tmp_path / "a.xlsx", rows))
    assert history(office, 1) == first == [("宫内节育器", "2014-08-01", "2017-01-01", False)]
    wid = b.woman(office, "李丽", VILLAGE)
    registry.add_measure(office, wid, "宫内节育器", "2014-08-01", "2017-01-01")
    registry.record_procedure(office, wid, "取环", "2016-01-01")
    assert history(office, wid) == first
