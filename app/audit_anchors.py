"""Audit anchors (审计锚点): the log's head recorded outside the log, checked by `audit-verify`.

Rules:
- Every backup taken of a ledger (每日, 升级前, 导入前, 手动, and a copy to a chosen file) appends
  one JSON line to `audit-anchors.jsonl` in the ledger's backup folder: the backup's file name,
  when it was taken, the ledger id and the head read from the backup file itself (rows, last id,
  hash), so the anchor states exactly what that backup holds.
- One file per backup folder, only ever appended: rotation deletes backup files only
  (`<stem>-<stamp>-<reason>.db`), so the anchors of rotated-away backups survive it and a
  truncation older than every kept backup is still caught. (A `<backup>.anchor.json` beside
  each backup would go with its backup.)
- A line that cannot be read (a crash in mid-append) is skipped and counted, never fatal.
- An export manifest's `audit_head` is an anchor too (`--anchor manifest.json`). It leaves the
  office with the package, out of reach of whoever can rewrite both the ledger and its folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from app import audit, backups
from app.errors import UserInputError

ANCHORS_FILE = "audit-anchors.jsonl"
BACKUP_KIND, MANIFEST_KIND = "备份", "导出清单"


@dataclass(frozen=True)
class FolderAnchors:
    anchors: list[audit.Anchor]
    unreadable: int


def record_backup(backup: backups.Backup, folder: Path) -> audit.Anchor:
    """Append the anchor of a just-written backup file to `folder`'s anchor file."""
    conn = backups.connect_read_only(backup.path)
    try:
        db = sqlite_utils.Database(conn)
        head = audit.head(db)
        row = conn.execute("select value from meta where key = 'ledger_id'").fetchone()
    finally:
        conn.close()
    source = backup.path.name if backup.path.parent.resolve() == folder.resolve() else str(backup.path)
    line = {"file": source, "at": backup.taken_at.isoformat(timespec="seconds"),
            "ledger_id": row[0] if row else None,
            "rows": head.rows, "last_id": head.last_id, "hash": head.hash}
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ANCHORS_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return _anchor(BACKUP_KIND, source, line)


def read_folder(folder: Path) -> FolderAnchors:
    """Every anchor in `folder`'s anchor file, oldest first (none when there is no file)."""
    path = folder / ANCHORS_FILE
    if not path.is_file():
        return FolderAnchors([], 0)
    found: list[audit.Anchor] = []
    unreadable = 0
    for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            found.append(_anchor(BACKUP_KIND, str(line["file"]), line))
        except (ValueError, TypeError, KeyError, AttributeError):
            unreadable += 1
    return FolderAnchors(found, unreadable)


def read_manifest(path: Path) -> audit.Anchor:
    """The anchor an export manifest carries; UserInputError when it has none or is unreadable."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserInputError(f"无法读取锚点文件“{path}”：{exc}") from exc
    head = document.get("audit_head") if isinstance(document, dict) else None
    if not isinstance(head, dict):
        raise UserInputError(f"“{path}”里没有审计日志链头（audit_head）：它不是导出清单，"
                             "或者是旧版本导出的清单。")
    try:
        return _anchor(MANIFEST_KIND, str(path), {**head, "at": document["created_at"],
                                                  "ledger_id": document.get("ledger_id")})
    except (ValueError, TypeError, KeyError) as exc:
        raise UserInputError(f"“{path}”的审计日志链头不完整：{exc}") from exc


def _anchor(kind: str, source: str, fields: dict) -> audit.Anchor:
    at = datetime.fromisoformat(str(fields["at"]))
    if at.tzinfo is not None:  # manifests carry the UTC offset; the log keeps local time
        at = at.astimezone().replace(tzinfo=None)
    rows, digest = int(fields["rows"]), str(fields["hash"])
    if rows < 0 or len(digest) != 64:
        raise ValueError(f"锚点的条数或哈希无效（{rows}，{digest}）")
    return audit.Anchor(kind, source, at, rows, digest, fields.get("ledger_id") or None)
