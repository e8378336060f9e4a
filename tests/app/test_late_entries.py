"""Facts that arrive after a period was closed (DOMAIN.md §4): a birth entered after the close of
the period holding its 上报日期 counts as reported on its entry day — a 补报 of the open period —
and every birth is still counted exactly once; any fact dated in a closed period warns at entry
and is listed by `differences`; `--as-of` takes 人口基数 rows by when they were entered.

The closed month is 2026-03; "now" is the real today (its month is the open one the late entry
lands in).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from app import closing, late_entry, registry
from app.closing import differences_since_close, late_entries, reopen_period
from app.exchange.workbook import import_workbook
from app.periods import Period
from app.reports_desk import save_base
from app.stats import report
from tests.builders import child, make_id, population, unit, woman

TOWN, VILLAGE = "430202100", "430202100201"
TODAY = date.today()
THIS_MONTH = f"{TODAY:%Y-%m}"
BACKDATED = {"birth_order": 1, "sex": "女", "birth_date": "2026-02-01", "policy": "政策内",
             "reported_date": "2026-03-10"}


EARLIER = (datetime.now() - timedelta(hours=2)).isoformat(timespec="seconds")


@pytest.fixture
def town(ledger):
    unit(ledger, TOWN, "仙庾镇", "乡镇")
    unit(ledger, VILLAGE, "仙庾村", "村", parent=TOWN)
    population(ledger, TOWN, "2026-03", 10000, 5)
    march = woman(ledger, "李丽", VILLAGE)
    ledger.march_child = child(ledger, march, 1, born="2026-03-05", reported="2026-03-06",
                               created_at=EARLIER, updated_at=EARLIER)
    return ledger


def close_period(ledger, code: str) -> dict:
    """`app.closing.close_period`, the close then dated an hour back: times are kept to the second,
    and the facts a test enters "after the close" must be later than it (as they are in an office)."""
    closed = closing.close_period(ledger, code)
    an_hour_ago = (datetime.now() - timedelta(hours=1)).isoformat(timespec="seconds")
    ledger.db.execute("update period_closures set closed_at = ? where period = ? and reopened_at is null",
                      [an_hour_ago, code])
    return closed


def figures(result: dict) -> dict:
    """The period's own figures (去年同期 of an open month is recomputed, so left out)."""
    return {k: v for k, v in result.items() if k not in ("previous_year", "change")}


def late(ledger, code: str, **kw) -> int:
    return report(ledger.db, code, **kw)["late_reported"]["total"]


def births(ledger, code: str, **kw) -> int:
    return report(ledger.db, code, **kw)["births"]


def counted_on(ledger, child_id: int) -> str | None:
    return ledger.db.execute("select counted_on from children where id = ?", [child_id]).fetchone()[0]


def closed_warnings(result) -> list[str]:
    return [w.message for w in result.warnings if w.check == late_entry.CHECK]


def test_a_backdated_birth_entered_after_the_close_is_a_late_report_of_the_open_month(town):
    close_period(town, "2026-03")
    frozen = report(town.db, "2026-03")
    before_now, before_march_live = late(town, THIS_MONTH), late(town, "2026-03", live=True)
    wid = woman(town, "王芳", VILLAGE)

    result = registry.add_child(town, wid, BACKDATED)

    assert counted_on(town, result.id) == TODAY.isoformat()
    assert closed_warnings(result) == [
        f"上报日期 2026-03-10 属于已关账的统计期 2026年3月：该出生按录入日 {TODAY.isoformat()} 计入补报，已报送的数字不变。"]
    assert late(town, THIS_MONTH) == before_now + 1              # the open month's 补报 rises by one
    assert figures(report(town.db, "2026-03")) == figures(frozen)   # the snapshot is unchanged
    assert late(town, "2026-03", live=True) == before_march_live  # and a recomputation agrees
    # (the new mother's card is a married woman of March's end: that figure differs, not the births)
    assert not [d for d in differences_since_close(town.db, "2026-03") if d["key"].startswith(("birth", "late"))]
    [entry] = late_entries(town.db, "2026-03")
    assert (entry["kind"], entry["change"], entry["woman"], entry["date"]) == ("子女", "新增", "王芳", "2026-02-01")
    assert entry["id_number"] != town.db.execute("select id_number from women where id = ?", [wid]).fetchone()[0]
    assert f"计入 {TODAY.isoformat()}" in entry["what"]
    # as it would have looked the day before it was entered: not yet reported
    assert late(town, THIS_MONTH, as_of=(TODAY - timedelta(days=1)).isoformat()) == before_now


def test_without_a_close_the_typed_report_day_counts_and_nothing_warns(town):
    wid = woman(town, "王芳", VILLAGE)
    result = registry.add_child(town, wid, BACKDATED)
    assert counted_on(town, result.id) is None and closed_warnings(result) == []
    assert late(town, "2026-03") == 1


def test_editing_the_report_date_of_a_birth_in_the_snapshot_does_not_count_it_twice(town):
    close_period(town, "2026-03")
    assert births(town, "2026-03") == 1
    result = registry.update_child(town, town.march_child, {"reported_date": "2026-04-15"})
    # it stays where the snapshot has it: on its old report day, not a 补报 of April too
    assert counted_on(town, town.march_child) == "2026-03-06"
    assert result.changes["counted_on"] == (None, "2026-03-06")
    assert closed_warnings(result) == ["该出生已计入已关账的统计期 2026年3月（按 2026-03-06 上报）：修改后仍按该日计算，"
                                       "已报送的数字不变；变化列入该期的关账后差异（统计报表 › 关账后差异）。"]
    assert births(town, "2026-03", live=True) == 1 and late(town, "2026-04") == 0
    assert [e["change"] for e in late_entries(town.db, "2026-03")] == ["修改"]
    # a correction of another field of that birth warns too, and keeps the day
    again = registry.update_child(town, town.march_child, {"sex": "女"})
    assert counted_on(town, town.march_child) == "2026-03-06" and len(closed_warnings(again)) == 1


def test_reopen_edit_and_close_again_count_each_birth_once(town):
    close_period(town, "2026-03")
    wid = woman(town, "王芳", VILLAGE)
    late_child = registry.add_child(town, wid, BACKDATED).id
    base_now = late(town, THIS_MONTH)
    reopen_period(town, "2026-03", "补报一名二月出生")
    # reopening moves nothing: it still counts on its entry day, not in March
    assert counted_on(town, late_child) == TODAY.isoformat()
    assert late(town, "2026-03") == 0 and late(town, THIS_MONTH) == base_now
    # an edit of its dates while March is open puts it back on its typed day: March's 补报
    result = registry.update_child(town, late_child, {"reported_date": "2026-03-11"})
    assert counted_on(town, late_child) is None and closed_warnings(result) == []
    assert late(town, "2026-03") == 1 and late(town, THIS_MONTH) == base_now - 1
    close_period(town, "2026-03")
    assert late(town, "2026-03") == 1
    # after the second close it is in that snapshot: a later edit keeps it there
    registry.update_child(town, late_child, {"reported_date": "2026-05-01"})
    assert counted_on(town, late_child) == "2026-03-11"
    assert late(town, "2026-03", live=True) == 1 and late(town, "2026-05") == 0


def test_today_inside_a_closed_period_moves_the_entry_day_past_it(town):
    close_period(town, "2026-03")
    close_period(town, THIS_MONTH)
    wid = woman(town, "王芳", VILLAGE)
    result = registry.add_child(town, wid, BACKDATED)
    following = Period.parse(THIS_MONTH, 10).end + timedelta(days=1)
    assert counted_on(town, result.id) == following.isoformat()
    assert late(town, THIS_MONTH, live=True) == late(town, THIS_MONTH)   # not in the closed month either


def test_a_quarter_close_holds_its_months_too(town):
    close_period(town, "2026Q2")   # 2026-01-01 … 2026-03-31
    wid = woman(town, "王芳", VILLAGE)
    result = registry.add_child(town, wid, BACKDATED)
    assert counted_on(town, result.id) == TODAY.isoformat()
    assert "2026年第二季度" in closed_warnings(result)[0]


def test_a_birth_in_a_closed_period_reported_now_warns_without_moving(town):
    close_period(town, "2026-03")
    wid = woman(town, "王芳", VILLAGE)
    fields = {k: v for k, v in BACKDATED.items() if k != "reported_date"} | {"birth_date": "2026-03-02"}
    result = registry.add_child(town, wid, fields)
    # 上报日期 defaults to today: an ordinary 补报 of this month, but its birth date is in March
    assert counted_on(town, result.id) is None
    assert closed_warnings(result) == [f"出生日期 2026-03-02 属于已关账的统计期 2026年3月：该出生按上报日 "
                                       f"{TODAY.isoformat()} 计入补报，已报送的数字不变。"]


def test_procedures_measures_and_card_dates_in_a_closed_period_warn_and_are_listed(town):
    close_period(town, "2026-03")
    wid = woman(town, "王芳", VILLAGE)
    operated = registry.record_procedure(town, wid, "上环", "2026-03-15")
    assert closed_warnings(operated) == ["上环手术日期 2026-03-15 属于已关账的统计期 2026年3月：已报送的数字不变；"
                                         "这项变化列入该期的关账后差异（统计报表 › 关账后差异）。"]
    pill = registry.add_measure(town, wid, "避孕套", "2026-02-01", "2026-03-20")
    assert closed_warnings(pill) == ["避孕套终止日期 2026-03-20 属于已关账的统计期 2026年3月：已报送的数字不变；"
                                     "这项变化列入该期的关账后差异（统计报表 › 关账后差异）。"]
    card = registry.save_woman(town, {"first_marriage_date": "2026-03-20"}, wid)
    [married] = closed_warnings(card)
    assert married.startswith("初婚日期 2026-03-20 属于已关账的统计期 2026年3月：")
    open_month = registry.record_procedure(town, wid, "取环", "2026-04-02")
    assert closed_warnings(open_month) == []
    listed = {(e["kind"], e["what"]) for e in late_entries(town.db, "2026-03")}
    assert listed == {("手术", "上环手术"), ("节育措施", "宫内节育器 2026-03-15 起，2026-04-02 止"),
                      ("节育措施", "避孕套 2026-02-01 起，2026-03-20 止")}
    created = town.db.execute("select count(*) from contraception where created_at is not null").fetchone()[0]
    assert created == 2


# ---- the import ---------------------------------------------------------------------------------

def write_book(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


CHILD_HEAD = ("母亲证件号码", "孩次", "性别", "出生日期", "政策属性", "上报日期")


def test_the_import_applies_the_same_rule_on_the_column_path_and_cell_by_cell(town, tmp_path):
    close_period(town, "2026-03")
    ids = [make_id("1990-05-01") for _ in range(3)]
    for n, number in enumerate(ids):
        woman(town, f"导入{n}", VILLAGE, id_number=number)
    before_now = late(town, THIS_MONTH)
    book = write_book(tmp_path / "in.xlsx", {"子女": [
        CHILD_HEAD,
        (ids[0], 1, "女", "2026-02-01", "政策内", "2026-03-10"),    # clean cells: the column-wise path
        (ids[1], 1, "男", "2026-02-01", "政策内", "2026/03/10"),    # read cell by cell
        (ids[2], 1, "男", "2026-02-01", "政策内", "2026-04-02")]})  # reported in an open month
    result = import_workbook(town, book)
    stored = dict(town.db.execute("select w.id_number, c.counted_on from children c join women w"
                                  " on w.id = c.mother_id where w.id_number in (?, ?, ?)", ids).fetchall())
    assert stored == {ids[0]: TODAY.isoformat(), ids[1]: TODAY.isoformat(), ids[2]: None}
    notes = [str(w) for w in result.warnings if "已关账" in str(w)]
    assert [n.split(":")[0] for n in notes] == ["子女!2", "子女!3"]
    assert late(town, THIS_MONTH) == before_now + 2 and late(town, "2026-04") == 1

    # an update of the one in March's snapshot keeps it there, as the card editor does
    mother = town.db.execute("select id_number from women w join children c on c.mother_id = w.id"
                             " where c.id = ?", [town.march_child]).fetchone()[0]
    update = write_book(tmp_path / "again.xlsx", {"子女": [
        CHILD_HEAD, (mother, 1, "女", "2026-03-05", "政策内", "2026-04-20")]})
    again = import_workbook(town, update)
    assert counted_on(town, town.march_child) == "2026-03-06"
    assert any(w.row == 2 and "已计入已关账的统计期 2026年3月" in w.message for w in again.warnings)
    assert any("计入上报日 空 → 2026-03-06" in u for u in again.sheets["子女"].updates)


def test_an_import_with_procedures_and_measures_in_a_closed_period_names_the_rows(town, tmp_path):
    close_period(town, "2026-03")
    number = make_id("1990-05-01")
    woman(town, "导入", VILLAGE, id_number=number)
    book = write_book(tmp_path / "in.xlsx", {
        "节育措施": [("证件号码", "措施", "开始日期", "终止日期"), (number, "避孕套", "2025-01-01", "2026-03-01")],
        "手术": [("证件号码", "手术类型", "手术日期"), (number, "上环", "2026-03-02")]})
    result = import_workbook(town, book)
    where = sorted(f"{w.sheet}!{w.row} {w.column}" for w in result.warnings if "已关账" in w.message)
    assert where == ["手术!2 手术日期", "节育措施!2 终止日期"]
    assert {e["kind"] for e in late_entries(town.db, "2026-03")} == {"手术", "节育措施"}


def test_an_import_into_a_ledger_never_closed_leaves_counted_on_empty(town, tmp_path):
    number = make_id("1990-05-01")
    woman(town, "导入", VILLAGE, id_number=number)
    import_workbook(town, write_book(tmp_path / "in.xlsx", {"子女": [
        CHILD_HEAD, (number, 1, "女", "2026-02-01", "政策内", "2026-03-10")]}))
    assert town.db.execute("select count(*) from children where counted_on is not null").fetchone()[0] == 0
    assert late(town, "2026-03") == 1


# ---- --as-of and the 人口基数 ------------------------------------------------------------------------

def test_as_of_counts_population_rows_by_when_they_were_entered(town, tmp_path):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert report(town.db, "2026-03", as_of=TODAY.isoformat())["population"] == 10000
    assert report(town.db, "2026-03", as_of=yesterday)["population"] is None   # entered today
    town.db.execute("update population_base set entered_at = null")            # a row from before 0010
    assert report(town.db, "2026-03", as_of=yesterday)["population"] == 10000
    # every writer stamps the row: the reports tab and the 人口基数 sheet
    period = Period.parse("2026-04", 10)
    village = town.db.execute("select id from units where code = ?", [VILLAGE]).fetchone()[0]
    save_base(town, period, {village: (4000, 2)})
    import_workbook(town, write_book(tmp_path / "base.xlsx", {
        "人口基数": [("单位代码", "统计期", "总人口", "死亡人数"), (TOWN, "2026-05", 10010, 3)]}))
    stamps = town.db.execute("select period, substr(entered_at, 1, 10) from population_base"
                             " where period in ('2026-04', '2026-05') order by period").fetchall()
    assert stamps == [("2026-04", TODAY.isoformat()), ("2026-05", TODAY.isoformat())]
    assert report(town.db, "2026-05", as_of=yesterday)["population"] is None


def test_the_builders_do_what_the_entry_does(town):
    close_period(town, "2026-03")
    wid = woman(town, "王芳", VILLAGE)
    built = child(town, wid, 1, born="2026-02-01", reported="2026-03-10")
    entered = registry.add_child(town, woman(town, "赵敏", VILLAGE), BACKDATED).id
    assert counted_on(town, built) == counted_on(town, entered) == TODAY.isoformat()
