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
- "The open measure" / "the open IUD": of several that qualify, the latest start, then the
  latest entered (highest id).
- One rule (`_apply`) over two stores of a woman's rows: the database, one procedure at a time
  (`add_procedure`, the card editor), and memory, for a batch in order (`add_procedures`, the
  workbook import: one read, executemany writes — the same result as one call per procedure).
Each call returns what it did, for the audit entry: {"opened": …, "closed": …, "linked": …}.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    return _apply(_StoredRows(db, woman_id), kind, on, provider, procedure_id,
                  datetime.now().isoformat(timespec="seconds"))


def add_procedures(db, procedures: list[tuple[int, str, str, str | None, str]],
                   insert: Callable[[str, list[str], list[tuple]], Any] | None = None) -> int:
    """`add_procedure` for many (woman_id, kind, date, provider, created_at), in the order given,
    as one batch: the women's contraception rows are read once, the same rule (`_apply`) runs
    over them in memory, and the rows are written with executemany — the same ids, the same
    rows and the same end dates as calling `add_procedure` for each in turn (new rows take the
    next ids in that order, as SQLite would give them). Returns how many were added.
    `insert(table, columns, rows)` writes the new rows (default: executemany; the import passes
    its bulk writer, which rebuilds the indexes after a batch as large as the table)."""
    if not procedures:
        return 0
    women = sorted({p[0] for p in procedures})
    rows_of: dict[int, list[list]] = {w: [] for w in women}
    total = db.execute("select count(distinct woman_id) from contraception").fetchone()[0]
    query = "select id, woman_id, method, start_date, end_date, procedure_id from contraception"
    if len(women) * 2 >= total:   # most of the table: one scan
        stored = db.execute(query).fetchall()
    else:
        stored = db.execute(f"{query} where woman_id in (select value from json_each(?))",
                            [json.dumps(women)]).fetchall()
    for measure_id, woman_id, method, start, end, linked in stored:
        if woman_id in rows_of:
            rows_of[woman_id].append([measure_id, method, start, end, linked, False, False])
    next_procedure = db.execute("select coalesce(max(id), 0) from procedures").fetchone()[0]
    counter = [db.execute("select coalesce(max(id), 0) from contraception").fetchone()[0]]
    now = datetime.now().isoformat(timespec="seconds")
    new_procedures: list[tuple] = []
    opened: list[tuple] = []
    for woman_id, kind, on, provider, created_at in procedures:
        next_procedure += 1
        new_procedures.append((next_procedure, woman_id, kind, on, provider, created_at))
        _apply(_MemoryRows(rows_of[woman_id], woman_id, counter, opened), kind, on, provider, next_procedure, now)
    if insert is None:
        def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
            db.conn.executemany(f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                                rows)
    insert("procedures", ["id", "woman_id", "kind", "date", "provider", "created_at"], new_procedures)
    insert("contraception", ["id", "woman_id", "method", "start_date", "end_date", "provider", "procedure_id",
                             "created_at"], [(r[0], w, r[1], r[2], r[3], provider, r[4], now) for w, r, provider in opened])
    changed = [r for rows in rows_of.values() for r in rows if r[5] == "changed"]
    # Only a changed end date touches the indexes (SQLite maintains those of every column set).
    db.conn.executemany("update contraception set end_date = ?, procedure_id = ? where id = ?",
                        [(r[3], r[4], r[0]) for r in changed if r[6]])
    db.conn.executemany("update contraception set procedure_id = ? where id = ?",
                        [(r[4], r[0]) for r in changed if not r[6]])
    return len(new_procedures)


class _StoredRows:
    """A woman's contraception rows in the database (one procedure at a time)."""

    def __init__(self, db, woman_id: int) -> None:
        self.db, self.woman_id = db, woman_id

    def same(self, method: str, on: str) -> tuple[int, int | None] | None:
        return self.db.execute("select id, procedure_id from contraception where woman_id = ? and method = ?"
                               " and start_date = ?", [self.woman_id, method, on]).fetchone()

    def current(self) -> tuple[int, str, str] | None:
        return self.db.execute("select id, start_date, method from contraception where woman_id = ?"
                               " and end_date is null order by start_date desc, id desc limit 1",
                               [self.woman_id]).fetchone()

    def iud_ends_on(self, on: str) -> bool:
        return self.db.execute("select 1 from contraception where woman_id = ? and method = '宫内节育器'"
                               " and end_date = ?", [self.woman_id, on]).fetchone() is not None

    def open_iud(self, on: str) -> int | None:
        row = self.db.execute("select id from contraception where woman_id = ? and method = '宫内节育器'"
                              " and start_date <= ? and end_date is null order by start_date desc, id desc limit 1",
                              [self.woman_id, on]).fetchone()
        return row[0] if row else None

    def link(self, measure_id: int, procedure_id: int) -> None:
        self.db.execute("update contraception set procedure_id = ? where id = ?", [procedure_id, measure_id])

    def close(self, measure_id: int, on: str) -> None:
        self.db.execute("update contraception set end_date = ? where id = ?", [on, measure_id])

    def open(self, method: str, on: str, end: str | None, provider: str | None, procedure_id: int | None,
             now: str) -> int:
        return self.db.execute("insert into contraception (woman_id, method, start_date, end_date, provider,"
                               " procedure_id, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                               [self.woman_id, method, on, end, provider, procedure_id, now]).lastrowid


class _MemoryRows:
    """The same questions and changes over a woman's rows held in memory by `add_procedures`:
    [id, method, start, end, procedure_id, state, end changed] — state False (stored,
    unchanged), "changed" (stored, to update) or "new" (to insert; listed in `opened` with its
    provider)."""

    def __init__(self, rows: list[list], woman_id: int, counter: list[int], opened: list) -> None:
        self.rows, self.woman_id, self.counter, self.opened = rows, woman_id, counter, opened

    def _latest(self, rows) -> list | None:
        return max(rows, key=lambda r: (r[2], r[0]), default=None)

    def same(self, method: str, on: str) -> tuple[int, int | None] | None:
        found = next((r for r in self.rows if r[1] == method and r[2] == on), None)
        return (found[0], found[4]) if found else None

    def current(self) -> tuple[int, str, str] | None:
        found = self._latest([r for r in self.rows if r[3] is None])
        return (found[0], found[2], found[1]) if found else None

    def iud_ends_on(self, on: str) -> bool:
        return any(r[1] == "宫内节育器" and r[3] == on for r in self.rows)

    def open_iud(self, on: str) -> int | None:
        found = self._latest([r for r in self.rows if r[1] == "宫内节育器" and r[2] <= on and r[3] is None])
        return found[0] if found else None

    def _set(self, measure_id: int, field: int, value) -> None:
        row = next(r for r in self.rows if r[0] == measure_id)
        row[field] = value
        if row[5] is False:
            row[5] = "changed"
        if field == 3:
            row[6] = True

    def link(self, measure_id: int, procedure_id: int) -> None:
        self._set(measure_id, 4, procedure_id)

    def close(self, measure_id: int, on: str) -> None:
        self._set(measure_id, 3, on)

    def open(self, method: str, on: str, end: str | None, provider: str | None, procedure_id: int | None,
             now: str) -> int:
        self.counter[0] += 1
        row = [self.counter[0], method, on, end, procedure_id, "new", False]
        self.rows.append(row)
        self.opened.append((self.woman_id, row, provider))
        return self.counter[0]


def _apply(rows, kind: str, on: str, provider: str | None, procedure_id: int | None, now: str) -> dict[str, Any]:
    """THE rule (module docstring), over either row store."""
    if kind in OPENS:
        return _open(rows, OPENS[kind], on, provider, procedure_id, now)
    if kind == REMOVES_IUD:
        return _remove_iud(rows, on)
    return {}


def _open(rows, method: str, on: str, provider: str | None, procedure_id: int | None, now: str) -> dict:
    same = rows.same(method, on)
    if same:
        if same[1] is None and procedure_id is not None:
            rows.link(same[0], procedure_id)
        return {"linked": {"measure_id": same[0], "method": method, "start_date": on}}
    effect: dict[str, Any] = {}
    current = rows.current()
    end = None
    if current and current[2] in STERILIZATION and method not in STERILIZATION:
        pass    # 上环/皮埋 while sterilized: both rows stay open, the checks list it
    elif current and current[1] <= on:
        rows.close(current[0], on)
        effect["closed"] = {"measure_id": current[0], "method": current[2], "end_date": on}
    elif current:
        end = current[1]
    measure_id = rows.open(method, on, end, provider, procedure_id, now)
    effect["opened"] = {"measure_id": measure_id, "method": method, "start_date": on} | (
        {"end_date": end} if end else {})
    return effect


def _remove_iud(rows, on: str) -> dict:
    if rows.iud_ends_on(on):
        return {}
    found = rows.open_iud(on)
    if found is None:
        return {}
    rows.close(found, on)
    return {"closed": {"measure_id": found, "method": "宫内节育器", "end_date": on}}
