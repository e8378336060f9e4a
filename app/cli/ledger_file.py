"""The ledger file itself: `init`, `backup FILE`, `restore FILE`, `import FILE` (INTERFACES.md §2).

`restore` logs in to the ledger it replaces; when that ledger cannot be opened (damaged or
missing) the backup's own accounts decide (app.safekeeping).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    ALL_ERRORS_HINT,
    CHANNEL,
    EXIT_BAD_INPUT,
    EXIT_OK,
    emit,
    emit_import_result,
    ledger_path,
    open_ledger,
    password,
)
from app.cli.progress import terminal_progress
from app.errors import LedgerDamaged, UserInputError
from app.ledger import Ledger


def _cmd_init(args: argparse.Namespace) -> int:
    path = ledger_path(args)
    with Ledger.create(path, args.office, args.stat_year_start) as ledger:
        emit(args, {"path": str(path), "ledger_id": ledger.ledger_id, "office": ledger.office_name,
                    "stat_year_start": ledger.stat_year_start},
             f"已新建台帐：{path}\n单位：{ledger.office_name}，统计年度自 {ledger.stat_year_start} 月起")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.safekeeping import back_up

    with open_ledger(args) as ledger:
        result = back_up(ledger, Path(args.file))
    emit(args, {"backup": str(result.path)}, f"已备份到：{result.path}（已校验完好）")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.safekeeping import restore_open_ledger, restore_unopenable

    path = ledger_path(args)
    try:
        ledger = open_ledger(args, daily_backup=False)
    except (LedgerDamaged, UserInputError) as exc:   # damaged or missing: the backup's accounts decide
        if isinstance(exc, UserInputError) and path.exists():
            raise
        name = getattr(args, "user", None)
        safety = restore_unopenable(path, Path(args.file), name, lambda: password(name or ""), CHANNEL)
    else:
        safety = restore_open_ledger(ledger, Path(args.file))
    emit(args, {"restored_from": args.file, "previous_saved_as": str(safety)},
         f"已从“{args.file}”恢复台帐。恢复前的台帐已另存为：{safety}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.exchange.workbook import ImportFailed, import_workbook

    with open_ledger(args) as ledger:
        try:
            with terminal_progress(args, "导入", cancellable=True) as progress:
                result = import_workbook(ledger, Path(args.file), progress)
        except ImportFailed as exc:
            emit(args, exc.as_json(EXIT_BAD_INPUT), exc.listing(hint=ALL_ERRORS_HINT))
            return EXIT_BAD_INPUT
    return emit_import_result(args, f"导入完成：{args.file}", result)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="新建空台帐")
    p.add_argument("--office", default="计生办", help="单位名称，如 荷塘区人口计生局")
    p.add_argument("--stat-year-start", type=int, default=10, choices=range(1, 13), metavar="M",
                   help="统计年度起始月份 1–12（默认 10）")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("backup", parents=[common], help="备份台帐（SQLite 备份接口，已校验）")
    p.add_argument("file")
    p.set_defaults(func=_cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="从备份恢复台帐（先校验并备份当前台帐）")
    p.add_argument("file")
    p.set_defaults(func=_cmd_restore)

    p = sub.add_parser("import", parents=[common], help="导入标准工作簿 (.xlsx)")
    p.add_argument("file")
    p.set_defaults(func=_cmd_import)
