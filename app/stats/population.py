"""Population (总人口) and deaths (死亡人数) per unit and period: entered, never derived (人口基数).

Resolution for unit U and period P (DOMAIN.md §5), first that applies:
1. U's own row whose dates equal P's (`population_base.start_date/end_date`; so `2026H1` and
   `2025-10-01..2026-03-31` are the same row);
2. for a period longer than a month, U's own month rows inside P: deaths = the sum of the months
   that have a row, population = that of the last month that has one;
3. the sum over U's child units in the tree at P's end, each resolved by these same rules
   (a child with nothing contributes nothing; if no child has anything, U has nothing).
Population and deaths are resolved separately (a row carries both, so they normally agree).
With `--as-of DATE` only the rows entered (`entered_at`, set on every write of the row) on or
before DATE exist; a row without `entered_at` predates the column and always counts.
U's own figures (rules 1–2) win over its children's sum: the office typed them for U.

The birth-rate base is the average of the start and end population of P when the start is
known, else the end population alone. The START population is the population at the end of
the day before P starts (DOMAIN.md: "the end of the previous period"), resolved for U as:
a. U's own row of the previous period of the same length (2025H2 before 2026H1);
b. else any other own row of U that ends on that day (the month, quarter or statistical year
   ending then — they all give the population on that day; the shortest wins);
c. else the previous period's own months (the last month that has a row, as in rule 2);
d. else the sum over U's child units of their start populations (as rule 3).
A start made of PART of the units whose end population is summed would give a meaningless
average, so when U's end population is a sum over children (rule 3) the start is known only if
every child that contributes an end population also has a start; likewise for the sum of several
units (the whole ledger over its roots). Otherwise the base is the end population alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
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
                "select unit_id, start_date, end_date, population, deaths from population_base"
                " where entered_at is null or substr(entered_at, 1, 10) <= ?"
                " order by unit_id, start_date, end_date, period", [scope.as_of_text])}
        self.ending: dict[tuple[int, str], list[tuple[int, str]]] = {}
        for (unit_id, start, end), (population, _) in self.rows.items():
            self.ending.setdefault((unit_id, end), []).append((population, start))
        self.kids = scope.children()
        self._memo: dict[tuple[int, str, str], tuple[int | None, int | None]] = {}
        self._own_memo: dict[tuple[int, str, str], tuple[int | None, int | None] | None] = {}

    def resolve(self, unit_id: int, period: Period) -> tuple[int | None, int | None]:
        """(population, deaths) of the unit for the period by rules 1–3."""
        key = (unit_id, period.start.isoformat(), period.end.isoformat())
        if key not in self._memo:
            own = self._own(unit_id, period)
            if own is not None:
                self._memo[key] = own
            else:
                population = deaths = None
                for child in self.kids.get(unit_id, []):
                    p, d = self.resolve(child.id, period)
                    population = _add(population, p)
                    deaths = _add(deaths, d)
                self._memo[key] = (population, deaths)
        return self._memo[key]

    def _own(self, unit_id: int, period: Period) -> tuple[int | None, int | None] | None:
        """Rules 1–2: the unit's own row, or its own month rows inside the period; None if neither."""
        key = (unit_id, period.start.isoformat(), period.end.isoformat())
        if key in self._own_memo:
            return self._own_memo[key]
        result = None
        if key in self.rows:
            result = self.rows[key]
        elif period.kind != "month":
            found = [self.rows[k] for m in period.months()
                     if m.start >= period.start and m.end <= period.end
                     and (k := (unit_id, m.start.isoformat(), m.end.isoformat())) in self.rows]
            if found:
                result = (found[-1][0], sum(d for _, d in found))
        self._own_memo[key] = result
        return result

    def _own_start(self, unit_id: int, previous: Period) -> int | None:
        """Rules a–c: the unit's own population at the end of `previous` (None if not entered)."""
        exact = self.rows.get((unit_id, previous.start.isoformat(), previous.end.isoformat()))
        if exact is not None:
            return exact[0]
        ending = self.ending.get((unit_id, previous.end.isoformat()))
        if ending:
            # the shortest row ending that day (latest start); ties keep the first stored
            return max(ending, key=lambda item: item[1])[0]
        own = self._own(unit_id, previous)
        return own[0] if own is not None else None

    def start_population(self, unit_id: int, previous: Period) -> int | None:
        """Rules a–d, without the completeness condition (for a unit whose end is its own)."""
        own = self._own_start(unit_id, previous)
        if own is not None:
            return own
        total = None
        for child in self.kids.get(unit_id, []):
            total = _add(total, self.start_population(child.id, previous))
        return total

    def pair(self, unit_id: int, period: Period, previous: Period) -> tuple[int | None, int | None]:
        """(end population, start population) of the unit, the start only where comparable."""
        own = self._own(unit_id, period)
        if own is not None and own[0] is not None:
            return own[0], self.start_population(unit_id, previous)
        end = start = None
        complete = True
        for child in self.kids.get(unit_id, []):
            e, s = self.pair(child.id, period, previous)
            if e is None:
                continue
            end = _add(end, e)
            if s is None:
                complete = False
            else:
                start = _add(start, s)
        return end, (start if complete else None)

    def base(self, unit_ids: list[int]) -> Base:
        """The base of the sum of these units (usually one unit, or the roots for the whole)."""
        period = self.scope.period
        previous = _previous(period)
        pop = deaths = start = None
        complete = True
        for unit_id in unit_ids:
            _, d = self.resolve(unit_id, period)
            e, s = self.pair(unit_id, period, previous)
            deaths = _add(deaths, d)
            if e is None:
                continue
            pop = _add(pop, e)
            if s is None:
                complete = False
            else:
                start = _add(start, s)
        return Base(pop, deaths, start if complete and pop is not None else None)


def _previous(period: Period) -> Period:
    """The previous period of the same length; it ends the day before `period` starts."""
    previous = period.previous()
    if previous.end != period.start - timedelta(days=1):   # defensive: never a gap or overlap
        end = period.start - timedelta(days=1)
        previous = Period(f"{previous.start}..{end}", "range", previous.start, end, period.stat_year_start)
    return previous


def _add(a: int | None, b: int | None) -> int | None:
    if b is None:
        return a
    return (a or 0) + b


__all__ = ["Base", "PopulationBook"]
