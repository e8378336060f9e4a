"""Backing up and restoring as a person's action (备份 / 恢复): permission, then the mechanics.

Rules:
- Both need `backup_restore` (app.accounts.PERMISSIONS). The mechanics are `Ledger.backup` and
  `app.ledger.restore`; the automatic backups (daily, before an import or an upgrade) are not
  a person's action and need no permission.
- A manual backup is audited (备份台帐, the file it wrote).
- A restore is audited by `app.ledger.restore` (恢复台帐) under the restoring person's name.
- Who may restore a ledger that cannot be opened (damaged, missing): its own accounts cannot be
  read, so the backup's accounts decide — when the backup has accounts, the person must be an
  active account of the backup with the right password and `backup_restore`; the check reads
  the backup without writing to it, so a wrong password there is refused but not counted
  towards a lockout. A backup without accounts needs no login, like any ledger without them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from app import accounts, backups
from app.errors import PermissionDenied, UserInputError
from app.ledger import Ledger, restore


def back_up(ledger: Ledger, dest: Path | None = None) -> backups.Backup:
    """A manual backup (into the rotated backup folder, or a copy to `dest`), verified, audited."""
    ledger.require("backup_restore")
    result = ledger.backup("手动", dest)
    ledger.audit("备份台帐", "ledger", None, after={"file": str(result.path)})
    return result


def restore_open_ledger(ledger: Ledger, backup_file: Path) -> Path:
    """Close `ledger` and replace it with `backup_file` as its signed-in user; returns the safety
    copy of the replaced file. The ledger is closed even when the restore then fails."""
    ledger.require("backup_restore")
    path, actor = ledger.path, ledger.actor_name
    ledger.close()
    return restore(path, backup_file, actor=actor)


def restore_unopenable(ledger_path: Path, backup_file: Path, username: str | None,
                       password: Callable[[], str], channel: str = "") -> Path:
    """Restore over a ledger that cannot be opened; the backup's accounts decide (module docstring)."""
    actor = None
    user = backup_account(backup_file, username, password)
    if user is not None:
        actor = f"{user.username}（{channel}）" if channel else user.username
    return restore(ledger_path, backup_file, actor=actor)


def backup_has_accounts(backup_file: Path) -> bool:
    """Whether restoring `backup_file` over an unopenable ledger needs a login (its accounts)."""
    if backups.verify_file(Path(backup_file)):
        return False    # restore_unopenable refuses it with the reason
    db = sqlite_utils.Database(backups.connect_read_only(Path(backup_file)))
    try:
        return "users" in db.table_names() and accounts.has_users(db)
    finally:
        db.conn.close()


def backup_account(backup_file: Path, username: str | None, password: Callable[[], str]) -> accounts.User | None:
    """The backup's account allowed to restore it, or None when the backup has no accounts."""
    problem = backups.verify_file(Path(backup_file))
    if problem:
        raise UserInputError(f"备份文件“{backup_file}”不能用于恢复：{problem}。")
    db = sqlite_utils.Database(backups.connect_read_only(Path(backup_file)))
    try:
        if "users" not in db.table_names() or not accounts.has_users(db):
            return None
        if not username:
            raise PermissionDenied("当前台帐无法打开，要恢复的备份设有用户账户：请用备份里的管理员账户登录。")
        rows = list(db.query("select * from users where username = ? and active = 1", [username.strip()]))
        if not rows or not accounts.verify_password(password(), rows[0]["password_hash"]):
            raise PermissionDenied("用户名或密码不正确（按要恢复的备份里的账户核对）。")
        user = accounts.User(rows[0]["id"], rows[0]["username"], rows[0]["display_name"], rows[0]["role"])
        accounts.require(user, "backup_restore")
        return user
    finally:
        db.conn.close()
