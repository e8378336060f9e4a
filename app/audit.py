"""Audit log (审计日志): append-only, hash-chained record of every change, export and view.

Invariants:
- Rows are only ever inserted; triggers in the schema abort UPDATE and DELETE.
- Each row's `hash` is SHA-256 over the previous row's hash and this row's fields (canonical
  JSON), so editing or removing a row by other means breaks the chain at that row.
- `record` must run inside the transaction of the change it records, so both land or neither.
- The first row is the genesis (起始记录): the 创建台帐 entry Ledger.create writes in the
  creation transaction. Every ledger since 0.1.0 has one, so old ledgers need no migration; an
  empty log, or one whose first row is anything else, is broken.
- A chain alone cannot tell a whole rewrite with recomputed hashes, or a cut tail, from the
  truth: anchors (锚点) can. Every backup appends the head it holds to the backup folder's
  anchor file (app/audit_anchors.py) and every export manifest carries `audit_head`;
  `verify_chain(db, anchors)` names each anchor the log contradicts.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

GENESIS = "0" * 64
GENESIS_ACTION = "创建台帐"  # the first row of every log, written by Ledger.create
RESTORE_ACTION = "恢复台帐"


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
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


@dataclass(frozen=True)
class Head:
    """The chain's head (链头): how many rows, the last row's id and hash."""

    rows: int
    last_id: int | None
    hash: str


def head(db: sqlite_utils.Database) -> Head:
    last = db.execute("select id, hash from audit_log order by id desc limit 1").fetchone()
    if last is None:
        return Head(0, None, GENESIS)
    rows = db.execute("select count(*) from audit_log").fetchone()[0]
    return Head(rows, last[0], last[1])


@dataclass(frozen=True)
class Anchor:
    """A head recorded outside the log (锚点): by a backup or in an export manifest.

    `kind` is 备份 or 导出清单; `source` names the file it came from; `at` is local time.
    """

    kind: str
    source: str
    at: datetime
    rows: int
    hash: str
    ledger_id: str | None = None


# Outcome of checking one anchor. CONTRADICTING ones make the report not ok.
ANCHOR_OK, REWRITTEN, TRUNCATED, FOREIGN, SUPERSEDED = "ok", "rewritten", "truncated", "foreign", "superseded"
CONTRADICTING = (REWRITTEN, TRUNCATED, FOREIGN)


@dataclass(frozen=True)
class AnchorCheck:
    anchor: Anchor
    status: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    """`rows_checked`: rows walked; `first_broken_id`/`reason`: the first fault of the chain itself
    (an empty log has a reason and no id); `anchors`: one check per anchor given."""

    rows_checked: int
    first_broken_id: int | None
    reason: str | None
    anchors: tuple[AnchorCheck, ...] = ()

    @property
    def contradicted(self) -> list[AnchorCheck]:
        return [check for check in self.anchors if check.status in CONTRADICTING]

    @property
    def chain_ok(self) -> bool:
        return self.reason is None

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.contradicted


def _short(digest: str) -> str:
    return digest[:8] + "…"


@dataclass(frozen=True)
class _Restore:
    """A 恢复台帐 row that records the head of the backup it brought back."""

    at: datetime
    rows: int
    hash: str


def _restore_of(at: str, action: str, after: str | None) -> _Restore | None:
    if action != RESTORE_ACTION or not after:
        return None
    try:
        restored = json.loads(after).get("restored_head") or {}
        return _Restore(datetime.fromisoformat(at), int(restored["rows"]), str(restored["hash"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _check_anchor(anchor: Anchor, total: int, hashes: dict[int, str], restores: list[_Restore],
                  ledger_id: str | None) -> AnchorCheck:
    said = (f"截至 {anchor.at:%Y-%m-%d %H:%M} 的{anchor.kind}锚点（{anchor.source}）记录 "
            f"{anchor.rows:,} 条、哈希 {_short(anchor.hash)}")
    if anchor.ledger_id and ledger_id and anchor.ledger_id != ledger_id:
        return AnchorCheck(anchor, FOREIGN, f"{said}，但它属于另一个台帐（标识 {anchor.ledger_id}），本台帐的标识是"
                                            f" {ledger_id}：台帐文件被换过，或日志连同台帐标识被改写")
    if anchor.rows == 0 or hashes.get(anchor.rows) == anchor.hash:  # a backup of an emptied log claims nothing
        return AnchorCheck(anchor, ANCHOR_OK, f"{said}，与现在的日志相符")
    for restore in restores:  # a restore legitimately replaces what was logged after its backup
        if anchor.at < restore.at and anchor.rows > restore.rows and hashes.get(restore.rows) == restore.hash:
            return AnchorCheck(anchor, SUPERSEDED,
                               f"{said}；台帐于 {restore.at:%Y-%m-%d %H:%M} 从备份恢复到第 {restore.rows:,} 条，"
                               "这个锚点记录的是恢复时被替换掉的日志，不再核对")
    if total < anchor.rows:
        return AnchorCheck(anchor, TRUNCATED, f"{said}；现在只有 {total:,} 条：日志被截断")
    return AnchorCheck(anchor, REWRITTEN,
                       f"{said}；现在的日志第 {anchor.rows:,} 条的哈希不同：日志在此之前被改写")


def verify_chain(db: sqlite_utils.Database, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Verify the log: (1) every row links to the one before and its hash covers its content;
    (2) the first row is the genesis (起始记录: id 1, 创建台帐, linked to the all-zero hash) — an
    empty log or one without its genesis is broken, since deleting rows from the front or all of
    them would otherwise verify; (3) every anchor agrees: the log has at least `rows` rows and its
    row number `rows` carries the anchor's hash. A rewrite with recomputed hashes contradicts
    every anchor taken after the rewritten row; a cut tail contradicts every anchor past the cut.
    An anchor taken before a 恢复台帐 and lying beyond the head that restore brought back is
    superseded, not contradicted (the restore row records that head and must itself agree)."""
    wanted = {anchor.rows for anchor in anchors}
    hashes: dict[int, str] = {}
    restores: list[_Restore] = []
    broken_id: int | None = None
    reason: str | None = None
    expected_prev = GENESIS
    count = 0
    previous_id = 0
    for row in db.execute(
        "select id, at, user, action, object_type, object_id, before, after, prev_hash, hash"
        " from audit_log order by id"
    ):
        count += 1
        rid, at, user, action, otype, oid, before, after, prev_hash, digest = row
        if count in wanted:
            hashes[count] = digest
        if reason is None:
            if count == 1 and (rid != 1 or action != GENESIS_ACTION or otype != "ledger"):
                broken_id, reason = rid, (f"第一条记录不是创建台帐的起始记录（而是“{action}”，编号 {rid}）："
                                          "日志开头的记录被删除或替换")
            elif prev_hash != expected_prev:
                reason = "与上一条记录的链接不符（有记录被删除或插入）"
                if rid != previous_id + 1:
                    reason = f"第 {previous_id + 1}–{rid - 1} 条记录缺失"
                broken_id = rid
            elif _row_hash(prev_hash, at, user, action, otype, oid, before, after) != digest:
                broken_id, reason = rid, "记录内容与其校验值不符（被篡改）"
        restore = _restore_of(at, action, after)
        if restore is not None:
            restores.append(restore)
        expected_prev = digest
        previous_id = rid
    if count == 0:
        reason = "审计日志是空的，连创建台帐的起始记录都没有：日志被整体删除"
    ledger_id = _ledger_id(db)
    checks = tuple(_check_anchor(anchor, count, hashes, restores, ledger_id) for anchor in anchors)
    return ChainReport(count, broken_id, reason, checks)


def _ledger_id(db: sqlite_utils.Database) -> str | None:
    try:
        row = db.execute("select value from meta where key = 'ledger_id'").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


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
