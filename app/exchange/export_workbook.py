"""`fpledger export-workbook` and 文件 › 导出全部数据: the whole ledger in the standard workbook
format (round trip).

Sheets: 单位, 人口基数 (when the ledger has rows), 育龄妇女, 子女, 节育措施, 手术 — the same
columns the import reads (app/exchange/registry_sheets.py), so importing the file into an
empty ledger gives the same ledger. Rules and choices:
- Written with xlsxwriter in `constant_memory` mode (rows streamed to scratch files in a private
  temporary folder, memory bounded whatever the ledger's size; PERFORMANCE-NOTES: the fastest
  well-kept writer), to a temporary file beside the target, checked, then moved into place with
  `os.replace`. A cancelled or failed export leaves neither the target nor any temporary file.
- `progress(done, total, text) -> bool` is called every 2,000 rows and between the phases
  (rows, saving, checking); False cancels: the rows phase stops at once, a cancel pressed while
  xlsxwriter assembles the file takes effect when it has finished (it cannot be interrupted).
- The check is streaming and cheap (a few % of the export, not a re-read of every cell):
  every zip member is read back through its CRC, and the `<row` elements of each worksheet
  are counted against the rows written. It catches a short or damaged file (disk full, a USB
  stick pulled) without holding the workbook in memory.
- ID numbers and phones are written as text cells; dates as Excel dates (yyyy-mm-dd), the
  serial computed by SQLite from the stored ISO text; a stored date that is not a canonical
  ISO date is written as the text it is (the import then reports it, nothing is lost). Every
  string goes through `app.text_cells.write_row`/`write_text` (a text cell even when it starts
  with `=`; illegal characters as U+FFFD).
- Units: one row per unit existing today, with its current name and parent and, as 生效日期,
  the first day of its earliest version. The unit history (renames, moves) and dissolved units
  are not carried by the workbook (a backup carries everything).
- The export is audited (one entry with the file name and counts).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app import units as units_mod
from app.atomic import commit
from app.errors import UserInputError
from app.exchange.registry_sheets import CHILDREN, MEASURES, PROCEDURES, WOMEN, Col
from app.private_files import create_private
from app.text_cells import write_row, write_text

if TYPE_CHECKING:
    from app.ledger import Ledger

ProgressFn = Callable[[int, int, str], bool]
UNIT_HEADERS = ("单位代码", "单位名称", "单位类型", "上级单位代码", "生效日期", "主管单位代码")
BASE_HEADERS = ("单位代码", "统计期", "总人口", "死亡人数")
PROGRESS_EVERY = 2000
# Progress units of the phases after the rows, as shares of the row count (measured on the
# district demo, 2026-12: rows 25.7 s, xlsxwriter's assembly 4.5 s, the check 1.1 s).
SAVE_SHARE, CHECK_SHARE = 0.18, 0.045
DATE_FORMAT = "yyyy-mm-dd"
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


class ExportCancelled(UserInputError):
    """The user cancelled; no file was written."""


def _date_sql(expr: str) -> str:
    """The Excel serial of a canonical ISO date (Excel's 1900 leap-day quirk included, as
    xlsxwriter does it), else the stored text itself."""
    return (f"(case when date({expr}, '+0 days') = {expr} then cast(julianday({expr}) - "
            f"(case when {expr} >= '1900-03-01' then 2415018.5 else 2415019.5 end) as integer) else {expr} end)")


def _serial(day: date) -> int:
    serial = day.toordinal() - _EXCEL_EPOCH
    return serial if serial >= 61 else serial - 1


def _select(cols: Iterable[Col], source: Callable[[Col], str]) -> str:
    out = []
    for c in cols:
        expr = source(c)
        if c.kind == "date":
            expr = _date_sql(expr)
        elif c.kind == "bool":
            expr = f"(case when {expr} then '是' end)"
        out.append(expr)
    return ", ".join(out)


def _units_rows(db) -> Iterator[tuple]:
    today = units_mod.units_on(db)
    codes = {u.id: u.code for u in today}
    first = dict(db.execute("select unit_id, min(valid_from) from unit_versions group by unit_id").fetchall())
    for u in today:
        start = first.get(u.id)
        yield (u.code, u.name, u.kind, codes.get(u.parent_id) if u.parent_id is not None else None,
               None if start in (None, units_mod.BEGINNING) else _serial(date.fromisoformat(start)), u.supervisor_code)


Sheet = tuple[str, tuple[str, ...], tuple[bool, ...], int, Callable[[], Iterator[tuple]]]


def _sheets(db) -> list[Sheet]:
    """(name, headers, date column flags, row count, rows) per sheet, in the workbook's order."""
    women_sql = _select(WOMEN, lambda c: "u.code" if c.column == "unit_id" else f"w.{c.column}")
    child_sql = _select(CHILDREN, lambda c: "w.id_number" if c.column == "mother_id" else f"c.{c.column}")
    measure_sql = _select(MEASURES, lambda c: "w.id_number" if c.column == "woman_id" else f"c.{c.column}")
    procedure_sql = _select(PROCEDURES, lambda c: "w.id_number" if c.column == "woman_id" else f"p.{c.column}")

    def dates(cols) -> tuple[bool, ...]:
        return tuple(c.kind == "date" for c in cols)

    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    rows = lambda sql: lambda: db.execute(sql)  # noqa: E731
    out: list[Sheet] = [("单位", UNIT_HEADERS, (False,) * 4 + (True, False), count("select count(*) from units"),
                         lambda: _units_rows(db))]
    if count("select count(*) from population_base"):
        out.append(("人口基数", BASE_HEADERS, (False,) * 4, count("select count(*) from population_base"), rows(
            "select u.code, p.period, p.population, p.deaths from population_base p"
            " join units u on u.id = p.unit_id order by u.sort_key, u.code, p.start_date, p.period")))
    out += [
        ("育龄妇女", tuple(c.header for c in WOMEN), dates(WOMEN), count("select count(*) from women"), rows(
            f"select {women_sql} from women w join units u on u.id = w.unit_id order by w.id")),
        ("子女", tuple(c.header for c in CHILDREN), dates(CHILDREN), count("select count(*) from children"), rows(
            f"select {child_sql} from children c join women w on w.id = c.mother_id order by c.mother_id, c.birth_order")),
        ("节育措施", tuple(c.header for c in MEASURES), dates(MEASURES), count("select count(*) from contraception"), rows(
            f"select {measure_sql} from contraception c join women w on w.id = c.woman_id"
            " order by c.woman_id, c.start_date, c.id")),
        ("手术", tuple(c.header for c in PROCEDURES), dates(PROCEDURES), count("select count(*) from procedures"), rows(
            f"select {procedure_sql} from procedures p join women w on w.id = p.woman_id"
            " order by p.woman_id, p.date, p.id")),
    ]
    return out


def export_workbook(ledger: Ledger, path: str | Path, progress: ProgressFn | None = None) -> dict[str, int]:
    """Write the whole ledger to `path` (.xlsx) atomically; returns rows per sheet.

    `progress(done, total, text)` is called along the way; returning False cancels (ExportCancelled;
    nothing is left on disk). Reads through `ledger.db` (a `Ledger.worker()` view on a background
    thread). The file holds every full ID number, so it needs `unmask_personal_data`; the export
    is audited (PIPL).
    """
    import xlsxwriter

    ledger.require("unmask_personal_data")  # every full ID number leaves the office
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserInputError("导出文件名应以 .xlsx 结尾。")
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets = _sheets(ledger.db)
    rows_total = sum(n for _name, _h, _d, n, _rows in sheets)
    plan = _Plan(rows_total, progress)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch = tempfile.mkdtemp(prefix="fpledger-export-")
    workbook = None
    try:
        # Opened first: a folder that cannot be written fails before any row is read; owner-only
        # (0600) from the start, and the rename keeps the mode.
        create_private(temp)
        with open(temp, "wb") as stream:
            workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "tmpdir": scratch, "use_zip64": True})
            counts = _write(workbook, sheets, plan)
            plan.step(rows_total, "正在保存文件")
            _close(workbook)
        plan.step(plan.saved, "正在校验")
        _verify(temp, counts, plan)
        plan.step(plan.total, "")
        commit(temp, path)  # fsync, rename, fsync the folder (app.atomic)
    finally:
        if workbook is not None and not workbook.fileclosed:
            for sheet in workbook.worksheets():
                sheet._opt_close()   # xlsxwriter's own: closes the scratch file so the folder can go
        shutil.rmtree(scratch, ignore_errors=True)
        temp.unlink(missing_ok=True)
    ledger.audit("导出工作簿", "export", path.name, after={"rows": counts})
    return counts


def _close(workbook) -> None:
    """xlsxwriter's `close()`, its wrapped OS error (disk full, folder gone) unwrapped again so
    the CLI and the window word it as every other file error (app.os_errors).

    A failing `close()` leaves xlsxwriter's ZipFile open on our stream, alive in the error's
    traceback; when it is collected later it would try to finish the zip in the closed stream
    ("Exception ignored in ZipFile.__del__" on the clerk's screen). The file is discarded, so
    that ZipFile is told it has nothing left to write (`fp = None`, ZipFile's own "closed")."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        workbook.close()
    except BaseException as exc:
        _abandon_zip_files(exc)
        if not isinstance(exc, FileCreateError):
            raise
        cause = exc.args[0] if exc.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


def _abandon_zip_files(exc: BaseException | None) -> None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                if isinstance(value, zipfile.ZipFile):
                    value.fp = None
            tb = tb.tb_next
        exc = exc.__context__


class _Plan:
    """The export's progress scale: the rows, then the save and the check as shares of them."""

    def __init__(self, rows: int, progress: ProgressFn | None) -> None:
        self.rows, self.progress = rows, progress
        self.saved = rows + round(rows * SAVE_SHARE)
        self.total = self.saved + round(rows * CHECK_SHARE)

    def step(self, done: int, text: str) -> None:
        if self.progress is not None and self.progress(done, self.total, text) is False:
            raise ExportCancelled("导出已取消，未写入文件。")


def _write(workbook, sheets: list[Sheet], plan: _Plan) -> dict[str, int]:
    """Every sheet's rows into the constant-memory `workbook`; returns rows per sheet."""
    date_format = workbook.add_format({"num_format": DATE_FORMAT})
    done = 0
    counts: dict[str, int] = {}
    for name, headers, is_date, _n, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for column, header in enumerate(headers):
            sheet.set_column(column, column, 20 if "证件号码" in header else 12)
        sheet.freeze_panes(1, 0)
        for column, header in enumerate(headers):
            write_text(sheet, 0, column, header)
        formats = [date_format if flag else None for flag in is_date]
        row = 0
        for row, values in enumerate(rows(), start=1):
            write_row(sheet, row, values, formats)
            if row % PROGRESS_EVERY == 0:
                plan.step(done + row, name)
        done += row
        counts[name] = row
    return counts


def _verify(temp: Path, counts: dict[str, int], plan: _Plan) -> None:
    """Read every member back through its CRC; count each worksheet's rows (header included)."""
    expected = {f"xl/worksheets/sheet{i}.xml": (name, n + 1) for i, (name, n) in enumerate(counts.items(), start=1)}
    try:
        with zipfile.ZipFile(temp) as archive:
            members = archive.infolist()
            size, read = max(sum(m.file_size for m in members), 1), 0
            for member in members:
                found = _count_rows(archive, member)
                read += member.file_size
                if member.filename in expected:
                    name, wanted = expected[member.filename]
                    if found != wanted:
                        raise UserInputError(f"导出校验失败：工作表“{name}”应有 {wanted - 1} 行，"
                                             f"读回 {found - 1} 行；未写入文件。")
                plan.step(plan.saved + (plan.total - plan.saved) * read // size, "正在校验")
    except zipfile.BadZipFile as exc:
        raise UserInputError(f"导出校验失败：写出的文件已损坏（{exc}）；未写入文件。") from None


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """`<row ` elements in a member, read in 1 MB pieces (the CRC is checked at its end)."""
    found, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            found += block.count(b"<row ")
            tail = block[-4:]   # shorter than the pattern: a match is never counted twice
    return found
