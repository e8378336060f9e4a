"""What every sheet of the standard import workbook stands on (app/exchange/workbook.py imports
them in order): the row and sheet values (`Sheet`, `Row`), the context a handler writes into
(`ImportContext`), a sheet's `SheetSpec`, the issues and the refusal (`ImportIssue`,
`ImportFailed`), the result, and the streamed reading of the file (`SheetStream`,
`read_workbook`). Below the sheet modules (units_sheet, population_sheet, registry_sheets,
roster_sheet, manual_ledger_sheet) and workbook.py; imports neither. The workbook's rules are
in app/exchange/workbook.py's docstring.
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
from typing import Any

import sqlite_utils

from app import text as text_rule
from app.errors import UserInputError
from app.exchange import cells, sheet_names, xlsx_guard

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
