"""Reading the audit log (审计日志) as a person: browse and export, masked, for 局长/管理员.

Rules:
- Both need `view_audit_log` (app.accounts.PERMISSIONS) and are themselves audited (查看审计日志,
  导出审计日志): who looked at the record of who looked.
- ID and phone numbers inside an entry's before/after are masked (app.masking.mask_text) in
  what is shown and exported; the log itself keeps what was recorded.
- Newest first; `text` filters on the user, the action or the object (a substring).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.masking import mask_text

if TYPE_CHECKING:
    from app.ledger import Ledger

COLUMNS = ("编号", "时间", "用户", "操作", "对象类型", "对象", "变动前", "变动后")


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    user: str
    action: str
    object_type: str
    object_id: str
    before: str
    after: str

    def cells(self) -> tuple[str, ...]:
        return (str(self.id), self.at, self.user, self.action, self.object_type, self.object_id,
                self.before, self.after)


def _shown(value: str | None) -> str:
    if not value:
        return ""
    try:
        text = json.dumps(json.loads(value), ensure_ascii=False)
    except ValueError:
        text = value
    return mask_text(text)


def _query(ledger: Ledger, text: str, limit: int | None) -> list[Entry]:
    sql = "select id, at, user, action, object_type, object_id, before, after from audit_log"
    params: list = []
    if text.strip():
        sql += " where user like ? or action like ? or object_id like ? or object_type like ?"
        params = [f"%{text.strip()}%"] * 4
    sql += " order by id desc"
    if limit is not None:
        sql += f" limit {int(limit)}"
    return [Entry(rid, at.replace("T", " ")[:19], user, action, otype or "", mask_text(oid or ""),
                  _shown(before), _shown(after))
            for rid, at, user, action, otype, oid, before, after in ledger.db.execute(sql, params)]


def browse(ledger: Ledger, text: str = "", limit: int = 2000) -> list[Entry]:
    """The newest `limit` entries matching `text`, masked; audited (查看审计日志)."""
    ledger.require("view_audit_log")
    entries = _query(ledger, text, limit)
    ledger.audit("查看审计日志", "audit_log", None, after={"filter": text.strip(), "shown": len(entries)})
    return entries


def export(ledger: Ledger, path: str | os.PathLike[str], text: str = "") -> Path:
    """Every entry matching `text`, masked, as an .xlsx sheet (cells are text); audited (导出审计日志)."""
    from app.exchange.table_export import write_table

    ledger.require("view_audit_log")
    entries = _query(ledger, text, None)
    target = write_table(path, COLUMNS, [e.cells() for e in entries], "审计日志")
    ledger.audit("导出审计日志", "audit_log", target.name, after={"filter": text.strip(), "rows": len(entries)})
    return target
