"""作息时间: work hours by date range (summer and winter hours differ).

A schedule is in force from its `valid_from` day until the day before the next schedule's
`valid_from`. Before the first schedule the default hours apply (08:00–12:00, 14:30–17:30).
Each session runs [start, end); the morning must end no later than the afternoon starts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlite_utils

from app.attendance.month_lock import ensure_open
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger

MORNING, AFTERNOON = "上午", "下午"
SESSIONS = (MORNING, AFTERNOON)


@dataclass(frozen=True)
class Schedule:
    valid_from: date
    am_start: time
    am_end: time
    pm_start: time
    pm_end: time

    def bounds(self, session: str) -> tuple[time, time]:
        return (self.am_start, self.am_end) if session == MORNING else (self.pm_start, self.pm_end)

    def as_row(self) -> dict[str, str]:
        return {"valid_from": self.valid_from.isoformat(), "am_start": _hm(self.am_start),
                "am_end": _hm(self.am_end), "pm_start": _hm(self.pm_start), "pm_end": _hm(self.pm_end)}


DEFAULT = Schedule(date(1900, 1, 1), time(8, 0), time(12, 0), time(14, 30), time(17, 30))


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


def validate(schedule: Schedule) -> None:
    if not (schedule.am_start < schedule.am_end <= schedule.pm_start < schedule.pm_end):
        raise UserInputError("作息时间应满足：上午上班 < 上午下班 ≤ 下午上班 < 下午下班。")


def load(db: sqlite_utils.Database) -> list[Schedule]:
    """Every schedule, oldest first."""
    return [Schedule(date.fromisoformat(r[0]), time.fromisoformat(r[1]), time.fromisoformat(r[2]),
                     time.fromisoformat(r[3]), time.fromisoformat(r[4]))
            for r in db.execute("select valid_from, am_start, am_end, pm_start, pm_end"
                                " from att_schedules order by valid_from").fetchall()]


def schedule_on(schedules: list[Schedule], day: date) -> Schedule:
    """The schedule in force on `day` (pure; `schedules` sorted by valid_from)."""
    index = bisect.bisect_right([s.valid_from for s in schedules], day) - 1
    return schedules[index] if index >= 0 else DEFAULT


def session_span(schedule: Schedule, day: date, session: str) -> tuple[datetime, datetime]:
    start, end = schedule.bounds(session)
    return datetime.combine(day, start), datetime.combine(day, end)


def set_schedule(ledger: Ledger, schedule: Schedule) -> None:
    """Add or replace the schedule starting on `schedule.valid_from`; audited.

    Refused when the change would alter a posted month (the days from valid_from to the next
    schedule's start).
    """
    ledger.require("manage_attendance")
    validate(schedule)
    db = ledger.db
    before = db.execute("select am_start, am_end, pm_start, pm_end from att_schedules where valid_from = ?",
                        [schedule.valid_from.isoformat()]).fetchone()
    with ledger.write("修改作息时间", "att_schedule", schedule.valid_from.isoformat(),
                      before=list(before) if before else None, after=schedule.as_row()) as tx:
        _ensure_unposted_from(tx, schedule.valid_from)
        row = schedule.as_row()
        tx.execute("insert or replace into att_schedules (valid_from, am_start, am_end, pm_start, pm_end)"
                   " values (?, ?, ?, ?, ?)", [row["valid_from"], row["am_start"], row["am_end"],
                                               row["pm_start"], row["pm_end"]])


def delete_schedule(ledger: Ledger, valid_from: date) -> None:
    ledger.require("manage_attendance")
    before = ledger.db.execute("select am_start, am_end, pm_start, pm_end from att_schedules where valid_from = ?",
                               [valid_from.isoformat()]).fetchone()
    if before is None:
        raise UserInputError(f"没有自 {valid_from.isoformat()} 起的作息时间。")
    with ledger.write("删除作息时间", "att_schedule", valid_from.isoformat(), before=list(before)) as tx:
        _ensure_unposted_from(tx, valid_from)
        tx.execute("delete from att_schedules where valid_from = ?", [valid_from.isoformat()])


def _ensure_unposted_from(db: sqlite_utils.Database, day: date) -> None:
    """A schedule change reaches every later posted month until the next schedule."""
    later = db.execute("select min(valid_from) from att_schedules where valid_from > ?",
                       [day.isoformat()]).fetchone()[0]
    months = [r[0] for r in db.execute("select month from att_months where locked = 1").fetchall()]
    first = f"{day.year:04d}-{day.month:02d}"
    last = later[:7] if later else "9999-12"
    hit = [m for m in months if first <= m <= last]
    if hit:
        ensure_open(db, [date.fromisoformat(hit[0] + "-01")])
