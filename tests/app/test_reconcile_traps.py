"""Adversarial cases around every rule of DOMAIN.md §7 and INTERFACES.md §5 (抽样调查核对).

Each test names the rule it pins down. The ledgers are tiny and built in the office's words
(tests.builders); the survey is written as the district sends it (tests.reconcile_synth).
Period 2026H1 = 2025-10-01 … 2026-03-31 (statistical year from October).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.reconcile.run import reconcile
from app.reconcile.survey import import_survey
from tests.builders import child, make_id, unit, woman
from tests.reconcile_synth import TruthRow, write_survey

V1, V2, V3 = "430202001001", "430202001002", "430202001003"


@pytest.fixture
def town(ledger):
    unit(ledger, "430202001", "仙庾镇", "乡镇")
    unit(ledger, V1, "桃花村", "村", parent="430202001")
    unit(ledger, V2, "荷叶村", "村", parent="430202001")
    unit(ledger, V3, "杨柳村", "村", parent="430202001")
    return ledger


_counter = iter(range(1, 10_000))


def row(unit_code: str, mother: str, born: str, sex: str, *, id_number: str | None = None,
        husband: str | None = None, name: str | None = None, order: int | None = None) -> dict:
    return {"单位代码": unit_code, "母亲姓名": mother, "母亲证件号码": id_number, "丈夫姓名": husband,
            "子女姓名": name, "性别": sex, "出生日期": date.fromisoformat(born), "孩次": order, "现住址": None}


def run(ledger, rows: list[dict], period: str = "2026H1") -> dict:
    """Import the rows as a survey (sheet rows 2, 3, …) and return the JSON document."""
    path = write_survey(ledger.path.parent / f"survey-{next(_counter)}.xlsx",
                        [TruthRow(values, None, "") for values in rows])
    survey, _ = import_survey(ledger, path, period)
    return reconcile(ledger.db, survey.id).as_json()


def by_row(document: dict) -> dict[int, dict]:
    return {r["row"]: r for r in document["rows"]}


# ---- 漏报: mother present but not the child; never the nearest sibling -------------------------
def test_a_sibling_born_a_year_earlier_on_the_same_day_is_not_the_surveyed_birth(town):
    idn = make_id("1990-03-03")
    mother = woman(town, "黄英", V1, born="1990-03-03", id_number=idn, husband="罗刚")
    child(town, mother, 1, born="2025-03-15", sex="男", reported="2025-03-20")
    doc = run(town, [row(V1, "黄英", "2026-03-15", "男", id_number=idn, husband="罗刚", order=2)])
    (r,) = doc["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None and "ledger_child" not in r
    assert r["mother_in_ledger"] is True and r["mother_woman_id"] == mother


def test_a_sibling_born_the_year_before_is_not_tied_when_the_survey_has_no_id(town):
    mother = woman(town, "黄英", V1, born="1990-03-03", husband="罗刚")
    child(town, mother, 1, born="2025-02-20", sex="女", reported="2025-02-25")
    doc = run(town, [row(V1, "黄英", "2026-03-02", "女", husband="罗刚", order=2)])
    (r,) = doc["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None
    assert r["mother_in_ledger"] is True


def test_a_mother_missing_from_the_ledger_is_an_unreported_birth_to_a_new_mother(town):
    other = woman(town, "李红", V1, husband="张军")
    child(town, other, 1, born="2026-01-10", sex="男")
    doc = run(town, [row(V1, "欧阳娜", "2026-01-10", "男", id_number=make_id("1995-05-05"), husband="马超")])
    (r,) = doc["rows"]
    assert r["outcome"] == "unreported" and r["mother_in_ledger"] is False and "ledger_child" not in r


# ---- 错报: exactly the differing fields, by their Chinese names ----------------------------------
@pytest.mark.parametrize(("survey", "differences"), [
    ({"order": 1}, ["孩次"]),
    ({"sex": "女"}, ["性别"]),
    ({"born": "2026-01-15"}, ["出生日期"]),
    ({"order": 1, "sex": "女"}, ["孩次", "性别"]),
    ({"order": 3, "sex": "女", "born": "2026-01-05"}, ["孩次", "性别", "出生日期"]),
])
def test_a_misreport_lists_exactly_the_fields_that_differ(town, survey, differences):
    idn = make_id("1991-01-01")
    mother = woman(town, "陈静", V1, born="1991-01-01", id_number=idn, husband="王强")
    child(town, mother, 1, born="2019-05-05", sex="女")
    second = child(town, mother, 2, born="2026-01-10", sex="男", name="王浩", reported="2026-01-15")
    doc = run(town, [row(V1, "陈静", survey.get("born", "2026-01-10"), survey.get("sex", "男"), id_number=idn,
                         husband="王强", name="王浩", order=survey.get("order", 2))])
    (r,) = doc["rows"]
    assert r["outcome"] == "misreported" and r["child_id"] == second
    assert r["differences"] == differences
    assert r["ledger_child"] == {"mother_id_number": idn, "birth_date": "2026-01-10", "order": 2, "sex": "男"}


def test_a_blank_order_in_the_survey_is_no_difference(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 2, born="2026-01-10", sex="男")
    (r,) = run(town, [row(V1, "陈静", "2026-01-10", "男", husband="王强")])["rows"]
    assert r["outcome"] == "matched" and r["child_id"] == kid and r["differences"] == []


# ---- surveyors' date slips: ≤ 3 days or day/month swapped is 一致 with a note (DOMAIN.md §7) ----
def slip(survey: str, ledger: str, what: str) -> str:
    return f"出生日期：调查 {survey}，台帐 {ledger}（{what}，待核）"


def test_day_and_month_swapped_is_matched_with_a_note_to_verify(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-02-01", sex="男")
    (r,) = run(town, [row(V1, "陈静", "2026-01-02", "男", husband="王强", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("matched", kid, [])
    assert r["notes"] == [slip("2026-01-02", "2026-02-01", "日月颠倒")]


@pytest.mark.parametrize(("written", "outcome", "differences", "what"), [
    ("2026-02-11", "matched", [], "相差 1 天"),
    ("2026-02-13", "matched", [], "相差 3 天"),
    ("2026-02-07", "matched", [], "相差 3 天"),
    ("2026-02-14", "misreported", ["出生日期"], None),
    ("2026-02-06", "misreported", ["出生日期"], None),
])
def test_three_days_off_is_a_slip_and_four_days_off_is_a_misreported_birth_date(town, written, outcome,
                                                                                 differences, what):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-02-10", sex="女")
    (r,) = run(town, [row(V1, "陈静", written, "女", husband="王强", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == (outcome, kid, differences)
    assert r["notes"] == ([slip(written, "2026-02-10", what)] if what else [])


@pytest.mark.parametrize(("ledger_born", "written", "what"), [
    ("2026-01-31", "2026-02-02", "相差 2 天"),     # across a month end
    ("2025-12-30", "2026-01-02", "相差 3 天"),     # across a year end
    ("2026-03-04", "2026-04-03", "日月颠倒"),      # swapped: another month
    ("2026-01-12", "2026-12-01", "日月颠倒"),      # swapped: eleven months apart
])
def test_a_slip_across_a_month_is_still_found_when_the_name_is_no_blocking_key(town, ledger_born, written, what):
    """The mother's name has a one-character slip (no exact or homophone block): only the birth
    month blocks, and a slip across a month end or a swap must still reach the child."""
    mother = woman(town, "王丽芳", V1, husband="李刚")
    kid = child(town, mother, 1, born=ledger_born, sex="女")
    (r,) = run(town, [row(V1, "王丽芬", written, "女", husband="李刚", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("matched", kid, [])
    assert r["notes"] == [slip(written, ledger_born, what)]


def test_a_swap_across_years_is_no_slip(town):
    """Day and month swapped *and* another year is a different date, not a surveyor's slip."""
    idn = make_id("1991-01-01")
    mother = woman(town, "陈静", V1, born="1991-01-01", id_number=idn, husband="王强")
    kid = child(town, mother, 1, born="2025-02-01", sex="男")
    (r,) = run(town, [row(V1, "陈静", "2026-01-02", "男", id_number=idn, husband="王强", order=1)])["rows"]
    assert r["notes"] == [] and (r["child_id"] is None or "出生日期" in r["differences"])
    assert r["child_id"] in (None, kid)


def test_a_slip_beside_another_difference_is_misreported_on_that_field_only(town):
    """The date slip stays a note; the other field (性别) still makes 错报."""
    idn = make_id("1991-01-01")
    mother = woman(town, "陈静", V1, born="1991-01-01", id_number=idn, husband="王强")
    kid = child(town, mother, 1, born="2026-03-04", sex="男")
    (r,) = run(town, [row(V1, "陈静", "2026-04-03", "女", id_number=idn, husband="王强", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("misreported", kid, ["性别"])
    assert r["notes"] == [slip("2026-04-03", "2026-03-04", "日月颠倒")]


@pytest.mark.parametrize("with_id", [True, False])
def test_the_exact_date_wins_over_a_sibling_born_two_days_apart(town, with_id):
    """A slip never ties the row to a sibling when the child with the exact date is there."""
    idn = make_id("1992-03-04")
    mother = woman(town, "赵秀英", V1, born="1992-03-04", id_number=idn, husband="钱伟")
    first = child(town, mother, 1, born="2026-01-20", sex="男", name="钱浩")
    second = child(town, mother, 2, born="2026-01-22", sex="男", name="钱明")
    ids = idn if with_id else None
    doc = run(town, [row(V1, "赵秀英", "2026-01-22", "男", id_number=ids, husband="钱伟"),
                     row(V1, "赵秀英", "2026-01-20", "男", id_number=ids, husband="钱伟")])
    got = {r["row"]: (r["outcome"], r["child_id"], r["notes"]) for r in doc["rows"]}
    assert got == {2: ("matched", second, []), 3: ("matched", first, [])}
    (alone,) = run(town, [row(V1, "赵秀英", "2026-01-20", "男", id_number=ids, husband="钱伟")])["rows"]
    assert (alone["outcome"], alone["child_id"], alone["notes"]) == ("matched", first, [])


def test_a_date_between_two_siblings_goes_to_review(town):
    """One day from each of two children of the mother, nothing else to tell them apart: 待核实."""
    mother = woman(town, "赵秀英", V1, husband="钱伟")
    first = child(town, mother, 1, born="2026-01-20", sex="男", name="钱浩")
    second = child(town, mother, 2, born="2026-01-22", sex="男", name="钱明")
    (r,) = run(town, [row(V1, "赵秀英", "2026-01-21", "男", husband="钱伟")])["rows"]
    assert r["outcome"] == "review" and r["child_id"] is None and r["notes"] == []
    assert set(r["candidates"][:2]) == {first, second}


def test_a_policy_difference_is_reported_when_the_survey_carries_the_optional_column(town):
    from openpyxl import Workbook

    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-02-10", sex="女", policy="政策内")
    wb = Workbook()
    ws = wb.active
    ws.title = "抽样调查"
    ws.append(["单位代码", "母亲姓名", "母亲证件号码", "丈夫姓名", "子女姓名", "性别", "出生日期", "孩次", "现住址", "政策属性"])
    ws.append([V1, "陈静", None, "王强", None, "女", date(2026, 2, 10), 1, None, "政策外"])
    path = town.path.parent / "policy.xlsx"
    wb.save(path)
    survey, _ = import_survey(town, path, "2026H1")
    (r,) = reconcile(town.db, survey.id).as_json()["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("misreported", kid, ["政策属性"])


# ---- 重报: the child twice in the ledger ----------------------------------------------------------
def test_the_same_child_entered_twice_on_one_card_is_a_duplicate(town):
    mother = woman(town, "孙晓燕", V1, husband="周强")
    a = child(town, mother, 1, born="2025-12-05", sex="女", name="周欣", reported="2025-12-10")
    b = child(town, mother, 2, born="2025-12-05", sex="女", name="周欣", reported="2026-02-01")
    doc = run(town, [row(V1, "孙晓燕", "2025-12-05", "女", husband="周强", name="周欣")])
    (r,) = doc["rows"]
    assert r["outcome"] == "duplicated" and r["child_id"] in (a, b) and "ledger_child" in r
    assert doc["ledger_only"] == [], "the second entry is the duplicate, not an unverified birth"


def test_the_same_child_under_two_mother_cards_with_different_ids_is_a_duplicate(town):
    first = woman(town, "孙晓燕", V1, born="1994-07-08", id_number=make_id("1994-07-08"), husband="周强")
    second = woman(town, "孙晓燕", V2, born="1994-08-07", id_number=make_id("1994-08-07"), husband="周强")
    a = child(town, first, 1, born="2025-12-05", sex="女", name="周欣")
    b = child(town, second, 1, born="2025-12-05", sex="女", name="周欣")
    idn = town.db.execute("select id_number from women where id = ?", [first]).fetchone()[0]
    doc = run(town, [row(V1, "孙晓燕", "2025-12-05", "女", id_number=idn, husband="周强", name="周欣")])
    (r,) = doc["rows"]
    assert r["outcome"] == "duplicated" and r["child_id"] == a
    assert r["duplicate_child_ids"] == [b]


def test_two_cards_of_namesakes_with_different_husbands_are_not_a_duplicate(town):
    first = woman(town, "李芳", V1, born="1993-01-01", husband="张军")
    second = woman(town, "李芳", V1, born="1995-02-02", husband="刘勇")
    a = child(town, first, 1, born="2026-02-10", sex="男")
    child(town, second, 1, born="2026-02-11", sex="男")
    (r,) = run(town, [row(V1, "李芳", "2026-02-10", "男", husband="张军", order=1)])["rows"]
    assert r["outcome"] == "matched" and r["child_id"] == a


# ---- 迟报 ---------------------------------------------------------------------------------------
def test_a_birth_reported_after_the_period_is_late_and_tied(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-03-20", sex="女", reported="2026-04-02")
    doc = run(town, [row(V1, "陈静", "2026-03-20", "女", husband="王强", order=1)])
    (r,) = doc["rows"]
    assert (r["outcome"], r["child_id"]) == ("late", kid) and r["ledger_child"]["birth_date"] == "2026-03-20"
    assert doc["late"] == 1 and doc["matched"] == 0


def test_a_birth_reported_on_the_periods_last_day_is_not_late(town):
    mother = woman(town, "陈静", V1, husband="王强")
    child(town, mother, 1, born="2026-03-20", sex="女", reported="2026-03-31")
    (r,) = run(town, [row(V1, "陈静", "2026-03-20", "女", husband="王强", order=1)])["rows"]
    assert r["outcome"] == "matched"


# ---- twins ------------------------------------------------------------------------------------
def test_twins_of_different_sex_are_each_tied_to_their_own_child(town):
    idn = make_id("1992-03-04")
    mother = woman(town, "赵秀英", V1, born="1992-03-04", id_number=idn, husband="钱伟")
    boy = child(town, mother, 1, born="2026-01-20", sex="男")
    girl = child(town, mother, 2, born="2026-01-20", sex="女")
    for ids in (idn, None):
        doc = run(town, [row(V1, "赵秀英", "2026-01-20", "女", id_number=ids, husband="钱伟"),
                         row(V1, "赵秀英", "2026-01-20", "男", id_number=ids, husband="钱伟")])
        got = {r["row"]: (r["outcome"], r["child_id"]) for r in doc["rows"]}
        assert got == {2: ("matched", girl), 3: ("matched", boy)}


def test_twins_of_the_same_sex_are_told_apart_by_their_order(town):
    mother = woman(town, "赵秀英", V1, husband="钱伟")
    first = child(town, mother, 1, born="2026-01-20", sex="男")
    second = child(town, mother, 2, born="2026-01-20", sex="男")
    doc = run(town, [row(V1, "赵秀英", "2026-01-20", "男", husband="钱伟", order=2),
                     row(V1, "赵秀英", "2026-01-20", "男", husband="钱伟", order=1)])
    got = {r["row"]: (r["outcome"], r["child_id"]) for r in doc["rows"]}
    assert got == {2: ("matched", second), 3: ("matched", first)}


def test_a_twin_missing_from_the_ledger_is_unreported_and_its_sibling_stays_with_its_own_row(town):
    idn = make_id("1992-03-04")
    mother = woman(town, "赵秀英", V1, born="1992-03-04", id_number=idn, husband="钱伟")
    boy = child(town, mother, 1, born="2026-01-20", sex="男")
    doc = run(town, [row(V1, "赵秀英", "2026-01-20", "女", id_number=idn, husband="钱伟", order=2),
                     row(V1, "赵秀英", "2026-01-20", "男", id_number=idn, husband="钱伟", order=1)])
    rows = by_row(doc)
    assert (rows[3]["outcome"], rows[3]["child_id"]) == ("matched", boy)
    assert rows[2]["outcome"] == "unreported" and rows[2]["child_id"] is None
    assert rows[2]["mother_in_ledger"] is True


# ---- names and IDs as surveyors write them ------------------------------------------------------
@pytest.mark.parametrize("written", ["王立方", "王丽方", "王丽", "王丽芬"])
def test_a_homophone_or_one_character_slip_of_the_mothers_name_still_ties(town, written):
    mother = woman(town, "王丽芳", V1, husband="李刚")
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, written, "2026-01-10", "女", husband="李刚", order=1)])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_a_mistyped_id_with_the_right_name_ties(town):
    idn = make_id("1990-06-06")
    mother = woman(town, "刘敏", V1, born="1990-06-06", id_number=idn)
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    typo = idn[:10] + ("1" if idn[10] != "1" else "2") + idn[11:]
    (r,) = run(town, [row(V1, "刘敏", "2026-01-10", "女", id_number=typo, order=1)])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_the_right_id_with_another_name_written_ties_on_id_and_date(town):
    idn = make_id("1990-06-06")
    mother = woman(town, "刘敏", V1, born="1990-06-06", id_number=idn)
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "刘小妹", "2026-01-10", "女", id_number=idn)])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_a_namesake_in_an_unsampled_village_is_not_tied_without_an_id(town):
    mother = woman(town, "刘敏", V3, husband="张伟")
    child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "刘敏", "2026-01-10", "女", husband="张伟")])["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None


def test_a_mother_registered_in_another_village_is_found_by_her_exact_id(town):
    idn = make_id("1990-06-06")
    mother = woman(town, "刘敏", V3, born="1990-06-06", id_number=idn)
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "刘敏", "2026-01-10", "女", id_number=idn)])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


# ---- 多报/未核实 (ledger_only): ledger births of the sampled units and period only ------------------
def test_ledger_only_lists_exactly_the_unfound_ledger_births_of_the_sampled_units_and_period(town):
    surveyed = woman(town, "陈静", V1, husband="王强")
    found = child(town, surveyed, 1, born="2026-01-10", sex="男")
    unfound_mother = woman(town, "周敏", V1, husband="吴军")
    unfound = child(town, unfound_mother, 1, born="2026-02-02", sex="女", reported="2026-02-05")
    before = woman(town, "郑燕", V1, husband="冯伟")
    child(town, before, 1, born="2025-09-30", sex="女")                      # born before the period
    reported_late = woman(town, "何琴", V1, husband="许刚")
    child(town, reported_late, 1, born="2026-03-30", sex="女", reported="2026-04-01")   # not a birth of P
    away = woman(town, "罗兰", V1, husband="曾辉", residence="流出")
    child(town, away, 1, born="2026-01-05", sex="男")                          # the other place's birth
    floating_in = woman(town, "梁萍", V1, husband="谢涛", residence="流入")
    counted_in = child(town, floating_in, 1, born="2026-01-06", sex="男")
    adoptive = woman(town, "宋梅", V1, husband="唐鹏")
    child(town, adoptive, 1, born="2026-01-07", sex="男", kinship="收养")      # adopted: no birth
    void = woman(town, "韩婷", V1, husband="邓斌", exit_reason="录入错误", exit_date="2026-02-01")
    child(town, void, 1, born="2026-01-08", sex="男")                          # voided card
    moved = woman(town, "曹雪", V1, husband="彭波", exit_reason="迁出", exit_date="2026-03-01")
    counted_moved = child(town, moved, 1, born="2026-01-09", sex="女")         # a real birth of P
    elsewhere = woman(town, "袁慧", V3, husband="蒋宇")
    child(town, elsewhere, 1, born="2026-01-11", sex="女")                     # unsampled village
    doc = run(town, [row(V1, "陈静", "2026-01-10", "男", husband="王强", order=1)])
    assert doc["rows"][0]["child_id"] == found
    assert [o["child_id"] for o in doc["ledger_only"]] == [counted_in, counted_moved, unfound]
    assert all(o["unit"] == V1 and {"child_id", "unit"} <= set(o) for o in doc["ledger_only"])
    # Ledger births = the found birth + the three unfound ones.
    assert doc["ledger_births"] == 4 and doc["units"][0]["ledger_births"] == 4
    assert doc["accuracy_percent"] == 400.0


def test_accuracy_reads_survey_minus_ledger_births_and_can_fall_with_late_reports(town):
    ontime_mother = woman(town, "陈静", V1, husband="王强")
    child(town, ontime_mother, 1, born="2026-01-10", sex="男")
    late_mother = woman(town, "周敏", V1, husband="吴军")
    child(town, late_mother, 1, born="2026-02-02", sex="女", reported="2026-05-01")
    doc = run(town, [row(V1, "陈静", "2026-01-10", "男", husband="王强"),
                     row(V1, "周敏", "2026-02-02", "女", husband="吴军"),
                     row(V1, "冯丽", "2026-03-03", "女", husband="马超"),
                     row(V2, "林娟", "2026-03-04", "男", husband="高鹏")])
    assert [r["outcome"] for r in doc["rows"]] == ["matched", "late", "unreported", "unreported"]
    assert (doc["survey_births"], doc["ledger_births"]) == (4, 1)
    assert doc["accuracy_percent"] == 25.0 and doc["unreported_percent"] == 50.0
    units = {u["code"]: u for u in doc["units"]}
    assert (units[V1]["survey_births"], units[V1]["ledger_births"], units[V1]["unreported"]) == (3, 1, 1)
    assert units[V1]["accuracy_percent"] == 33.33 and units[V1]["unreported_percent"] == 33.33
    assert (units[V2]["survey_births"], units[V2]["ledger_births"], units[V2]["accuracy_percent"]) == (1, 0, 0.0)


def test_rates_are_rounded_half_up_to_two_decimals(town):
    mother = woman(town, "陈静", V1, husband="王强")
    child(town, mother, 1, born="2026-01-10", sex="男")                  # the one ledger birth, not surveyed
    rows = [row(V1, f"新{i:02d}", "2026-02-01", "女") for i in range(32)]   # 32 births to new mothers
    doc = run(town, rows)
    assert doc["survey_births"] == 32 and doc["ledger_births"] == 1
    assert doc["accuracy_percent"] == 3.13        # 100 − 31/32 × 100 = 3.125 → 3.13 (not banker's 3.12)
    assert doc["unreported_percent"] == 100.0


def test_a_unit_code_and_its_village_both_sampled_count_each_ledger_birth_once_overall(town):
    mother = woman(town, "陈静", V1, husband="王强")
    child(town, mother, 1, born="2026-01-10", sex="男")
    doc = run(town, [row(V1, "冯丽", "2026-03-03", "女"), row("430202001", "林娟", "2026-03-04", "男")])
    units = {u["code"]: u["ledger_births"] for u in doc["units"]}
    assert units == {V1: 1, "430202001": 1} and doc["ledger_births"] == 1


# ---- what the ledger holds: floating-out mothers, adoption, exited and voided cards --------------
def test_a_floating_out_mothers_child_named_by_the_survey_is_tied_but_is_no_ledger_birth(town):
    away = woman(town, "罗兰", V1, husband="曾辉", residence="流出")
    kid = child(town, away, 1, born="2026-01-05", sex="男")
    doc = run(town, [row(V1, "罗兰", "2026-01-05", "男", husband="曾辉")])
    assert (doc["rows"][0]["outcome"], doc["rows"][0]["child_id"]) == ("matched", kid)
    assert doc["ledger_births"] == 0 and doc["accuracy_percent"] == 0.0


def test_an_exited_mothers_child_is_still_in_the_ledger(town):
    moved = woman(town, "曹雪", V1, husband="彭波", exit_reason="迁出", exit_date="2026-03-01")
    kid = child(town, moved, 1, born="2026-01-09", sex="女")
    (r,) = run(town, [row(V1, "曹雪", "2026-01-09", "女", husband="彭波")])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_a_child_on_a_voided_card_is_not_in_the_ledger(town):
    idn = make_id("1993-03-03")
    void = woman(town, "韩婷", V1, born="1993-03-03", id_number=idn, husband="邓斌",
                 exit_reason="录入错误", exit_date="2026-02-01")
    child(town, void, 1, born="2026-01-08", sex="男")
    (r,) = run(town, [row(V1, "韩婷", "2026-01-08", "男", id_number=idn, husband="邓斌")])["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None and r["mother_in_ledger"] is False


def test_a_voided_second_card_is_no_duplicate(town):
    real = woman(town, "孙晓燕", V1, born="1994-07-08", husband="周强")
    void = woman(town, "孙晓燕", V1, born="1994-08-07", husband="周强", exit_reason="录入错误", exit_date="2026-02-01")
    kid = child(town, real, 1, born="2025-12-05", sex="女", name="周欣")
    child(town, void, 1, born="2025-12-05", sex="女", name="周欣")
    (r,) = run(town, [row(V1, "孙晓燕", "2025-12-05", "女", husband="周强", name="周欣")])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


# ---- the JSON of INTERFACES.md §5 -------------------------------------------------------------
def test_every_row_carries_the_interface_keys_and_ledger_child_exactly_when_tied(town):
    idn = make_id("1991-01-01")
    mother = woman(town, "陈静", V1, born="1991-01-01", id_number=idn, husband="王强")
    child(town, mother, 1, born="2026-01-10", sex="男")
    child(town, mother, 2, born="2026-03-20", sex="女", reported="2026-04-03")
    doc = run(town, [row(V1, "陈静", "2026-01-10", "男", id_number=idn, order=1),
                     row(V1, "陈静", "2026-03-20", "女", id_number=idn, order=2),
                     row(V1, "冯丽", "2026-03-03", "女")])
    for key in ("period", "survey_births", "matched", "unreported", "misreported", "duplicated", "late", "review",
                "accuracy_percent", "unreported_percent", "units", "rows", "ledger_only"):
        assert key in doc
    assert doc["period"] == "2026H1"
    rows = doc["rows"]
    assert [r["row"] for r in rows] == [2, 3, 4]
    assert [r["outcome"] for r in rows] == ["matched", "late", "unreported"]
    for r in rows:
        assert {"row", "outcome", "child_id", "differences", "notes", "score"} <= set(r)
        assert r["notes"] == []   # always present, [] when the dates agree
        assert ("ledger_child" in r) == (r["outcome"] in ("matched", "misreported", "late", "duplicated"))
    assert rows[1]["ledger_child"] == {"mother_id_number": idn, "birth_date": "2026-03-20", "order": 2, "sex": "女"}
    assert isinstance(rows[0]["score"], float) and 0 < rows[0]["score"] <= 1
    assert all(isinstance(r["score"], float) and 0 <= r["score"] <= 1 for r in rows)
    assert set(doc["units"][0]) >= {"code", "survey_births", "unreported", "accuracy_percent"}


def test_a_namesake_with_another_husband_is_never_tied_on_names_alone(town):
    namesake = woman(town, "李芳", V1, husband="张军")
    child(town, namesake, 1, born="2026-02-10", sex="男")
    (r,) = run(town, [row(V1, "李芳", "2026-02-10", "男", husband="刘勇")])["rows"]
    assert r["child_id"] is None and "ledger_child" not in r and r["outcome"] in ("review", "unreported")


def test_a_ledger_birth_dated_after_the_period_and_reported_in_its_own_period_is_not_late(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-04-01", sex="女", reported="2026-04-03")
    (r,) = run(town, [row(V1, "陈静", "2026-03-30", "女", husband="王强", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("matched", kid, [])
    assert r["notes"] == [slip("2026-03-30", "2026-04-01", "相差 2 天")]
    (far,) = run(town, [row(V1, "陈静", "2026-03-27", "女", husband="王强", order=1)])["rows"]
    assert (far["outcome"], far["child_id"], far["differences"]) == ("misreported", kid, ["出生日期"])


def test_a_late_birth_that_also_differs_is_late_and_still_lists_the_difference(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-03-20", sex="女", reported="2026-04-02")
    (r,) = run(town, [row(V1, "陈静", "2026-03-20", "男", husband="王强", order=1)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("late", kid, ["性别"])


def test_a_mistyped_month_with_the_same_id_and_order_is_a_misreported_date(town):
    idn = make_id("1990-06-06")
    mother = woman(town, "刘敏", V1, born="1990-06-06", id_number=idn)
    child(town, mother, 1, born="2019-02-10", sex="男")
    kid = child(town, mother, 2, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "刘敏", "2026-03-10", "女", id_number=idn, order=2)])["rows"]
    assert (r["outcome"], r["child_id"], r["differences"]) == ("misreported", kid, ["出生日期"])


def test_a_month_off_with_another_order_is_a_new_birth_not_the_sibling(town):
    idn = make_id("1990-06-06")
    mother = woman(town, "刘敏", V1, born="1990-06-06", id_number=idn)
    child(town, mother, 1, born="2025-03-10", sex="女")
    (r,) = run(town, [row(V1, "刘敏", "2025-12-10", "女", id_number=idn, order=2)])["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None and r["mother_in_ledger"] is True


@pytest.mark.parametrize(("ledger_id", "written"), [
    ("430202199006061221", "430202900606122"),     # the old 15-digit form of the same ID
    ("43020219900606000X", "43020219900606000x"),  # check character written in lower case
])
def test_an_old_15_digit_id_or_a_lowercase_x_is_the_same_id(town, ledger_id, written):
    from tests.reconcile_synth import check_char

    assert check_char(ledger_id[:17]) == ledger_id[17]
    mother = woman(town, "刘敏", V1, born="1990-06-06", id_number=ledger_id)
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "刘小妹", "2026-01-10", "女", id_number=written)])["rows"]
    assert (r["outcome"], r["child_id"], r["stage"]) == ("matched", kid, "id_date")


def test_a_row_marked_not_in_the_ledger_still_names_its_mother_when_she_is_there(town):
    from app.reconcile import decisions

    idn = make_id("1990-03-03")
    mother = woman(town, "黄英", V1, born="1990-03-03", id_number=idn, husband="罗刚")
    kid = child(town, mother, 1, born="2026-01-15", sex="男")
    doc = run(town, [row(V1, "黄英", "2026-01-15", "男", id_number=idn)])
    survey_id = doc["survey_id"]
    decisions.decide(town, survey_id, 2, "reject", kid)
    decisions.decide(town, survey_id, 2, "not_in_ledger")
    (r,) = reconcile(town.db, survey_id).as_json()["rows"]
    assert r["outcome"] == "unreported" and r["child_id"] is None
    assert r["mother_in_ledger"] is True and r["mother_woman_id"] == mother


@pytest.mark.parametrize(("ledger_name", "written"), [("曾丽", "增丽"), ("单丽", "善丽"), ("解红", "谢红")])
def test_a_surname_in_its_special_reading_is_a_homophone(town, ledger_name, written):
    from app.reconcile.similarity import compare_name

    assert compare_name(written, ledger_name) == "homophone"
    mother = woman(town, ledger_name, V1)
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, written, "2026-01-10", "女", order=1)])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_sex_may_be_written_as_boy_or_girl(town):
    mother = woman(town, "陈静", V1, husband="王强")
    kid = child(town, mother, 1, born="2026-01-10", sex="女")
    (r,) = run(town, [row(V1, "陈静", "2026-01-10", "女性", husband="王强")])["rows"]
    assert (r["outcome"], r["child_id"]) == ("matched", kid)


def test_two_namesakes_children_equally_like_the_row_go_to_review_not_to_either(town):
    a = woman(town, "李芳", V1, born="1993-01-01")
    b = woman(town, "李芳", V1, born="1995-02-02")
    ka = child(town, a, 1, born="2026-02-10", sex="男")
    kb = child(town, b, 1, born="2026-02-10", sex="男")
    doc = run(town, [row(V1, "李芳", "2026-02-10", "男")])
    (r,) = doc["rows"]
    assert r["outcome"] == "review" and r["child_id"] is None and "ledger_child" not in r
    assert set(r["candidates"]) == {ka, kb}
    assert doc["review"] == 1
    assert {o["child_id"] for o in doc["ledger_only"]} == {ka, kb}
    assert all(o["in_review"] for o in doc["ledger_only"])


def test_a_birth_on_two_cards_of_one_woman_in_the_same_village_without_an_id_is_a_duplicate(town):
    first = woman(town, "孙晓燕", V1, born="1994-07-08", husband="周强")
    second = woman(town, "孙晓燕", V1, born="1994-08-07", husband="周强")
    a = child(town, first, 1, born="2025-12-05", sex="女")
    b = child(town, second, 1, born="2025-12-06", sex="女")
    doc = run(town, [row(V1, "孙晓燕", "2025-12-05", "女", husband="周强")])
    (r,) = doc["rows"]
    assert r["outcome"] == "duplicated" and {r["child_id"], *r["duplicate_child_ids"]} == {a, b}
    assert doc["ledger_only"] == []
    assert doc["ledger_births"] == 2    # the ledger counts the birth twice: that is what 重报 costs
