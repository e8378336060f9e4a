"""The `fpledger` command line (INTERFACES.md §2): argument parsing and output only.

Exit codes: 0 ok; 1 ran and found problems; 2 bad input or usage (nothing written);
3 the ledger is locked by another running instance; 4 refused by accounts (a login is needed,
the password is wrong, the account is locked out, or the role may not do this; nothing
written). `--db` and `--user` may stand before or after the command name. `--json` prints
exactly one JSON document on stdout.

Logging in (INTERFACES.md §2): a ledger without accounts (a fresh `init`) needs no login. Once
it has accounts, every command except `--version`, `template` and `init` needs `--user NAME`;
the password comes from the environment variable FPLEDGER_PASSWORD, else it is asked on the
terminal without echo (getpass). The login is the window's (app.accounts.sign_in): five wrong
passwords in a row lock the account for five minutes, and the login and its failures are
audited. What the role may do is checked in the core against the one role table, and the audit
log names the person as `NAME（命令行）`. `--user` on a ledger without accounts is refused
(there is no account to check it against). `users add NAME --role ROLE [--full-name TEXT]
[--password-stdin]` creates an account (the first must be a 管理员 and needs no login; later
ones need a 管理员 signed in); the new account's password is read from stdin with
`--password-stdin`, else asked twice without echo. `users list [--json]` needs a 管理员.
`restore` logs in to the ledger it replaces; when that ledger cannot be opened (damaged or
missing) the backup's own accounts decide (app.safekeeping).

Human output and error messages mask ID and phone numbers as the screen does
(`app.masking.mask_text`); `--json` is machine output for the office's own scripts and keeps
the full values. Every message is Chinese first: an OS or SQLite error's own text follows in
parentheses at most (`app.os_errors`), and an unexpected failure is one Chinese line, never a
traceback (set FPLEDGER_DEBUG=1 to see it).

Domain commands live in `app/cli_*.py` modules, each with `register(subparsers, common)`;
add a module to COMMAND_MODULES to make its commands appear.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from app import __version__
from app.errors import LedgerDamaged, LedgerError, LedgerLocked, PermissionDenied, UserInputError
from app.ledger import Ledger
from app.masking import mask_text
from app.os_errors import describe
from app.paths import default_ledger_path
from app.private_files import owner_only_umask

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_REFUSED = 0, 1, 2, 3, 4
EXIT_FAILED = 70   # an unexpected failure (EX_SOFTWARE); INTERFACES.md lists no code for it
# A refused import's human output lists the first 50 errors, then this after the count of the rest.
ALL_ERRORS_HINT = "；用 --json 查看全部"

COMMAND_MODULES: list[str] = [
    "app.cli_roster",
    "app.cli_attendance",
    "app.cli_registry",
    "app.cli_reports",
    "app.cli_reconcile",
    "app.cli_district",
    "app.cli_casework",
]


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 itself; keep the message Chinese-first
        raise UsageError(message)


def ledger_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_ledger_path()


CHANNEL = "命令行"   # the audit log names a command-line user `NAME（命令行）`
PASSWORD_VARIABLE = "FPLEDGER_PASSWORD"


def open_ledger(args: argparse.Namespace, daily_backup: bool = True) -> Ledger:
    """Open the ledger and sign in as `--user` (module docstring); closed again when refused."""
    ledger = Ledger.open(ledger_path(args), daily_backup=daily_backup)
    try:
        log_in(args, ledger)
    except BaseException:
        ledger.close()
        raise
    return ledger


def _password(name: str) -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    try:
        return getpass.getpass(f"用户“{name}”的密码：")
    except (EOFError, KeyboardInterrupt):
        raise PermissionDenied(f"没有输入密码（可设置环境变量 {PASSWORD_VARIABLE}）。") from None


def log_in(args: argparse.Namespace, ledger: Ledger) -> None:
    """Sign in as `--user`; a refusal of any kind is PermissionDenied (exit 4)."""
    from app.accounts import sign_in

    name = getattr(args, "user", None)
    if not ledger.has_accounts:
        if name:
            raise PermissionDenied(f"此台帐还没有用户账户，不能以“{name}”登录：去掉 --user，"
                                   "或先用 fpledger users add 创建第一个管理员。")
        return
    if not name:
        raise PermissionDenied("此台帐已设置用户账户，请用 --user 用户名 登录"
                               f"（密码取自环境变量 {PASSWORD_VARIABLE}，否则在终端输入）。")
    try:
        sign_in(ledger, name, _password(name), CHANNEL)
    except UserInputError as exc:
        raise PermissionDenied(str(exc)) from None


def emit(args: argparse.Namespace, document: Any, human: Callable[[], str] | str) -> None:
    """Print `document` as JSON with --json, else the human (Chinese) text."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        sys.stdout.write(mask_text(human() if callable(human) else human) + "\n")


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
        safety = restore_unopenable(path, Path(args.file), name, lambda: _password(name or ""), CHANNEL)
    else:
        safety = restore_open_ledger(ledger, Path(args.file))
    emit(args, {"restored_from": args.file, "previous_saved_as": str(safety)},
         f"已从“{args.file}”恢复台帐。恢复前的台帐已另存为：{safety}")
    return EXIT_OK


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise UserInputError("没有从标准输入读到新用户的密码。")
        return line.rstrip("\r\n")
    first = getpass.getpass(f"新用户“{args.name}”的密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UserInputError("两次输入的密码不一致。")
    return first


def _cmd_users_add(args: argparse.Namespace) -> int:
    from app.accounts import add_account

    with open_ledger(args) as ledger:
        user = add_account(ledger, args.name, args.full_name, args.role, _new_password(args))
    emit(args, {"ok": True, "username": user.username, "display_name": user.display_name, "role": user.role},
         f"已添加用户：{user.username}（{user.display_name}，{user.role}）")
    return EXIT_OK


def _cmd_users_list(args: argparse.Namespace) -> int:
    from app.accounts import account_rows

    with open_ledger(args) as ledger:
        rows = account_rows(ledger)
    document = [{"username": r["username"], "display_name": r["display_name"], "role": r["role"],
                 "active": bool(r["active"]), "locked_until": r["locked_until"]} for r in rows]
    lines = [f"{r['username']}\t{r['display_name']}\t{r['role']}\t" + ("启用" if r["active"] else "停用")
             + (f"\t锁定至 {r['locked_until']}" if r["locked_until"] else "") for r in document]
    emit(args, {"users": document}, "\n".join(lines) if lines else "此台帐还没有用户账户。")
    return EXIT_OK


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    """The chain, its genesis, and every anchor: the backup folder's and each `--anchor` manifest."""
    from app import audit_anchors
    from app.audit import verify_chain
    from app.paths import backup_dir_for

    path = ledger_path(args)
    manifests = [audit_anchors.read_manifest(Path(file)) for file in args.anchor or []]
    with open_ledger(args) as ledger:
        folder = audit_anchors.read_folder(backup_dir_for(ledger.path))
        report = verify_chain(ledger.db, [*folder.anchors, *manifests])
    document = {"ok": report.ok, "rows_checked": report.rows_checked, "chain_ok": report.chain_ok,
                "first_broken_id": report.first_broken_id, "reason": report.reason,
                "anchors": [{"kind": c.anchor.kind, "source": c.anchor.source, "at": c.anchor.at.isoformat(),
                             "rows": c.anchor.rows, "hash": c.anchor.hash, "status": c.status,
                             "message": c.message} for c in report.anchors],
                "contradicted": len(report.contradicted), "unreadable_anchor_lines": folder.unreadable}
    emit(args, document, lambda: _audit_verify_text(path, report, folder.unreadable))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _audit_verify_text(path: Path, report: Any, unreadable: int) -> str:
    from app.audit import ANCHOR_OK, SUPERSEDED

    if report.chain_ok:
        lines = [f"审计日志的哈希链完好：共 {report.rows_checked:,} 条，自创建台帐的起始记录起环环相扣。"]
    elif report.first_broken_id is None:
        lines = [f"审计日志已损坏：{report.reason}。"]
    else:
        lines = [f"审计日志在第 {report.first_broken_id} 条处断开：{report.reason}。"]
    checks = report.anchors
    if not checks:
        lines.append(f"没有可核对的锚点（“{path.stem}-备份”文件夹里没有锚点记录，也没有用 --anchor 指定导出清单）："
                     "无法判断日志是否被整体改写或截断。")
    else:
        kept = sum(1 for c in checks if c.status == ANCHOR_OK)
        superseded = sum(1 for c in checks if c.status == SUPERSEDED)
        lines.append(f"核对了 {len(checks)} 个锚点：{kept} 个相符，{len(report.contradicted)} 个不符"
                     + (f"，{superseded} 个记录的是恢复备份时被替换的日志" if superseded else "") + "。")
        lines.extend(f"  不符：{c.message}。" for c in report.contradicted)
        lines.extend(f"  已替换：{c.message}。" for c in checks if c.status == SUPERSEDED)
    if unreadable:
        lines.append(f"锚点文件中有 {unreadable} 行无法读取，已跳过。")
    lines.append("结论：" + ("审计日志完好。" if report.ok else "审计日志不可信。"))
    return "\n".join(lines)


def _cmd_import(args: argparse.Namespace) -> int:
    from app.cli_progress import terminal_progress
    from app.exchange.workbook import ImportFailed, import_workbook

    with open_ledger(args) as ledger:
        try:
            with terminal_progress(args, "导入", cancellable=True) as progress:
                result = import_workbook(ledger, Path(args.file), progress)
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
    common = _Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="台帐文件路径（默认：本用户的台帐）")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以 JSON 输出")
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME",
                        help=f"以该用户登录（台帐设有账户时必需；密码取自 {PASSWORD_VARIABLE} 或在终端输入）")
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

    users = sub.add_parser("users", parents=[common], help="用户账户：添加、列出")
    users_sub = users.add_subparsers(dest="users_command", metavar="子命令", parser_class=_Parser)
    users_sub.required = True
    p = users_sub.add_parser("add", parents=[common], help="添加用户（第一个必须是管理员，无需登录；之后须管理员登录）")
    p.add_argument("name", metavar="NAME", help="用户名（登录名）")
    p.add_argument("--role", required=True, help="角色：管理员、局长/主任、分管领导、科室负责人、工作人员")
    p.add_argument("--full-name", dest="full_name", default="", help="姓名（默认同用户名）")
    p.add_argument("--password-stdin", dest="password_stdin", action="store_true",
                   help="新用户的密码从标准输入读取一行（否则在终端输入两次，不回显）")
    p.set_defaults(func=_cmd_users_add)
    p = users_sub.add_parser("list", parents=[common], help="列出用户（须管理员登录）")
    p.set_defaults(func=_cmd_users_list)

    p = sub.add_parser("audit-verify", parents=[common],
                       help="校验审计日志：哈希链、起始记录，以及备份文件夹和导出清单里的锚点")
    p.add_argument("--anchor", action="append", metavar="manifest.json",
                   help="再核对一份导出清单记录的审计日志链头（可多次指定）")
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
    owner_only_umask()  # every file written from here on is the user's only (app.private_files)
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
        return _fail(args, EXIT_LOCKED, mask_text(str(exc)), prefix="")
    except PermissionDenied as exc:
        return _fail(args, EXIT_REFUSED, mask_text(str(exc)))
    except LedgerError as exc:
        return _fail(args, EXIT_BAD_INPUT, mask_text(str(exc)), getattr(exc, "errors", None))
    except (OSError, sqlite3.Error) as exc:
        return _fail(args, EXIT_BAD_INPUT, mask_text(describe(exc)))
    except Exception as exc:  # noqa: BLE001 - the clerk gets one Chinese line, not a traceback
        if os.environ.get("FPLEDGER_DEBUG"):
            raise
        return _fail(args, EXIT_FAILED, mask_text(describe(exc)))


def _fail(args: argparse.Namespace, code: int, message: str, errors: list | None = None,
          prefix: str = "错误：") -> int:
    """A refused or failed command: the Chinese message on stderr and, with --json, the one
    document INTERFACES.md §2 promises on stdout ({"ok": false, "exit_code", "error", "errors"})."""
    sys.stderr.write(f"{prefix}{message}\n")
    if getattr(args, "json", False):
        listed = [mask_text(str(e)) for e in errors] if errors else []
        sys.stdout.write(json.dumps({"ok": False, "exit_code": code, "error": message, "errors": listed},
                                    ensure_ascii=False) + "\n")
    return code
