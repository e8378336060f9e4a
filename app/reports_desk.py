"""What the reports tab needs besides the figures, without Qt: quick period picks, the
population base (人口基数) entry per unit and period, and the chart series.

Rules:
- Quick picks are resolved in the ledger's statistical year (start month S): 本月, 上月,
  本半年 / 上半年度 (the half of the statistical year holding today, and the one before), and
  本统计年度 (named by the year it ends in, DOMAIN.md §4).
- Population base rows are keyed (unit, period code) as typed; a blank entry removes the unit's
  own row, so the unit takes the sum of its children again (DOMAIN.md §5). Saving is one
  transaction with one audit entry `录入人口基数` listing every change (before/after).
- Births by month use the stats counting rules month by month (a birth reported after its
  month is not that month's birth), via `app.stats.period_figures`: a closed month shows its
  snapshot, as its report and forms do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlite_utils

from app import units
from app.errors import UserInputError
from app.periods import Period
from app.population_base import store_row

if TYPE_CHECKING:
    from app.ledger import Ledger


def _stat_year_code(day: date, stat_year_start: int) -> int:
    return day.year + (1 if stat_year_start != 1 and day.month >= stat_year_start else 0)


def quick_periods(today: date, stat_year_start: int) -> list[tuple[str, str]]:
    """(Chinese label, period code) for the quick-pick buttons, in display order."""
    this_month = Period.parse(f"{today.year:04d}-{today.month:02d}", stat_year_start)
    year = _stat_year_code(today, stat_year_start)
    half = (today.month - stat_year_start) % 12 // 6 + 1
    this_half = Period.parse(f"{year:04d}H{half}", stat_year_start)
    return [("本月", this_month.code), ("上月", this_month.previous().code),
            ("本半年", this_half.code), ("上一个半年", this_half.previous().code),
            ("本统计年度", f"{year:04d}"), ("上一统计年度", f"{year - 1:04d}")]


@dataclass
class BaseEntry:
    """One unit's 人口基数 for a period: `population`/`deaths` None = no own row."""

    unit_id: int
    code: str
    name: str
    depth: int
    population: int | None
    deaths: int | None


def base_entries(db: sqlite_utils.Database, period: Period) -> list[BaseEntry]:
    """Every unit existing at the period's end, in tree order, with its own row if any."""
    own = {r["unit_id"]: r for r in db.query(
        "select unit_id, population, deaths from population_base where period = ?", [period.code])}
    tree = units.units_on(db, period.end)
    by_id = {u.id: u for u in tree}

    def depth(unit: units.Unit) -> int:
        d, parent = 0, unit.parent_id
        while parent in by_id:
            d, parent = d + 1, by_id[parent].parent_id
        return d

    return [BaseEntry(u.id, u.code, u.name, depth(u), own.get(u.id, {}).get("population"),
                      own.get(u.id, {}).get("deaths")) for u in tree]


def parse_count(text: str, what: str, unit_name: str) -> int | None:
    """A typed count: blank → None; otherwise a non-negative integer or a Chinese error."""
    raw = (text or "").strip().replace(",", "").replace("，", "")
    if not raw:
        return None
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not raw.isdigit():
        raise UserInputError(f"{unit_name} {what}：“{text}”不是整数")
    return int(raw)


def save_base(ledger: Ledger, period: Period, values: dict[int, tuple[int | None, int | None]]) -> int:
    """Store {unit_id: (population, deaths)} for `period`; returns how many rows changed.

    Both blank removes the unit's own row; one of the two blank is refused (the 人口基数 sheet
    requires both as well).
    """
    ledger.require("edit_registry")
    current = {e.unit_id: e for e in base_entries(ledger.db, period)}
    changes: list[dict] = []
    for unit_id, (population, deaths) in values.items():
        entry = current.get(unit_id)
        if entry is None:
            raise UserInputError(f"有一个单位在{period.label}已不存在，请重新计算后再保存人口基数")
        if (population is None) != (deaths is None):
            raise UserInputError(f"{entry.name}：总人口和死亡人数要同时填写（都留空表示按下级单位合计）")
        if (entry.population, entry.deaths) != (population, deaths):
            changes.append({"unit": entry.code, "before": [entry.population, entry.deaths],
                            "after": [population, deaths], "unit_id": unit_id})
    if not changes:
        return 0
    with ledger.write("录入人口基数", "population_base", period.code,
                      before={c["unit"]: c["before"] for c in changes},
                      after={c["unit"]: c["after"] for c in changes}) as db:
        for change in changes:
            db.execute("delete from population_base where unit_id = ? and period = ?",
                       [change["unit_id"], period.code])
            population, deaths = change["after"]
            if population is not None:
                store_row(db, change["unit_id"], period, population, deaths)
    return len(changes)


def births_by_month(db: sqlite_utils.Database, year_code: str, stat_year_start: int,
                    unit_code: str | None = None) -> tuple[list[str], list[int], list[int]]:
    """Month labels of the statistical year, its births per month, and last year's."""
    from app.stats.period_figures import period_figures

    def births(month: Period) -> int:
        figures = period_figures(db, month)
        return figures.figures(figures.resolve(unit_code), with_units=False)["births"]

    year = Period.parse(year_code, stat_year_start)
    labels, this_year, last_year = [], [], []
    for month in year.months():
        labels.append(f"{month.start.month}月")
        this_year.append(births(month))
        last_year.append(births(month.previous_year()))
    return labels, this_year, last_year


def view_report(ledger: Ledger, period_code: str, unit_code: str | None = None, as_of: str | None = None,
                live: bool = False) -> dict:
    """The indicators of a period (app.stats.report) for a person to read; audited (查看统计报表)."""
    from app.stats import report

    result = report(ledger.db, period_code, unit_code, as_of, ledger.stat_year_start, live=live)
    ledger.audit("查看统计报表", "period", result["period"], after={"unit": unit_code, "as_of": as_of})
    return result
