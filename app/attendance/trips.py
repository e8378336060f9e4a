"""因公外出 (business trips, counted as present) and 值班 (duty on rest days), both registered
with the office (篇二 四: "因公出差…须报办公室登记存档"). Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from app.attendance import staff as staff_mod
from app.attendance.month_lock import ensure_open
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger


@dataclass(frozen=True)
class Trip:
    id: int
    staff_id: int
    staff_name: str
    start: datetime
    end: datetime
    destination: str
    reason: str


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def between(db: sqlite_utils.Database, start: date, end: date) -> list[Trip]:
    rows = db.execute(
        "select t.id, t.staff_id, s.name, t.start_at, t.end_at, t.destination, t.reason from att_trips t"
        " join att_staff s on s.id = t.staff_id where t.start_at < ? and t.end_at > ? order by t.start_at",
        [(end + timedelta(days=1)).isoformat(), start.isoformat()]).fetchall()
    return [Trip(r[0], r[1], r[2], datetime.fromisoformat(r[3]), datetime.fromisoformat(r[4]), r[5], r[6])
            for r in rows]


def register(ledger: Ledger, staff_id: int, start: datetime, end: datetime, destination: str, reason: str = "") -> int:
    """Register a business trip [start, end); returns its id."""
    ledger.require("manage_attendance")
    person = staff_mod.get(ledger.db, staff_id)
    if end <= start:
        raise UserInputError("外出结束时间应晚于开始时间。")
    if not destination.strip():
        raise UserInputError("请填写外出地点。")
    after = {"staff_no": person.staff_no, "start": start.isoformat(sep=" "), "end": end.isoformat(sep=" "),
             "destination": destination, "reason": reason}
    with ledger.write() as db:
        ensure_open(db, _days(start.date(), end.date()))
        cursor = db.execute(
            "insert into att_trips (staff_id, start_at, end_at, destination, reason, registered_by, registered_at)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [staff_id, start.isoformat(sep=" "), end.isoformat(sep=" "), destination.strip(), reason.strip(),
             ledger.actor_name, datetime.now().isoformat(sep=" ", timespec="seconds")])
        from app import audit

        audit.record(db, ledger.actor_name, "登记因公外出", "att_trip", cursor.lastrowid, after=after)
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


def remove(ledger: Ledger, trip_id: int) -> None:
    ledger.require("manage_attendance")
    row = ledger.db.execute("select staff_id, start_at, end_at, destination from att_trips where id = ?",
                            [trip_id]).fetchone()
    if row is None:
        raise UserInputError("没有这条外出登记。")
    with ledger.write("删除因公外出", "att_trip", trip_id, before=list(row)) as db:
        ensure_open(db, _days(date.fromisoformat(row[1][:10]), date.fromisoformat(row[2][:10])))
        db.execute("delete from att_trips where id = ?", [trip_id])


def duty_between(db: sqlite_utils.Database, start: date, end: date) -> dict[int, set[date]]:
    out: dict[int, set[date]] = {}
    for staff_id, day in db.execute("select staff_id, day from att_duty where day between ? and ?",
                                    [start.isoformat(), end.isoformat()]).fetchall():
        out.setdefault(staff_id, set()).add(date.fromisoformat(day))
    return out


def set_duty(ledger: Ledger, staff_id: int, day: date, on_duty: bool, note: str = "") -> None:
    """Register (or remove) a 值班 day for a person; audited."""
    ledger.require("manage_attendance")
    person = staff_mod.get(ledger.db, staff_id)
    exists = ledger.db.execute("select 1 from att_duty where staff_id = ? and day = ?",
                               [staff_id, day.isoformat()]).fetchone() is not None
    if exists == on_duty:
        return
    with ledger.write("登记值班" if on_duty else "取消值班", "att_duty", f"{person.staff_no}@{day.isoformat()}",
                      before={"duty": exists}, after={"duty": on_duty, "note": note}) as db:
        ensure_open(db, [day])
        if on_duty:
            db.execute("insert into att_duty (staff_id, day, note) values (?, ?, ?)",
                       [staff_id, day.isoformat(), note])
        else:
            db.execute("delete from att_duty where staff_id = ? and day = ?", [staff_id, day.isoformat()])
