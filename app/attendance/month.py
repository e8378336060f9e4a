"""The attendance month: ledger rows → rules engine → per-person day sheets and figures, the
`fpledger attendance month --json` document (INTERFACES.md §6) and the year ranking.

A posted (locked) month's document is the snapshot taken when it was posted, so what was on
the wall board is what the command prints; the day grid is always computed from the rows
(which cannot change while the month is locked).
"""

from __future__ import annotations

import calendar as std_calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlite_utils

from app.attendance import calendar, leave, punches, schedules, settings, trips
from app.attendance import staff as staff_mod
from app.attendance.rules import (
    DayResult,
    Interval,
    MonthFigures,
    PersonInputs,
    day_sheet,
    summarise,
)
from app.errors import UserInputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_bounds(code: str) -> tuple[date, date]:
    """`YYYY-MM` → first and last day; UserInputError for anything else."""
    match = _MONTH.match(code.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserInputError(f"“{code}”不是有效的月份，应为 YYYY-MM，例如 2026-03。")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, std_calendar.monthrange(year, month)[1])


def normalise_month(code: str) -> str:
    first, _ = month_bounds(code)
    return f"{first.year:04d}-{first.month:02d}"


@dataclass
class PersonMonth:
    staff: staff_mod.Staff
    days: list[DayResult]
    figures: MonthFigures


@dataclass
class MonthSheet:
    month: str
    first: date
    last: date
    people: list[PersonMonth]
    holidays: dict[date, str]


def compute(db: sqlite_utils.Database, month: str, now: datetime | None = None,
            staff_ids: set[int] | None = None) -> MonthSheet:
    """Every active person's day sheet and figures for `month`.

    Without `now` the month is counted whole, as DOMAIN.md §8 defines it: days_due is every
    working day of the month (there is no join/leave date per person, so someone added
    mid-month is due — and 旷工 — from the 1st). With `now` (the live grid, posting before the
    month ends) sessions that can still change are pending and days not yet begun are not due.
    A 请假 row whose type is a business trip (因公外出 / 因公出差 / 出差 / 公出 / 公差, see
    `leave.is_business`) counts as 因公外出 (present), like a registered trip, when its status
    is 已批准 or 已销假; the attendance workbook has no other place for trips.
    """
    first, last = month_bounds(month)
    month = normalise_month(month)
    config = settings.load(db)
    holidays = calendar.holidays_between(db, first, last)
    all_schedules = schedules.load(db)
    punch_map = punches.between(db, first, last)
    leave_map: dict[int, list[Interval]] = {}
    trip_map: dict[int, list[Interval]] = {}
    for item in leave.between(db, first, last, leave.COUNTING):
        interval = Interval(item.start, item.counted_end, item.leave_type)
        target = trip_map if leave.is_business(item.leave_type) else leave_map
        target.setdefault(item.staff_id, []).append(interval)
    for trip in trips.between(db, first, last):
        trip_map.setdefault(trip.staff_id, []).append(Interval(trip.start, trip.end, "因公外出"))
    away: dict[int, list[datetime]] = {}
    for check in punches.spot_checks_between(db, first, last):
        if check["result"] == punches.AWAY:
            away.setdefault(check["staff_id"], []).append(datetime.fromisoformat(check["at"]))
    duty = trips.duty_between(db, first, last)
    days = [date(first.year, first.month, d) for d in range(1, last.day + 1)]
    people = []
    for person in staff_mod.all_staff(db):
        if staff_ids is not None and person.id not in staff_ids:
            continue
        inputs = PersonInputs([p.at for p in punch_map.get(person.id, [])], leave_map.get(person.id, []),
                              trip_map.get(person.id, []), away.get(person.id, []),
                              frozenset(duty.get(person.id, set())))
        sheet = day_sheet(days, holidays, all_schedules, inputs, config, now)
        people.append(PersonMonth(person, sheet, summarise(sheet, config)))
    return MonthSheet(month, first, last, people, holidays)


def _number(value: Decimal) -> int | float:
    """JSON number: an integer when whole, else the exact decimal as a float (halves, cents)."""
    return int(value) if value == value.to_integral_value() else float(value)


def person_document(person: PersonMonth) -> dict:
    f = person.figures
    rate = f.attendance_rate_percent
    return {
        "staff_no": person.staff.staff_no, "name": person.staff.name, "days_due": f.days_due,
        "present_sessions": f.present_sessions, "late": f.late, "absent_sessions": f.absent_sessions,
        "leave_days": {k: _number(v) for k, v in f.leave_days.items()},
        "fines_yuan": _number(f.fines_yuan), "bonus_forfeited": f.bonus_forfeited,
        "duty_days": f.duty_days,
        "attendance_rate_percent": None if rate is None else float(rate),
        # additions (INTERFACES.md allows new keys)
        "section": person.staff.section, "on_time_sessions": f.on_time,
        "business_sessions": f.business_sessions, "longest_absent_run": f.longest_absent_run,
        "holiday_overtime_days": f.holiday_overtime_days, "bonus_yuan": _number(f.bonus_yuan),
        "overtime_pay_yuan": _number(f.overtime_pay_yuan),
    }


def warnings(db: sqlite_utils.Database, month: str) -> list[str]:
    """Why the month's figures cannot be trusted (DOMAIN.md §8), in Chinese; empty when they can.

    - its year has no holiday data: working days are counted Monday–Friday only;
    - no punch at all was imported for the month: every working session would be 旷工.
    Either one also stops the month from being posted (`posting.post`)."""
    first, last = month_bounds(month)
    out = []
    if not calendar.year_has_data(db, first.year):
        out.append(calendar.missing_year_message(first.year))
    if not punches.any_between(db, first, last):
        out.append(f"{first.year}年{first.month}月还没有导入任何打卡记录，每个人每个半天都会算作旷工。"
                   "请先导入考勤机导出的打卡文件（或在“点名”页签到）。")
    return out


def filed_document(db: sqlite_utils.Database, item: leave.Leave) -> dict:
    """One 报备 (a 局长's own leave, registered with the office, approved by no one) for the posting."""
    return {"staff_no": staff_mod.get(db, item.staff_id).staff_no, "name": item.staff_name, "leave_type": item.leave_type,
            "start": item.start.isoformat(sep=" ", timespec="minutes"),
            "end": item.end.isoformat(sep=" ", timespec="minutes"), "length_days": _number(item.length_days),
            "returned_at": item.returned_at.isoformat(sep=" ", timespec="minutes") if item.returned_at else None}


def live_document(db: sqlite_utils.Database, month: str, now: datetime | None = None) -> dict:
    """The computed month: INTERFACES.md §6 keys plus `working_days` (the month's working days by
    the holiday calendar), `warnings` (see `warnings`) and `filed_leave` (the month's 报备)."""
    sheet = compute(db, month, now)
    first, last = sheet.first, sheet.last
    working = sum(1 for d in range(1, last.day + 1)
                  if calendar.is_working_day(date(first.year, first.month, d), sheet.holidays))
    filed = [filed_document(db, item) for item in leave.between(db, first, last, (leave.FILED,))]
    return {"month": sheet.month, "working_days": working, "warnings": warnings(db, month),
            "staff": [person_document(p) for p in sheet.people], "filed_leave": filed}


def document(db: sqlite_utils.Database, month: str, now: datetime | None = None) -> dict:
    """The month document of INTERFACES.md §6: the posted snapshot if the month is locked, else live.

    Extra keys: `posted` (bool), `posted_at` (when locked), and those of `live_document`
    (`warnings` is always present: a snapshot taken before it existed gets today's warnings).
    """
    month = normalise_month(month)
    row = db.execute("select locked, snapshot, posted_at from att_months where month = ?", [month]).fetchone()
    if row and row[0] and row[1]:
        posted = json.loads(row[1])
        posted.setdefault("warnings", warnings(db, month))
        return posted | {"posted": True, "posted_at": row[2]}
    return live_document(db, month, now) | {"posted": False}


@dataclass
class YearRow:
    staff_no: str
    name: str
    days_due: int = 0
    present_sessions: int = 0
    absent_sessions: int = 0
    late: int = 0
    months: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.days_due:
            return None
        return Decimal(self.present_sessions * 100) / Decimal(2 * self.days_due)

    @property
    def rate_percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_ranking(db: sqlite_utils.Database, year: int) -> tuple[list[YearRow], list[str]]:
    """年终汇总 (篇二 五): the posted months of the calendar year summed per person, ranked by
    attendance rate, best first (ties: fewer absences, fewer lates, then 工号) — the basis for
    先进个人. Only posted (张榜公布) months count, so the ranking is made of figures everyone saw;
    returns the rows and the months included."""
    rows = db.execute("select month, snapshot from att_months where locked = 1 and month like ?"
                      " order by month", [f"{year:04d}-%"]).fetchall()
    totals: dict[str, YearRow] = {}
    for _, snapshot in rows:
        for person in json.loads(snapshot)["staff"]:
            row = totals.setdefault(person["staff_no"], YearRow(person["staff_no"], person["name"]))
            row.name = person["name"]
            row.days_due += person["days_due"]
            row.present_sessions += person["present_sessions"]
            row.absent_sessions += person["absent_sessions"]
            row.late += person["late"]
            row.months += 1
    ranked = sorted(totals.values(), key=lambda r: (-(r.rate if r.rate is not None else Decimal(-1)),
                                                    r.absent_sessions, r.late, r.staff_no))
    return ranked, [r[0] for r in rows]
