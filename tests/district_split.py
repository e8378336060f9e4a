"""Split a whole-district ledger into its townships, as each township office would have it.

`split(whole, folder)` exports the whole ledger to the standard workbook (the real export), cuts
the workbook into one per township (its unit subtree, its 人口基数 rows, its women and their
children, measures and procedures) and imports each into a new ledger of its own (the real
import). `district_ledger(whole, folder)` makes the district office's ledger: the district unit
and its townships only (no villages: the consolidation places them from the packages) plus the
district's own 人口基数 rows — what a district office types for itself.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from app import units
from app.exchange.export_workbook import export_workbook
from app.exchange.workbook import import_workbook
from app.ledger import Ledger

UNIT_SHEET, BASE_SHEET = "单位", "人口基数"
BY_UNIT = {"育龄妇女": "单位代码", BASE_SHEET: "单位代码"}
BY_WOMAN = {"子女": "母亲证件号码", "节育措施": "证件号码", "手术": "证件号码"}


def _sheets(path: Path) -> dict[str, tuple[list, list[list]]]:
    book = load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        out[sheet.title] = (rows[0], rows[1:])
    book.close()
    return out


def _write(path: Path, sheets: dict[str, tuple[list, list[list]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def _subtree(db, code: str) -> set[str]:
    tree = units.units_on(db)
    kids = units.children_map(tree)
    start = next(u for u in tree if u.code == code)
    out, stack = set(), [start]
    while stack:
        unit = stack.pop()
        out.add(unit.code)
        stack.extend(kids.get(unit.id, []))
    return out


def _column(header: list, name: str) -> int:
    return header.index(name)


def township_workbook(sheets: dict, codes: set[str], root: str, path: Path) -> Path:
    out: dict[str, tuple[list, list[list]]] = {}
    header, rows = sheets[UNIT_SHEET]
    code_col, parent_col = _column(header, "单位代码"), _column(header, "上级单位代码")
    unit_rows = []
    for row in rows:
        if row[code_col] in codes:
            row = list(row)
            if row[code_col] == root:
                row[parent_col] = None
            unit_rows.append(row)
    out[UNIT_SHEET] = (header, unit_rows)
    women: set[str] = set()
    for title, column in BY_UNIT.items():
        if title in sheets:
            header, rows = sheets[title]
            col = _column(header, column)
            out[title] = (header, [r for r in rows if r[col] in codes])
            if title == "育龄妇女":
                women = {r[_column(header, "证件号码")] for r in out[title][1]}
    for title, column in BY_WOMAN.items():
        if title in sheets:
            header, rows = sheets[title]
            col = _column(header, column)
            out[title] = (header, [r for r in rows if r[col] in women])
    return _write(path, out)


def split(whole: Ledger, folder: Path) -> dict[str, Ledger]:
    """One ledger per township of the whole ledger's root (code → open ledger)."""
    folder.mkdir(parents=True, exist_ok=True)
    book = export_workbook(whole, folder / "whole.xlsx") and folder / "whole.xlsx"
    sheets = _sheets(book)
    root = units.roots(whole.db)[0]
    townships = units.children_map(units.units_on(whole.db))[root.id]
    out = {}
    for township in townships:
        path = township_workbook(sheets, _subtree(whole.db, township.code), township.code,
                                 folder / f"{township.code}.xlsx")
        ledger = Ledger.create(folder / f"{township.code}.db", f"{township.name}计生办", whole.stat_year_start,
                               actor="test")
        import_workbook(ledger, path)
        out[township.code] = ledger
    return out


def district_ledger(whole: Ledger, folder: Path, path: Path | None = None) -> Ledger:
    """The district office's ledger: district + townships, and the district's own 人口基数 rows."""
    sheets = _sheets(folder / "whole.xlsx")
    root = units.roots(whole.db)[0]
    keep = {root.code} | {u.code for u in units.children_map(units.units_on(whole.db))[root.id]}
    header, rows = sheets[UNIT_SHEET]
    out = {UNIT_SHEET: (header, [r for r in rows if r[_column(header, "单位代码")] in keep])}
    if BASE_SHEET in sheets:
        header, rows = sheets[BASE_SHEET]
        out[BASE_SHEET] = (header, [r for r in rows if r[_column(header, "单位代码")] == root.code])
    book = _write(folder / "district.xlsx", out)
    ledger = Ledger.create(path or folder / "district.db", whole.office_name, whole.stat_year_start, actor="test")
    import_workbook(ledger, book)
    return ledger
