"""Accounts and the audit log: `users add NAME --role ROLE [--full-name TEXT] [--password-stdin]`,
`users list [--json]`, `audit-verify [--anchor manifest.json]…` (INTERFACES.md §2).

`users add`: the first account must be a 管理员 and needs no login; later ones need a 管理员
signed in. The new account's password is read from stdin with `--password-stdin`, else asked
twice without echo. `users list` needs a 管理员.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FINDINGS, EXIT_OK, emit, ledger_path, open_ledger
from app.errors import UserInputError


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


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    users = sub.add_parser("users", parents=[common], help="用户账户：添加、列出")
    users_sub = users.add_subparsers(dest="users_command", metavar="子命令", parser_class=type(users))
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
