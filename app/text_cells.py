"""Writing user text into .xlsx cells: always a text cell, never a formula, never a crash.

Every .xlsx the program writes puts its strings through here (the forms, the roster print,
export-workbook, the template, the import-error list, the first-run units copy); openpyxl
writers use `put`/`append`, xlsxwriter writers (export-workbook) use
`write_text`/`write_row` — never xlsxwriter's `write()`, which turns "=…" into a formula. Rules:
- A string is a text (inline string) cell, whatever it starts with: `=HYPERLINK(…)`, `+`, `-`,
  `@`, a tab, or an error code such as `#N/A` — never a formula or an error value. The value is
  kept exactly (no leading apostrophe), so our import reads back what was written.
- A character XML cannot hold (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) —
  which entry refuses (`app.text`) but an older ledger may already hold — is written as U+FFFD,
  visibly, instead of stopping the writer.
- Text that looks like an Excel escape (`_x0041_`) has its underscore escaped (`_x005F_`), so
  the reader does not decode it into another character.
  (xlsxwriter escapes `_xHHHH_` itself, so `write_text` leaves that to it.)
- A string xlsxwriter would take for its own rich-string XML (starting `<r>` and ending `</r>`)
  is written as a rich string of plain runs of the same characters, so it is escaped like any
  text; in such a string (only) a carriage return is written as U+FFFD (see
  `_write_rich_lookalike`).
- A text longer than a cell holds (32,767 UTF-16 units) is refused with a Chinese message
  (`write_text`; xlsxwriter would silently cut it short, losing data on the round trip).
- Numbers, dates and None are left to the writer.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from app.errors import UserInputError

REPLACEMENT = "\ufffd"
CELL_LIMIT = 32767   # UTF-16 units an Excel cell holds
_SHORT = CELL_LIMIT // 2   # a string this long cannot exceed the limit, whatever its characters
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_BEFORE_UNDERSCORE = re.compile("(?=_)")


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


@functools.cache
def _plain_run():
    from xlsxwriter.format import Format

    return Format()


class TextTooLong(UserInputError):
    """A text longer than an Excel cell holds (32,767 UTF-16 units): refused, never cut short."""


def write_text(ws, row: int, column: int, value: str, cell_format=None) -> None:
    """An xlsxwriter worksheet's cell (0-based `row`, `column`) set to the text `value`: always a
    text cell (`write_string`), illegal characters as U+FFFD; cheap for the common string.
    A text too long for a cell raises TextTooLong (xlsxwriter would silently cut it)."""
    if _XML_ILLEGAL.search(value):
        value = _XML_ILLEGAL.sub(REPLACEMENT, value)
    if len(value) > _SHORT and len(value.encode("utf-16-le")) // 2 > CELL_LIMIT:
        raise TextTooLong(f"“{value[:20]}…”有 {len(value):,} 个字，超过 Excel 单元格的上限 {CELL_LIMIT:,}，无法导出。")
    if value[:3] == "<r>" and value[-4:] == "</r>":
        _write_rich_lookalike(ws, row, column, value, cell_format)
        return
    ws.write_string(row, column, value, cell_format)


def _write_rich_lookalike(ws, row: int, column: int, value: str, cell_format) -> None:
    """`<r>…</r>` as a rich string of plain runs, which xlsxwriter escapes like any text. It
    escapes a rich string twice, so each run starts at an underscore (no run can hold a whole
    `_xHHHH_`) and a carriage return, which would come back as `_x000D_`, is U+FFFD."""
    text = value.replace("\r", REPLACEMENT)
    pieces = _BEFORE_UNDERSCORE.split(text)
    if len(pieces) == 1:   # xlsxwriter wants two runs at least
        pieces = [text[:1], text[1:]]
    args: list = [pieces[0]]
    for piece in pieces[1:]:
        args += [_plain_run(), piece]
    if cell_format is not None:
        args.append(cell_format)
    ws.write_rich_string(row, column, *args)


def write_row(ws, row: int, values, formats) -> None:
    """One row of an xlsxwriter worksheet: None left empty, a string as `write_text` would write
    it, anything else a number with `formats[column]` (a date format for the date columns).
    The common string (printable, not `<r>`-like, not long) goes straight to `write_string`;
    `str.isprintable()` is False for every character `_XML_ILLEGAL` matches, so it is a safe
    first filter (a tab or an ideographic space merely takes the careful path)."""
    write_string, write_number = ws.write_string, ws.write_number
    for column, value in enumerate(values):
        if value is None:
            continue
        if value.__class__ is str:
            if value.isprintable() and value[:3] != "<r>" and len(value) <= _SHORT:
                write_string(row, column, value)
            else:
                write_text(ws, row, column, value)
        else:
            write_number(row, column, value, formats[column])
