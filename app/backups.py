"""Automatic and manual backups through the SQLite backup API, verified and rotated.

Rules:
- A backup is written to a temporary file beside its final name (mode 0600, app.atomic),
  checked with `integrity_check` — not only `quick_check`, which misses a bit flip in an index
  page — and the ledger's application_id, then renamed into place: a half-written or damaged
  backup never carries a backup's name. The exceptions are the daily backup (see THOROUGH)
  and opening a ledger, which use the faster `quick_check`; the weekly idle check
  (app.integrity) runs the full one on the live ledger. A backup chosen for a restore, and
  the newest good backup named when a ledger is damaged, are checked fully.
- File names are `<stem>-YYYYMMDD-HHMMSS-<reason>.db`; the reason is one of REASONS.
- Rotation keeps the newest backup of each of the 7 most recent days that have one, of each of
  the 4 most recent ISO weeks, and of each of the 12 most recent months (grandfather-father-son);
  the newest backup of each of the 3 most recent distinct states is always kept too, so the
  state just before an import or restore survives even when several backups of one state are
  taken in a day (a backup's state is its ledger_id and the `state_id` that every committed
  transaction of app.ledger writes; bookkeeping such as the last daily backup writes none).
  An import that is refused deletes its own '导入前' backup before rotation (app.ledger
  BackupBeside). Everything else in the folder with our name pattern is deleted; other files
  are never touched.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from app.atomic import write_atomic
from app.private_files import private_dir

APPLICATION_ID = 0x46504C47  # 'FPLG'
REASONS = ("每日", "升级前", "导入前", "恢复前", "手动")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_NEWEST = 7, 4, 12, 3
# Backups verified with integrity_check. The daily one, taken while the clerk waits for the
# program to open, gets quick_check: integrity_check costs ~2.4 s more on a district ledger
# (0.2 s on a township's), and the weekly idle check (app.integrity) covers the live ledger.
THOROUGH = ("升级前", "导入前", "恢复前", "手动")

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^-.]+)\.db$")


class BackupRefused(OSError):
    """The fresh copy failed verification: the ledger itself is damaged (or the disk)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file read-only; the path is percent-encoded so '#', '?' or '%' in a
    folder name cannot be taken for parts of the URI."""
    return sqlite3.connect(f"file:{quote(Path(path).as_posix(), safe='/:')}?mode=ro", uri=True)


def verify_file(path: Path, thorough: bool = False) -> str | None:
    """None when `path` is a healthy ledger file, else the reason in Chinese.

    `thorough` runs `integrity_check` (every index checked against its table; seconds on a
    district ledger) instead of `quick_check`."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        return f"无法读取文件：{exc}"
    if header != b"SQLite format 3\x00":
        return "不是台帐文件（文件头不是 SQLite 数据库）"
    try:
        conn = connect_read_only(path)
        try:
            check = "integrity_check(20)" if thorough else "quick_check"
            result = "；".join(row[0] for row in conn.execute(f"pragma {check}").fetchall())
            app_id = conn.execute("pragma application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"文件已损坏（{exc}）"
    if result != "ok":
        return f"文件已损坏（完整性检查：{result}）"
    if app_id != APPLICATION_ID:
        return "不是计生台帐文件（应用标识不符）"
    return None


def copy_database(source: sqlite3.Connection, dest: Path, thorough: bool = True,
                  copied: threading.Event | None = None) -> None:
    """Consistent copy of a live database (WAL included) to `dest`, written atomically and
    verified before it takes the name (app.atomic); `thorough=False` verifies it with
    quick_check only (the daily backup, see THOROUGH). `copied` is set once `source` is no
    longer used (the copy is verified after that, on its own connection)."""
    def verified(temp: Path) -> None:
        problem = verify_file(temp, thorough=thorough)
        if problem:
            raise BackupRefused(f"备份校验失败：{problem}")

    write_atomic(dest, lambda temp: copy_into(source, temp, copied), check=verified)


def copy_into(source: sqlite3.Connection, path: Path, copied: threading.Event | None = None) -> None:
    """Copy a live database into the (empty, owner-only) file `path`, rollback journal mode;
    `copied` (if given) is set as soon as `source` is free again."""
    target = sqlite3.connect(path)  # an empty file is a new database to SQLite; it keeps the mode
    try:
        source.backup(target)
        target.execute("pragma journal_mode=delete")
    finally:
        target.close()
        if copied is not None:
            copied.set()


def make_backup(source: sqlite3.Connection, folder: Path, stem: str, reason: str,
                now: datetime | None = None, thorough: bool | None = None,
                copied: threading.Event | None = None) -> Backup:
    if reason not in REASONS:
        raise ValueError(reason)
    now = now or datetime.now()
    private_dir(folder)
    stamp = f"{now:%Y%m%d-%H%M%S}"
    # Several backups in one second (an import right after the daily one) are numbered on, past
    # every number that second already used, whatever its reason: the number orders them.
    used = [_counter(b) for b in list_backups(folder) if f"{b.taken_at:%Y%m%d-%H%M%S}" == stamp
            and b.path.name.startswith(f"{stem}-{stamp}-")]
    dest = folder / f"{stem}-{stamp}-{reason}{max(used) + 1 if used else ''}.db"
    copy_database(source, dest, reason in THOROUGH if thorough is None else thorough, copied)
    return Backup(dest, now, reason)


def list_backups(folder: Path) -> list[Backup]:
    """Backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        found.append(Backup(entry, taken, match["reason"].rstrip("0123456789")))
    return sorted(found, key=lambda b: (b.taken_at, _counter(b), b.path.name), reverse=True)


def _counter(backup: Backup) -> int:
    """The number after the reason of a backup taken in a second that had one already (else 1)."""
    match = _NAME.match(backup.path.name)
    assert match is not None  # a Backup is only made of a name that matches
    digits = match["reason"][len(backup.reason):]
    return int(digits) if digits else 1


def state_of(path: Path) -> str:
    """What a backup holds, as a key equal for two backups of the same state: its ledger_id and
    the `state_id` its last committed transaction wrote (app.ledger); a ledger from before
    state ids, the hash of its newest audit entry. A file that cannot be read is a state of
    its own."""
    try:
        conn = connect_read_only(path)
        try:
            meta = dict(conn.execute("select key, value from meta where key in ('ledger_id', 'state_id')"))
            last = None if "state_id" in meta else \
                conn.execute("select hash from audit_log order by id desc limit 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return f"file:{path}"
    state = meta.get("state_id") or f"audit:{last[0] if last else ''}"
    return f"{meta.get('ledger_id', '')}:{state}"


def to_keep(backups: list[Backup], state=state_of) -> set[Path]:
    """The rotation rule (see module docstring) applied to a newest-first list; `state(path)`
    names what a backup holds."""
    keep: set[Path] = set()
    states: set[str] = set()
    for backup in backups:
        if len(states) == KEEP_NEWEST:
            break
        key = state(backup.path)
        if key not in states:
            states.add(key)
            keep.add(backup.path)
    for key, limit in (
        (lambda b: b.taken_at.date(), KEEP_DAILY),
        (lambda b: b.taken_at.isocalendar()[:2], KEEP_WEEKLY),
        (lambda b: (b.taken_at.year, b.taken_at.month), KEEP_MONTHLY),
    ):
        seen: list = []
        for backup in backups:
            bucket = key(backup)
            if bucket in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(bucket)
            keep.add(backup.path)
    return keep


def rotate(folder: Path) -> list[Path]:
    """Delete backups the rule does not keep; returns what was deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def newest_good(folder: Path) -> Backup | None:
    for backup in list_backups(folder):
        if verify_file(backup.path, thorough=True) is None:
            return backup
    return None
