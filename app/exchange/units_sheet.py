"""The `单位` sheet: organisation units keyed by 单位代码.

A new code adds a unit; a known code whose name or parent differs is a rename or a move on
生效日期 (default: today). Parents may appear later in the sheet than their children.
The codes of rows with an error are left in `ctx.state["failed_units"]` (code -> row), so the
育龄妇女 rows of such a unit say so once (`registry_sheets`) instead of one error each.
"""

from __future__ import annotations

from app import audit, units
from app.errors import UserInputError
from app.exchange.import_base import ImportContext, Sheet, SheetSpec

COLUMNS = ("单位代码*", "单位名称*", "单位类型*", "上级单位代码", "生效日期", "主管单位代码")


def handle(ctx: ImportContext, sheet: Sheet) -> None:
    summary = ctx.summary(sheet.name)
    pending = []
    seen: dict[str, int] = {}
    read = []
    for row in ctx.rows(sheet):
        code = row.text("单位代码", required=True, max_length=40)
        name = row.text("单位名称", required=True, max_length=100)
        kind = row.choice("单位类型", units.KINDS, required=True)
        parent = row.text("上级单位代码", max_length=40)
        start = row.date("生效日期", allow_future=True)
        supervisor = row.text("主管单位代码", max_length=40)
        read.append((row, code))
        if code and code in seen:
            row.error("单位代码", f"与第 {seen[code]} 行重复")
        if code and parent and parent == code:
            row.error("上级单位代码", "不能是单位自己")
        if row.ok:
            assert code is not None  # required
            seen[code] = row.number
            pending.append((row, code, name, kind, parent, start, supervisor))
    sheet_codes = {p[1] for p in pending}
    while pending:
        progressed, waiting = False, []
        for item in pending:
            row, code, name, kind, parent, start, supervisor = item
            if parent and units.id_for_code(ctx.db, parent) is None:
                if parent in sheet_codes:
                    waiting.append(item)
                    continue
                row.error("上级单位代码", f"“{parent}”既不在本表中，也不在台帐中")
                progressed = True
                continue
            _upsert(ctx, summary, row, code, name, kind, parent, start, supervisor)
            progressed = True
        if not progressed:
            for row, *_rest in waiting:
                row.error("上级单位代码", "上级关系形成了循环")
            break
        pending = waiting
    failed = ctx.state.setdefault("failed_units", {})
    for row, code in read:
        if code and not row.ok:
            failed.setdefault(code, row.number)


def _upsert(ctx, summary, row, code, name, kind, parent, start, supervisor) -> None:
    on = start.isoformat() if start else None
    existing = units.find(ctx.db, code, on)
    if existing is None:
        if units.id_for_code(ctx.db, code) is not None:
            row.error("单位代码", f"“{code}”在 {on or '今天'} 已撤销")
            return
        units.add(ctx.db, code, name, kind, parent, on, supervisor)
        summary.inserted += 1
        return
    changes = []
    parent_id = units.id_for_code(ctx.db, parent) if parent else None
    if existing.kind != kind:
        row.error("单位类型", f"台帐中为“{existing.kind}”，导入不能修改单位类型")
        return
    try:
        if existing.name != name:
            units.rename(ctx.db, code, name, on or _today())
            changes.append(f"单位名称 {existing.name} → {name}")
        if parent_id != existing.parent_id and parent_id is not None:
            units.move(ctx.db, code, parent, on or _today())
            changes.append(f"上级单位 → {parent}")
    except UserInputError as exc:
        row.error("生效日期", str(exc))
        return
    if (supervisor or None) != (existing.supervisor_code or None):
        ctx.db.execute("update units set supervisor_code = ? where code = ?", [supervisor, code])
        changes.append(f"主管单位 {existing.supervisor_code or '无'} → {supervisor or '无'}")
    if changes:
        summary.updated += 1
        summary.updates.append(f"{code}: {'；'.join(changes)}")
        audit.record(ctx.db, ctx.actor, "导入修改单位", "unit", code, before={"name": existing.name},
                     after={"changes": changes})
    else:
        summary.unchanged += 1


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


SPEC = SheetSpec("单位", COLUMNS, handle)
