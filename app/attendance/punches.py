"""Punches (打卡): attendance-machine imports, the roll call (点名) and spot checks (抽查).

- A punch is (person, moment to the second); the same punch recorded twice is one punch
  (`insert or ignore` on the unique key), so re-importing a machine file changes nothing.
- Roll call: ticking a person present records a punch at *now* (source 点名); unticking removes
  that roll-call punch. Both are audited corrections; machine punches are never removed here.
- Spot checks record what the office found; 擅离岗位 makes that session 旷工 (rules engine).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from app.attendance import staff as staff_mod
from app.attendance.month_lock import ensure_open
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger

MACHINE, ROLL_CALL, WORKBOOK = "考勤机", "点名", "工作簿"
SPOT_RESULTS = ("在岗", "请假", "因公外出", "擅离岗位")
AWAY = "擅离岗位"


@dataclass(frozen=True)
class Punch:
    id: int
    staff_id: int
    at: datetime
    source: str


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat(sep=" ")


def add_many(db: sqlite_utils.Database, rows: Iterable[tuple[int, datetime]], source: str, actor: str) -> int:
    """Insert punches inside the caller's transaction; returns how many were new. The punches
    already stored on the days the rows span are read once (the unique (staff_id, at) index)
    and skipped here, so re-importing a machine file writes nothing and costs one read; the
    rest go in with one executemany (`insert or ignore` still keeps a punch given twice once)."""
    now = _stamp(datetime.now())
    wanted = list(dict.fromkeys((staff_id, _stamp(moment)) for staff_id, moment in rows))
    if not wanted:
        return 0
    first, last = min(at for _s, at in wanted), max(at for _s, at in wanted)
    stored = set(db.conn.execute("select staff_id, at from att_punches where at >= ? and at <= ?", [first, last]))
    fresh = [(staff_id, at, source, actor, now) for staff_id, at in wanted if (staff_id, at) not in stored]
    before = db.conn.total_changes
    db.conn.executemany("insert or ignore into att_punches (staff_id, at, source, recorded_by, recorded_at)"
                        " values (?, ?, ?, ?, ?)", fresh)
    return db.conn.total_changes - before


def between(db: sqlite_utils.Database, start: date, end: date) -> dict[int, list[Punch]]:
    out: dict[int, list[Punch]] = {}
    for r in db.execute("select id, staff_id, at, source from att_punches where at >= ? and at < ? order by at",
                        [start.isoformat(), (end + timedelta(days=1)).isoformat()]).fetchall():
        out.setdefault(r[1], []).append(Punch(r[0], r[1], datetime.fromisoformat(r[2]), r[3]))
    return out


def any_between(db: sqlite_utils.Database, start: date, end: date) -> bool:
    """Whether any punch (machine, roll call or workbook) lies on the days [start, end]."""
    return db.execute("select 1 from att_punches where at >= ? and at < ? limit 1",
                      [start.isoformat(), (end + timedelta(days=1)).isoformat()]).fetchone() is not None


def roll_call_mark(ledger: Ledger, staff_id: int, now: datetime | None = None) -> bool:
    """Tick a person present at the roll call: a punch at `now`. False if that punch exists."""
    ledger.require("manage_attendance")
    now = (now or datetime.now()).replace(microsecond=0)
    person = staff_mod.get(ledger.db, staff_id)
    with ledger.write("点名签到", "att_punch", person.staff_no, after={"at": _stamp(now)}) as db:
        ensure_open(db, [now.date()])
        return add_many(db, [(staff_id, now)], ROLL_CALL, ledger.actor_name) == 1


def roll_call_unmark(ledger: Ledger, staff_id: int, start: datetime, end: datetime) -> int:
    """Correct a roll call: remove the person's roll-call punches in [start, end] (machine punches
    stay). Returns how many were removed; audited with the removed moments."""
    ledger.require("manage_attendance")
    person = staff_mod.get(ledger.db, staff_id)
    rows = ledger.db.execute(
        "select id, at from att_punches where staff_id = ? and source = ? and at >= ? and at <= ?",
        [staff_id, ROLL_CALL, _stamp(start), _stamp(end)]).fetchall()
    if not rows:
        return 0
    with ledger.write("更正点名", "att_punch", person.staff_no, before={"removed": [r[1] for r in rows]}) as db:
        ensure_open(db, {datetime.fromisoformat(r[1]).date() for r in rows})
        for r in rows:
            db.execute("delete from att_punches where id = ?", [r[0]])
    return len(rows)


def record_spot_check(ledger: Ledger, staff_id: int, result: str, note: str = "", at: datetime | None = None) -> int:
    """Record one spot check (抽查) result for a person; audited; returns its id."""
    ledger.require("manage_attendance")
    if result not in SPOT_RESULTS:
        raise UserInputError(f"抽查结果应为 {'、'.join(SPOT_RESULTS)}，而不是“{result}”。")
    at = (at or datetime.now()).replace(microsecond=0)
    person = staff_mod.get(ledger.db, staff_id)
    with ledger.write() as db:
        ensure_open(db, [at.date()])
        cursor = db.execute("insert into att_spot_checks (staff_id, at, result, note, checked_by)"
                            " values (?, ?, ?, ?, ?)", [staff_id, _stamp(at), result, note.strip(), ledger.actor_name])
        from app import audit

        audit.record(db, ledger.actor_name, "考勤抽查", "att_spot_check", cursor.lastrowid,
                     after={"staff_no": person.staff_no, "at": _stamp(at), "result": result, "note": note})
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


def spot_checks_between(db: sqlite_utils.Database, start: date, end: date) -> list[dict]:
    return [dict(r) for r in db.query(
        "select c.id, c.staff_id, s.name, c.at, c.result, c.note, c.checked_by from att_spot_checks c"
        " join att_staff s on s.id = c.staff_id where c.at >= ? and c.at < ? order by c.at",
        [start.isoformat(), (end + timedelta(days=1)).isoformat()])]
