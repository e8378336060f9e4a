"""Writing user text into .xlsx cells: always a text cell, never a formula, never a crash.

Every .xlsx the program writes puts its strings through here (the forms, the roster print,
export-workbook, the template, the import-error list, the first-run units copy). Rules:
- A string is a text (inline string) cell, whatever it starts with: `=HYPERLINK(…)`, `+`, `-`,
  `@`, a tab, or an error code such as `#N/A` — never a formula or an error value. The value is
  kept exactly (no leading apostrophe), so our import reads back what was written.
- A character XML cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) —
  which entry refuses (`app.text`) but an older ledger may already hold — is written as U+FFFD,
  visibly, instead of stopping the writer.
- Text that looks like an Excel escape (`_x0041_`) has its underscore escaped (`_x005F_`), so
  the reader does not decode it into another character.
- Numbers, dates and None are left to openpyxl.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def safe_text(value: str) -> str:
    """The characters a cell can hold: XML-illegal ones as U+FFFD, `_xHHHH_` escaped."""
    if _XML_ILLEGAL.search(value):
        value = _XML_ILLEGAL.sub(REPLACEMENT, value)
    if "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    return value


def put(ws, row: int, column: int, value: Any):
    """`ws.cell(row, column)` set to `value`, a string always as a text cell; returns the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def append(ws, values) -> None:
    """`ws.append(values)` with every string as a text cell (ordinary worksheets)."""
    row = ws._current_row + 1   # where openpyxl's own append writes
    for column, value in enumerate(values, start=1):
        if value is not None:
            put(ws, row, column, value)


def csv_text(value: Any) -> Any:
    """A CSV field a spreadsheet will not run (OWASP CSV injection): text starting with = + - @,
    a tab or a carriage return gets a leading apostrophe. Only for CSV files meant for reading
    (the import-error list), never for data our import reads back."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _needs_cell(value: str) -> bool:
    return (value[:1] == "=" or value in _ERROR_CODES or "_x" in value
            or _XML_ILLEGAL.search(value) is not None)


def write_only_row(ws, values) -> list:
    """A row for a write-only worksheet's `append`: the strings openpyxl would not write as
    plain text (a formula, an error code, an illegal character, an escape) become text cells;
    everything else is passed as it is (the common case costs one test per string)."""
    out = list(values)
    for index, value in enumerate(out):
        if value.__class__ is str and _needs_cell(value):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws, value=safe_text(value))
            cell.data_type = "s"
            out[index] = cell
    return out
