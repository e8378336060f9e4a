"""The `手工台帐` sheet: the manual ledger's counts per unit, period and item (篇三 point 8).

Rows are keyed by (单位代码, 统计期, 项目); a known key with another 人数 is an update, listed in
the summary and audited. 项目 is one of app.reconcile.manual.ITEMS; 统计期 a period code
(DOMAIN.md §4); 人数 an integer ≥ 0; the unit must exist on the period's end.
"""

from __future__ import annotations

from datetime import datetime

from app import audit, units
from app.errors import UserInputError
from app.exchange.import_base import ImportContext, Sheet, SheetSpec
from app.periods import Period
from app.reconcile.manual import ITEMS

COLUMNS = ("单位代码*", "统计期*", "项目*", "人数*")


def handle(ctx: ImportContext, sheet: Sheet) -> None:
    summary = ctx.summary(sheet.name)
    stat_start = int(ctx.db.execute("select value from meta where key = 'stat_year_start'").fetchone()[0])
    seen: dict[tuple, int] = {}
    now = datetime.now().isoformat(timespec="seconds")
    for row in ctx.rows(sheet):
        code = row.text("单位代码", required=True, max_length=40)
        raw_period = row.text("统计期", required=True, max_length=40)
        item = row.choice("项目", ITEMS, required=True)
        count = row.integer("人数", required=True, minimum=0)
        period = None
        if raw_period:
            try:
                period = Period.parse(raw_period, stat_start)
            except UserInputError as exc:
                row.error("统计期", str(exc))
        unit = units.find(ctx.db, code, period.end) if code and period else None
        if code and period and unit is None:
            row.error("单位代码", f"“{code}”在 {period.end.isoformat()} 不存在")
        if not row.ok or unit is None or period is None:   # (row.ok: both were found)
            continue
        key = (code, period.code, item)
        if key in seen:
            row.error("项目", f"与第 {seen[key]} 行重复")
            continue
        seen[key] = row.number
        old = ctx.db.execute("select count from manual_ledger where unit_id = ? and period = ? and item = ?",
                             [unit.id, period.code, item]).fetchone()
        if old and old[0] == count:
            summary.unchanged += 1
            continue
        ctx.db.execute("insert or replace into manual_ledger (unit_id, period, item, count, entered_by, entered_at)"
                       " values (?, ?, ?, ?, ?, ?)", [unit.id, period.code, item, count, ctx.actor, now])
        if old:
            summary.updated += 1
            summary.updates.append(f"{code} {period.code} {item}: 人数 {old[0]} → {count}")
            audit.record(ctx.db, ctx.actor, "导入修改手工台帐", "manual_ledger", f"{code}:{period.code}:{item}",
                         before=old[0], after=count)
        else:
            summary.inserted += 1


SPEC = SheetSpec("手工台帐", COLUMNS, handle)
