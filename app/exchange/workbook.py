"""The standard import workbook (标准导入模板): reading, per-row validation, all-or-nothing import.

Rules (INTERFACES.md §1):
- Every sheet is optional; row 1 is the header; column order is free; unknown columns are
  ignored with a warning; `*` columns are required.
- Sheets are imported in dependency order (SHEETS below) inside ONE transaction. Every error
  of every row is collected as `sheet!row 列名: 说明`; if there is any, the transaction is
  rolled back and nothing is written.
- Re-importing the same workbook changes nothing: each sheet handler keys its rows and counts
  inserted / updated (with the changed fields) / unchanged.
- Not a workbook, a password-protected file or a legacy .xls get a clear message, told by
  content (`xlsx_guard`), which also checks sizes, extents and text lengths before calamine
  reads anything — and before the '导入前' backup starts, so a refused file leaves nothing.
- A sheet named like a known one (子 女, 手术表, 育齡婦女) is an error naming both; other unknown
  sheets are ignored with a warning (`sheet_names`). A refused import discards its backup.
- Read with python-calamine (fast; PERFORMANCE-NOTES), values normalised in `cells`.
- Streamed (`SheetStream`): one sheet's cells are held at a time, each freed before the next
  is taken, while a helper checks the next sheet (the guard) and calamine parses it (without
  the GIL) — the district workbook imports in ~650 MB instead of ~1.1 GB. The workbook-level
  guard still runs before the backup; a sheet's own guard refusal or missing required column
  still refuses the whole file (only the header issues are listed, as before any row).
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app import text as text_rule
from app.errors import UserInputError
from app.exchange import cells, sheet_names, xlsx_guard

if TYPE_CHECKING:
    from app.ledger import Ledger

ProgressFn = Callable[[int, int, str], bool]
"""progress(done_rows, total_rows, sheet) -> False to cancel."""


class ImportCancelled(Exception):
    """The user cancelled; the transaction is rolled back."""


@dataclass
class ImportIssue:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet if self.row is None else f"{self.sheet}!{self.row}"
        return f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


SHOWN_ERRORS = 50
"""How many errors a message lists; `ImportFailed.errors` always holds every one."""


class ImportFailed(UserInputError):
    """Raised with every error found (`errors`); nothing was written. The message lists the
    first SHOWN_ERRORS and says how many more there are."""

    def __init__(self, errors: list[ImportIssue]) -> None:
        self.errors = errors
        super().__init__(self.listing())

    def listing(self, shown: int = SHOWN_ERRORS, hint: str = "") -> str:
        """The count, the first `shown` errors, and — when there are more — how many, followed
        by `hint` (how the caller's user sees them all, e.g. "；用 --json 查看全部")."""
        head = "\n".join(str(e) for e in self.errors[:shown])
        rest = len(self.errors) - shown
        more = f"\n还有 {rest} 条错误未显示{hint}" if rest > 0 else ""
        return f"导入失败，未写入任何数据。发现 {len(self.errors)} 处错误：\n{head}{more}"

    def as_json(self, exit_code: int) -> dict:
        """The refused command's JSON document (INTERFACES.md §2), with every error."""
        return {"ok": False, "exit_code": exit_code, "error": f"导入失败，未写入任何数据。发现 {len(self.errors)} 处错误",
                "error_count": len(self.errors), "errors": [str(e) for e in self.errors]}


@dataclass
class SheetSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    updates: list[str] = field(default_factory=list)  # "key: 字段 旧值 → 新值"

    def as_dict(self) -> dict:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "updates": self.updates}


@dataclass
class ImportResult:
    file_sha256: str
    sheets: dict[str, SheetSummary] = field(default_factory=dict)
    warnings: list[ImportIssue] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file_sha256": self.file_sha256,
                "sheets": {name: s.as_dict() for name, s in self.sheets.items()},
                "warnings": [str(w) for w in self.warnings]}


class Sheet:
    """One read sheet. `rows` — (Excel row number, column name -> raw value) for every
    non-blank row — is built on first use when the sheet was read into `grid` — (Excel row
    number, raw cells in header order) — so a column-wise reader can skip the dicts."""

    def __init__(self, name: str, header: list[str], rows: list[tuple[int, dict[str, Any]]] | None = None,
                 grid: list[tuple[int, list]] | None = None) -> None:
        self.name, self.header, self.grid = name, header, grid
        self._rows = rows if rows is not None or grid is not None else []
        self.on_release: Callable[[], None] | None = None   # told when the cells are dropped

    @property
    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        if self._rows is None:
            self._rows = _data_rows(self.header, self.grid or [])
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows) if self._rows is not None else len(self.grid or [])

    def release(self) -> None:
        """Drop the cells once the sheet's handler is done with them, so their memory (1.7
        million strings for 100,000 × 17 cells) is freed then — e.g. on this thread while a
        helper rebuilds indexes — rather than at the end of the import. The sheet then has
        no rows. A streaming reader (`SheetStream`) then starts on the next sheet."""
        self.grid, self._rows = None, []
        if self.on_release is not None:
            self.on_release()


class Row:
    """One data row with typed readers; each failed read records an issue and returns None."""

    def __init__(self, sheet: str, number: int, values: dict[str, Any], issues: list[ImportIssue]) -> None:
        self.sheet, self.number, self.values = sheet, number, values
        self._issues = issues
        self.ok = True

    def error(self, column: str | None, message: str) -> None:
        self.ok = False
        self._issues.append(ImportIssue(self.sheet, self.number, column, message))

    def _refused(self, column: str, value: str | None) -> bool:
        """Refuse text with a control character (`app.text`): an error naming the column."""
        found = text_rule.problem(value)
        if found is not None:
            self.error(column, f"{found}，请删除后再导入")
            return True
        return False

    def _required(self, column: str, value: Any, required: bool) -> bool:
        if value is None and required:
            self.error(column, "必填项为空")
            return False
        return value is not None

    def text(self, column: str, required: bool = False, max_length: int = 200) -> str | None:
        value = cells.text(self.values.get(column))
        if self._refused(column, value):
            return None
        if self._required(column, value, required) and value is not None and len(value) > max_length:
            self.error(column, f"内容过长（最多 {max_length} 个字）")
            return None
        return value

    def date(self, column: str, required: bool = False, allow_future: bool = False,
             today: date | None = None) -> date | None:
        try:
            value = cells.parse_date(self.values.get(column))
        except cells.CellError as exc:
            self.error(column, str(exc))
            return None
        if not self._required(column, value, required) or value is None:
            return None
        if not allow_future and value > (today or date.today()):
            self.error(column, f"{value.isoformat()} 是将来的日期")
            return None
        if value.year < 1900:
            self.error(column, f"{value.isoformat()} 早于 1900 年")
            return None
        return value

    def integer(self, column: str, required: bool = False, minimum: int | None = None) -> int | None:
        try:
            value = cells.integer(self.values.get(column))
        except cells.CellError as exc:
            self.error(column, str(exc))
            return None
        if self._required(column, value, required) and value is not None and minimum is not None \
                and value < minimum:
            self.error(column, f"应不小于 {minimum}")
            return None
        return value

    def choice(self, column: str, options: dict[str, str] | list[str] | tuple[str, ...],
               required: bool = False) -> str | None:
        """A coded value; `options` maps accepted spellings to the stored value."""
        value = cells.text(self.values.get(column))
        if self._refused(column, value) or not self._required(column, value, required):
            return None
        mapping = options if isinstance(options, dict) else {o: o for o in options}
        if value not in mapping:
            shown = "、".join(dict.fromkeys(mapping.values()))
            self.error(column, f"“{value}”不是有效值，应为：{shown}")
            return None
        return mapping[value]

    def id_number(self, column: str, required: bool = False) -> str | None:
        try:
            value = cells.id_number_text(self.values.get(column))
        except cells.CellError as exc:
            self.error(column, str(exc))
            return None
        if self._refused(column, value):
            return None
        self._required(column, value, required)
        return value


@dataclass
class ImportContext:
    db: sqlite_utils.Database
    actor: str
    issues: list[ImportIssue]
    warnings: list[ImportIssue]
    result: ImportResult
    progress: ProgressFn | None = None
    done_rows: int = 0
    total_rows: int = 0
    state: dict[str, Any] = field(default_factory=dict)  # shared between sheet handlers
    # Run after every sheet's handler, before the errors are counted (e.g. the registry's notes
    # on rows that depend on a 育龄妇女 row with an error, which later sheets add to).
    closing: list[Callable[[], None]] = field(default_factory=list)

    def rows(self, sheet: Sheet) -> Iterator[Row]:
        """Iterate a sheet's rows, reporting progress and honouring cancel every 500 rows."""
        for number, values in sheet.rows:
            self.done_rows += 1
            if self.progress and self.done_rows % 500 == 0 and self.progress(self.done_rows, self.total_rows, sheet.name) is False:
                raise ImportCancelled()
            yield Row(sheet.name, number, values, self.issues)

    def summary(self, sheet: str) -> SheetSummary:
        return self.result.sheets.setdefault(sheet, SheetSummary())


Handler = Callable[[ImportContext, Sheet], None]


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[str, ...]   # every known column; required ones end in '*'
    handler: Handler

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.rstrip("*") for c in self.columns if c.endswith("*"))

    @property
    def known(self) -> set[str]:
        return {c.rstrip("*") for c in self.columns}


def sheet_specs() -> list[SheetSpec]:
    """Every sheet the workbook knows, in import order (parents before what refers to them).

    Each domain module defines its SPEC; add new sheets here, in dependency order.
    """
    from app.exchange import population_sheet, registry_sheets, roster_sheet, units_sheet

    specs = [units_sheet.SPEC, population_sheet.SPEC, *registry_sheets.SPECS, roster_sheet.SPEC]
    from app.exchange import manual_ledger_sheet
    specs.append(manual_ledger_sheet.SPEC)
    return specs


def check_file_kind(path: Path) -> None:
    """Refuse what is not an .xlsx workbook, told by content (`xlsx_guard.check_file_kind`)."""
    xlsx_guard.check_file_kind(path)


def read_workbook(path: Path, names: set[str] | None = None, ignored: list[str] | None = None,
                  inspection: xlsx_guard.Inspection | None = None) -> dict[str, Sheet]:
    """Read the sheets in `names` (stripped names; None: all) of an .xlsx with calamine, after
    the pre-read guard (`xlsx_guard`; pass its `inspection` when already run) has vouched for
    them; header cells are normalised text. With `names`, a sheet named like one of them is
    refused (`sheet_names.check`) and the other unknown sheets are added to `ignored`.
    Every sheet is held at once: for small files (attendance, surveys); the registry import
    streams (`SheetStream`)."""
    path = Path(path)
    workbook, inspection = xlsx_guard.open_workbook(path, names, inspection)
    if names is not None:
        unknown = sheet_names.check(inspection.sheet_names, names, inspection.empty)
        if ignored is not None:
            ignored.extend(unknown)
    sheets: dict[str, Sheet] = {}
    for sheet_name in workbook.sheet_names:
        clean = sheet_name.strip()
        if names is not None and clean not in names:
            continue
        sheet = _as_sheet(clean, _parse_sheet(workbook, sheet_name))
        if sheet is not None:
            sheets[clean] = sheet
    return sheets


def _parse_sheet(workbook, sheet_name: str):
    """calamine's parse of one sheet (its cells held by calamine, not yet Python objects)."""
    try:
        return workbook.get_sheet_by_name(sheet_name)
    except Exception:  # noqa: BLE001 - calamine's own types, with English text
        raise _unreadable(sheet_name) from None


def _unreadable(sheet_name: str) -> UserInputError:
    return UserInputError(f"工作表“{sheet_name.strip()}”无法读取（内容已损坏）。未导入任何数据。")


def _as_sheet(clean: str, parsed) -> Sheet | None:
    """A parsed sheet as a `Sheet` (None when it has no rows); calamine's copy is dropped by
    the caller once this returns."""
    try:
        data = parsed.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - calamine's own types, with English text
        raise _unreadable(clean) from None
    if not data:
        return None
    header = [(cells.text(h) or "").rstrip("*").strip() for h in data[0]]
    return Sheet(clean, header, grid=_grid(data))


class SheetStream:
    """The sheets `wanted` (names as written in the workbook, in the order they are to be
    handled) read one at a time, each vouched for by the pre-read guard before calamine
    parses it — so an import holds one sheet's cells at a time instead of all of them.

    Rules:
    - `inspection` comes from `xlsx_guard.inspect_workbook` (the zip, the workbook and the
      shared strings checked; the sheets pending). A guard thread checks the sheets in order
      (`xlsx_guard.check_sheet`); a reader thread parses sheet k with calamine (in Rust,
      without the GIL) once the guard has passed it and the consumer has released sheet k-1
      (`Sheet.release`, or asking for sheet k) — so the next sheet is checked and parsed while
      the current one is handled, and at most one sheet's cells are Python objects at a time.
    - `take(k)` returns sheet k as a `Sheet` (None when it has no rows); it raises the guard's
      refusal as soon as the guard has refused any sheet (the first in order), and a sheet
      calamine could not read when that sheet is taken.
    - `close()` stops both threads and waits for them (a parse under way is finished first)."""

    def __init__(self, path: Path, inspection: xlsx_guard.Inspection, wanted: list[str]) -> None:
        self._path, self._inspection, self._wanted = Path(path), inspection, list(wanted)
        self._lock = threading.Condition()
        self._guarded = 0                  # sheets the guard has passed, in order
        self._refusal: BaseException | None = None
        self._released = 0                 # the consumer is done with the sheets before this index
        self._parsed: dict[int, Any] = {}  # index -> calamine sheet, or the exception it raised
        self._stop = False
        self._workbook = None
        self._threads = [threading.Thread(target=self._guard, name="xlsx-guard", daemon=True),
                         threading.Thread(target=self._read, name="xlsx-read", daemon=True)]
        for thread in self._threads:
            thread.start()

    def _guard(self) -> None:
        try:
            with xlsx_guard.open_archive(self._path) as archive:
                for name in self._wanted:
                    if self._stop:
                        return
                    xlsx_guard.check_sheet(self._path, self._inspection, name, archive)
                    with self._lock:
                        self._guarded += 1
                        self._lock.notify_all()
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            with self._lock:
                self._refusal = exc
                self._lock.notify_all()

    def _read(self) -> None:
        try:
            workbook, _ = xlsx_guard.open_workbook(self._path, None, self._inspection)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            with self._lock:
                self._parsed[0] = exc
                self._lock.notify_all()
            return
        self._workbook = workbook
        for index, name in enumerate(self._wanted):
            with self._lock:
                def ready(i: int = index) -> bool:
                    return self._stop or self._refusal is not None or (self._guarded > i and self._released >= i)

                self._lock.wait_for(ready)
                if self._stop or self._refusal is not None or self._guarded <= index:
                    return
            try:
                parsed: Any = _parse_sheet(workbook, name)
            except BaseException as exc:  # noqa: BLE001 - raised when the consumer takes this sheet
                parsed = exc
            failed = isinstance(parsed, BaseException)
            with self._lock:
                self._parsed[index] = parsed
                self._lock.notify_all()
            del parsed   # the consumer's, and dropped as soon as it has made Python objects of it
            if failed:
                return

    @property
    def path(self) -> Path:
        return self._path

    def estimated_rows(self, index: int) -> int:
        """Data rows of sheet `index` as its declared dimension tells (0 when unknown)."""
        return max(self._inspection.declared_rows.get(self._wanted[index], 0) - 1, 0)

    def release(self, index: int) -> None:
        """The consumer is done with sheet `index`'s cells: the next sheet may be parsed."""
        with self._lock:
            if self._released < index + 1:
                self._released = index + 1
                self._lock.notify_all()

    def take(self, index: int) -> Sheet | None:
        self.release(index - 1)
        with self._lock:
            self._lock.wait_for(lambda: self._refusal is not None or index in self._parsed)
            if self._refusal is not None:
                raise self._refusal
            parsed = self._parsed.pop(index)
        if isinstance(parsed, BaseException):
            raise parsed
        sheet = _as_sheet(self._wanted[index].strip(), parsed)
        del parsed   # calamine's copy of the cells, now Python objects
        if sheet is not None:
            sheet.on_release = lambda: self.release(index)
        return sheet

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        for thread in self._threads:
            thread.join()
        self._parsed.clear()
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def _grid(data: list[list]) -> list[tuple[int, list]]:
    """(Excel row number, raw cells) of every row that is not blank. A row whose first cell is
    text with something in it is not blank without looking further (the common case)."""
    blank = cells.is_blank
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [(offset, raw) for offset, raw in enumerate(data[1:], start=2)
                if (raw and raw[0].__class__ is str and not raw[0].isspace() and raw[0])
                or not all(map(blank, raw))]
    finally:
        if enabled:
            gc.enable()


def _data_rows(header: list[str], grid: list[tuple[int, list]]) -> list[tuple[int, dict[str, Any]]]:
    """(Excel row number, header -> value) for the grid's rows. Built with the cyclic GC paused
    (100,000 rows allocate no cycles; measured ~2x faster) and `dict(zip())` when every header
    cell is named (the same dict as the filtering comprehension)."""
    named = all(header)
    enabled = gc.isenabled()
    gc.disable()
    try:
        if named:
            return [(offset, dict(zip(header, raw, strict=False))) for offset, raw in grid]
        return [(offset, {h: v for h, v in zip(header, raw, strict=False) if h}) for offset, raw in grid]
    finally:
        if enabled:
            gc.enable()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk work that allocates hundreds of thousands
    of tuples, lists and dicts and makes no reference cycles (collections there only cost
    time: measured 0.11–0.16 s of a 100,000-women import). Nested pauses keep it paused; the
    outermost restores what it found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_workbook(ledger: Ledger, path: str | Path, progress: ProgressFn | None = None) -> ImportResult:
    """Import the standard workbook into `ledger` all-or-nothing; raises ImportFailed.

    The ledger is backed up first ('导入前'). One audit entry records the file's SHA-256 and
    the counts; sheet handlers add one entry per updated record with before/after.

    Runs with the cyclic GC paused (`gc_paused`); the sheets and the handlers' state are
    locals of `_import_workbook`, so they are freed by reference counting before the collector
    resumes and it finds only the small result to look at.
    """
    ledger.require("import_workbook")
    with gc_paused():
        return _import_workbook(ledger, Path(path), progress)


def _import_workbook(ledger: Ledger, path: Path, progress: ProgressFn | None) -> ImportResult:
    specs = sheet_specs()
    by_name = {spec.name: spec for spec in specs}
    # calamine parses without the GIL: load the pinyin dictionaries meanwhile (cold process only).
    from app import pinyin

    warming = threading.Thread(target=pinyin.warm_up, name="pinyin-warm-up", daemon=True)
    warming.start()
    # The workbook-level guard and the sheet names come first, so a refused file starts no
    # backup. The '导入前' backup is then taken while the first sheets are checked and parsed
    # (a district ledger: ~0.3 s), and dropped again when the file cannot be imported.
    inspection = xlsx_guard.inspect_workbook(path, set(by_name))
    ignored = sheet_names.check(inspection.sheet_names, set(by_name), inspection.empty)
    # The sheets in dependency order (a name written twice: the workbook's last one, as before).
    written = {name.strip(): name for name in inspection.sheet_names if name.strip() in by_name}
    present = [spec for spec in specs if spec.name in written]
    file_order = {name.strip(): i for i, name in enumerate(inspection.sheet_names)}
    stream = SheetStream(path, inspection, [written[spec.name] for spec in present])
    backup = None
    try:
        backup = ledger.backup_beside("导入前")
        result = ImportResult(file_sha256(path))
        result.warnings.extend(ImportIssue(name, None, None, sheet_names.unknown_warning(name, by_name))
                               for name in ignored)
        issues: list[ImportIssue] = []
        context = ImportContext(ledger.db, ledger.actor_name, issues, result.warnings, result, progress,
                                total_rows=sum(map(stream.estimated_rows, range(len(present)))))
        warming.join()
        backup.copied()   # its verification runs on beside the import, and is waited for before the commit
        with ledger.write():
            _handle_sheets(context, stream, present, file_order)
            for close in context.closing:
                close()
            if issues:
                raise ImportFailed(sorted(issues, key=_issue_order(specs)))
            _analyze_after_import(ledger.db, context.state.get("analyzed", set()))
            backup.wait()   # a backup that fails its check refuses the import: nothing is written
            from app import audit

            audit.record(ledger.db, ledger.actor_name, "导入工作簿", "import", path.name,
                         after=result.as_dict() | {"sheets": {k: {kk: vv for kk, vv in v.as_dict().items() if kk != "updates"}
                                                              for k, v in result.sheets.items()}})
    except ImportCancelled:
        if backup is not None:
            backup.discard()
        raise UserInputError("导入已取消，未写入任何数据。") from None
    except BaseException:  # nothing was written: the backup would only push an older one out
        if backup is not None:
            backup.discard()
        raise
    finally:
        stream.close()
    backup.keep()
    ledger.checkpoint(truncate=True)
    return result


class _HeaderFailed(Exception):
    """A sheet lacks a required column: only the header issues are reported (as before rows)."""


def _handle_sheets(context: ImportContext, stream: SheetStream, present: list[SheetSpec],
                   file_order: dict[str, int]) -> None:
    """Take each sheet from `stream` and run its handler, in dependency order, freeing its cells
    before the next is taken. A sheet missing a required column stops the handlers: the rest
    are still read for their headers, and the import fails with every header issue alone (the
    row errors found so far are dropped, as when the headers were checked before any row)."""
    header_issues: list[ImportIssue] = []
    read = 0
    for index, spec in enumerate(present):
        sheet = stream.take(index)
        if sheet is None:
            continue
        read += 1
        context.total_rows += sheet.row_count - stream.estimated_rows(index)
        for column in sheet.header:
            if column and column not in spec.known:
                context.result.warnings.append(ImportIssue(sheet.name, 1, column, "不认识的列，已忽略"))
        header_issues += [ImportIssue(sheet.name, 1, column, "缺少必填列")
                          for column in spec.required if column not in sheet.header]
        if header_issues:
            sheet.release()
            continue
        context.summary(spec.name)
        spec.handler(context, sheet)
        sheet.release()
    if not read:
        names = "、".join(spec.name for spec in sheet_specs())
        raise UserInputError(f"“{stream.path.name}”中没有可导入的工作表（应为：{names}）。")
    if header_issues:
        raise ImportFailed(sorted(header_issues, key=lambda issue: file_order.get(issue.sheet, 0)))


def _analyze_after_import(db, analyzed: set[str]) -> None:
    """Fresh planner statistics after an import: ANALYZE every table but those a bulk insert of
    this import already analysed after its last write (`analyzed`)."""
    if not analyzed:
        db.execute("analyze")
        return
    for (table,) in db.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
                               " and sql not like 'create virtual%' collate nocase").fetchall():
        if table not in analyzed:
            db.execute(f'analyze main."{table}"')


def _issue_order(specs: list[SheetSpec]) -> Callable[[ImportIssue], tuple]:
    order = {spec.name: i for i, spec in enumerate(specs)}
    return lambda issue: (order.get(issue.sheet, 99), issue.row or 0)
