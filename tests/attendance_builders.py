"""Helpers that build small attendance ledgers in the office's words (tests only)."""

from __future__ import annotations

from datetime import datetime

from app.accounts import User, create_user
from app.attendance import punches
from app.attendance import staff as staff_mod
from tests.builders import as_setup_admin


def add_person(ledger, staff_no: str, name: str, section: str = "办公室", role: str = staff_mod.WORKER,
               account_role: str | None = None) -> tuple[staff_mod.Staff, User | None]:
    """A staff member; with `account_role`, also a user account linked to them."""
    user = None
    if account_role is not None:
        with ledger.write("新增用户", "user", staff_no) as db:
            user = create_user(db, f"u{staff_no}", name, account_role, "secret-123")
    with as_setup_admin(ledger):
        person = staff_mod.add(ledger, staff_no, name, section, "", role, user.id if user else None)
    return person, user


def punch(ledger, person: staff_mod.Staff, *moments: str) -> None:
    """Machine punches at 'YYYY-MM-DD HH:MM[:SS]'."""
    with ledger.write() as db:
        punches.add_many(db, [(person.id, datetime.fromisoformat(m)) for m in moments], punches.MACHINE, "test")
