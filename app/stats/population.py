"""Population (总人口) and deaths (死亡人数) per unit and period: entered, never derived (人口基数).

Resolution for unit U and period P (DOMAIN.md §5), first that applies:
1. U's own row whose dates equal P's (`population_base.start_date/end_date`; so `2026H1` and
   `2025-10-01..2026-03-31` are the same row);
2. for a period longer than a month, U's own month rows inside P: deaths = the sum of the months
   that have a row, population = that of the last month that has one;
3. the sum over U's child units in the tree at P's end, each resolved by these same rules
   (a child with nothing contributes nothing; if no child has anything, U has nothing).
Population and deaths are resolved separately (a row carries both, so they normally agree).
The birth-rate base is the average of the start population (that of the previous period of the
same length, resolved the same way) and the end population when the start is known, else the
end population alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.periods import Period
from app.stats.scope import Scope


@dataclass(frozen=True)
class Base:
    population: int | None
    deaths: int | None
    start_population: int | None = None

    @property
    def average(self) -> Decimal | None:
        if self.population is None:
            return None
        if self.start_population is None:
            return Decimal(self.population)
        return (Decimal(self.population) + Decimal(self.start_population)) / 2


class PopulationBook:
    """All 人口基数 rows loaded once; resolves any unit and period of the scope's tree."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.rows: dict[tuple[int, str, str], tuple[int, int]] = {
            (unit_id, start, end): (population, deaths)
            for unit_id, start, end, population, deaths in scope.db.execute(
                "select unit_id, start_date, end_date, population, deaths from population_base")}
        self.kids = scope.children()
        self._memo: dict[tuple[int, str, str], tuple[int | None, int | None]] = {}

    def resolve(self, unit_id: int, period: Period) -> tuple[int | None, int | None]:
        key = (unit_id, period.start.isoformat(), period.end.isoformat())
        if key in self._memo:
            return self._memo[key]
        result = self._resolve(unit_id, period, key)
        self._memo[key] = result
        return result

    def _resolve(self, unit_id: int, period: Period, key: tuple[int, str, str]) -> tuple[int | None, int | None]:
        if key in self.rows:
            return self.rows[key]
        if period.kind != "month":
            found = [self.rows[k] for m in period.months()
                     if (k := (unit_id, m.start.isoformat(), m.end.isoformat())) in self.rows
                     and m.end <= period.end and m.start >= period.start]
            if found:
                return found[-1][0], sum(d for _, d in found)
        population = deaths = None
        for child in self.kids.get(unit_id, []):
            p, d = self.resolve(child.id, period)
            if p is not None:
                population = (population or 0) + p
            if d is not None:
                deaths = (deaths or 0) + d
        return population, deaths

    def base(self, unit_ids: list[int]) -> Base:
        """The base of the sum of these units (usually one unit, or the roots for the whole)."""
        period = self.scope.period
        previous = period.previous()
        pop = deaths = start = None
        for unit_id in unit_ids:
            p, d = self.resolve(unit_id, period)
            s, _ = self.resolve(unit_id, previous)
            pop = _add(pop, p)
            deaths = _add(deaths, d)
            start = _add(start, s)
        return Base(pop, deaths, start)


def _add(a: int | None, b: int | None) -> int | None:
    if b is None:
        return a
    return (a or 0) + b
