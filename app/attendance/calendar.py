"""The working-day calendar (工作日历): Monday–Friday, minus 法定节假日, plus 调休上班 days.

The holiday table lives in the ledger and is the only truth. A new ledger is filled with every
year the bundled calendar knows (`fill_builtin`, called by `Ledger.create` inside its creating
transaction and recorded in its 创建台帐 audit entry); `seed_year` refills one year later, keeping days entered by hand.
The bundled calendar is the chinese-calendar package (the State Council's 放假安排 notices);
rows it wrote carry the stored source code "chinese-calendar", shown to the office as
`source_label` (内置节假日表（国务院办公厅通知）). The office corrects any day with
`set_day` / `clear_day` (all audited). A year the package does not know is refused with a
message; the office types that year's days in (or imports the 节假日 sheet), and until then a
month of that year is counted Monday–Friday with a warning (`month.warnings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any, Protocol

import sqlite_utils

from app.attendance.month_lock import ensure_open
from app.errors import UserInputError


class OpenLedger(Protocol):
    """What the calendar's edits use of an open ledger (app.ledger.Ledger, which imports this
    module for `fill_builtin`: typed by this protocol so the module does not import it back)."""

    @property
    def db(self) -> sqlite_utils.Database: ...

    def require(self, permission: str) -> None: ...

    def write(self, action: str | None = None, object_type: str | None = None, object_id: Any = None,
              before: Any = None, after: Any = None) -> AbstractContextManager[sqlite_utils.Database]: ...

STATUTORY = "法定节假日"
SWAPPED_WORKDAY = "调休上班"
KINDS = (STATUTORY, SWAPPED_WORKDAY)
BUILTIN = "chinese-calendar"
"""Stored source code of rows filled from the bundled calendar (never shown as such)."""
SOURCE_LABELS = {BUILTIN: "内置节假日表（国务院办公厅通知）", "手工": "手工录入", "导入": "导入的“节假日”表"}

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


def source_label(source: str) -> str:
    """The Chinese words for a row's stored source (手工 / 导入 / the bundled calendar)."""
    return SOURCE_LABELS.get(source, source)


def year_has_data(db: sqlite_utils.Database, year: int) -> bool:
    """Whether the ledger holds any 法定节假日 / 调休上班 day of `year` (bundled, typed or imported).

    Every year has statutory holidays (元旦, 春节, 国庆 …), so a year without a single row is a
    year nobody has filled in, not a year without holidays."""
    return db.execute("select 1 from att_holidays where day like ? limit 1", [f"{year:04d}-%"]).fetchone() is not None


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


def set_day(ledger: OpenLedger, day: date, kind: str, name: str = "", source: str = "手工") -> None:
    """Mark one day as 法定节假日 or 调休上班 (replacing what was there); audited."""
    ledger.require("manage_attendance")
    if kind not in KINDS:
        raise UserInputError(f"节假日类型应为 {'、'.join(KINDS)}，而不是“{kind}”。")
    before = ledger.db.execute("select kind, name from att_holidays where day = ?",
                               [day.isoformat()]).fetchone()
    with ledger.write("修改节假日", "att_holiday", day.isoformat(),
                      before=list(before) if before else None, after=[kind, name]) as db:
        ensure_open(db, [day])
        db.execute("insert or replace into att_holidays (day, kind, name, source) values (?, ?, ?, ?)",
                   [day.isoformat(), kind, name, source])


def clear_day(ledger: OpenLedger, day: date) -> None:
    """Make a day ordinary again (Mon–Fri working, Sat–Sun rest); audited."""
    ledger.require("manage_attendance")
    before = ledger.db.execute("select kind, name from att_holidays where day = ?",
                               [day.isoformat()]).fetchone()
    if before is None:
        return
    with ledger.write("删除节假日", "att_holiday", day.isoformat(), before=list(before)) as db:
        ensure_open(db, [day])
        db.execute("delete from att_holidays where day = ?", [day.isoformat()])


def package_days() -> dict[date, tuple[str, str]]:
    """Everything the bundled calendar (chinese-calendar) knows: day -> (kind, Chinese name)."""
    from chinese_calendar import constants

    out: dict[date, tuple[str, str]] = {}
    for table, kind in ((constants.holidays, STATUTORY), (constants.workdays, SWAPPED_WORKDAY)):
        for day, name in table.items():
            out[day] = (kind, _HOLIDAY_NAMES.get(name, name))
    return out


def package_year(year: int) -> dict[date, tuple[str, str]]:
    """What the bundled calendar says about `year`: day -> (kind, Chinese name)."""
    return {day: value for day, value in package_days().items() if day.year == year}


def builtin_years() -> list[int]:
    """The years the bundled calendar knows (those the State Council had announced when it shipped)."""
    return sorted({day.year for day in package_days()})


def builtin_years_text() -> str:
    years = builtin_years()
    return f"{years[0]}–{years[-1]} 年" if years else "没有任何年份"


def missing_year_message(year: int) -> str:
    """What the office is told about a month of a year without holiday data (screen and JSON)."""
    return (f"{year} 年没有节假日数据（内置节假日表只有 {builtin_years_text()}）：应出勤天数按周一至周五计算，"
            f"未扣除法定节假日、未计调休上班。国务院办公厅公布 {year} 年放假安排后，"
            "请在考勤“日历与规则”页按“手工录入放假安排”逐日录入，或导入“节假日”表。")


def fill_builtin(db: sqlite_utils.Database) -> dict:
    """Fill every year the bundled calendar knows into a new ledger's holiday table.

    Runs inside the caller's transaction (Ledger.create, whose one 创建台帐 audit entry records
    the returned summary); a day already present is kept (`insert or ignore`). Returns
    {"years": "2004-2026", "days": number written}."""
    years = builtin_years()
    if "att_holidays" not in db.table_names():  # a schema without attendance (only in migration tests)
        return {"years": "", "days": 0}
    rows = [(day.isoformat(), kind, name) for day, (kind, name) in sorted(package_days().items())]
    before = db.execute("select count(*) from att_holidays").fetchone()[0]
    db.conn.executemany("insert or ignore into att_holidays (day, kind, name, source)"
                        f" values (?, ?, ?, '{BUILTIN}')", rows)
    added = db.execute("select count(*) from att_holidays").fetchone()[0] - before
    return {"years": f"{years[0]}-{years[-1]}" if years else "", "days": added}


def seed_year(ledger: OpenLedger, year: int) -> int:
    """Fill `year` from chinese-calendar, keeping every day the office entered by hand.

    Returns the number of days added. Raises UserInputError when the package has no data for
    the year (it only knows years already announced by the State Council).
    """
    ledger.require("manage_attendance")
    found = package_year(year)
    if not found:
        raise UserInputError(f"内置日历没有 {year} 年的放假安排，请手工录入或导入“节假日”表。")
    manual = {row["day"] for row in holiday_rows(ledger.db, year) if row["source"] != BUILTIN}
    todo = {d: v for d, v in sorted(found.items()) if d.isoformat() not in manual}
    with ledger.write("按内置日历填充节假日", "att_holiday", str(year), after={"days": len(todo)}) as db:
        ensure_open(db, todo)
        for day, (kind, name) in todo.items():
            db.execute("insert or replace into att_holidays (day, kind, name, source)"
                       " values (?, ?, ?, ?)", [day.isoformat(), kind, name, BUILTIN])
    return len(todo)
