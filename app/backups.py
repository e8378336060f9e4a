"""Automatic and manual backups through the SQLite backup API, verified and rotated.

Rules:
- A backup is written to a temporary file beside its final name, checked with `quick_check`
  and the ledger's application_id, then renamed into place: a half-written backup never
  carries a backup's name.
- File names are `<stem>-YYYYMMDD-HHMMSS-<reason>.db`; the reason is one of REASONS.
- Rotation keeps the newest backup of each of the 7 most recent days that have one, of each of
  the 4 most recent ISO weeks, and of each of the 12 most recent months (grandfather-father-son);
  the 3 newest backups are always kept too, so the state just before an import or restore
  survives even when several happen in a day. Everything else in the folder with our name
  pattern is deleted; other files are never touched.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

APPLICATION_ID = 0x46504C47  # 'FPLG'
REASONS = ("每日", "升级前", "导入前", "恢复前", "手动")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_NEWEST = 7, 4, 12, 3

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^-.]+)\.db$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Open a database file read-only; the path is percent-encoded so '#', '?' or '%' in a
    folder name cannot be taken for parts of the URI."""
    return sqlite3.connect(f"file:{quote(Path(path).as_posix(), safe='/:')}?mode=ro", uri=True)


def verify_file(path: Path) -> str | None:
    """None when `path` is a healthy ledger file, else the reason in Chinese."""
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
            result = conn.execute("pragma quick_check").fetchone()[0]
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


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """Consistent copy of a live database (WAL included) to `dest` via a temp file + rename."""
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        target.execute("pragma journal_mode=delete")
    finally:
        target.close()
    with open(tmp, "rb+") as handle:  # Windows flushes only handles opened for writing
        os.fsync(handle.fileno())
    problem = verify_file(tmp)
    if problem:
        tmp.unlink(missing_ok=True)
        raise OSError(f"备份校验失败：{problem}")
    os.replace(tmp, dest)


def make_backup(source: sqlite3.Connection, folder: Path, stem: str, reason: str,
                now: datetime | None = None) -> Backup:
    if reason not in REASONS:
        raise ValueError(reason)
    now = now or datetime.now()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{stem}-{now:%Y%m%d-%H%M%S}-{reason}.db"
    dest = folder / name
    counter = 1
    while dest.exists():  # two backups in one second (import right after the daily one)
        counter += 1
        dest = folder / f"{stem}-{now:%Y%m%d-%H%M%S}-{reason}{counter}.db"
    copy_database(source, dest)
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
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def to_keep(backups: list[Backup]) -> set[Path]:
    """The rotation rule (see module docstring) applied to a newest-first list."""
    keep: set[Path] = {b.path for b in backups[:KEEP_NEWEST]}
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
        if verify_file(backup.path) is None:
            return backup
    return None
