"""导出所选: the rows a clerk selected in any on-screen table, as a plain .xlsx sheet.

Rules:
- Every cell is written as TEXT (number format "@"), exactly as the screen shows it: an ID
  number keeps its 18 digits, "0731" keeps its zero, and a value starting with `=`, `+`, `-`
  or `@` stays the text it is — never a formula (openpyxl would otherwise store "=…" as one).
- Row 1 is the table's header row (bold, frozen); column widths follow the longest text.
- The file is written to a temporary file beside the target, then moved into place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app import text_cells
from app.atomic import write_atomic
from app.errors import UserInputError
from app.forms.fonts import EXCEL_FONT_NAME

if TYPE_CHECKING:
    from app.ledger import Ledger


def _width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_table(path: str | os.PathLike[str], headers: Sequence[str], rows: Sequence[Sequence[str]],
                sheet_title: str = "所选") -> Path:
    """Write `headers` + `rows` (strings) to `path`; returns the path."""
    target = Path(path)
    if not rows:
        raise UserInputError("没有选中的行，未导出。")
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new Workbook's one sheet
    sheet.title = (sheet_title or "所选")[:31]
    bold, plain = Font(name=EXCEL_FONT_NAME, bold=True), Font(name=EXCEL_FONT_NAME)
    widths = [_width(str(h)) for h in headers]
    for r, values in enumerate([list(headers), *[list(row) for row in rows]], start=1):
        for c, value in enumerate(values, start=1):
            text = "" if value is None else str(value)
            cell = text_cells.put(sheet, r, c, text)    # a text cell, never a formula
            cell.number_format = "@"
            cell.font = bold if r == 1 else plain
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], _width(text))
            else:
                widths.append(_width(text))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(60, max(6, width + 2))
    sheet.freeze_panes = "A2"
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, book.save)


def export_rows(ledger: Ledger, path: str | os.PathLike[str], headers: Sequence[str], rows: Sequence[Sequence[str]],
                source: str, sheet_title: str = "所选") -> Path:
    """导出所选 from a table showing ledger data: `write_table`, then an audit entry with who, the
    table it came from (`source`, the why) and how many rows (PIPL: every export of personal
    data is recorded). Needs `export_forms`."""
    ledger.require("export_forms")
    target = write_table(path, headers, rows, sheet_title)
    ledger.audit("导出所选行", "export", target.name, after={"source": source, "rows": len(rows),
                                                           "columns": [str(h) for h in headers]})
    return target
