"""Posted months are locked (张榜公布后锁定): nothing dated in a locked month may change.

Every writer in this package calls `ensure_open` for each day it touches, inside its own
transaction, so a change to a posted month is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlite_utils

from app.errors import UserInputError


def month_code(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def locked_months(db: sqlite_utils.Database) -> set[str]:
    return {row[0] for row in db.execute("select month from att_months where locked = 1").fetchall()}


def is_locked(db: sqlite_utils.Database, month: str) -> bool:
    return month in locked_months(db)


def ensure_open(db: sqlite_utils.Database, days: Iterable[date]) -> None:
    """Raise UserInputError when any of `days` lies in a posted (locked) month."""
    locked = locked_months(db)
    hit = sorted({month_code(d) for d in days} & locked)
    if hit:
        raise UserInputError(f"{'、'.join(hit)} 的考勤已张榜公布并锁定，不能再修改；"
                             "如确需更正，请由有权限的领导先“重新打开”该月。")
