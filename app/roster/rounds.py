"""Pregnancy-check rounds (孕检/三查轮次): create ahead, look up, close (freeze the due list), reopen.

Rules:
- A round is a period code resolved in the ledger's statistical year (`Period.parse`), usually a
  quarter or half-year; the stored code is the normalised one (`2026q2` → `2026Q2`).
- Creating a round ahead of time is allowed. Results may be entered before it is closed.
- Closing freezes the due list (rows in `check_due`: woman, unit and category of that moment);
  from then on the round's due list no longer follows later edits of the cards. A round can be
  closed only after its last day. Reopening (a reason is required, logged) drops the frozen
  rows so the list is computed again.
- Settings (ledger meta, plain values): `roster.sterilized_exempt_months` (default 12) and
  `roster.certificate_overdue_days` (default 30); `Round` and the settings live in
  app/roster/round_model.py, below this module and app/roster/due.py, and are re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlite_utils

from app.errors import UserInputError
from app.periods import Period
from app.roster import due
from app.roster.round_model import CLOSED as CLOSED
from app.roster.round_model import DEFAULT_EXEMPT_MONTHS as DEFAULT_EXEMPT_MONTHS
from app.roster.round_model import DEFAULT_OVERDUE_DAYS as DEFAULT_OVERDUE_DAYS
from app.roster.round_model import EXEMPT_MONTHS_KEY as EXEMPT_MONTHS_KEY
from app.roster.round_model import OPEN as OPEN
from app.roster.round_model import OVERDUE_DAYS_KEY as OVERDUE_DAYS_KEY
from app.roster.round_model import Round as Round
from app.roster.round_model import SettingsReader as SettingsReader
from app.roster.round_model import exempt_months as exempt_months
from app.roster.round_model import overdue_days as overdue_days

if TYPE_CHECKING:
    from app.ledger import Ledger


def parse_code(ledger: Ledger, code: str) -> Period:
    return Period.parse(code, ledger.stat_year_start)


def _from_row(row) -> Round:
    return Round(row[0], row[1], date.fromisoformat(row[2]), date.fromisoformat(row[3]), row[4])


_SELECT = "select id, code, start_date, end_date, status from check_rounds"


def find(db: sqlite_utils.Database, code: str) -> Round | None:
    row = db.execute(_SELECT + " where code = ?", [code]).fetchone()
    return _from_row(row) if row else None


def list_rounds(db: sqlite_utils.Database) -> list[Round]:
    """Stored rounds, newest first."""
    return [_from_row(r) for r in db.execute(_SELECT + " order by start_date desc, code").fetchall()]


def resolve(ledger: Ledger, code: str) -> Round:
    """The stored round for `code`, or an unsaved open Round for a valid period code."""
    period = parse_code(ledger, code)
    stored = find(ledger.db, period.code)
    return stored or Round(None, period.code, period.start, period.end)


def ensure(db: sqlite_utils.Database, period: Period, actor: str) -> Round:
    """Create the round if needed, inside the caller's transaction (no audit of its own)."""
    stored = find(db, period.code)
    if stored:
        return stored
    db.execute("insert into check_rounds (code, start_date, end_date, status, created_at, created_by)"
               " values (?, ?, ?, ?, ?, ?)",
               [period.code, period.start.isoformat(), period.end.isoformat(), OPEN, _now(), actor])
    return find(db, period.code)  # type: ignore[return-value]


def create(ledger: Ledger, code: str, note: str | None = None) -> Round:
    """Create a round (ahead of time is fine); refuses a code that exists already."""
    ledger.require("edit_registry")
    period = parse_code(ledger, code)
    if find(ledger.db, period.code):
        raise UserInputError(f"轮次“{period.code}”已存在。")
    with ledger.write("新建孕检轮次", "check_round", period.code,
                      after={"code": period.code, "start": period.start.isoformat(),
                             "end": period.end.isoformat(), "note": note}) as db:
        rnd = ensure(db, period, ledger.actor_name)
        if note:
            db.execute("update check_rounds set note = ? where id = ?", [note, rnd.id])
    return rnd


def close(ledger: Ledger, code: str, today: date | None = None) -> int:
    """Freeze the due list of round `code`; returns how many women were frozen as due."""
    ledger.require("close_period")
    period = parse_code(ledger, code)
    today = today or date.today()
    if today <= period.end:
        raise UserInputError(f"轮次“{period.code}”到 {period.end.isoformat()} 才结束，结束后才能关账（冻结应查名单）。")
    stored = find(ledger.db, period.code)
    if stored and stored.closed:
        raise UserInputError(f"轮次“{period.code}”已经结束，应查名单已冻结。")
    rows = due.compute(ledger, Round(None, period.code, period.start, period.end))
    with ledger.write("孕检轮次关账", "check_round", period.code,
                      after={"due": len(rows), "status": CLOSED}) as db:
        rnd = ensure(db, period, ledger.actor_name)
        db.conn.executemany(
            "insert into check_due (round_id, woman_id, unit_id, category, residence) values (?, ?, ?, ?, ?)",
            [(rnd.id, w.woman_id, w.unit_id, w.category, w.residence) for w in rows])
        db.execute("update check_rounds set status = ?, closed_at = ?, closed_by = ? where id = ?",
                   [CLOSED, _now(), ledger.actor_name, rnd.id])
    return len(rows)


def reopen(ledger: Ledger, code: str, reason: str) -> None:
    """Unfreeze a closed round (the due list is computed again); the reason is logged."""
    ledger.require("close_period")
    if not (reason or "").strip():
        raise UserInputError("重新打开轮次必须填写原因。")
    period = parse_code(ledger, code)
    stored = find(ledger.db, period.code)
    if not stored or not stored.closed:
        raise UserInputError(f"轮次“{period.code}”没有关账，无需重新打开。")
    frozen = ledger.db.execute("select count(*) from check_due where round_id = ?", [stored.id]).fetchone()[0]
    with ledger.write("孕检轮次重新打开", "check_round", period.code,
                      before={"status": CLOSED, "frozen_due": frozen},
                      after={"status": OPEN, "reason": reason.strip()}) as db:
        db.execute("delete from check_due where round_id = ?", [stored.id])
        db.execute("update check_rounds set status = ?, closed_at = null, closed_by = null where id = ?",
                   [OPEN, stored.id])


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")
