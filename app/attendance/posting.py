"""每月张榜公布: post a month (snapshot + lock) and reopen it with a reason.

Posting stores the month document as it stands (the posted figures) and locks the month: every
writer refuses changes dated in it (`month_lock.ensure_open`). Reopening needs a reason, keeps
the earlier snapshot in the audit log, and unlocks the month; posting again takes a new snapshot.
Both need the permission `lock_attendance_month`. A month is refused for posting, with the
reason, while `month.warnings` has anything to say: its year has no holiday data (days due would
be wrong), or it has no punches at all (everyone would be posted as 旷工) — DOMAIN.md §8.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from app.accounts import User
from app.attendance import month as month_mod
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger


def post(ledger: Ledger, month: str, user: User | None = None, now: datetime | None = None) -> dict:
    """Lock `month` with a snapshot of its figures; returns the posted document."""
    ledger.require("lock_attendance_month", user)
    month = month_mod.normalise_month(month)
    first, last = month_mod.month_bounds(month)
    now = now or datetime.now()
    if first > now.date():
        raise UserInputError(f"{month} 尚未开始，不能张榜公布。")
    row = ledger.db.execute("select locked from att_months where month = ?", [month]).fetchone()
    if row and row[0]:
        raise UserInputError(f"{month} 的考勤已经张榜公布并锁定。")
    problems = month_mod.warnings(ledger.db, month)
    if problems:
        raise UserInputError(f"{month} 不能张榜公布。" + "；".join(p.rstrip("。") for p in problems) + "。")
    document = month_mod.live_document(ledger.db, month, now)
    stamp = now.isoformat(sep=" ", timespec="seconds")
    with ledger.write("张榜公布考勤", "att_month", month,
                      after={"staff": len(document["staff"]), "complete": last < now.date()}) as db:
        db.execute("insert into att_months (month, locked, posted_at, posted_by, snapshot) values (?, 1, ?, ?, ?)"
                   " on conflict(month) do update set locked = 1, posted_at = excluded.posted_at,"
                   " posted_by = excluded.posted_by, snapshot = excluded.snapshot",
                   [month, stamp, ledger.actor_name, json.dumps(document, ensure_ascii=False)])
    return document | {"posted": True, "posted_at": stamp}


def reopen(ledger: Ledger, month: str, reason: str, user: User | None = None) -> None:
    """Unlock a posted month; the reason and the replaced snapshot go into the audit log."""
    ledger.require("lock_attendance_month", user)
    month = month_mod.normalise_month(month)
    if not reason.strip():
        raise UserInputError("重新打开已公布的月份必须填写原因。")
    row = ledger.db.execute("select locked, snapshot, posted_at from att_months where month = ?", [month]).fetchone()
    if not row or not row[0]:
        raise UserInputError(f"{month} 的考勤没有锁定，无需重新打开。")
    with ledger.write("重新打开考勤月份", "att_month", month,
                      before={"posted_at": row[2], "snapshot": json.loads(row[1]) if row[1] else None},
                      after={"reason": reason.strip()}) as db:
        db.execute("update att_months set locked = 0, reopened_at = ?, reopen_reason = ? where month = ?",
                   [datetime.now().isoformat(sep=" ", timespec="seconds"), reason.strip(), month])


def status(ledger_db, month: str) -> dict:
    """{'locked': bool, 'posted_at': str|None, 'reopen_reason': str|None} for a month."""
    month = month_mod.normalise_month(month)
    row = ledger_db.execute("select locked, posted_at, reopen_reason from att_months where month = ?",
                            [month]).fetchone()
    if not row:
        return {"locked": False, "posted_at": None, "reopen_reason": None}
    return {"locked": bool(row[0]), "posted_at": row[1], "reopen_reason": row[2]}
