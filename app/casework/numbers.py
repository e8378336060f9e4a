"""Case numbers (编号) of 生育登记 and 证明 letters: `YYYY-NNNN`, by kind and year, never reused.

Rules:
- A number is taken inside the issuing transaction by ONE statement on `case_numbers` that is
  the transaction's first write (`take`): SQLite's write lock serialises two connections (two
  windows' workers, two threads) issuing at once, so each gets its own number, and a
  transaction that is rolled back gives its number back (nothing was printed with it).
- Never reused across a restore: restoring an older backup brings back an older counter, but
  numbers issued after that backup may already be printed and handed out. So every issued
  number is also written, after its commit, to a small high-water-mark file beside the
  backups (`<ledger>-备份/case-numbers.json`, {"<kind>|<year>": last}); `take` starts from the
  larger of the ledger's counter and that mark. Why there: the backup folder is the one place
  that survives a restore of the ledger file (restore swaps only the file), it travels with
  the ledger (app.paths.backup_dir_for) and already holds the audit anchors for the same
  reason. A ledger copied away without its backup folder starts from its own counter (the
  registrations and letters it holds are still never renumbered).
- The mark file is rewritten atomically (temp file, fsync, replace) under a process lock, and
  only ever grows (the max of what it held and what was issued); an unreadable file is
  treated as empty rather than blocking the counter (the ledger's own counter still holds).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import sqlite_utils

from app.atomic import write_atomic
from app.paths import backup_dir_for
from app.private_files import private_dir

MARK_FILE = "case-numbers.json"
WIDTH = 4
_lock = threading.Lock()


def format_number(year: int, serial: int) -> str:
    """`2026-0001` (four digits; a fifth appears past 9,999 rather than wrapping)."""
    return f"{year:04d}-{serial:0{WIDTH}d}"


def mark_path(ledger) -> Path:
    return backup_dir_for(Path(ledger.path)) / MARK_FILE


def _read(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}


def high_water(ledger, kind: str, year: int) -> int:
    """The highest number of `kind` and `year` ever issued beside this ledger (0: none known)."""
    return _read(mark_path(ledger)).get(f"{kind}|{year}", 0)


def take(db: sqlite_utils.Database, kind: str, year: int, floor: int = 0) -> int:
    """The next serial of `kind` in `year`: one more than the larger of the ledger's counter and
    `floor` (the high-water mark). Call it as the first write of the issuing transaction."""
    row = db.execute(
        "insert into case_numbers (kind, year, last) values (?, ?, ? + 1)"
        " on conflict (kind, year) do update set last = max(last, excluded.last - 1) + 1"
        " returning last", [kind, year, floor]).fetchone()
    return int(row[0])


def remember(ledger, kind: str, year: int, serial: int) -> None:
    """Raise the high-water mark after the number's transaction committed (see the rules)."""
    path = mark_path(ledger)
    key = f"{kind}|{year}"
    with _lock:
        private_dir(path.parent)        # 0700, as every backup-folder file
        marks = _read(path)
        if marks.get(key, 0) >= serial:
            return
        marks[key] = serial
        write_atomic(path, json.dumps(marks, ensure_ascii=False, sort_keys=True))
