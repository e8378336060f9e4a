"""How a 计划生育手术 (procedure) changes the contraception history — ONE place (DOMAIN.md §3).

Every way a procedure enters a ledger goes through `add_procedure` (or `apply_procedure` for a
procedure row already inserted): the card editor (`app.registry.record_procedure`), the 手术
sheet of a workbook import (`app.exchange.registry_sheets`) and the test builders. Validation
(refusing 上环 while sterilized, 取环 without an IUD …) is the caller's: the card editor refuses
such entries, the import lets them through and lists them (`app.checks.check_procedures`).

The effect of a procedure of kind K on day D:
- 上环, 女扎, 男扎, 皮埋 open a 宫内节育器, 女扎, 男扎, 皮下埋植 row from D (`OPENS`):
  - a row of that method starting on D already on the history (entered as a measure, or from
    the 节育措施 sheet) IS that measure: it is linked to the procedure (its procedure_id, when
    empty) and nothing else changes — so exporting and re-importing is stable;
  - otherwise the open measure (no 终止日期; the latest start) is closed on D when it started
    on or before D — except that 上环/皮埋 never close an open 女扎/男扎 (an inconsistency the
    checks list; no end date is invented for the sterilization) — and the new row is open;
  - back-dated entry: when the open measure started after D, the new row ends where it begins.
- 取环 closes the OPEN 宫内节育器 row (no 终止日期) that started on or before D (the latest) on
  D, unless an IUD row already ends on D; without one nothing changes. An IUD row that already
  has a later end keeps it: the two dates disagree, and rewriting the end would make an import
  of the same workbook flip it back and forth (the 节育措施 sheet restores its end, the known
  手术 row is not applied again).
- 人工流产, 中期引产 leave the history alone.
- A row it opens carries its entry time (`created_at`, for the late-entry list of a closed period).
Each call returns what it did, for the audit entry: {"opened": …, "closed": …, "linked": …}.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.definitions import STERILIZATION

OPENS = {"上环": "宫内节育器", "女扎": "女扎", "男扎": "男扎", "皮埋": "皮下埋植"}
REMOVES_IUD = "取环"


def add_procedure(db, woman_id: int, kind: str, on: str, provider: str | None, created_at: str) -> tuple[int, dict]:
    """Insert a procedure row and apply it to the history; (procedure id, effect)."""
    cursor = db.execute("insert into procedures (woman_id, kind, date, provider, created_at) values (?, ?, ?, ?, ?)",
                        [woman_id, kind, on, provider, created_at])
    procedure_id = cursor.lastrowid
    return procedure_id, apply_procedure(db, woman_id, kind, on, provider, procedure_id)


def apply_procedure(db, woman_id: int, kind: str, on: str, provider: str | None,
                    procedure_id: int | None) -> dict[str, Any]:
    """The history effect of a procedure already recorded (see the module rules)."""
    if kind in OPENS:
        return _open(db, woman_id, OPENS[kind], on, provider, procedure_id)
    if kind == REMOVES_IUD:
        return _remove_iud(db, woman_id, on)
    return {}


def _open(db, woman_id: int, method: str, on: str, provider: str | None, procedure_id: int | None) -> dict:
    same = db.execute("select id, procedure_id from contraception where woman_id = ? and method = ? and start_date = ?",
                      [woman_id, method, on]).fetchone()
    if same:
        if same[1] is None and procedure_id is not None:
            db.execute("update contraception set procedure_id = ? where id = ?", [procedure_id, same[0]])
        return {"linked": {"measure_id": same[0], "method": method, "start_date": on}}
    effect: dict[str, Any] = {}
    current = db.execute("select id, start_date, method from contraception where woman_id = ? and end_date is null"
                         " order by start_date desc limit 1", [woman_id]).fetchone()
    end = None
    if current and current[2] in STERILIZATION and method not in STERILIZATION:
        pass    # 上环/皮埋 while sterilized: both rows stay open, the checks list it
    elif current and current[1] <= on:
        db.execute("update contraception set end_date = ? where id = ?", [on, current[0]])
        effect["closed"] = {"measure_id": current[0], "method": current[2], "end_date": on}
    elif current:
        end = current[1]
    cursor = db.execute("insert into contraception (woman_id, method, start_date, end_date, provider, procedure_id,"
                        " created_at) values (?, ?, ?, ?, ?, ?, ?)",
                        [woman_id, method, on, end, provider, procedure_id,
                         datetime.now().isoformat(timespec="seconds")])
    effect["opened"] = {"measure_id": cursor.lastrowid, "method": method, "start_date": on} | (
        {"end_date": end} if end else {})
    return effect


def _remove_iud(db, woman_id: int, on: str) -> dict:
    if db.execute("select 1 from contraception where woman_id = ? and method = '宫内节育器' and end_date = ?",
                  [woman_id, on]).fetchone():
        return {}
    row = db.execute("""select id from contraception where woman_id = ? and method = '宫内节育器'
        and start_date <= ? and end_date is null order by start_date desc limit 1""", [woman_id, on]).fetchone()
    if row is None:
        return {}
    db.execute("update contraception set end_date = ? where id = ?", [on, row[0]])
    return {"closed": {"measure_id": row[0], "method": "宫内节育器", "end_date": on}}
