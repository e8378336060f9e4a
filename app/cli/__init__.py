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

The package: this module parses and runs (`main`, `build_parser`); `common.py` holds what every
command shares (exit codes, login, `emit`, the failure document) and `progress.py` the terminal
progress line; each command group is one module with `register(subparsers, common)` — add it
to COMMAND_MODULES to make its commands appear. A command module imports from `common` and
`progress` only, never from this module (tests/test_import_cycles.py).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys

from app import __version__
from app.cli import (
    accounts,
    attendance,
    casework,
    district,
    ledger_file,
    reconcile,
    registry,
    reports,
    roster,
)
from app.cli.common import (
    ALL_ERRORS_HINT,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REFUSED,
    PASSWORD_VARIABLE,
    Parser,
    UsageError,
    fail,
)
from app.errors import LedgerError, LedgerLocked, PermissionDenied
from app.masking import mask_text
from app.os_errors import describe
from app.private_files import owner_only_umask

__all__ = ["ALL_ERRORS_HINT", "EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_FINDINGS", "EXIT_LOCKED", "EXIT_OK",
           "EXIT_REFUSED", "build_parser", "main"]

# In the order their commands are listed by `fpledger --help`.
COMMAND_MODULES = [ledger_file, accounts, roster, attendance, registry, reports, reconcile, district, casework]


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="台帐文件路径（默认：本用户的台帐）")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以 JSON 输出")
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME",
                        help=f"以该用户登录（台帐设有账户时必需；密码取自 {PASSWORD_VARIABLE} 或在终端输入）")
    parser = Parser(prog="fpledger", description="计生台帐 命令行", parents=[common])
    parser.add_argument("--version", action="version", version=f"fpledger {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub, common)
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
        return fail(args, EXIT_LOCKED, mask_text(str(exc)), prefix="")
    except PermissionDenied as exc:
        return fail(args, EXIT_REFUSED, mask_text(str(exc)))
    except LedgerError as exc:
        return fail(args, EXIT_BAD_INPUT, mask_text(str(exc)), getattr(exc, "errors", None))
    except (OSError, sqlite3.Error) as exc:
        return fail(args, EXIT_BAD_INPUT, mask_text(describe(exc)))
    except Exception as exc:  # noqa: BLE001 - the clerk gets one Chinese line, not a traceback
        if os.environ.get("FPLEDGER_DEBUG"):
            raise
        return fail(args, EXIT_FAILED, mask_text(describe(exc)))
