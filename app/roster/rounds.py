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
  `roster.certificate_overdue_days` (default 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

import sqlite_utils

from app.errors import UserInputError
from app.periods import Period

if TYPE_CHECKING:
    from app.ledger import Ledger

OPEN, CLOSED = "进行中", "已结束"
EXEMPT_MONTHS_KEY = "roster.sterilized_exempt_months"
OVERDUE_DAYS_KEY = "roster.certificate_overdue_days"
DEFAULT_EXEMPT_MONTHS = 12
DEFAULT_OVERDUE_DAYS = 30


@dataclass(frozen=True)
class Round:
    id: int | None          # None: not stored yet (a round computed on the fly)
    code: str
    start: date
    end: date
    status: str = OPEN

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def period(self) -> Period:
        return Period(self.code, "range", self.start, self.end)

    @property
    def label(self) -> str:
        return f"{self.code}（{self.start.isoformat()} 至 {self.end.isoformat()}）"

    @property
    def period_label(self) -> str:
        """As printed: 2026年第二季度 / 2026年上半年 / 2026年3月 / 2026年度 / the dates."""
        code = self.code
        if len(code) == 6 and code[4] in "QH":
            if code[4] == "Q":
                return f"{code[:4]}年第{'一二三四'[int(code[5]) - 1]}季度"
            return f"{code[:4]}年{'上' if code[5] == '1' else '下'}半年"
        if len(code) == 7 and code[4] == "-":
            return f"{code[:4]}年{int(code[5:])}月"
        if len(code) == 4:
            return f"{code}年度"
        return f"{self.start.isoformat()}至{self.end.isoformat()}"


class SettingsReader(Protocol):
    """The little of a Ledger the due rule reads: its connection and its settings (an import
    passes a view on its own connection, app/exchange/roster_sheet.py)."""

    @property
    def db(self) -> sqlite_utils.Database: ...

    def setting(self, key: str, default: str | None = None) -> str | None: ...


def exempt_months(ledger: SettingsReader) -> int:
    return _int_setting(ledger, EXEMPT_MONTHS_KEY, DEFAULT_EXEMPT_MONTHS)


def overdue_days(ledger: SettingsReader) -> int:
    return _int_setting(ledger, OVERDUE_DAYS_KEY, DEFAULT_OVERDUE_DAYS)


def _int_setting(ledger: SettingsReader, key: str, default: int) -> int:
    raw = ledger.setting(key)
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


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
    from app.roster import due

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
