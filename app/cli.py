"""The `fpledger` command line (INTERFACES.md §2): argument parsing and output only.

Exit codes: 0 ok; 1 ran and found problems; 2 bad input or usage (nothing written);
3 the ledger is locked by another running instance. `--db` may stand before or after the
command name. `--json` prints exactly one JSON document on stdout.

Domain commands live in `app/cli_*.py` modules, each with `register(subparsers, common)`;
add a module to COMMAND_MODULES to make its commands appear.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__
from app.errors import LedgerError, LedgerLocked
from app.ledger import Ledger, restore
from app.paths import default_ledger_path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3
# A refused import's human output lists the first 50 errors, then this after the count of the rest.
ALL_ERRORS_HINT = "；用 --json 查看全部"

COMMAND_MODULES: list[str] = [
    "app.cli_roster",
    "app.cli_attendance",
    "app.cli_registry",
    "app.cli_reports",
    "app.cli_reconcile",
]


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 itself; keep the message Chinese-first
        raise UsageError(message)


def ledger_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_ledger_path()


def open_ledger(args: argparse.Namespace) -> Ledger:
    return Ledger.open(ledger_path(args))


def emit(args: argparse.Namespace, document: Any, human: Callable[[], str] | str) -> None:
    """Print `document` as JSON with --json, else the human (Chinese) text."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        sys.stdout.write((human() if callable(human) else human) + "\n")


def _cmd_init(args: argparse.Namespace) -> int:
    path = ledger_path(args)
    with Ledger.create(path, args.office, args.stat_year_start) as ledger:
        emit(args, {"path": str(path), "ledger_id": ledger.ledger_id, "office": ledger.office_name,
                    "stat_year_start": ledger.stat_year_start},
             f"已新建台帐：{path}\n单位：{ledger.office_name}，统计年度自 {ledger.stat_year_start} 月起")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    with open_ledger(args) as ledger:
        result = ledger.backup("手动", Path(args.file))
        ledger.audit("备份台帐", "ledger", None, after={"file": str(result.path)})
    emit(args, {"backup": str(result.path)}, f"已备份到：{result.path}（已校验完好）")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    safety = restore(ledger_path(args), Path(args.file))
    emit(args, {"restored_from": args.file, "previous_saved_as": str(safety)},
         f"已从“{args.file}”恢复台帐。恢复前的台帐已另存为：{safety}")
    return EXIT_OK


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from app.audit import verify_chain

    with open_ledger(args) as ledger:
        report = verify_chain(ledger.db)
    document = {"rows_checked": report.rows_checked, "ok": report.ok,
                "first_broken_id": report.first_broken_id, "reason": report.reason}
    human = (f"审计日志完好，共 {report.rows_checked} 条。" if report.ok else
             f"审计日志在第 {report.first_broken_id} 条处断开：{report.reason}")
    emit(args, document, human)
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _cmd_import(args: argparse.Namespace) -> int:
    from app.exchange.workbook import ImportFailed, import_workbook

    with open_ledger(args) as ledger:
        try:
            result = import_workbook(ledger, Path(args.file))
        except ImportFailed as exc:
            emit(args, exc.as_json(EXIT_BAD_INPUT), exc.listing(hint=ALL_ERRORS_HINT))
            return EXIT_BAD_INPUT
    return emit_import_result(args, f"导入完成：{args.file}", result)


def emit_import_result(args: argparse.Namespace, title: str, result: Any) -> int:
    """Print an import's per-sheet summary (new / updated / unchanged, update lines, warnings)."""
    lines = [title]
    for name, summary in result.sheets.items():
        lines.append(f"  {name}：新增 {summary.inserted}，更新 {summary.updated}，未变 {summary.unchanged}")
        lines.extend(f"    更新 {u}" for u in summary.updates[:200])
    lines.extend(f"  提示 {w}" for w in result.warnings)
    emit(args, {"ok": True} | result.as_dict(), "\n".join(lines))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="台帐文件路径（默认：本用户的台帐）")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以 JSON 输出")
    parser = _Parser(prog="fpledger", description="计生台帐 命令行", parents=[common])
    parser.add_argument("--version", action="version", version=f"fpledger {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

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

    p = sub.add_parser("audit-verify", parents=[common], help="校验审计日志的哈希链")
    p.set_defaults(func=_cmd_audit_verify)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub, common)
    return parser


def _utf8_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    _utf8_stdout()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"用法错误：{exc}\n")
        parser.print_usage(sys.stderr)
        return EXIT_BAD_INPUT
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.func(args)
    except LedgerLocked as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_LOCKED
    except LedgerError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        sys.stderr.write(f"文件操作失败：{os_error_text(exc)}\n")
        return EXIT_BAD_INPUT
    except sqlite3.Error as exc:
        sys.stderr.write(f"台帐读写失败：{sqlite_error_text(exc)}，未写入任何数据。\n")
        return EXIT_BAD_INPUT


_ERRNO_TEXT = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOENT: "文件或文件夹不存在",
               errno.ENOSPC: "磁盘空间不足", errno.EROFS: "磁盘是只读的", errno.EISDIR: "这是一个文件夹",
               errno.ENOTDIR: "路径中有一段不是文件夹", errno.EEXIST: "文件已存在", errno.EBUSY: "文件正被占用",
               errno.ENAMETOOLONG: "文件名太长", errno.EIO: "磁盘读写出错", errno.EINVAL: "文件名或路径无效",
               errno.EMFILE: "打开的文件太多", errno.EXDEV: "不能跨磁盘移动"}


def os_error_text(exc: OSError) -> str:
    """A Chinese description of an operating-system error: what happened, then the file."""
    what = _ERRNO_TEXT.get(exc.errno or -1)
    if what is None and getattr(exc, "winerror", None) == 32:
        what = "文件正被其他程序打开（如 Excel/WPS），请关闭后重试"
    if what is None:
        what = f"系统错误 {exc.errno}" if exc.errno else "系统错误"
    where = exc.filename if exc.filename is not None else ""
    return f"{what}：{where}" if where else what


def sqlite_error_text(exc: sqlite3.Error) -> str:
    """A Chinese description of an SQLite error (disk full, I/O error, busy, damaged)."""
    text = str(exc).lower()
    for needle, chinese in (("full", "磁盘空间不足"), ("disk i/o", "磁盘读写出错"), ("locked", "台帐正被其他程序使用"),
                            ("busy", "台帐正被其他程序使用"), ("malformed", "台帐文件已损坏"),
                            ("not a database", "台帐文件已损坏"), ("readonly", "台帐文件是只读的"),
                            ("unable to open", "无法打开台帐文件")):
        if needle in text:
            return chinese
    return f"数据库错误（{type(exc).__name__}）"
