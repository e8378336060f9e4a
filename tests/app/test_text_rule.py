"""The one text-cleaning rule (app/text.py) at every way in: the card editor, the workbook import
(its column-wise fast path and its per-cell path), the sampling survey, the attendance files,
units, staff and accounts; and the search box, which takes any text."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import accounts, registry, search, text, units
from app.attendance import importer as attendance_import
from app.attendance import staff
from app.errors import UserInputError
from app.exchange.workbook import ImportFailed, import_workbook
from app.periods import Period
from app.reconcile.survey import parse_survey
from tests import builders as b

UNITS = [("单位代码", "单位名称", "单位类型", "上级单位代码"),
         ("430202", "荷塘区", "区县", None), ("430202101201", "桃花村", "村", "430202")]
HEAD = ("证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "联系电话")


def write_book(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def women_rows(names, phones=None):
    phones = phones or ["13812345678"] * len(names)
    return [HEAD] + [(b.make_id("1990-05-01"), name, "农业", "常住", "430202101201", "未婚", phone)
                     for name, phone in zip(names, phones, strict=True)]


def village(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
    return units.id_for_code(ledger.db, "430202101201")


# ---- the rule -----------------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\u202e", "\u2066", "\x85", "\ud800"])
def test_control_characters_are_refused_naming_field_row_and_code_point(char):
    with pytest.raises(UserInputError) as caught:
        text.clean_text(f"王{char}丽", "姓名", row=3)
    assert str(caught.value) == f"第 3 行 姓名含有不可见的控制字符（U+{ord(char):04X}），请删除后再保存"


def test_zero_width_bom_and_nbsp_are_normalised_and_text_is_nfc():
    assert text.clean_text("\ufeff王\u200b丽\u2060芳\u200d ", "姓名") == "王丽芳"
    assert text.clean_text("桃花\u00a0村\u3000一组", "地址") == "桃花 村 一组"
    assert text.clean_text("Jose\u0301", "姓名") == "Jos\u00e9"
    assert text.clean_text("行\tA\n", "地址") == "行\tA"   # tab and line feed are not refused


# ---- the card editor ----------------------------------------------------------------------------
def test_card_editor_refuses_a_control_character_and_names_the_field(ledger):
    unit_id = village(ledger)
    fields = {"id_number": b.make_id("1990-05-01"), "name": "王\x07丽", "hukou_type": "农业",
              "residence": "常住", "marital_status": "未婚", "unit_id": unit_id}
    with pytest.raises(registry.RegistryError) as caught:
        registry.save_woman(ledger, fields)
    assert "姓名：含有不可见的控制字符（U+0007），请删除后再保存" in str(caught.value)
    with pytest.raises(registry.RegistryError, match="现居住地：含有不可见的控制字符（U\\+202E）"):
        registry.save_woman(ledger, fields | {"name": "王丽", "address": "\u202e村花桃"})
    saved = registry.save_woman(ledger, fields | {"name": "王\u200b丽\ufeff"})
    assert registry.get_card(ledger.db, saved.id)["name"] == "王丽"
    with pytest.raises(registry.RegistryError, match="姓名：含有不可见的控制字符"):
        registry.add_child(ledger, saved.id, {"birth_order": 1, "name": "小\x1b明", "sex": "男",
                                              "birth_date": "2015-01-01", "policy": "政策内"})


# ---- the workbook import ----------------------------------------------------------------------------
def test_import_refuses_an_excel_escape_of_a_control_character_with_sheet_row_and_column(ledger, tmp_path):
    # openpyxl writes `_x0007_` as it is; Excel and our reader decode it into U+0007.
    path = write_book(tmp_path / "in.xlsx", {"单位": UNITS,
                                             "育龄妇女": women_rows(["王丽", "李_x0007_芳", "赵_x0000_敏"])})
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, path)
    found = [str(e) for e in caught.value.errors]
    assert "育龄妇女!3 姓名: 含有不可见的控制字符（U+0007），请删除后再导入" in found
    assert "育龄妇女!4 姓名: 含有不可见的控制字符（U+0000），请删除后再导入" in found
    assert ledger.db.execute("select count(*) from women").fetchone()[0] == 0


def test_import_fast_path_applies_the_same_rule(ledger, tmp_path):
    """A column of 300 clean cells with one odd cell: the column-wise path must not vouch for it."""
    names = [f"王{i}" for i in range(300)]
    names[17] = "李\u200b芳\ufeff"
    phones = ["13812345678"] * 300
    phones[250] = "138\u202e12345678"
    path = write_book(tmp_path / "in.xlsx", {"单位": UNITS, "育龄妇女": women_rows(names, phones)})
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, path)
    assert [str(e) for e in caught.value.errors] == [
        "育龄妇女!252 联系电话: 含有不可见的控制字符（U+202E），请删除后再导入"]
    phones[250] = "13812345678"
    names[40] = "赵\u00a0敏"
    import_workbook(ledger, write_book(tmp_path / "ok.xlsx", {"单位": UNITS, "育龄妇女": women_rows(names, phones)}))
    stored = {r[0] for r in ledger.db.execute("select name from women")}
    assert "李芳" in stored and "赵 敏" in stored
    assert not any("\u200b" in n or "\ufeff" in n or "\xa0" in n for n in stored)


def test_import_refuses_a_nul_inside_a_cell_on_the_fast_path(ledger, tmp_path):
    """A NUL inside one cell of an all-text column (joined with NUL on the fast path)."""
    names = [f"王{i}" for i in range(50)]
    names[5] = "李_x0000_"
    path = write_book(tmp_path / "in.xlsx", {"单位": UNITS, "育龄妇女": women_rows(names)})
    with pytest.raises(ImportFailed, match="育龄妇女!7 姓名: 含有不可见的控制字符（U\\+0000）"):
        import_workbook(ledger, path)


def test_units_sheet_refuses_a_control_character_in_a_unit_name(ledger, tmp_path):
    path = write_book(tmp_path / "in.xlsx", {"单位": [*UNITS, ("430202101202", "杏花_x001B_村", "村", "430202")]})
    with pytest.raises(ImportFailed, match="单位!4 单位名称: 含有不可见的控制字符（U\\+001B）"):
        import_workbook(ledger, path)


# ---- survey, attendance, units, staff, accounts ---------------------------------------------------------
def test_survey_refuses_a_control_character(ledger, tmp_path):
    village(ledger)
    path = write_book(tmp_path / "s.xlsx", {"抽样调查": [
        ("单位代码", "母亲姓名", "性别", "出生日期"),
        ("430202101201", "王\u2067丽", "男", "2026-01-05")]})
    with pytest.raises(ImportFailed, match="抽样调查!2 母亲姓名: 含有不可见的控制字符（U\\+2067）"):
        parse_survey(ledger.db, path, Period.parse("2026", 10))


def test_attendance_file_refuses_a_control_character(ledger, tmp_path):
    path = write_book(tmp_path / "a.xlsx", {"人员": [("工号", "姓名"), ("011", "张_x0007_三")]})
    with pytest.raises(ImportFailed, match="人员!2 姓名: 含有不可见的控制字符（U\\+0007）"):
        attendance_import.import_file(ledger, path)


def test_units_staff_and_accounts_refuse_control_characters(ledger):
    with pytest.raises(UserInputError, match="单位名称含有不可见的控制字符（U\\+0007）"):
        b.unit(ledger, "430202", "荷塘\x07区", "区县")
    village(ledger)
    with pytest.raises(UserInputError, match="单位名称含有不可见的控制字符（U\\+202D）"), ledger.write():
        units.rename(ledger.db, "430202101201", "桃\u202d花村", "2026-01-01")
    with pytest.raises(UserInputError, match="姓名含有不可见的控制字符（U\\+0000）"):
        staff.add(ledger, "011", "张\x00三")
    with pytest.raises(UserInputError, match="姓名含有不可见的控制字符（U\\+001B）"), ledger.write():
        accounts.create_user(ledger.db, "zhang", "张\x1b三", "工作人员", "Secret-123456")


# ---- search takes any text --------------------------------------------------------------------------------
SEARCHES = ["\x00", "王\x00", "a\x00b", '"', '王"丽', "*", "王*", "(", ")", ":", "^", "-", "王 -丽",
            "NEAR(王 丽)", "name:王", "\u200b", "\ufeff王", "\u202e", "AND", "OR NOT", "'", "%", "_", "\\",
            "\ud800", "1234\x00", "X", "\x07丽"]


@pytest.fixture
def searchable(ledger):
    village(ledger)
    b.woman(ledger, "王丽", unit="430202101201", husband="张伟")
    return ledger


@pytest.mark.parametrize("typed", SEARCHES)
def test_search_takes_any_text(searchable, typed):
    query = search.Query(typed)
    assert search.count(searchable.db, query) == len(search.ids(searchable.db, query))


def test_search_ignores_invisible_characters_in_the_text(searchable):
    assert search.count(searchable.db, search.Query("王\u200b丽")) == 1
    assert search.count(searchable.db, search.Query("王\x00丽")) == 1   # NUL separates terms


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=12))
def test_search_never_raises(searchable, typed):
    search.count(searchable.db, search.Query(typed))
    search.page(searchable.db, search.Query(typed), limit=5)
