"""`fpledger export-workbook`: the whole ledger in the standard workbook format (round trip).

Sheets: 单位, 人口基数 (when the ledger has rows), 育龄妇女, 子女, 节育措施, 手术 — the same
columns the import reads (app/exchange/registry_sheets.py), so importing the file into an
empty ledger gives the same ledger. Rules and choices:
- Written with openpyxl write_only (constant memory) to a temporary file beside the target,
  checked (reopened, sheet names and row counts), then moved into place; a cancelled or failed
  export leaves nothing behind.
- ID numbers and phones are written as text cells; dates as Excel dates; every string through
  `app.text_cells` (a text cell even when it starts with `=`; illegal characters as U+FFFD).
- Units: one row per unit existing today, with its current name and parent and, as 生效日期,
  the first day of its earliest version. The unit history (renames, moves) and dissolved units
  are not carried by the workbook (a backup carries everything).
- The export is audited (one entry with the file name and counts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import units as units_mod
from app.errors import UserInputError
from app.exchange.registry_sheets import CHILDREN, MEASURES, PROCEDURES, WOMEN, Col
from app.private_files import create_private
from app.text_cells import write_only_row

if TYPE_CHECKING:
    from app.ledger import Ledger

ProgressFn = Callable[[int, int, str], bool]
UNIT_HEADERS = ("单位代码", "单位名称", "单位类型", "上级单位代码", "生效日期", "主管单位代码")
BASE_HEADERS = ("单位代码", "统计期", "总人口", "死亡人数")


class ExportCancelled(UserInputError):
    """The user cancelled; no file was written."""


def _as_cell(col: Col | None, value: Any) -> Any:
    if value is None:
        return None
    if col is not None and col.kind == "date":
        return date.fromisoformat(value)
    if col is not None and col.kind == "bool":
        return "是" if value else None
    return value


def _units_rows(db) -> Iterator[tuple]:
    today = units_mod.units_on(db)
    codes = {u.id: u.code for u in today}
    first = dict(db.execute("select unit_id, min(valid_from) from unit_versions group by unit_id").fetchall())
    for u in today:
        start = first.get(u.id)
        yield (u.code, u.name, u.kind, codes.get(u.parent_id) if u.parent_id is not None else None,
               None if start in (None, units_mod.BEGINNING) else date.fromisoformat(start), u.supervisor_code)


_Sheet = tuple[str, tuple[str, ...], int, Callable[[], Iterator[tuple]]]   # name, headers, rows, rows' source


def _sheets(db) -> list[_Sheet]:
    women_cols = [c for c in WOMEN]
    women_sql = ", ".join("u.code" if c.column == "unit_id" else f"w.{c.column}" for c in women_cols)
    child_sql = ", ".join("w.id_number" if c.column == "mother_id" else f"c.{c.column}" for c in CHILDREN)

    def convert(cols: list[Col] | tuple[Col, ...], rows) -> Iterator[tuple]:
        for r in rows:
            yield tuple(_as_cell(c, v) for c, v in zip(cols, r, strict=True))

    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    out: list[_Sheet] = [("单位", UNIT_HEADERS, count("select count(*) from units"), lambda: _units_rows(db))]
    if count("select count(*) from population_base"):
        out.append(("人口基数", BASE_HEADERS, count("select count(*) from population_base"), lambda: (
            tuple(r) for r in db.execute("select u.code, p.period, p.population, p.deaths from population_base p"
                                         " join units u on u.id = p.unit_id order by u.sort_key, u.code, p.start_date, p.period"))))
    out += [
        ("育龄妇女", tuple(c.header for c in women_cols), count("select count(*) from women"), lambda: convert(
            women_cols, db.execute(f"select {women_sql} from women w join units u on u.id = w.unit_id order by w.id"))),
        ("子女", tuple(c.header for c in CHILDREN), count("select count(*) from children"), lambda: convert(
            CHILDREN, db.execute(f"select {child_sql} from children c join women w on w.id = c.mother_id"
                                 " order by c.mother_id, c.birth_order"))),
        ("节育措施", tuple(c.header for c in MEASURES), count("select count(*) from contraception"), lambda: convert(
            MEASURES, db.execute("select w.id_number, c.method, c.start_date, c.end_date, c.provider from contraception c"
                                 " join women w on w.id = c.woman_id order by c.woman_id, c.start_date, c.id"))),
        ("手术", tuple(c.header for c in PROCEDURES), count("select count(*) from procedures"), lambda: convert(
            PROCEDURES, db.execute("select w.id_number, p.kind, p.date, p.provider from procedures p"
                                   " join women w on w.id = p.woman_id order by p.woman_id, p.date, p.id"))),
    ]
    return out


def export_workbook(ledger: Ledger, path: str | Path, progress: ProgressFn | None = None) -> dict[str, int]:
    """Write the whole ledger to `path` (.xlsx) atomically; returns rows per sheet.

    `progress(done, total, sheet)` is called every 2,000 rows; returning False cancels.
    Reads through `ledger.db` (a `Ledger.worker()` view on a background thread). The file holds
    every full ID number, so it needs `unmask_personal_data`; the export is audited (PIPL).
    """
    from openpyxl import Workbook

    ledger.require("unmask_personal_data")  # every full ID number leaves the office
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserInputError("导出文件名应以 .xlsx 结尾。")
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets = _sheets(ledger.db)
    total = sum(n for _name, _h, n, _rows in sheets)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # Opened first: a folder that cannot be written fails before any row is read; owner-only
        # (0600) from the start, and the rename keeps the mode.
        create_private(temp)
        with open(temp, "wb") as stream:
            workbook = Workbook(write_only=True)
            counts = _write(workbook, sheets, total, progress)
            workbook.save(stream)
        _verify(temp, counts)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    ledger.audit("导出工作簿", "export", path.name, after={"rows": counts})
    return counts


def _write(workbook, sheets, total: int, progress: ProgressFn | None) -> dict[str, int]:
    """Every sheet's rows into the write-only `workbook`; returns rows per sheet."""
    done = 0
    counts: dict[str, int] = {}
    for name, headers, _n, rows in sheets:
        sheet = workbook.create_sheet(name)
        for i, header in enumerate(headers):
            sheet.column_dimensions[_letter(i)].width = 20 if "证件号码" in header else 12
        sheet.freeze_panes = "A2"
        sheet.append(list(headers))
        written = 0
        for values in rows():
            sheet.append(write_only_row(sheet, values))
            written += 1
            done += 1
            if progress and done % 2000 == 0 and progress(done, total, name) is False:
                raise ExportCancelled("导出已取消，未写入文件。")
        counts[name] = written
    return counts


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _verify(temp: Path, counts: dict[str, int]) -> None:
    """Reopen the written file and compare row counts per sheet."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(temp))
    for name, expected in counts.items():
        rows = workbook.get_sheet_by_name(name).to_python()
        found = max(len(rows) - 1, 0)
        if found != expected:
            raise UserInputError(f"导出校验失败：工作表“{name}”应有 {expected} 行，读回 {found} 行；未写入文件。")
