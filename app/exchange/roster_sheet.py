"""The `孕检记录` sheet: pregnancy-check results keyed by (证件号码, 轮次) (INTERFACES.md §1).

Columns: 证件号码*, 轮次* (a period code), 结果* (已查/寄回证明/未查), 检查日期, 环情, 孕情 (未孕/已孕,
"已孕12周" accepted), 病情; optional extensions: 检查地点, 孕周, 收到证明日期, 跟踪措施, 跟踪日期.

Rules:
- The woman must be in the 育龄妇女 sheet or on the ledger, found by the registry's one rule
  (`registry_sheets.woman_reference`: a row naming a woman whose 育龄妇女 row has an error is
  not checked against her and is listed once with her other dependent rows); the round is created
  when it does not exist yet. For 寄回证明 without 收到证明日期, 检查日期 is taken as the date the
  certificate was received.
- Each row is validated like an entry in the tab (app.roster.results.problems); a row for a
  woman who is not due in that round is stored with a warning and never enters the rates.
- A key seen twice in the sheet is an error. A stored result with other values is replaced
  (listed as an update and audited with before/after); the same values are unchanged.
"""

from __future__ import annotations

from app import audit
from app.errors import UserInputError
from app.exchange.import_base import ImportContext, ImportIssue, Sheet, SheetSpec
from app.exchange.registry_sheets import woman_reference
from app.periods import Period
from app.roster import due as due_mod
from app.roster import results as res
from app.roster.rounds import ensure

COLUMNS = ("证件号码*", "轮次*", "结果*", "检查日期", "环情", "孕情", "病情",
           "检查地点", "孕周", "收到证明日期", "跟踪措施", "跟踪日期")


def handle(ctx: ImportContext, sheet: Sheet) -> None:
    summary = ctx.summary(sheet.name)
    stat_year_start = _stat_year_start(ctx)
    seen: dict[tuple[int, str], int] = {}
    due_cache: dict[str, set[int]] = ctx.state.setdefault("roster_due", {})
    for row in ctx.rows(sheet):
        id_number = row.id_number("证件号码", required=True)
        code = row.text("轮次", required=True, max_length=30)
        kind = row.choice("结果", res.RESULTS, required=True)
        check_date = row.date("检查日期")
        iud = row.choice("环情", res.IUD_STATUSES)
        pregnancy, weeks = res.parse_pregnancy(row.text("孕情", max_length=20))
        weeks_column = row.integer("孕周", minimum=1)
        illness = row.text("病情", max_length=200)
        place = row.text("检查地点", max_length=100)
        certificate_date = row.date("收到证明日期")
        action = row.text("跟踪措施", max_length=200)
        followup_date = row.date("跟踪日期", allow_future=True)
        period = None
        if code:
            try:
                period = Period.parse(code, stat_year_start)
            except UserInputError as exc:
                row.error("轮次", str(exc))
        woman_id = woman_reference(ctx, row, "证件号码") if id_number else None
        if woman_id is not None and period:
            key = (woman_id, period.code)
            if key in seen:
                row.error("证件号码", f"与第 {seen[key]} 行重复（同一妇女同一轮次只能有一个结果）")
            seen.setdefault(key, row.number)
        if not row.ok or period is None or woman_id is None or kind is None:
            continue
        if kind == res.CERTIFICATE and certificate_date is None:
            certificate_date, check_date = check_date, None
        if weeks is None:
            weeks = weeks_column
        result = res.CheckResult(kind, check_date=check_date, place=place, iud_status=iud, pregnancy=pregnancy,
                                 pregnancy_weeks=weeks, illness=illness, certificate_date=certificate_date,
                                 followup_action=action, followup_date=followup_date)
        rnd = ensure(ctx.db, period, ctx.actor)
        for label, message in res.problems(result, rnd):
            column = {"收到证明日期": "收到证明日期" if "收到证明日期" in sheet.header else "检查日期"}.get(label, label)
            row.error(column, message)
        if not row.ok or woman_id < 0:   # a stand-in id: errors elsewhere, nothing is written
            continue
        if period.code not in due_cache:
            due_cache[period.code] = {w.woman_id for w in due_mod.due_list(_LedgerView(ctx), rnd)}
        if woman_id not in due_cache[period.code]:
            ctx.warnings.append(ImportIssue(sheet.name, row.number, "证件号码",
                                            f"该妇女不在轮次 {period.code} 的应查名单中，结果已保存但不计入查环查孕率"))
        before = res.result_of(ctx.db, rnd, woman_id)
        after = result.as_row()
        if before is not None:
            old = res.CheckResult(**{k: getattr(before, k) for k in after}).as_row()
            if old == after:
                summary.unchanged += 1
                continue
            changed = [f"{res._LABELS[k]} {old[k] or '空'} → {after[k] or '空'}" for k in after if old[k] != after[k]]
            summary.updated += 1
            summary.updates.append(f"{id_number} {period.code}: {'；'.join(changed)}")
            audit.record(ctx.db, ctx.actor, "导入修改孕检结果", "check_result", f"{period.code}:{woman_id}",
                         before={k: v for k, v in old.items() if v is not None},
                         after={k: v for k, v in after.items() if v is not None})
        else:
            summary.inserted += 1
        res.store(ctx.db, rnd, woman_id, result, ctx.actor)


class _LedgerView:
    """The little of a Ledger the due rule reads, on the import's own connection."""

    def __init__(self, ctx: ImportContext) -> None:
        self.db = ctx.db

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else default


def _stat_year_start(ctx: ImportContext) -> int:
    row = ctx.db.execute("select value from meta where key = 'stat_year_start'").fetchone()
    return int(row[0]) if row else 10


SPEC = SheetSpec("孕检记录", COLUMNS, handle)
