"""The window's own .xlsx writers (the import-error list, the first-run copy of a 单位 sheet):
user text is a text cell, never a formula, and a control character does not stop them."""

from __future__ import annotations

import openpyxl

from app.exchange.workbook import ImportIssue
from ui.dialogs.first_run_units import extract_units_sheet
from ui.dialogs.import_dialog import export_errors

LINK = '=HYPERLINK("http://example.invalid/x","点我")'


def _cells(path):
    sheet = openpyxl.load_workbook(path).active
    return [(c.value, c.data_type) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_import_error_list_writes_text_cells(tmp_path, qapp):
    errors = [ImportIssue("育龄妇女", None, LINK, "不认识的列，已忽略"),
              ImportIssue("育龄妇女", 3, "姓名", "“王\x07丽”含有不可见的控制字符（U+0007）")]
    found = _cells(export_errors(errors, tmp_path / "错误.xlsx"))
    assert (LINK, "s") in found and ("“王\ufffd丽”含有不可见的控制字符（U+0007）", "s") in found
    assert (3, "n") in found and not [v for v, kind in found if kind == "f"]


def test_import_error_list_as_csv_does_not_start_a_cell_with_a_formula(tmp_path, qapp):
    path = export_errors([ImportIssue("育龄妇女", 2, LINK, "不认识的列，已忽略")], tmp_path / "错误.csv")
    assert f"'{LINK}" in path.read_text(encoding="utf-8-sig").replace('""', '"')


def test_first_run_copy_of_the_units_sheet_keeps_formula_like_text_as_text(tmp_path, qapp):
    source = tmp_path / "src.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位代码", "单位名称", "单位类型"])
    sheet.append(["430202", "荷塘区", "区县"])
    sheet.cell(3, 1, "430203")
    cell = sheet.cell(3, 2)
    cell.value, cell.data_type = LINK, "s"
    sheet.cell(3, 3, "区县")
    book.save(source)
    folder = tmp_path / "out"
    folder.mkdir()
    copy, rows = extract_units_sheet(source, folder)
    assert rows == 2
    assert (LINK, "s") in _cells(copy)
