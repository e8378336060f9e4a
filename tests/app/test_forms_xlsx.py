"""The Excel renderer: every form read back with openpyxl shows the printed layout and figures."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from app.forms.fonts import EXCEL_FONT_NAME
from app.forms.model import Column, Form, header_cells
from app.forms.xlsx import sheet_name, write_xlsx
from tests.app.sample_forms import births_form, long_acting_form


@pytest.fixture
def workbook(tmp_path):
    path = write_xlsx([long_acting_form(), births_form()], tmp_path / "forms.xlsx")
    return openpyxl.load_workbook(path)


def _find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


def _row_of(ws, first_cell_text):
    cell = _find(ws, first_cell_text)
    return [c.value for c in ws[cell.row]]


def test_one_sheet_per_form_named_by_title(workbook):
    assert workbook.sheetnames == ["长效节育措施落实情况表", "人口与出生情况"]


def test_long_acting_table_holds_the_seed_figures_as_numbers(workbook):
    ws = workbook["长效节育措施落实情况表"]
    assert _row_of(ws, "合计") == ["合计", 430, 182, 248, 42.33, 33, 150]
    assert _row_of(ws, "仙庾镇") == ["仙庾镇", 184, 85, 99, 46.2, 20, 65]
    total = _find(ws, "合计")
    due = ws.cell(row=total.row, column=2)
    rate = ws.cell(row=total.row, column=5)
    assert isinstance(due.value, int) and due.data_type == "n"
    assert isinstance(rate.value, float) and rate.number_format == "0.00"


def test_rates_hold_the_rounded_half_up_figure_not_the_exact_one(tmp_path):
    form = Form("r", "性别比", [Column("单位", key="u", kind="text"), Column("性别比", key="r", kind="decimal")],
                rows=[{"u": "一孩", "r": Decimal(454) * 100 / Decimal(460)}, {"u": "x", "r": Decimal("0.125")}])
    ws = openpyxl.load_workbook(write_xlsx([form], tmp_path / "r.xlsx")).active
    assert _row_of(ws, "一孩")[1] == 98.70  # the seed prints 98.69; half up it is 98.70
    assert _row_of(ws, "x")[1] == 0.13


def test_multi_level_headers_are_merged_from_the_column_tree(workbook):
    ws = workbook["人口与出生情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    births = _find(ws, "出生人数")
    among = _find(ws, "其中")
    unit = _find(ws, "单位")
    r = births.row
    assert f"C{r}:G{r}" in merged                  # 出生人数 over its five leaves
    assert f"D{r + 1}:G{r + 1}" in merged          # 其中 over 一孩 二孩 男 女
    assert among.row == r + 1
    assert f"A{r}:A{r + 2}" in merged              # a leaf spans down to the last header row
    assert unit.row == r
    assert f"C{r + 1}:C{r + 2}" in merged          # 出生人数 › 合计 leaf spans two rows


def test_column_number_row_follows_the_header(workbook):
    ws = workbook["人口与出生情况"]
    assert _row_of(ws, "甲") == ["甲"] + [str(n) for n in range(1, 11)]


def test_title_legal_block_filler_and_footer_are_printed(workbook):
    ws = workbook["长效节育措施落实情况表"]
    assert ws["A1"].value == "长效节育措施落实情况表"
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    legal = _find(ws, "表    号：计生统4表")
    assert legal.column > 1                        # top right
    _find(ws, "填报单位：荷塘区人口和计划生育局")
    _find(ws, "2026年上半年")
    _find(ws, "单位：人、%")
    for label in ("单位负责人：", "统计负责人：", "填表人：", "报出日期："):
        _find(ws, label)
    _find(ws, "说明：应落实数按末孩出生后4个月到期计算。")


def test_print_setup_is_a4_landscape_fit_to_width_with_repeating_header(workbook):
    ws = workbook["人口与出生情况"]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    header_row = _find(ws, "出生人数").row
    number_row = _find(ws, "甲").row
    assert ws.print_title_rows == f"${header_row}:${number_row}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_portrait_form_prints_portrait(tmp_path):
    form = long_acting_form()
    form.landscape = False
    ws = openpyxl.load_workbook(write_xlsx([form], tmp_path / "p.xlsx")).active
    assert ws.page_setup.orientation == "portrait"


def test_cells_are_protected_bordered_formula_free_and_in_a_cjk_font(workbook):
    for ws in workbook:
        assert ws.protection.sheet is True
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))
        total = _find(ws, "合计")
        assert total.font.name == EXCEL_FONT_NAME
        assert total.border.left.style == "thin"


def test_sheet_names_follow_excel_rules():
    taken: set[str] = set()
    assert sheet_name("a/b:c", taken) == "a_b_c"
    long_title = "计划生育" * 10
    first = sheet_name(long_title, taken)
    second = sheet_name(long_title, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_a_failed_write_leaves_no_file_and_no_temporary(tmp_path):
    bad = long_acting_form()
    bad.footer = ["a", "b"]
    bad.columns = []          # header_depth() of no columns fails while building
    with pytest.raises(ValueError):
        write_xlsx([bad], tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_header_geometry_covers_every_leaf_exactly_once():
    form = births_form()
    cells = header_cells(form)
    depth = form.header_depth()
    covered = set()
    for r0, c0, r1, c1, _ in cells:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                assert (r, c) not in covered
                covered.add((r, c))
    assert covered == {(r, c) for r in range(depth) for c in range(len(form.leaves()))}
