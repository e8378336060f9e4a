"""The full integrity check (完整性检查) of a ledger: when a backup is verified and weekly when idle.

Rules:
- `pragma integrity_check` reads every page and checks every index against its table. The
  `quick_check` run at each open skips the index comparison and misses a bit flip in an index
  page. The full check costs ~2.4 s on a district ledger (0.2 s for quick_check), so the
  desktop program runs it on a worker connection after IDLE_SECONDS without input, at most
  once every CHECK_EVERY (ui.integrity_watch).
- Every verified backup counts as a check of the live ledger too: a backup is a page-exact
  copy of its committed state, checked with integrity_check before it gets its name
  (app.backups.copy_database), so a damaged index is found at the next backup.
- The latest outcome is kept in meta (`last_integrity_check` = ISO time,
  `last_integrity_result` = 'ok' or SQLite's findings) and shown in 关于 and the status bar.
  Recording it is not a user action: no audit entry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class OpenLedger(Protocol):
    """What the check uses of an open ledger (app.ledger.Ledger, which imports this module:
    typed by this protocol so the module does not import it back)."""

    @property
    def conn(self) -> sqlite3.Connection: ...

    def note(self, **values: str) -> None: ...

CHECK_EVERY = timedelta(days=7)
IDLE_SECONDS = 120
MAX_FINDINGS = 20
STOP_POLL_STEPS = 10_000  # SQLite steps between two polls of `should_stop` (cost within noise)
OK = "ok"


@dataclass(frozen=True)
class Outcome:
    at: datetime
    result: str  # 'ok' or SQLite's findings joined by '；'

    @property
    def ok(self) -> bool:
        return self.result == OK


def last(db) -> Outcome | None:
    """The latest recorded outcome, or None when the ledger was never checked fully."""
    rows = dict(db.execute("select key, value from meta where key in"
                           " ('last_integrity_check', 'last_integrity_result')").fetchall())
    if "last_integrity_check" not in rows:
        return None
    try:
        at = datetime.fromisoformat(rows["last_integrity_check"])
    except ValueError:
        return None
    return Outcome(at, rows.get("last_integrity_result") or "")


def due(db, now: datetime | None = None) -> bool:
    """True when the last full check is older than CHECK_EVERY (or there was none)."""
    previous = last(db)
    return previous is None or (now or datetime.now()) - previous.at >= CHECK_EVERY


def record(ledger: OpenLedger, result: str, now: datetime | None = None) -> Outcome:
    """Keep `result` as the latest outcome (bookkeeping: `Ledger.note`)."""
    outcome = Outcome((now or datetime.now()).replace(microsecond=0), result)
    ledger.note(last_integrity_check=outcome.at.isoformat(), last_integrity_result=outcome.result)
    return outcome


class CheckStopped(Exception):
    """`should_stop` asked the check to stop (the user came back); nothing was recorded."""


def run(ledger: OpenLedger, now: datetime | None = None, should_stop: Callable[[], bool] | None = None) -> Outcome:
    """Run integrity_check on `ledger`'s connection and record the outcome.

    `should_stop()` is polled while SQLite works; True interrupts the check (CheckStopped)."""
    conn = ledger.conn
    if should_stop is not None:
        conn.set_progress_handler(lambda: 1 if should_stop() else 0, STOP_POLL_STEPS)
    try:
        rows = conn.execute(f"pragma integrity_check({MAX_FINDINGS})").fetchall()
    except sqlite3.OperationalError as exc:
        if should_stop is not None and should_stop():
            raise CheckStopped from exc
        raise
    finally:
        if should_stop is not None:
            conn.set_progress_handler(None, 0)
    return record(ledger, "；".join(str(row[0]) for row in rows), now)
