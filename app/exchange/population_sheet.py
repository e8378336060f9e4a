"""The `人口基数` sheet: population and deaths per unit and period (DOMAIN.md §5).

Columns 单位代码*, 统计期* (a period code of DOMAIN.md §4, resolved in the ledger's statistical
year), 总人口*, 死亡人数*. A row is keyed by unit and the period's dates, so `2026H1` and
`2025-10-01..2026-03-31` are the same row; a known key with other figures is an update (listed
and audited), the same figures are unchanged. The unit must exist at the period's end. A row
written (new or with other figures) is stamped `entered_at` (`--as-of` counts it from then on).
"""

from __future__ import annotations

from app import audit, units
from app.errors import UserInputError
from app.exchange.import_base import ImportContext, Sheet, SheetSpec
from app.periods import Period
from app.population_base import entered_now, store_row
from app.stats.scope import meta

COLUMNS = ("单位代码*", "统计期*", "总人口*", "死亡人数*")


def handle(ctx: ImportContext, sheet: Sheet) -> None:
    summary = ctx.summary(sheet.name)
    stat_year_start = int(meta(ctx.db, "stat_year_start", "10") or 10)
    seen: dict[tuple[int, str, str], int] = {}
    for row in ctx.rows(sheet):
        code = row.text("单位代码", required=True, max_length=40)
        raw_period = row.text("统计期", required=True, max_length=40)
        population = row.integer("总人口", required=True, minimum=0)
        deaths = row.integer("死亡人数", required=True, minimum=0)
        period = None
        if raw_period:
            try:
                period = Period.parse(raw_period, stat_year_start)
            except UserInputError as exc:
                row.error("统计期", str(exc))
        unit = None
        if code and period:
            unit = units.find(ctx.db, code, period.end)
            if unit is None:
                known = units.id_for_code(ctx.db, code) is not None
                row.error("单位代码", f"“{code}”在 {period.end.isoformat()} 已撤销" if known
                          else f"“{code}”不在台帐中")
        if not row.ok or unit is None or period is None:
            continue
        assert population is not None and deaths is not None  # required
        key = (unit.id, period.start.isoformat(), period.end.isoformat())
        if key in seen:
            row.error("统计期", f"与第 {seen[key]} 行是同一单位、同一统计期")
            continue
        seen[key] = row.number
        existing = ctx.db.execute(
            "select period, population, deaths from population_base where unit_id = ? and start_date = ?"
            " and end_date = ?", list(key)).fetchone()
        if existing is None:
            store_row(ctx.db, unit.id, period, population, deaths)
            summary.inserted += 1
        elif (existing[1], existing[2]) == (population, deaths):
            summary.unchanged += 1
        else:
            ctx.db.execute("update population_base set population = ?, deaths = ?, entered_at = ? where unit_id = ?"
                           " and start_date = ? and end_date = ?", [population, deaths, entered_now(), *key])
            changes = []
            if existing[1] != population:
                changes.append(f"总人口 {existing[1]} → {population}")
            if existing[2] != deaths:
                changes.append(f"死亡人数 {existing[2]} → {deaths}")
            summary.updated += 1
            summary.updates.append(f"{code} {existing[0]}: {'；'.join(changes)}")
            audit.record(ctx.db, ctx.actor, "导入修改人口基数", "population_base", f"{code}/{existing[0]}",
                         before={"population": existing[1], "deaths": existing[2]},
                         after={"population": population, "deaths": deaths})


SPEC = SheetSpec("人口基数", COLUMNS, handle)
