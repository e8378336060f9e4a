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
- The pieces the sheets stand on (Sheet, Row, ImportContext, SheetSpec, ImportIssue,
  ImportFailed, SheetStream, …) are app/exchange/import_base.py's, re-exported here.
- Streamed (`SheetStream`): one sheet's cells are held at a time, each freed before the next
  is taken, while a helper checks the next sheet (the guard) and calamine parses it (without
  the GIL) — the district workbook imports in ~650 MB instead of ~1.1 GB. The workbook-level
  guard still runs before the backup; a sheet's own guard refusal or missing required column
  still refuses the whole file (only the header issues are listed, as before any row).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserInputError
from app.exchange import (
    manual_ledger_sheet,
    population_sheet,
    registry_sheets,
    roster_sheet,
    sheet_names,
    units_sheet,
    xlsx_guard,
)
from app.exchange.import_base import SHOWN_ERRORS as SHOWN_ERRORS
from app.exchange.import_base import ImportCancelled as ImportCancelled
from app.exchange.import_base import ImportContext as ImportContext
from app.exchange.import_base import ImportFailed as ImportFailed
from app.exchange.import_base import ImportIssue as ImportIssue
from app.exchange.import_base import ImportResult as ImportResult
from app.exchange.import_base import ProgressFn as ProgressFn
from app.exchange.import_base import Row as Row
from app.exchange.import_base import Sheet as Sheet
from app.exchange.import_base import SheetSpec as SheetSpec
from app.exchange.import_base import SheetStream as SheetStream
from app.exchange.import_base import SheetSummary as SheetSummary
from app.exchange.import_base import check_file_kind as check_file_kind
from app.exchange.import_base import file_sha256 as file_sha256
from app.exchange.import_base import gc_paused as gc_paused
from app.exchange.import_base import read_workbook as read_workbook

if TYPE_CHECKING:
    from app.ledger import Ledger


def sheet_specs() -> list[SheetSpec]:
    """Every sheet the workbook knows, in import order (parents before what refers to them).

    Each domain module defines its SPEC; add new sheets here, in dependency order.
    """
    return [units_sheet.SPEC, population_sheet.SPEC, *registry_sheets.SPECS, roster_sheet.SPEC,
            manual_ledger_sheet.SPEC]


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
