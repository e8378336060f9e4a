"""The working-day calendar (工作日历): Monday–Friday, minus 法定节假日, plus 调休上班 days.

The holiday table lives in the ledger and is the only truth: `seed_year` may fill a year from
the chinese-calendar package (source "chinese-calendar"), and the office corrects any day with
`set_day` / `clear_day` (all audited). A year the package does not know is refused with a
message; the office can always type the days in (or import the 节假日 sheet).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import sqlite_utils

from app.attendance.month_lock import ensure_open
from app.errors import UserInputError

STATUTORY = "法定节假日"
SWAPPED_WORKDAY = "调休上班"
KINDS = (STATUTORY, SWAPPED_WORKDAY)

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def is_working_day(day: date, holidays: Mapping[date, str]) -> bool:
    """Pure rule: `holidays` maps a day to its kind (法定节假日 / 调休上班)."""
    kind = holidays.get(day)
    if kind == STATUTORY:
        return False
    if kind == SWAPPED_WORKDAY:
        return True
    return day.weekday() < 5


def holidays_between(db: sqlite_utils.Database, start: date, end: date) -> dict[date, str]:
    """Holiday-table entries on [start, end] (inclusive)."""
    rows = db.execute("select day, kind from att_holidays where day between ? and ?",
                      [start.isoformat(), end.isoformat()]).fetchall()
    return {date.fromisoformat(d): k for d, k in rows}


def holiday_rows(db: sqlite_utils.Database, year: int) -> list[dict]:
    return [dict(r) for r in db.query(
        "select day, kind, name, source from att_holidays where day like ? order by day",
        [f"{year:04d}-%"])]


def working_days(db: sqlite_utils.Database, start: date, end: date) -> list[date]:
    holidays = holidays_between(db, start, end)
    out, day = [], start
    while day <= end:
        if is_working_day(day, holidays):
            out.append(day)
        day += timedelta(days=1)
    return out


def set_day(ledger, day: date, kind: str, name: str = "", source: str = "手工") -> None:
    """Mark one day as 法定节假日 or 调休上班 (replacing what was there); audited."""
    if kind not in KINDS:
        raise UserInputError(f"节假日类型应为 {'、'.join(KINDS)}，而不是“{kind}”。")
    before = ledger.db.execute("select kind, name from att_holidays where day = ?",
                               [day.isoformat()]).fetchone()
    with ledger.write("修改节假日", "att_holiday", day.isoformat(),
                      before=list(before) if before else None, after=[kind, name]) as db:
        ensure_open(db, [day])
        db.execute("insert or replace into att_holidays (day, kind, name, source) values (?, ?, ?, ?)",
                   [day.isoformat(), kind, name, source])


def clear_day(ledger, day: date) -> None:
    """Make a day ordinary again (Mon–Fri working, Sat–Sun rest); audited."""
    before = ledger.db.execute("select kind, name from att_holidays where day = ?",
                               [day.isoformat()]).fetchone()
    if before is None:
        return
    with ledger.write("删除节假日", "att_holiday", day.isoformat(), before=list(before)) as db:
        ensure_open(db, [day])
        db.execute("delete from att_holidays where day = ?", [day.isoformat()])


def package_year(year: int) -> dict[date, tuple[str, str]]:
    """What the chinese-calendar package says about `year`: day -> (kind, Chinese name)."""
    from chinese_calendar import constants

    out: dict[date, tuple[str, str]] = {}
    for table, kind in ((constants.holidays, STATUTORY), (constants.workdays, SWAPPED_WORKDAY)):
        for day, name in table.items():
            if day.year == year:
                out[day] = (kind, _HOLIDAY_NAMES.get(name, name))
    return out


def seed_year(ledger, year: int) -> int:
    """Fill `year` from chinese-calendar, keeping every day the office entered by hand.

    Returns the number of days added. Raises UserInputError when the package has no data for
    the year (it only knows years already announced by the State Council).
    """
    found = package_year(year)
    if not found:
        raise UserInputError(f"内置日历没有 {year} 年的放假安排，请手工录入或导入“节假日”表。")
    manual = {row["day"] for row in holiday_rows(ledger.db, year) if row["source"] != "chinese-calendar"}
    todo = {d: v for d, v in sorted(found.items()) if d.isoformat() not in manual}
    with ledger.write("按内置日历填充节假日", "att_holiday", str(year), after={"days": len(todo)}) as db:
        ensure_open(db, todo)
        for day, (kind, name) in todo.items():
            db.execute("insert or replace into att_holidays (day, kind, name, source)"
                       " values (?, ?, ?, 'chinese-calendar')", [day.isoformat(), kind, name])
    return len(todo)
