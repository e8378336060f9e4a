"""Excel renderer for standard forms: one sheet per `Form`, laid out as the printed form.

Layout of a sheet (rows from the top):
  title (merged over the full width) · the banner when set (red; also the printed page header
  of every page) · legal block lines (表号, 制表机关 …, merged over the right
  part) · the 填报单位 / period / 单位 line · the header tree (a group merged over its leaves, a
  leaf merged down to the last header row) · the column-number row (甲, 乙, 1, 2 …) · data rows ·
  合计 · footer line (单位负责人 …) · notes.

Rules:
- Counts are stored as integers; rates as numbers holding the ROUNDED (half up) value with a
  `0.00`-style format, so the cell shows and holds exactly the printed figure (Excel arithmetic
  on it matches the paper). None is an empty cell. Text stays text.
- Header cells wrap only between tokens (app/forms/header_text.py): a column is widened to
  its longest header token and a title that must wrap gets its line breaks written in.
- Print set-up: A4, landscape unless `Form.landscape` is False, fit to one page wide, header
  rows repeat on every page (print titles), page numbers in the footer.
- Sheets are protected without a password (no formulas anywhere; protection only guards
  against accidental typing — 审阅 › 撤销工作表保护 lifts it).
- The file is written to a temporary file beside the target, then moved into place: a failure
  leaves the old file (or none), never half a workbook.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.atomic import write_atomic
from app.forms import header_text
from app.forms.fonts import EXCEL_FONT_NAME
from app.forms.model import Column, Form, column_numbers, header_cells, legal_span, rounded
from app.text_cells import put

RATE_KINDS = {"decimal", "percent", "permille"}
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def cell_value(value: Any, column: Column) -> Any:
    """The value stored in a cell (see the module rules)."""
    if value is None:
        return None
    if column.kind in RATE_KINDS and isinstance(value, (int, float, Decimal)):
        return float(rounded(value, column.decimals))
    if column.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if column.kind == "int" and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value if isinstance(value, (int, float)) and column.kind != "text" else str(value)


def number_format(column: Column) -> str:
    if column.kind in RATE_KINDS:
        return "0." + "0" * column.decimals if column.decimals > 0 else "0"
    if column.kind == "int":
        return "0"
    return "@"


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: ≤31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("_", title).strip("'") or "报表"
    base = base[:31]
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _font(size: float = 10, bold: bool = False) -> Font:
    return Font(name=EXCEL_FONT_NAME, size=size, bold=bold)


def _merge(ws: Worksheet, row1: int, col1: int, row2: int, col2: int, value: Any,
           alignment: Alignment, font: Font, border: bool = False) -> None:
    cell = put(ws, row1, col1, value)
    cell.alignment = alignment
    cell.font = font
    if border:
        for r in range(row1, row2 + 1):
            for c in range(col1, col2 + 1):
                ws.cell(row=r, column=c).border = BORDER
    if (row1, col1) != (row2, col2):
        ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


_CELL_EDGE = 1.5   # Excel width units a wrapped cell loses to its margins


def column_widths(form: Form) -> list[float]:
    """Each leaf's Excel width, widened so that no header token (app/forms/header_text.py)
    has to be cut: a leaf fits its own title's longest token, a group's leaves together fit
    the group's."""
    cells = header_cells(form)
    widths = [leaf.width for leaf in form.leaves()]
    for _, c0, _, c1, title in sorted(cells, key=lambda cell: cell[3] - cell[1]):
        need = header_text.longest_token(title, header_text.excel_width) + _CELL_EDGE
        short = need - sum(widths[c0:c1 + 1])
        if short > 0:
            for c in range(c0, c1 + 1):
                widths[c] = round(widths[c] + short / (c1 - c0 + 1), 1)
    return widths


def header_title(title: str, width: float) -> str:
    """The header cell's text with line breaks between tokens where it must wrap, so that
    Excel never breaks a word (所属乡镇（街道） → 所属乡镇\n（街道）)."""
    avail = width - _CELL_EDGE
    if header_text.excel_width(title) <= avail:
        return title
    return "\n".join(header_text.lines(title, avail, header_text.excel_width))


def _write_sheet(ws: Worksheet, form: Form) -> None:
    leaves = form.leaves()
    ncols = len(leaves)
    depth = form.header_depth()
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=False)
    right_span = legal_span(ncols)
    right_col = ncols - right_span + 1

    row = 1
    _merge(ws, row, 1, row, ncols, form.title, centre, _font(16, bold=True))
    ws.row_dimensions[row].height = 28
    row += 1
    if form.banner:
        _merge(ws, row, 1, row, ncols, form.banner, centre, Font(name=EXCEL_FONT_NAME, size=11, bold=True,
                                                                 color="C00000"))
        ws.row_dimensions[row].height = 20
        row += 1
    for line in (form.legal.lines() if form.legal else []):
        _merge(ws, row, right_col, row, ncols, line, left, _font(9))
        row += 1

    # 填报单位 (left) · period (centre) · 单位 (right)
    left_end = max(1, min(right_col - 1, ncols // 3 or 1))
    if form.filler:
        _merge(ws, row, 1, row, left_end, f"填报单位：{form.filler}", left, _font(10))
    if form.period_label and left_end + 1 <= right_col - 1:
        _merge(ws, row, left_end + 1, row, right_col - 1, form.period_label, centre, _font(10))
    elif form.period_label:
        _merge(ws, row, right_col, row, ncols, form.period_label, centre, _font(10))
        row += 1
    if form.unit_line:
        _merge(ws, row, right_col, row, ncols, form.unit_line,
               Alignment(horizontal="right", vertical="center"), _font(10))
    row += 1

    header_top = row
    widths = column_widths(form)
    for r0, c0, r1, c1, title in header_cells(form):
        _merge(ws, header_top + r0, c0 + 1, header_top + r1, c1 + 1,
               header_title(title, sum(widths[c0:c1 + 1])), centre, _font(10, bold=True), border=True)
    for r in range(header_top, header_top + depth):
        ws.row_dimensions[r].height = 30
    row = header_top + depth
    if form.number_columns:
        for c, label in enumerate(column_numbers(leaves), start=1):
            cell = put(ws, row, c, label)
            cell.alignment, cell.font, cell.border = centre, _font(9), BORDER
        row += 1
    header_bottom = row - 1

    total_index = len(form.rows) if form.total_row is not None else -1
    for index, record in enumerate(form.body()):
        bold = index == total_index
        for c, leaf in enumerate(leaves, start=1):
            value = cell_value(record.get(leaf.key) if leaf.key else None, leaf)
            cell = put(ws, row, c, value)
            cell.border = BORDER
            cell.font = _font(10, bold=bold)
            cell.number_format = number_format(leaf)
            if leaf.kind == "text":
                cell.alignment = Alignment(horizontal="center" if bold else "left", vertical="center",
                                           wrap_text=True)
            else:
                cell.alignment = Alignment(horizontal="right", vertical="center")
        row += 1

    if form.footer:
        row += 1
        segments = _segments(ncols, len(form.footer))
        for (c0, c1), text in zip(segments, form.footer, strict=True):
            _merge(ws, row, c0, row, c1, text, left, _font(10))
        row += 1
    for note in form.notes:
        _merge(ws, row, 1, row, ncols, note, Alignment(horizontal="left", vertical="top", wrap_text=True),
               _font(9))
        ws.row_dimensions[row].height = 15 * max(1, -(-len(note) // max(20, int(sum(c.width for c in leaves)) // 2)))
        row += 1

    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if form.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # openpyxl makes it with the sheet; the stubs say optional
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"  # type: ignore[union-attr]  # as above
    ws.oddFooter.center.font = EXCEL_FONT_NAME  # type: ignore[union-attr]
    if form.banner:   # on every printed page, not only the first
        ws.oddHeader.center.text = form.banner.replace("&", "&&")  # type: ignore[union-attr]
        ws.oddHeader.center.font = EXCEL_FONT_NAME  # type: ignore[union-attr]
    ws.freeze_panes = f"A{header_bottom + 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _segments(ncols: int, count: int) -> list[tuple[int, int]]:
    """Split 1..ncols into `count` nearly equal runs (1-based, inclusive); runs may be shared
    when there are fewer columns than items (then items go one per column from the left)."""
    if count == 0:
        return []
    if ncols < count:
        return [(min(i + 1, ncols), min(i + 1, ncols)) for i in range(count)]
    out, start = [], 1
    for i in range(count):
        size = ncols // count + (1 if i < ncols % count else 0)
        out.append((start, start + size - 1))
        start += size
    return out


def build_workbook(forms: Sequence[Form]) -> Workbook:
    if not forms:
        raise ValueError("没有要写入的报表")
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])   # the empty sheet a new Workbook has
    taken: set[str] = set()
    for form in forms:
        _write_sheet(workbook.create_sheet(sheet_name(form.title, taken)), form)
    return workbook


def write_xlsx(forms: Sequence[Form], path: str | os.PathLike[str]) -> Path:
    """Write `forms` (one sheet each) to `path` atomically; returns the path."""
    target = Path(path)
    workbook = build_workbook(forms)
    return write_atomic(target, workbook.save)
