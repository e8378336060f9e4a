"""User accounts, roles and what each role may do (PIPL: limited access, hashed passwords).

Rules:
- Passwords are hashed with scrypt (N=2**15, r=8, p=1, 16-byte salt); the clear text is never
  stored or logged. Verification is constant-time.
- Five failed logins in a row lock the account for five minutes.
- What each role may do is the one table PERMISSIONS below; `require` raises PermissionDenied.
  Nobody is trusted by default: `require(None, …)` refuses (a login is needed). The one
  exception, a ledger that has no accounts yet, is decided by `Ledger.require`.
- Front ends (window, command line) change accounts only through the ledger-level functions at
  the end of this module (`add_account`, `set_account_active`, `reset_account_password`,
  `change_own_password`, `sign_in`): each checks the role table and writes its audit entry in
  the same transaction. The db-level helpers above them are their mechanics (and tests').
- The first account of a ledger must be a 管理员 and needs no login; later ones need
  `manage_users`. Accounts are deactivated, never deleted (the audit log names them); nobody
  deactivates their own account, and the last active 管理员 stays active.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import sqlite_utils

from app import text as text_rule
from app.errors import PermissionDenied, UserInputError


class Role(StrEnum):
    """An account's role (角色); the value is the Chinese name stored in `users.role`."""

    ADMIN = "管理员"
    DIRECTOR = "局长/主任"
    DEPUTY = "分管领导"
    SECTION_HEAD = "科室负责人"
    STAFF = "工作人员"


ADMIN = Role.ADMIN
DIRECTOR = Role.DIRECTOR
DEPUTY = Role.DEPUTY
SECTION_HEAD = Role.SECTION_HEAD
STAFF = Role.STAFF
ROLES: list[Role] = list(Role)

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 6

_ALL = frozenset(ROLES)
PERMISSIONS: dict[str, frozenset[Role]] = {
    "view_registry": _ALL,
    "edit_registry": frozenset({ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD, STAFF}),
    "unmask_personal_data": frozenset({ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD}),
    "import_workbook": frozenset({ADMIN, SECTION_HEAD, STAFF}),
    "export_forms": _ALL,
    "close_period": frozenset({ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD}),
    "reopen_period": frozenset({DIRECTOR}),
    "manage_units": frozenset({ADMIN}),
    "manage_users": frozenset({ADMIN}),
    "manage_settings": frozenset({ADMIN, DIRECTOR}),
    "backup_restore": frozenset({ADMIN}),
    "approve_leave": frozenset({DIRECTOR, DEPUTY, SECTION_HEAD}),
    "manage_attendance": frozenset({ADMIN, SECTION_HEAD, STAFF}),
    "lock_attendance_month": frozenset({ADMIN, DIRECTOR, DEPUTY}),
    "assign_staff_roles": frozenset({ADMIN, DIRECTOR}),  # attendance roles and links to logins
    "view_audit_log": frozenset({ADMIN, DIRECTOR}),
    "consolidate": frozenset({ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD}),  # a district's 汇总 of township packages
    "issue_certificates": frozenset({ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD, STAFF}),  # 证明 letters
}

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role | str  # a Role; plain text (the same value) is accepted from callers
    must_change_password: bool = False

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS.get(action, frozenset())


LOGIN_NEEDED = "此台帐已设置用户账户，请先登录。"


def require(user: User | None, action: str) -> None:
    """Raise PermissionDenied unless `user` may do `action`; None (nobody signed in) never may."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown permission {action!r}")
    if user is None:
        raise PermissionDenied(LOGIN_NEEDED)
    if not user.may(action):
        raise PermissionDenied(f"{who(user)}无权执行此操作。")


def who(user: User | None) -> str:
    """How a refusal names the acting account."""
    return f"当前用户“{user.display_name}”（{user.role}）" if user is not None else "未登录的用户"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                            p=_SCRYPT_P, maxmem=_SCRYPT_MAXMEM, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64), n=int(n),
                            r=int(r), p=int(p), maxmem=_SCRYPT_MAXMEM, dklen=32)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInputError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")


def _row_to_user(row: dict) -> User:
    return User(row["id"], row["username"], row["display_name"], Role(row["role"]),
                bool(row["must_change_password"]))


def has_users(db: sqlite_utils.Database) -> bool:
    return db.execute("select exists(select 1 from users)").fetchone()[0] == 1


def create_user(db: sqlite_utils.Database, username: str, display_name: str, role: Role | str,
                password: str, must_change_password: bool = False) -> User:
    """Insert a user; the caller runs this inside a ledger transaction and audits it."""
    text_rule.check("用户名", username)
    text_rule.check("姓名", display_name)
    username = username.strip()
    if not username:
        raise UserInputError("用户名不能为空。")
    if role not in ROLES:
        raise UserInputError(f"未知角色“{role}”，应为：{'、'.join(ROLES)}。")
    _check_new_password(password)
    if db.execute("select 1 from users where username = ?", [username]).fetchone():
        raise UserInputError(f"用户名“{username}”已存在。")
    cursor = db.execute(
        "insert into users (username, display_name, role, password_hash, must_change_password, created_at)"
        " values (?, ?, ?, ?, ?, ?)",
        [username, display_name.strip() or username, role, hash_password(password),
         int(must_change_password), datetime.now().isoformat(timespec="seconds")],
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return User(cursor.lastrowid, username, display_name or username, Role(role), must_change_password)


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.query(
        "select id, username, display_name, role, active, locked_until from users order by id")]


def authenticate(db: sqlite_utils.Database, username: str, password: str,
                 now: datetime | None = None) -> User:
    """Return the user or raise UserInputError with the reason (wrong password, locked)."""
    now = now or datetime.now()
    rows = list(db.query("select * from users where username = ?", [username.strip()]))
    if not rows or not rows[0]["active"]:
        raise UserInputError("用户名或密码不正确。")
    row = rows[0]
    if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
        wait = datetime.fromisoformat(row["locked_until"]) - now
        minutes = max(1, int(wait.total_seconds() + 59) // 60)
        raise UserInputError(f"连续输错密码次数过多，账户已锁定，请 {minutes} 分钟后再试。")
    if not verify_password(password, row["password_hash"]):
        failed = row["failed_logins"] + 1
        locked_until = None
        if failed >= MAX_FAILED_LOGINS:
            locked_until = (now + LOCKOUT).isoformat(timespec="seconds")
            failed = 0
        db.execute("update users set failed_logins = ?, locked_until = ? where id = ?",
                   [failed, locked_until, row["id"]])
        if locked_until:
            raise UserInputError("连续 5 次输错密码，账户已锁定 5 分钟。")
        raise UserInputError(f"用户名或密码不正确（还可尝试 {MAX_FAILED_LOGINS - failed} 次）。")
    db.execute("update users set failed_logins = 0, locked_until = null where id = ?", [row["id"]])
    return _row_to_user(row)


def change_password(db: sqlite_utils.Database, user_id: int, old: str, new: str) -> None:
    row = db.execute("select password_hash from users where id = ?", [user_id]).fetchone()
    if not row or not verify_password(old, row[0]):
        raise UserInputError("原密码不正确。")
    _check_new_password(new)
    db.execute("update users set password_hash = ?, must_change_password = 0 where id = ?",
               [hash_password(new), user_id])


def reset_password(db: sqlite_utils.Database, user_id: int, new: str) -> None:
    """Administrator's reset: the user must change it at the next login."""
    _check_new_password(new)
    if not db.execute("select 1 from users where id = ?", [user_id]).fetchone():
        raise UserInputError("没有这个用户。")
    db.execute(
        "update users set password_hash = ?, must_change_password = 1, failed_logins = 0,"
        " locked_until = null where id = ?", [hash_password(new), user_id])


# ---- the ledger-level account actions (permission + audit + one transaction) -------------------
LOGIN = "登录"
LOGIN_FAILED = "登录失败"


class OpenLedger(Protocol):
    """What these actions use of an open ledger (app.ledger.Ledger, which imports this module:
    typed by this protocol so the module does not import app.ledger back)."""

    user: User | None
    channel: str

    @property
    def db(self) -> sqlite_utils.Database: ...

    @property
    def conn(self) -> sqlite3.Connection: ...

    def require(self, permission: str, user: User | None = None) -> None: ...

    def write(self, action: str | None = None, object_type: str | None = None, object_id: Any = None,
              before: Any = None, after: Any = None) -> AbstractContextManager[sqlite_utils.Database]: ...

    def audit(self, action: str, object_type: str | None = None, object_id: Any = None,
              before: Any = None, after: Any = None) -> None: ...


def account_rows(ledger: OpenLedger) -> list[dict]:
    """Every account (id, username, display_name, role, active, locked_until); needs `manage_users`."""
    ledger.require("manage_users")
    return list_users(ledger.db)


def add_account(ledger: OpenLedger, username: str, display_name: str, role: Role | str, password: str) -> User:
    """Create an account, audited (user name and role, never the password). The ledger's first
    account must be a 管理员 and needs no login (nobody could sign in yet); later ones need
    `manage_users`."""
    first = not has_users(ledger.db)
    if first and role != ADMIN:
        raise UserInputError(f"台帐的第一个账户必须是{ADMIN}（之后由{ADMIN}再添加其他账户）。")
    if not first:
        ledger.require("manage_users")
    after = {"username": username.strip(), "display_name": display_name.strip() or username.strip(),
             "role": role}
    with ledger.write("创建用户", "user", username.strip(), after=after) as db:
        return create_user(db, username, display_name, role, password)


def _account(db: sqlite_utils.Database, username: str) -> dict:
    rows = list(db.query("select id, username, display_name, role, active from users where username = ?",
                         [username.strip()]))
    if not rows:
        raise UserInputError(f"没有用户“{username.strip()}”。")
    return rows[0]


def reset_account_password(ledger: OpenLedger, username: str, new_password: str) -> None:
    """An administrator sets a new password; its user must change it at the next login. Audited."""
    ledger.require("manage_users")
    row = _account(ledger.db, username)
    with ledger.write("重置密码", "user", row["username"]) as db:
        reset_password(db, row["id"], new_password)


def set_account_active(ledger: OpenLedger, username: str, active: bool) -> None:
    """Deactivate or reactivate an account (never delete it); audited with before/after.
    Refused: one's own account, and the last active 管理员."""
    ledger.require("manage_users")
    row = _account(ledger.db, username)
    if not active:
        if ledger.user is not None and ledger.user.id == row["id"]:
            raise UserInputError("不能停用自己的账户。")
        others = ledger.db.execute("select count(*) from users where active = 1 and role = ? and id != ?",
                                   [ADMIN, row["id"]]).fetchone()[0]
        if row["role"] == ADMIN and not others:
            raise UserInputError("这是最后一个启用的管理员账户，不能停用。")
    with ledger.write("启用用户" if active else "停用用户", "user", row["username"],
                      before={"active": bool(row["active"])}, after={"active": active}) as db:
        db.execute("update users set active = ? where id = ?", [int(active), row["id"]])


def change_own_password(ledger: OpenLedger, old: str, new: str) -> None:
    """The signed-in user changes their own password (the old one is checked). Audited."""
    if ledger.user is None:
        raise PermissionDenied(LOGIN_NEEDED)
    with ledger.write("修改密码", "user", ledger.user.username) as db:
        change_password(db, ledger.user.id, old, new)


def active_account(db: sqlite_utils.Database, username: str) -> User | None:
    """The active account named `username`, or None (e.g. after a restore that does not know it)."""
    rows = list(db.query("select * from users where username = ? and active = 1", [username.strip()]))
    return _row_to_user(rows[0]) if rows else None


def sign_in(ledger: OpenLedger, username: str, password: str, channel: str = "") -> User:
    """Check the password and make the account the ledger's acting user (`channel` "命令行" from
    the command line: the audit log then names `NAME（命令行）`).

    Raises UserInputError with the reason (wrong password with the tries left, locked out). The
    failed-try count and lockout are kept even though the login failed; both outcomes are
    audited (the user name only, never the password)."""
    try:
        user = authenticate(ledger.db, username, password)
    except UserInputError:
        ledger.conn.commit()  # keep the failed-try count / lockout just written
        ledger.audit(LOGIN_FAILED, "user", username.strip(),
                     after={"channel": channel} if channel else None)
        raise
    ledger.conn.commit()
    require(user, "view_registry")  # opening the ledger at all: every role of the table today
    ledger.user, ledger.channel = user, channel
    ledger.audit(LOGIN, "user", user.username)
    return user
