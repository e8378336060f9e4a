"""Append-only schema migrations, recorded in the ledger file.

Rules:
- Never edit a migration once a release has shipped it; append a new one.
- Each migration runs inside the caller's transaction (the Ledger backs the file up first).
- A ledger that records a migration this code does not know was written by a newer version
  and is refused (Anki's rule).
- Domain modules own their migrations (`app/schema/*.py`) and are listed here in order.
- There is no 0007: the number was skipped in the first release (no migration ever had it, so no
  ledger records it); numbers are never reused or filled in later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlite_utils

from app.errors import LedgerTooNew
from app.schema import attendance as attendance_schema
from app.schema import casework as casework_schema
from app.schema import core, late_entries, registry
from app.schema import name_readings as name_readings_schema
from app.schema import reconcile as reconcile_schema
from app.schema import reports as reports_schema
from app.schema import roster as roster_schema
from app.schema import search as search_schema

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]

MIGRATIONS: list[Migration] = [
    ("0001_initial", core.create),
    ("0002_registry", registry.create),
    ("0003_search", search_schema.create),
    ("0004_reports", reports_schema.create),
    ("0005_roster", roster_schema.create),
    ("0006_attendance", attendance_schema.create),
    ("0008_reconcile", reconcile_schema.create),
    ("0009_search_lean", search_schema.lean_create),
    ("0010_late_entries", late_entries.create),
    ("0011_name_readings", name_readings_schema.create),
    ("0013_casework", casework_schema.create),
]

KNOWN = {name for name, _ in MIGRATIONS}


def applied(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [row[0] for row in db.execute("select name from _migrations order by name").fetchall()]


def pending(db: sqlite_utils.Database) -> list[Migration]:
    """Migrations still to apply; raises LedgerTooNew for a ledger from a newer version."""
    done = applied(db)
    unknown = [name for name in done if name not in KNOWN]
    if unknown:
        raise LedgerTooNew(
            f"这个台帐文件由更新版本的计生台帐写入（包含本版本不认识的结构更新 {', '.join(unknown)}），"
            "不能用当前版本打开。请安装最新版本后再打开。"
        )
    return [(name, fn) for name, fn in MIGRATIONS if name not in done]


def apply(db: sqlite_utils.Database, migrations: list[Migration]) -> None:
    """Apply in order inside the current transaction and record each one."""
    db.execute(
        "create table if not exists _migrations (name text primary key, applied_at text not null)"
    )
    for name, fn in migrations:
        fn(db)
        db.execute(
            "insert into _migrations (name, applied_at) values (?, ?)",
            [name, datetime.now().isoformat(timespec="seconds")],
        )
