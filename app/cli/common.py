"""What every `fpledger` command shares (app/cli/): exit codes, the parser class, the ledger
path, the login (`--user`), output (`emit`, an import's summary) and the failure document.

Command modules import from here (and from app/cli/progress.py) only, never from
`app.cli` itself: `app/cli/__init__.py` assembles the parser from the command modules.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from app.errors import PermissionDenied, UserInputError
from app.ledger import Ledger
from app.masking import mask_text
from app.paths import default_ledger_path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_REFUSED = 0, 1, 2, 3, 4
EXIT_FAILED = 70   # an unexpected failure (EX_SOFTWARE); INTERFACES.md lists no code for it
# A refused import's human output lists the first 50 errors, then this after the count of the rest.
ALL_ERRORS_HINT = "；用 --json 查看全部"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 itself; keep the message Chinese-first
        raise UsageError(message)


def ledger_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else default_ledger_path()


CHANNEL = "命令行"   # the audit log names a command-line user `NAME（命令行）`
PASSWORD_VARIABLE = "FPLEDGER_PASSWORD"


def open_ledger(args: argparse.Namespace, daily_backup: bool = True) -> Ledger:
    """Open the ledger and sign in as `--user` (app/cli/__init__.py); closed again when refused."""
    ledger = Ledger.open(ledger_path(args), daily_backup=daily_backup)
    try:
        log_in(args, ledger)
    except BaseException:
        ledger.close()
        raise
    return ledger


def password(name: str) -> str:
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
        sign_in(ledger, name, password(name), CHANNEL)
    except UserInputError as exc:
        raise PermissionDenied(str(exc)) from None


def emit(args: argparse.Namespace, document: Any, human: Callable[[], str] | str) -> None:
    """Print `document` as JSON with --json, else the human (Chinese) text."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        sys.stdout.write(mask_text(human() if callable(human) else human) + "\n")


def emit_import_result(args: argparse.Namespace, title: str, result: Any) -> int:
    """Print an import's per-sheet summary (new / updated / unchanged, update lines, warnings)."""
    lines = [title]
    for name, summary in result.sheets.items():
        lines.append(f"  {name}：新增 {summary.inserted}，更新 {summary.updated}，未变 {summary.unchanged}")
        lines.extend(f"    更新 {u}" for u in summary.updates[:200])
    lines.extend(f"  提示 {w}" for w in result.warnings)
    emit(args, {"ok": True} | result.as_dict(), "\n".join(lines))
    return EXIT_OK


def fail(args: argparse.Namespace, code: int, message: str, errors: list | None = None,
         prefix: str = "错误：") -> int:
    """A refused or failed command: the Chinese message on stderr and, with --json, the one
    document INTERFACES.md §2 promises on stdout ({"ok": false, "exit_code", "error", "errors"})."""
    sys.stderr.write(f"{prefix}{message}\n")
    if getattr(args, "json", False):
        listed = [mask_text(str(e)) for e in errors] if errors else []
        sys.stdout.write(json.dumps({"ok": False, "exit_code": code, "error": message, "errors": listed},
                                    ensure_ascii=False) + "\n")
    return code
