"""Every .xlsx the program writes: a string from user text is a text cell, never a formula; what
is already stored (control characters from an older ledger) never stops a writer; the round
trip through our own import keeps the value (app/text_cells.py)."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from app.attendance import posting
from app.attendance.posting_form import export_month
from app.exchange.export_workbook import export_workbook
from app.exchange.workbook import import_workbook
from app.forms.model import Column, Form
from app.forms.xlsx import write_xlsx
from app.ledger import Ledger
from app.roster import printing, rounds
from app.text_cells import safe_text
from tests import builders as b
from tests.attendance_builders import add_person, punch

LINK = '=HYPERLINK("http://example.invalid/x","点我")'
DDE = "=cmd|' /C calc'!A0"
STORED = {"address": LINK, "phone": DDE, "hukou_place": "@SUM(1+1)", "employer": "+1-2",
          "husband_employer": "#N/A", "float_cert_no": "a_x0041_b"}


def cells_of(path):
    """Every non-empty cell of every sheet, as (value, data_type)."""
    book = openpyxl.load_workbook(path)
    return [(c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def assert_text_cells(found, *values):
    for value in values:
        assert (value, "s") in found, value
    assert not [v for v, kind in found if kind in ("f", "e")]


@pytest.fixture
def stored(ledger):
    """A ledger already holding odd text (stored directly, as an older version let it in)."""
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
    ledger.db.execute("update unit_versions set name = ? where name = '桃花村'", ["=桃花村\x1b"])
    b.woman(ledger, "王\x07丽\x00", unit="430202101201", husband="@张伟", **STORED)
    b.woman(ledger, "李芳", unit="430202101201")
    return ledger


def test_safe_text_replaces_what_xml_cannot_hold_and_escapes_escapes():
    assert safe_text("王\x07丽\x00\ud800\uffff") == "王\ufffd丽\ufffd\ufffd\ufffd"
    assert safe_text("a_x0041_b\t\n") == "a_x005F_x0041_b\t\n"
    assert safe_text(LINK) == LINK


def test_export_workbook_writes_text_cells_and_survives_control_characters(stored, tmp_path):
    path = tmp_path / "全部.xlsx"
    counts = export_workbook(stored, path)
    assert counts["育龄妇女"] == 2
    found = cells_of(path)
    assert_text_cells(found, LINK, DDE, "@SUM(1+1)", "+1-2", "#N/A", "@张伟",
                      "王\ufffd丽\ufffd", "=桃花村\ufffd")


def test_export_then_import_keeps_the_formula_like_values(stored, tmp_path):
    stored.db.execute("update women set name = '王丽' where name like '王%'")
    stored.db.execute("update unit_versions set name = '=桃花村' where name like '=桃花村%'")
    path = tmp_path / "全部.xlsx"
    export_workbook(stored, path)
    with Ledger.create(tmp_path / "new.db", "荷塘区人口计生局", actor="test") as fresh:
        import_workbook(fresh, path)
        row = dict(zip(STORED, fresh.db.execute(
            f"select {', '.join(STORED)} from women where name = '王丽'").fetchone(), strict=True))
        assert row == STORED
        assert fresh.db.execute("select husband_name from women where name = '王丽'").fetchone()[0] == "@张伟"
        assert {r[0] for r in fresh.db.execute("select name from unit_versions")} == {"荷塘区", "=桃花村"}


def test_roster_print_writes_every_file_despite_control_characters(stored, tmp_path):
    rnd = rounds.resolve(stored, "2026Q2")
    out = printing.write_all(stored, rnd, tmp_path)
    assert sorted(p.suffix for p in out.files) == [".pdf", ".xlsx"]
    xlsx = next(p for p in out.files if p.suffix == ".xlsx")
    found = cells_of(xlsx)
    assert_text_cells(found, "王\ufffd丽\ufffd", "@张伟")
    assert any(v.startswith("=桃花村\ufffd 2026年第二季度") and k == "s" for v, k in found if isinstance(v, str))
    assert all(p.name.startswith("2026Q2_430202101201_=桃花村_") for p in out.files)


def test_forms_write_text_cells_never_formulas(tmp_path):
    form = Form(form_id="t", title="考勤情况公布表", columns=[Column("姓名", key="name", kind="text"),
                                                Column("人数", key="n", kind="int")],
                rows=[{"name": LINK, "n": 3}, {"name": "张\x07三", "n": 1}], filler=DDE)
    path = write_xlsx([form], tmp_path / "f.xlsx")
    found = cells_of(path)
    assert_text_cells(found, LINK, "张\ufffd三", f"填报单位：{DDE}")
    assert (3, "n") in found


def test_attendance_posting_form_with_a_formula_like_stored_name(ledger, tmp_path):
    person, _user = add_person(ledger, "011", "张三")
    ledger.db.execute("update att_staff set name = ? where id = ?", [LINK + "\x07", person.id])
    punch(ledger, person, "2026-03-02 08:10", "2026-03-02 14:20")
    posting.post(ledger, "2026-03", now=datetime(2026, 4, 2, 9))
    _pdf, xlsx, _warnings = export_month(ledger, "2026-03", tmp_path)
    assert_text_cells(cells_of(xlsx), LINK + "\ufffd")


ODD = [LINK, DDE, "@SUM(1+1)", "+1-2", "#N/A", "a_x0041_b", "<r><t>注入</t></r>", "<r>x</r>", " 前后空格 ",
       "行1\r\n行2\t", "A&B <c>"]


def test_xlsxwriter_text_cells_read_back_exactly_and_never_as_formulas(tmp_path):
    import xlsxwriter

    from app.text_cells import write_text

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("表")
    for row, value in enumerate([*ODD, "王\x07丽\x00\ud800\uffff"]):
        write_text(sheet, row, 0, value)
    book.close()
    # Values as Excel and our import (calamine) read them; openpyxl does not decode `_xHHHH_`
    # escapes in inline strings, so it only tells the cell types here.
    values = [row[0] for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()]
    assert values == [*ODD, "王\ufffd丽\ufffd\ufffd\ufffd"]
    assert {c.data_type for c in openpyxl.load_workbook(path)["表"]["A"]} == {"s"}


def test_xlsxwriter_refuses_a_text_longer_than_a_cell_instead_of_cutting_it(tmp_path):
    import xlsxwriter

    from app.text_cells import TextTooLong, write_text

    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    write_text(sheet, 0, 0, "字" * 32767)
    with pytest.raises(TextTooLong, match="超过 Excel 单元格的上限"):
        write_text(sheet, 1, 0, "😀" * 16384)   # 32,768 UTF-16 units
    book.close()


def test_export_workbook_round_trips_rich_string_lookalikes_and_escapes(stored, tmp_path):
    stored.db.execute("update women set address = ?, employer = ? where name = '李芳'",
                      ["<r><t>注入</t></r>", " 前后空格 "])
    path = tmp_path / "全部.xlsx"
    export_workbook(stored, path)
    assert_text_cells(cells_of(path), "<r><t>注入</t></r>", " 前后空格 ")
    with Ledger.create(tmp_path / "new.db", "荷塘区人口计生局", actor="test") as fresh:
        import_workbook(fresh, path)
        assert fresh.db.execute("select address, employer from women where name = '李芳'").fetchone() == (
            "<r><t>注入</t></r>", "前后空格")   # the import trims text cells (app/exchange/cells)


ODD_CHARACTERS = ["\ud800", "\udfff", "\x00", "\x07", "\x1f", "\ufffe", "\uffff", "\r", "\t", "\n", "\u3000",
                  "<r>", "</r>", "_x0041_", "_x005F_", "=", "#N/A", "&", "<", " "]


_TEXTS = st.lists(st.one_of(st.characters(), st.sampled_from(ODD_CHARACTERS)), min_size=1).map("".join)


def expected(value: str) -> str:
    """What a written string reads back as: illegal characters, and a carriage return in a
    `<r>…</r>` lookalike, as U+FFFD."""
    value = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", value)
    return value.replace("\r", "\ufffd") if value.startswith("<r>") and value.endswith("</r>") else value


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_TEXTS, _TEXTS.map(lambda s: f"<r>{s}</r>")), min_size=1, max_size=20))
def test_write_row_reads_back_every_string_with_only_the_illegal_characters_replaced(values):
    import xlsxwriter

    from app.text_cells import write_row

    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/x.xlsx"
        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = book.add_worksheet("表")
        for row, value in enumerate(values):
            write_row(sheet, row, (value, None, 7), [None, None, None])
        book.close()
        found = CalamineWorkbook.from_path(path).get_sheet_by_name("表").to_python()
    assert [r[0] for r in found] == [expected(v) for v in values]
    assert all(r[1:] == ["", 7] for r in found)
