"""User accounts, roles and what each role may do (PIPL: limited access, hashed passwords).

Rules:
- Passwords are hashed with scrypt (N=2**15, r=8, p=1, 16-byte salt); the clear text is never
  stored or logged. Verification is constant-time.
- Five failed logins in a row lock the account for five minutes.
- What each role may do is the one table PERMISSIONS below; `require` raises PermissionDenied.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from app import text as text_rule
from app.errors import PermissionDenied, UserInputError

ADMIN = "管理员"
DIRECTOR = "局长/主任"
DEPUTY = "分管领导"
SECTION_HEAD = "科室负责人"
STAFF = "工作人员"
ROLES = [ADMIN, DIRECTOR, DEPUTY, SECTION_HEAD, STAFF]

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 6

_ALL = frozenset(ROLES)
PERMISSIONS: dict[str, frozenset[str]] = {
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
}

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    must_change_password: bool = False

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS.get(action, frozenset())


def require(user: User | None, action: str) -> None:
    """Raise PermissionDenied unless `user` (None = command line, trusted) may do `action`."""
    if user is not None and not user.may(action):
        raise PermissionDenied(f"当前用户“{user.display_name}”（{user.role}）无权执行此操作。")


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
    return User(row["id"], row["username"], row["display_name"], row["role"],
                bool(row["must_change_password"]))


def has_users(db: sqlite_utils.Database) -> bool:
    return db.execute("select exists(select 1 from users)").fetchone()[0] == 1


def create_user(db: sqlite_utils.Database, username: str, display_name: str, role: str,
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
    return User(cursor.lastrowid, username, display_name or username, role, must_change_password)


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
