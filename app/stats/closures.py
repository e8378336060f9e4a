"""The stored closes of periods (报表期关账), read only: the standing close of a period and its
frozen snapshot (DOMAIN.md §4).

Below app.stats.period_figures (which answers a closed period from its snapshot) and
app/closing.py (which takes the snapshot — from period_figures' computation — and writes the
close); neither is imported here. app/closing.py re-exports these names.
"""

from __future__ import annotations

import json

import sqlite_utils

from app import units
from app.periods import Period
from app.stats.scope import meta

WHOLE = "*"


def resolve_period(db: sqlite_utils.Database, code: str | Period) -> Period:
    if isinstance(code, Period):
        return code
    return Period.parse(code, int(meta(db, "stat_year_start", "10") or 10))


def current_closure(db: sqlite_utils.Database, period: str | Period) -> dict | None:
    """The period's standing close (not reopened), with its snapshot parsed; None if open."""
    if "period_closures" not in db.table_names():
        return None
    p = resolve_period(db, period)
    rows = list(db.query(
        "select * from period_closures where start_date = ? and end_date = ? and reopened_at is null",
        [p.start.isoformat(), p.end.isoformat()]))
    if not rows:
        return None
    row = rows[0]
    row["snapshot"] = json.loads(row["snapshot"])
    row["files"] = json.loads(row["files"]) if row["files"] else {}
    return row


def standing_closes(db: sqlite_utils.Database) -> list[dict]:
    """Every standing close (any period kind, not reopened), without the snapshots, oldest
    first: period, start_date, end_date, closed_at — `current_closure`'s notion for all periods."""
    if "period_closures" not in db.table_names():
        return []
    return [dict(r) for r in db.query(
        "select period, start_date, end_date, closed_at from period_closures where reopened_at is null"
        " order by start_date, end_date")]


def snapshot_figures(closure: dict | None, unit: units.Unit | None) -> dict | None:
    """A copy of the frozen figures of `unit` (None = whole ledger), or None if not frozen."""
    if not closure:
        return None
    key = unit.code if unit else WHOLE
    figures = closure["snapshot"]["units"].get(key)
    return json.loads(json.dumps(figures)) if figures is not None else None


def snapshot(db: sqlite_utils.Database, period_code: str) -> dict | None:
    """The frozen snapshot of a closed period ({"units": {code or "*": figures}, …}), else None."""
    closure = current_closure(db, period_code)
    return closure["snapshot"] if closure else None
