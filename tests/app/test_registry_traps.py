"""Traps around every rule of DOMAIN.md §3 (逻辑校核) and INTERFACES.md §1 (the workbook).

Malformed data is REFUSED on import (nothing written, every error as `sheet!row 列名: 说明`);
inconsistencies between well-formed facts are imported and listed as FINDINGS (after the
import and in the whole-ledger check), never a reason to refuse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from app import checks, idcard
from app.exchange.workbook import ImportFailed, import_workbook
from app.ledger import Ledger
from tests import builders as b

UNITS = [("单位代码", "单位名称", "单位类型", "上级单位代码"),
         ("430202", "荷塘区", "区县", None), ("430202101201", "桃花村", "村", "430202")]
HEAD = ("证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "初婚日期")
CHILD_HEAD = ("母亲证件号码", "孩次", "性别", "出生日期", "政策属性", "上报日期", "非婚生育")
MEASURE_HEAD = ("证件号码", "措施", "开始日期", "终止日期")
PROC_HEAD = ("证件号码", "手术类型", "手术日期")
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def book(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    wb.save(path)
    return path


def woman(number: str, name: str = "王丽芳", married: object = "2012-01-01", status: str = "初婚",
          **over) -> tuple:
    values = {"证件号码": number, "姓名": name, "户口性质": "农业", "居住状态": "常住",
              "单位代码": "430202101201", "婚姻状况": status, "初婚日期": married} | over
    return tuple(values[h] for h in HEAD)


def kid(mother: str, order, born, sex="男", policy="政策内", reported=None, flagged=None) -> tuple:
    return (mother, order, sex, born, policy, reported, flagged)


def run(ledger, tmp_path, **sheets) -> object:
    return import_workbook(ledger, book(tmp_path / "in.xlsx", {"单位": UNITS} | sheets))


def refused(ledger, tmp_path, **sheets) -> list[str]:
    """Import must fail and write nothing; returns the error lines."""
    with pytest.raises(ImportFailed) as caught:
        run(ledger, tmp_path, **sheets)
    for table in ("units", "women", "children", "contraception", "procedures"):
        assert ledger.db.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
    return [str(e) for e in caught.value.errors]


def findings(result) -> list[str]:
    return [str(w) for w in result.warnings if w.sheet == "逻辑校核"]


def card(ledger, number: str) -> dict:
    row = ledger.db.execute("select * from women where id_number = ?", [number]).fetchone()
    assert row is not None, number
    cols = [d[0] for d in ledger.db.execute("select * from women limit 0").description]
    return dict(zip(cols, row, strict=True))


def with_measure(number: str) -> list[tuple]:
    """A current 未避孕 row (the married woman's contraception row, no 措施失败 possible)."""
    return [MEASURE_HEAD, (number, "未避孕", "2012-01-01", None)]


# ---- malformed → refused ---------------------------------------------------------------------
def test_a_required_field_missing_in_any_sheet_is_refused(ledger, tmp_path):
    good = b.make_id("1990-05-01")
    errors = refused(ledger, tmp_path,
                     育龄妇女=[HEAD, woman(good), woman(b.make_id("1991-01-01"), name=None),
                           woman(b.make_id("1992-01-01"), 户口性质="  ")],
                     子女=[CHILD_HEAD, kid(good, 1, "2014-01-01", sex=None)],
                     节育措施=[MEASURE_HEAD, (good, "宫内节育器", None, None)],
                     手术=[PROC_HEAD, (good, "上环", None)])
    assert "育龄妇女!3 姓名: 必填项为空" in errors
    assert "育龄妇女!4 户口性质: 必填项为空" in errors
    assert "子女!2 性别: 必填项为空" in errors
    assert "节育措施!2 开始日期: 必填项为空" in errors
    assert "手术!2 手术日期: 必填项为空" in errors


def test_a_missing_required_column_is_refused(ledger, tmp_path):
    with pytest.raises(ImportFailed) as caught:
        run(ledger, tmp_path, 育龄妇女=[HEAD[:-2], woman(b.make_id("1990-05-01"))[:-2]])
    assert "育龄妇女!1 婚姻状况: 缺少必填列" in [str(e) for e in caught.value.errors]


def test_unknown_codes_and_units_are_refused(ledger, tmp_path):
    good = b.make_id("1990-05-01")
    errors = refused(ledger, tmp_path,
                     育龄妇女=[HEAD, woman(good), woman(b.make_id("1991-01-01"), status="同居"),
                           woman(b.make_id("1992-01-01"), 单位代码="999999"),
                           woman(b.make_id("1993-01-01"), 居住状态="暂住")],
                     子女=[CHILD_HEAD, kid(good, 1, "2014-01-01", policy="超生"), kid(good, 2, "2016-01-01", sex="不详")],
                     节育措施=[MEASURE_HEAD, (good, "安全期", "2012-06-01", None)],
                     手术=[PROC_HEAD, (good, "体检", "2013-01-01")])
    joined = "\n".join(errors)
    assert "育龄妇女!3 婚姻状况: “同居”不是有效值" in joined
    assert "育龄妇女!4 单位代码: 单位代码“999999”在单位表和台帐中都没有" in joined
    assert "育龄妇女!5 居住状态: “暂住”不是有效值" in joined
    assert "子女!2 政策属性: “超生”不是有效值" in joined
    assert "子女!3 性别: “不详”不是有效值" in joined
    assert "节育措施!2 措施: “安全期”不是有效值" in joined
    assert "手术!2 手术类型: “体检”不是有效值" in joined


@pytest.mark.parametrize("typed", ["2013-02-29", "2012-13-01", "20120230", "2012/2/30", "2012.00.10", "去年", "1899-12-31"])
def test_an_impossible_date_is_refused(ledger, tmp_path, typed):
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(b.make_id("1990-05-01"), married=typed)])
    assert len(errors) == 1 and errors[0].startswith("育龄妇女!2 初婚日期: ")


def test_future_dates_are_refused_in_every_sheet(ledger, tmp_path):
    good = b.make_id("1990-05-01")
    errors = refused(ledger, tmp_path,
                     育龄妇女=[HEAD, woman(good, married=TOMORROW)],
                     子女=[CHILD_HEAD, kid(good, 1, TOMORROW), kid(good, 2, "2016-01-01", reported=TOMORROW)],
                     节育措施=[MEASURE_HEAD, (good, "宫内节育器", TOMORROW, None)],
                     手术=[PROC_HEAD, (good, "上环", TOMORROW)])
    expected = [f"育龄妇女!2 初婚日期: {TOMORROW} 是将来的日期", f"子女!2 出生日期: {TOMORROW} 是将来的日期",
                f"子女!3 上报日期: {TOMORROW} 是将来的日期", f"节育措施!2 开始日期: {TOMORROW} 是将来的日期",
                f"手术!2 手术日期: {TOMORROW} 是将来的日期"]
    assert all(e in errors for e in expected), errors


def _broken_ids() -> dict[str, str]:
    good = b.make_id("1990-05-01")
    wrong_check = good[:17] + ("1" if good[17] != "1" else "2")
    body = "43020220300101002"   # born 2030-01-01 (future)
    future = body + idcard.check_char(body)
    body = "43020219900231002"   # 31 February
    no_such_day = body + idcard.check_char(body)
    body = "00020219900501002"   # province 00
    bad_province = body + idcard.check_char(body)
    return {"check digit": wrong_check, "future": future, "no such day": no_such_day,
            "province": bad_province, "17 digits": good[:17], "letter inside": good[:8] + "A" + good[9:],
            "X not last": good[:5] + "X" + good[6:], "16 digits": good[:16]}


@pytest.mark.parametrize("trap", list(_broken_ids()))
def test_a_broken_id_number_is_refused(ledger, tmp_path, trap):
    number = _broken_ids()[trap]
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(number)])
    assert len(errors) == 1 and errors[0].startswith("育龄妇女!2 证件号码: "), errors


def test_an_id_typed_as_a_number_is_refused_with_a_clear_message(ledger, tmp_path):
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(430202199005010021)])
    assert len(errors) == 1 and "被存成了数字" in errors[0]


@pytest.mark.parametrize("spelling", ["same", "lower x", "spaces", "15 and 18", "full-width"])
def test_the_same_id_twice_within_one_sheet_is_refused(ledger, tmp_path, spelling):
    if spelling == "15 and 18":
        old = "430202800501002"
        first, second = old, idcard.to_18(old)
    else:
        number = b.make_id("1988-03-03", serial=45) if spelling != "lower x" else _id_ending_in_x()
        first = number
        second = {"same": number, "lower x": number.lower(), "spaces": f" {number[:6]} {number[6:]} ",
                  "full-width": number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})}[spelling]
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(first), woman(second, name="李丽")])
    assert errors == ["育龄妇女!3 证件号码: 与第 2 行重复"]


def _id_ending_in_x() -> str:
    for serial in range(1, 400):
        number = b.make_id("1987-07-07", serial=serial)
        if number.endswith("X"):
            return number
    raise AssertionError("no X")


def test_a_15_digit_id_is_converted_not_refused_and_children_find_her_by_it(ledger, tmp_path):
    old = "430202800501002"      # 1980-05-01, even sequence: a woman
    new = idcard.to_18(old)
    result = run(ledger, tmp_path, 育龄妇女=[HEAD, woman(old, married="2002-01-01")],
                 子女=[CHILD_HEAD, kid(old, 1, "2004-01-01")], 节育措施=with_measure(old))
    saved = card(ledger, new)
    assert saved["id_number"] == new and len(new) == 18
    assert saved["birth_date"] == "1980-05-01"
    assert ledger.db.execute("select count(*) from children").fetchone()[0] == 1
    assert not [f for f in findings(result) if "证件号码" in f]


def test_an_update_that_would_duplicate_an_id_is_an_update_not_a_new_card(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    run(ledger, tmp_path, 育龄妇女=[HEAD, woman(number)], 节育措施=with_measure(number))
    again = run(ledger, tmp_path, 育龄妇女=[HEAD, woman(number.lower() if number.endswith("X") else number, name="王丽华")])
    assert ledger.db.execute("select count(*) from women").fetchone()[0] == 1
    assert again.sheets["育龄妇女"].updated == 1


# ---- accepted spellings ----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["2012-03-05", "2012/3/5", "2012.3.5", "20120305", "2012-3-5",
                                   " 2012-03-05 ", "２０１２－０３－０５", "２０１２／３／５", "２０１２．３．５",
                                   20120305, datetime(2012, 3, 5), date(2012, 3, 5)])
def test_dates_in_every_accepted_form(ledger, tmp_path, typed):
    number = b.make_id("1990-05-01")
    run(ledger, tmp_path, 育龄妇女=[HEAD, woman(number, married=typed)],
        子女=[CHILD_HEAD, kid(number, 1, typed)], 节育措施=[MEASURE_HEAD, (number, "宫内节育器", typed, None)],
        手术=[PROC_HEAD, (number, "上环", typed)])
    assert card(ledger, number)["first_marriage_date"] == "2012-03-05"
    assert ledger.db.execute("select birth_date from children").fetchone()[0] == "2012-03-05"
    assert ledger.db.execute("select start_date from contraception").fetchall() == [("2012-03-05",)]
    assert ledger.db.execute("select date from procedures").fetchone()[0] == "2012-03-05"


def test_an_excel_serial_date_is_read_as_a_date(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    serial = (date(2012, 3, 5) - date(1899, 12, 30)).days
    run(ledger, tmp_path, 育龄妇女=[HEAD, woman(number, married=serial)], 节育措施=with_measure(number))
    assert card(ledger, number)["first_marriage_date"] == "2012-03-05"


def test_full_width_digits_in_ids_orders_and_dates_are_normalised(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    wide = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    run(ledger, tmp_path, 育龄妇女=[HEAD, woman(wide, name="\u3000王丽芳 ")],
        子女=[CHILD_HEAD, kid(wide, "２", "２０１４－０１－０１"), kid(number, "１", "2013-01-01")],
        节育措施=with_measure(wide))
    assert card(ledger, number)["name"] == "王丽芳"
    assert ledger.db.execute("select birth_order, birth_date from children order by birth_order").fetchall() == \
        [(1, "2013-01-01"), (2, "2014-01-01")]


def test_planned_and_unplanned_are_accepted_as_policy_and_shang_huan_as_iud(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    run(ledger, tmp_path, 育龄妇女=[HEAD, woman(number)],
        子女=[CHILD_HEAD, kid(number, 1, "2013-01-01", policy="计划内"), kid(number, 2, "2016-01-01", policy="计划外")],
        节育措施=[MEASURE_HEAD, (number, "上环", "2016-06-01", None)])
    assert ledger.db.execute("select policy from children order by birth_order").fetchall() == [("政策内",), ("政策外",)]
    assert ledger.db.execute("select method from contraception").fetchall() == [("宫内节育器",)]


# ---- inconsistencies → imported, listed as findings -------------------------------------------
def imported_with(ledger, tmp_path, phrase: str, **sheets) -> list[str]:
    """The import succeeds, the finding is listed after it and in the whole-ledger check."""
    result = run(ledger, tmp_path, **sheets)
    listed = findings(result)
    assert any(phrase in f for f in listed), listed
    assert any(phrase in f.message for f in checks.run_all(ledger.db)), phrase
    return listed


def clean_import(ledger, tmp_path, **sheets) -> None:
    result = run(ledger, tmp_path, **sheets)
    assert findings(result) == []
    assert checks.run_all(ledger.db) == []


def test_a_clean_card_gives_no_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    clean_import(ledger, tmp_path, 育龄妇女=[HEAD, woman(number)],
                 子女=[CHILD_HEAD, kid(number, 1, "2013-01-01", reported="2013-01-10"),
                     kid(number, 2, "2016-01-01"), kid(number, 3, "2016-01-01")],
                 节育措施=[MEASURE_HEAD, (number, "未避孕", "2012-01-01", "2016-06-01")],
                 手术=[PROC_HEAD, (number, "上环", "2016-06-01"), (number, "取环", "2020-01-01"), (number, "女扎", "2020-01-01")])


def test_a_typed_birth_date_or_a_male_id_disagreeing_with_the_card_is_a_finding(ledger, tmp_path):
    born_other = b.make_id("1990-05-01")
    male = b.make_id("1991-02-02", female=False)
    listed = imported_with(ledger, tmp_path, "与证件号码中的 1990-05-01 不一致",
                           育龄妇女=[(*HEAD, "出生日期"), (*woman(born_other), "1990-05-02"), (*woman(male, name="李丽"), None)],
                           节育措施=[MEASURE_HEAD, *with_measure(born_other)[1:], *with_measure(male)[1:]])
    assert any("李丽" in f and "性别为男" in f for f in listed)
    assert card(ledger, born_other)["birth_date"] == "1990-05-02"


def test_age_outside_15_to_49_on_an_active_card_is_a_finding(ledger, tmp_path):
    today = date.today()
    young = b.make_id(f"{today.year - 14}-01-01" if today.month > 1 else f"{today.year - 15}-12-31")
    old = b.make_id(f"{today.year - 51}-01-01")
    listed = imported_with(ledger, tmp_path, "未满 15 岁",
                           育龄妇女=[HEAD, woman(young, married=None, status="未婚"),
                                 woman(old, name="李丽", married="1995-01-01")],
                           节育措施=with_measure(old))
    assert any("李丽" in f and "应按超龄出队" in f for f in listed)
    assert ledger.db.execute("select count(*) from women").fetchone()[0] == 2


def test_married_without_first_marriage_date_is_a_finding_and_yihun_means_chuhun(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "婚姻状况为初婚，缺少初婚日期",
                  育龄妇女=[HEAD, woman(number, married=None, status="已婚")], 节育措施=with_measure(number))
    assert card(ledger, number)["marital_status"] == "初婚"


def test_first_marriage_before_the_15th_birthday_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "早于 15 周岁生日",
                  育龄妇女=[HEAD, woman(number, married="2005-04-30")], 节育措施=with_measure(number))


def test_first_marriage_on_the_15th_birthday_passes(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    clean_import(ledger, tmp_path, 育龄妇女=[HEAD, woman(number, married="2005-05-01")], 节育措施=with_measure(number))


def test_a_future_first_marriage_already_in_the_ledger_is_a_finding(ledger):
    """On import a future date is malformed (refused, above); in the ledger it is a finding."""
    b.unit(ledger, "430202", "荷塘区", "区县")
    wid = b.woman(ledger, "李丽", unit="430202", married=TOMORROW)
    b.measure(ledger, wid, "未避孕", "2012-01-01")
    assert any(f.check == "marriage" and "在将来" in f.message for f in checks.run_all(ledger.db))


def test_a_married_woman_without_a_contraception_row_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "没有节育措施记录", 育龄妇女=[HEAD, woman(number)])


def test_an_unmarried_woman_needs_no_contraception_row(ledger, tmp_path):
    clean_import(ledger, tmp_path, 育龄妇女=[HEAD, woman(b.make_id("1990-05-01"), married=None, status="未婚")])


def test_a_child_before_the_mothers_15th_birthday_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "出生时母亲未满 15 岁",
                  育龄妇女=[HEAD, woman(number, married="2005-05-01")],
                  子女=[CHILD_HEAD, kid(number, 1, "2005-04-01", flagged="是")], 节育措施=with_measure(number))


def test_a_future_child_already_in_the_ledger_is_a_finding(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    wid = b.woman(ledger, "李丽", unit="430202")
    b.measure(ledger, wid, "未避孕", "2012-01-01")
    b.child(ledger, wid, 1, TOMORROW)
    assert any(f.check == "child_dates" and "出生日期在将来" in f.message for f in checks.run_all(ledger.db))


def test_a_child_before_first_marriage_is_a_finding_unless_flagged(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    listed = imported_with(ledger, tmp_path, "早于母亲初婚日期 2012-01-01",
                           育龄妇女=[HEAD, woman(number)],
                           子女=[CHILD_HEAD, kid(number, 1, "2010-01-01"), kid(number, 2, "2011-01-01", flagged="是")],
                           节育措施=with_measure(number))
    assert not any("第 2 孩" in f and "初婚" in f for f in listed)


def test_a_child_of_an_unmarried_mother_is_a_finding_unless_flagged(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "母亲没有初婚日期",
                  育龄妇女=[HEAD, woman(number, married=None, status="未婚")],
                  子女=[CHILD_HEAD, kid(number, 1, "2014-01-01")])


def test_birth_order_against_birth_dates_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "孩次顺序不符",
                  育龄妇女=[HEAD, woman(number)],
                  子女=[CHILD_HEAD, kid(number, 1, "2016-01-01"), kid(number, 2, "2014-01-01")],
                  节育措施=with_measure(number))


def test_twins_share_a_date_and_take_consecutive_orders(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    clean_import(ledger, tmp_path, 育龄妇女=[HEAD, woman(number)],
                 子女=[CHILD_HEAD, kid(number, 1, "2013-01-01"), kid(number, 2, "2016-01-01"),
                     kid(number, 3, "2016-01-01", sex="女")],
                 节育措施=[MEASURE_HEAD, (number, "未避孕", "2012-01-01", None)])


def test_twins_with_a_later_child_between_their_orders_are_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "孩次应相连",
                  育龄妇女=[HEAD, woman(number)],
                  子女=[CHILD_HEAD, kid(number, 1, "2014-01-01"), kid(number, 3, "2014-01-01"), kid(number, 2, "2018-01-01")],
                  节育措施=with_measure(number))


def test_reported_before_birth_is_a_finding_and_on_the_birth_day_passes(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    listed = imported_with(ledger, tmp_path, "上报日期 2014-01-01 早于出生日期",
                           育龄妇女=[HEAD, woman(number)],
                           子女=[CHILD_HEAD, kid(number, 1, "2014-01-02", reported="2014-01-01"),
                               kid(number, 2, "2016-01-01", reported="2016-01-01")],
                           节育措施=with_measure(number))
    assert not any("第 2 孩" in f for f in listed)


def test_iud_removal_without_an_iud_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "取环，但当时没有宫内节育器记录",
                  育龄妇女=[HEAD, woman(number)],
                  节育措施=[MEASURE_HEAD, (number, "避孕套", "2012-01-01", None)],
                  手术=[PROC_HEAD, (number, "取环", "2015-01-01")])


def test_iud_removal_before_the_iud_was_fitted_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "取环，但当时没有宫内节育器记录",
                  育龄妇女=[HEAD, woman(number)],
                  节育措施=[MEASURE_HEAD, (number, "宫内节育器", "2016-01-01", None)],
                  手术=[PROC_HEAD, (number, "取环", "2015-01-01")])


def test_iud_fitted_while_sterilized_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "上环，但当时已女扎",
                  育龄妇女=[HEAD, woman(number)],
                  节育措施=[MEASURE_HEAD, (number, "女扎", "2014-01-01", None)],
                  手术=[PROC_HEAD, (number, "上环", "2016-01-01")])
    # the import did not invent an end for the sterilization
    assert ledger.db.execute("select end_date from contraception where method = '女扎'").fetchone()[0] is None


def test_iud_fitted_while_sterilized_by_procedures_alone_is_a_finding(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "上环，但当时已男扎",
                  育龄妇女=[HEAD, woman(number)],
                  手术=[PROC_HEAD, (number, "男扎", "2014-01-01"), (number, "上环", "2016-01-01")])


def test_findings_never_block_an_import_of_many_broken_facts_at_once(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    result = run(ledger, tmp_path, 育龄妇女=[(*HEAD, "出生日期"), (*woman(number, married=None), "1990-05-02")],
                 子女=[CHILD_HEAD, kid(number, 1, "2016-01-01", reported="2015-01-01"), kid(number, 2, "2014-01-01")],
                 手术=[PROC_HEAD, (number, "取环", "2015-01-01")])
    assert result.sheets["子女"].inserted == 2
    assert len(findings(result)) >= 6


def test_checks_for_a_large_set_of_imported_cards_match_the_small_set_path(ledger, monkeypatch):
    """The TEMP-table path (an import into a big ledger) finds what the id-list path finds."""
    b.unit(ledger, "430202", "荷塘区", "区县")
    ids = [b.woman(ledger, f"李{i}", unit="430202", married=None if i % 3 else "2012-01-01", marital="初婚")
           for i in range(8)]
    b.child(ledger, ids[1], 1, "2016-01-01", reported="2015-01-01")
    wanted = ids[:3]
    small = sorted(f.key for f in checks.for_women(ledger.db, wanted))
    monkeypatch.setattr(checks, "LARGE_SET", 1)
    large = sorted(f.key for f in checks.for_women(ledger.db, wanted))
    assert small == large and small
    assert all(k[1] in wanted for k in large)


# ---- fpledger check --------------------------------------------------------------------------
def test_fpledger_check_json_exits_1_with_the_findings_and_0_when_clean(tmp_path):
    db = tmp_path / "L.db"
    number = b.make_id("1990-05-01")
    with Ledger.create(db, "荷塘区人口计生局", actor="test") as ledger:
        import_workbook(ledger, book(tmp_path / "in.xlsx", {"单位": UNITS, "育龄妇女": [HEAD, woman(number)],
                                                           "节育措施": with_measure(number)}))
    env = dict(os.environ, PYTHONUTF8="1")

    def check() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", "check", "--db", str(db), "--json"],
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)

    clean = check()
    assert clean.returncode == 0, clean.stderr
    with Ledger.open(db) as ledger:
        import_workbook(ledger, book(tmp_path / "more.xlsx", {"手术": [PROC_HEAD, (number, "取环", "2011-01-01")]}))
    found = check()
    assert found.returncode == 1, found.stderr
    document = json.loads(found.stdout)
    assert any("没有宫内节育器" in f["message"] for f in document["findings"])


# ---- the column-wise fast path gives what the row-by-row path gives ------------------------------
def _mixed_sheet() -> list[tuple]:
    head = (*HEAD, "出生日期", "丈夫证件号码", "出队原因", "民族", "建卡日期")
    male = b.make_id("1991-02-02", female=False)
    return [head,
            (*woman(b.make_id("1990-05-01")), None, "430202800501001", None, "汉", None),
            (*woman(b.make_id("1985-01-01"), name="李丽"), "1985-01-02", "430202198001011234", "迁出", "汉族", "2020-01-01"),
            (*woman(male, name="赵敏", married=None, status="未婚"), "1991-02-02", None, None, None, date(2019, 5, 6)),
            (*woman(b.make_id("1976-03-03"), name="单芳", married="1998-01-01"), None, None, "超龄", "回族", None)]


def _cards(ledger) -> list[tuple]:
    return ledger.db.execute("select id_number, name, birth_date, card_date, id_type, exit_reason, exit_date,"
                             " husband_id_number, ethnicity, name_initials, marital_status from women order by id"
                             ).fetchall() + _readings(ledger)


def _readings(ledger) -> list[tuple]:
    """The names' other pinyin readings, by ID number (women_name_readings)."""
    return ledger.db.execute("select w.id_number, r.initials from women_name_readings r join women w"
                             " on w.id = r.woman_id order by 1, 2").fetchall()


@pytest.mark.parametrize("bulk", [False, True], ids=["indexes kept", "indexes rebuilt on a helper thread"])
def test_the_column_wise_path_and_the_row_path_write_the_same_cards_and_findings(tmp_path, monkeypatch, bulk):
    from app.exchange import registry_columns, registry_sheets

    if bulk:   # the bulk writer's deferred indexes, with the identity checks beside their rebuild
        monkeypatch.setattr(registry_columns, "DEFER_INDEXES_FROM", 2)
    results, sheet, declined = [], _mixed_sheet(), []
    for forced in (False, True):
        if forced:
            monkeypatch.setattr(registry_sheets, "simple_new_women", lambda *a, **k: declined.append(1))
        with Ledger.create(tmp_path / f"{forced}.db", "荷塘区人口计生局", actor="test") as ledger:
            result = import_workbook(ledger, book(tmp_path / f"{forced}.xlsx", {"单位": UNITS, "育龄妇女": sheet}))
            results.append((_cards(ledger), sorted(findings(result))))
    assert declined == [1]
    assert results[0] == results[1]
    cards, listed = results[0]
    assert cards[1][5:7] == ("迁出", date.today().isoformat())          # 出队原因 alone: dated today
    assert cards[0][2] == "1990-05-01" and cards[0][7] == idcard.to_18("430202800501001")
    assert cards[0][9] == "wlf" and cards[3][9] == "sf"
    assert cards[4:] == [(cards[3][0], "df")]   # 单芳: also found by the common reading of 单
    assert any("性别为男" in f for f in listed) and any("1985-01-02" in f for f in listed)


def test_an_exit_reason_reimported_without_a_date_keeps_the_stored_exit_date(ledger, tmp_path):
    number = b.make_id("1980-01-01")
    head = (*HEAD, "出队原因", "出队日期")
    run(ledger, tmp_path, 育龄妇女=[head, (*woman(number), "迁出", "2024-03-01")])
    again = run(ledger, tmp_path, 育龄妇女=[(*HEAD, "出队原因"), (*woman(number), "迁出")])
    assert card(ledger, number)["exit_date"] == "2024-03-01"
    assert again.sheets["育龄妇女"].unchanged == 1


def test_orders_that_are_not_whole_numbers_from_1_are_refused(ledger, tmp_path):
    good = b.make_id("1990-05-01")
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(good)],
                     子女=[CHILD_HEAD, kid(good, 0, "2013-01-01"), kid(good, "二", "2014-01-01"),
                         kid(good, 1.5, "2015-01-01"), kid(good, -1, "2016-01-01")])
    assert [e.split(":")[0] for e in errors] == ["子女!2 孩次", "子女!3 孩次", "子女!4 孩次", "子女!5 孩次"]


def test_a_mother_in_neither_the_sheet_nor_the_ledger_is_refused(ledger, tmp_path):
    stranger = b.make_id("1980-01-01")
    errors = refused(ledger, tmp_path, 育龄妇女=[HEAD, woman(b.make_id("1990-05-01"))],
                     子女=[CHILD_HEAD, kid(stranger, 1, "2013-01-01")],
                     手术=[PROC_HEAD, (stranger, "上环", "2013-01-01")])
    assert errors == [f"子女!2 母亲证件号码: {stranger} 在育龄妇女表和台帐中都没有",
                      f"手术!2 证件号码: {stranger} 在育龄妇女表和台帐中都没有"]


def test_a_dissolved_unit_is_refused(ledger, tmp_path):
    units = [*UNITS[:2], ("430202101299", "旧村", "村", "430202")]
    ledger_units = {"单位": units}
    import_workbook(ledger, book(tmp_path / "u.xlsx", ledger_units))
    with ledger.write() as db:
        db.execute("update units set dissolved_on = '2020-01-01' where code = '430202101299'")
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, book(tmp_path / "w.xlsx", {"育龄妇女": [HEAD, woman(b.make_id("1990-05-01"), 单位代码="430202101299")]}))
    assert [str(e) for e in caught.value.errors] == ["育龄妇女!2 单位代码: 单位“430202101299”已于 2020-01-01 撤销"]


def test_a_measure_ending_before_it_starts_is_imported_and_listed(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    imported_with(ledger, tmp_path, "终止日期 2014-01-01 早于开始日期",
                  育龄妇女=[HEAD, woman(number)],
                  节育措施=[MEASURE_HEAD, (number, "避孕套", "2015-01-01", "2014-01-01"), (number, "未避孕", "2016-01-01", None)])


def test_a_passport_card_needs_its_birth_date_and_is_not_checked_as_a_resident_id(ledger, tmp_path):
    head = (*HEAD, "证件类型", "出生日期")
    errors = refused(ledger, tmp_path, 育龄妇女=[head, (*woman("E12345678"), "护照", None)])
    assert errors == ["育龄妇女!2 出生日期: 证件类型不是身份证时必填"]
    run(ledger, tmp_path, 育龄妇女=[head, (*woman("E12345678"), "护照", "1990-05-01")],
        节育措施=[MEASURE_HEAD, ("E12345678", "未避孕", "2012-01-01", None)])
    assert card(ledger, "E12345678")["birth_date"] == "1990-05-01"
    assert checks.run_all(ledger.db) == []


def _dirty_women(seed: int, dirty: bool, rows: int = 240) -> list[tuple]:
    """A 育龄妇女 sheet of valid cards. `dirty`: written every way a clerk's file writes them —
    spaces around text, full-width digits, Excel dates and date-times, `2012/1/5` and
    `20120105`, lower-case x, 15-digit husbands' IDs, code aliases, numbers; else every cell
    as stored (ISO text dates, canonical codes), blank optional cells in both."""
    import random

    rng = random.Random(seed)
    if not dirty:
        rng_choice = rng.choice

        def clean_choice(options):
            canonical = [o for o in options if o is None or (isinstance(o, str) and o == o.strip()
                         and o not in ("汉", "大专", "430202800101123", "")
                         and "\u3000" not in o and not any("０" <= ch <= "９" for ch in o))]
            return rng_choice(canonical)
        rng.choice = clean_choice
    head = ("证件号码", "姓名", "出生日期", "民族", "文化程度", "户口性质", "居住状态", "单位代码", "现居住地",
            "联系电话", "婚姻状况", "初婚日期", "丈夫姓名", "丈夫证件号码", "建卡日期", "流动原因", "流动日期")
    out = [head]
    for _row in range(rows):
        born = date(rng.randint(1978, 2004), rng.randint(1, 12), rng.randint(1, 28))
        number = b.make_id(born.isoformat())
        if dirty and number.endswith("X") and rng.random() < 0.5:
            number = number[:-1] + "x"
        married = date(born.year + rng.randint(20, 22), rng.randint(1, 12), rng.randint(1, 28))
        married = None if married > date(2026, 6, 30) else married

        def when(day):
            if day is None or rng.random() < 0.1:
                return None
            if not dirty:
                return day.isoformat()
            return rng.choice([day.isoformat(), day, datetime(day.year, day.month, day.day, 8, 30),
                               f"{day.year}/{day.month}/{day.day}", day.strftime("%Y%m%d")])

        status = "初婚" if married else "未婚"
        name = rng.choice(["王丽芳", "李秀英", "单芳", "欧阳娜", " 张敏 ", "刘\u3000洋", "李长青", "万俟燕", "单于红"])
        residence = rng.choice(["常住", "常住", "流入", "流出"])
        husband_id = rng.choice([None, b.make_id("1980-01-01", female=False), "430202800101123", ""])
        out.append((number if not dirty or rng.random() < 0.9 else f" {number} ", name, when(born),
                    rng.choice([None, "汉族", "汉", "回族", " 苗族"]), rng.choice([None, "大专", "大学本科", "初中"]),
                    rng.choice(["农业", "非农业"]), residence, "430202101201",
                    rng.choice([None, "桃花村3组", "  桃花村5组  "]),
                    rng.choice([None, "13800001111", "１３８００００２２２２", 13800003333]),
                    status, when(married), rng.choice([None, "李强", "赵建国 "]) if married else None,
                    husband_id if married else None, when(date(2020, 1, rng.randint(1, 28))),
                    rng.choice(["务工经商", None]) if residence != "常住" else None,
                    when(date(2022, 3, 1)) if residence != "常住" else None))
    return out


@pytest.mark.parametrize("seed, dirty", [(1, True), (2, True), (3, False), (4, False)])
def test_valid_sheets_clean_or_dirty_give_the_same_ledger_on_every_path(tmp_path, monkeypatch, seed, dirty):
    """The column-wise fast path (taken whole for a clean sheet), the fast path declined
    (`simple_new_women`), and every cell read one by one (the column reader vouching for
    nothing) write the same cards and list the same findings — here with the bulk writer's
    indexes rebuilt on its helper thread."""
    from app.exchange import registry_columns, registry_sheets
    from app.exchange.registry_columns import FAIL

    monkeypatch.setattr(registry_columns, "DEFER_INDEXES_FROM", 2)
    sheet, results, simple = _dirty_women(seed, dirty), [], []
    real_simple = registry_sheets.simple_new_women
    for path in ("fast", "declined", "cell by cell"):
        with monkeypatch.context() as patch:
            if path == "fast":
                patch.setattr(registry_sheets, "simple_new_women",
                              lambda *a, **k: simple.append(real_simple(*a, **k)) or simple[-1])
            else:
                patch.setattr(registry_sheets, "simple_new_women", lambda *a, **k: None)
            if path == "cell by cell":
                patch.setattr(registry_columns.ColumnReader, "column",
                              lambda self, kind, required, max_length, raws: [FAIL] * len(raws))
            with Ledger.create(tmp_path / f"{seed}-{path}.db", "荷塘区人口计生局", actor="test") as ledger:
                result = import_workbook(ledger, book(tmp_path / f"{seed}-{path}.xlsx",
                                                      {"单位": UNITS, "育龄妇女": sheet}))
                cards = ledger.db.execute("select * from women order by id").fetchall()
                search_ids = ledger.db.execute("select rowid from women_search_fts where women_search_fts"
                                               " match '\"丽 芳\"' order by rowid").fetchall()
                results.append(([c[1:-3] + c[-1:] for c in cards], sorted(findings(result)), search_ids,
                                _readings(ledger)))
    assert len(results[0][0]) == len(sheet) - 1
    assert {r[1] for r in results[0][3]} >= {"lzq", "wqy"}
    assert (simple[0] is not None) is (not dirty)
    assert results[0] == results[1] == results[2]
