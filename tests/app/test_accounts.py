"""Accounts: hashed passwords, lockout after five failures, roles as one table."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import accounts
from app.errors import PermissionDenied, UserInputError

SECRET = "Zq7-very-secret-口令"


def test_password_is_never_stored_in_clear(ledger, tmp_path):
    with ledger.write("新增用户", "user", "admin"):
        accounts.create_user(ledger.db, "admin", "管理员", accounts.ADMIN, SECRET)
    ledger.conn.execute("pragma wal_checkpoint(truncate)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("ledger.db*") if p.is_file())
    assert SECRET.encode("utf-8") not in raw
    assert SECRET.encode("utf-16-le") not in raw
    stored = ledger.db.execute("select password_hash from users").fetchone()[0]
    assert stored.startswith("scrypt$")


def test_login_succeeds_with_the_right_password(ledger):
    accounts.create_user(ledger.db, "li", "李丽", accounts.STAFF, SECRET)
    user = accounts.authenticate(ledger.db, "li", SECRET)
    assert user.role == accounts.STAFF and user.display_name == "李丽"


def test_five_failures_lock_the_account_for_five_minutes(ledger):
    accounts.create_user(ledger.db, "li", "李丽", accounts.STAFF, SECRET)
    now = datetime(2026, 11, 29, 9, 0)
    for _ in range(4):
        with pytest.raises(UserInputError, match="不正确"):
            accounts.authenticate(ledger.db, "li", "wrong", now)
    with pytest.raises(UserInputError, match="锁定"):
        accounts.authenticate(ledger.db, "li", "wrong", now)
    with pytest.raises(UserInputError, match="锁定"):  # even the right password waits
        accounts.authenticate(ledger.db, "li", SECRET, now + timedelta(minutes=4))
    assert accounts.authenticate(ledger.db, "li", SECRET, now + timedelta(minutes=5, seconds=1))


def test_change_and_reset_password(ledger):
    user = accounts.create_user(ledger.db, "li", "李丽", accounts.STAFF, SECRET)
    accounts.change_password(ledger.db, user.id, SECRET, "new-password")
    with pytest.raises(UserInputError):
        accounts.authenticate(ledger.db, "li", SECRET)
    accounts.reset_password(ledger.db, user.id, "reset-123")
    assert accounts.authenticate(ledger.db, "li", "reset-123").must_change_password


def test_short_password_and_unknown_role_are_refused(ledger):
    with pytest.raises(UserInputError, match="至少"):
        accounts.create_user(ledger.db, "a", "a", accounts.STAFF, "123")
    with pytest.raises(UserInputError, match="未知角色"):
        accounts.create_user(ledger.db, "a", "a", "队长", SECRET)


def test_what_each_role_may_do_is_one_table():
    director = accounts.User(1, "d", "局长", accounts.DIRECTOR)
    staff = accounts.User(2, "s", "专干", accounts.STAFF)
    assert director.may("reopen_period") and not staff.may("reopen_period")
    with pytest.raises(PermissionDenied):
        accounts.require(staff, "manage_users")
    with pytest.raises(PermissionDenied, match="请先登录"):   # nobody is trusted without a login
        accounts.require(None, "manage_users")
    assert set().union(*accounts.PERMISSIONS.values()) <= set(accounts.ROLES)
