"""The roll call in progress (点名): which session it is for, and whose punches tick them present.

Rules (the rules engine's, app/attendance/rules.py — nothing is restated here):
- Only on a working day (app.attendance.calendar); the session by `rules.roll_call_session`.
- A person is ticked present when one of their punches lies in the session's sign-in window
  (`rules.sign_in_window`, rule 1, with the office's `strict_early_punch`), so a tick and the
  session's outcome on the attendance sheet never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlite_utils

from app.attendance import calendar, rules, schedules
from app.attendance import settings as settings_mod


class RollCall(NamedTuple):
    session: str          # 上午 / 下午
    start: datetime       # the sign-in window, both ends included
    end: datetime


def roll_call_at(db: sqlite_utils.Database, now: datetime) -> RollCall | None:
    """The roll call in progress at `now`, or None (a rest day, or after work)."""
    day = now.date()
    if not calendar.is_working_day(day, calendar.holidays_between(db, day, day)):
        return None
    schedule = schedules.schedule_on(schedules.load(db), day)
    session = rules.roll_call_session(now, schedule)
    if session is None:
        return None
    return RollCall(session, *rules.sign_in_window(day, session, schedule, settings_mod.load(db)))


def ticks(call: RollCall, moment: datetime) -> bool:
    """A punch at `moment` can be the session's sign-in: it ticks the person present."""
    return call.start <= moment <= call.end
