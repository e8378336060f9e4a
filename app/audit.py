"""Audit log (审计日志): append-only, hash-chained record of every change, export and view.

Invariants:
- Rows are only ever inserted; triggers in the schema abort UPDATE and DELETE.
- Each row's `hash` is SHA-256 over the previous row's hash and this row's fields (canonical
  JSON), so editing or removing a row by other means breaks the chain at that row.
- `record` must run inside the transaction of the change it records, so both land or neither.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

GENESIS = "0" * 64


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _row_hash(prev_hash: str, at: str, user: str, action: str, object_type: str | None,
              object_id: str | None, before: str | None, after: str | None) -> str:
    payload = json.dumps([prev_hash, at, user, action, object_type, object_id, before, after],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(db: sqlite_utils.Database, user: str, action: str, object_type: str | None = None,
           object_id: Any = None, before: Any = None, after: Any = None) -> int:
    """Append one entry; returns its id. `before`/`after` are any JSON-able values."""
    last = db.execute("select hash from audit_log order by id desc limit 1").fetchone()
    prev_hash = last[0] if last else GENESIS
    at = datetime.now().isoformat(timespec="microseconds")
    oid = None if object_id is None else str(object_id)
    before_text, after_text = _canonical(before), _canonical(after)
    digest = _row_hash(prev_hash, at, user, action, object_type, oid, before_text, after_text)
    cursor = db.execute(
        "insert into audit_log (at, user, action, object_type, object_id, before, after, prev_hash, hash)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [at, user, action, object_type, oid, before_text, after_text, prev_hash, digest],
    )
    return cursor.lastrowid


@dataclass(frozen=True)
class ChainReport:
    rows_checked: int
    first_broken_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(db: sqlite_utils.Database) -> ChainReport:
    """Walk the log in id order; name the first row whose link or hash does not hold."""
    expected_prev = GENESIS
    count = 0
    previous_id = 0
    for row in db.execute(
        "select id, at, user, action, object_type, object_id, before, after, prev_hash, hash"
        " from audit_log order by id"
    ):
        count += 1
        rid, at, user, action, otype, oid, before, after, prev_hash, digest = row
        if prev_hash != expected_prev:
            reason = "与上一条记录的链接不符（有记录被删除或插入）"
            if rid != previous_id + 1:
                reason = f"第 {previous_id + 1}–{rid - 1} 条记录缺失"
            return ChainReport(count, rid, reason)
        if _row_hash(prev_hash, at, user, action, otype, oid, before, after) != digest:
            return ChainReport(count, rid, "记录内容与其校验值不符（被篡改）")
        expected_prev = digest
        previous_id = rid
    return ChainReport(count, None, None)


def entries_for(db: sqlite_utils.Database, object_type: str, object_id: Any) -> Iterator[dict]:
    """The history of one object, oldest first (used for a card's 变动记录)."""
    cursor = db.execute(
        "select id, at, user, action, before, after from audit_log"
        " where object_type = ? and object_id = ? order by id",
        [object_type, str(object_id)],
    )
    for rid, at, user, action, before, after in cursor:
        yield {"id": rid, "at": at, "user": user, "action": action,
               "before": json.loads(before) if before else None,
               "after": json.loads(after) if after else None}
