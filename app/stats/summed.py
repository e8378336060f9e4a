"""A period's figures from counts handed in (汇总, DOMAIN.md §10): the district's road to figures.

A district consolidates the townships' packages: each package carries, in `figures.json`, the
integer counts (app/stats/counts.py) of its township and of each of its direct children. The
district's figures are computed from those counts by the SAME functions that compute a
ledger's own figures — never by averaging rates:
- each unit's counts are turned back into the facts counter they came from
  (`counts.to_counter`); a unit's OWN facts are its counts minus those of its children that are
  given too, so rolling the tree up gives back every given unit's counts exactly, and the
  district's are their sums;
- `app.stats.computation.Computation` then rolls up and computes every figure as for a ledger of
  its own (births, rates rounded half up from the sums, 补报, procedures, long-acting rows per
  direct child), and `PeriodFigures` (source "consolidated") hands them to the forms, the §3
  report, figures.json and the analysis draft like any other period's figures.
Population (人口基数): a unit whose counts are given has the population, start population and
deaths of its counts. Any other unit (the district itself) follows app/stats/population.py's
rules in THIS ledger: its own 人口基数 row wins (the district office typed it), else the sum of
its children — so a district without its own row has its townships' sum, and the start
population is known only when every contributing township knows its own.
Ledger settings that shape a figure (long-acting on/off and N months) are this ledger's.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Literal

import sqlite_utils

from app import units
from app.errors import UserInputError
from app.periods import Period
from app.stats import counts as counts_mod
from app.stats.computation import Computation
from app.stats.period_figures import PeriodFigures
from app.stats.population import PopulationBook
from app.stats.scope import Scope

SOURCE: Literal["consolidated"] = "consolidated"


class _GivenPopulation(PopulationBook):
    """PopulationBook whose given units answer from their counts (see the module rules)."""

    def __init__(self, scope: Scope, given: dict[int, dict]) -> None:
        super().__init__(scope)
        self.given = given

    def resolve(self, unit_id: int, period: Period) -> tuple[int | None, int | None]:
        if unit_id in self.given:
            c = self.given[unit_id]
            return c.get("population"), c.get("deaths")
        return super().resolve(unit_id, period)

    def pair(self, unit_id: int, period: Period, previous: Period) -> tuple[int | None, int | None]:
        if unit_id in self.given:
            c = self.given[unit_id]
            return c.get("population"), c.get("population_start")
        return super().pair(unit_id, period, previous)

    def start_population(self, unit_id: int, previous: Period) -> int | None:
        if unit_id in self.given:
            return self.given[unit_id].get("population_start")
        return super().start_population(unit_id, previous)


def summed_figures(db: sqlite_utils.Database, period: Period, tree: list[units.Unit],
                   given: dict[int, dict]) -> PeriodFigures:
    """The figures of `period` over `tree` from the counts `given[unit_id]` (each the counts of
    that unit's whole subtree, as a package's figures.json holds them)."""
    kids = units.children_map(tree)
    facts: dict[int, Counter] = {}
    for unit_id, unit_counts in given.items():
        own = counts_mod.to_counter(unit_counts)
        for child in kids.get(unit_id, []):
            if child.id in given:
                own.subtract(counts_mod.to_counter(given[child.id]))
        negative = sorted(repr(k) for k, v in own.items() if v < 0)
        if negative:
            unit = next(u for u in tree if u.id == unit_id)
            raise UserInputError(f"“{unit.name}”（{unit.code}）的计数小于其下各单位之和（{'、'.join(negative[:3])}），"
                                 "数据包的 figures.json 自相矛盾，不能汇总。")
        facts[unit_id] = +own
    scope = Scope(db, period, None, tree)
    comp = Computation(scope, facts, _GivenPopulation(scope, given))
    return PeriodFigures(db, period, None, SOURCE, tree, computation=comp,
                         computed_at=datetime.now().isoformat(sep=" ", timespec="minutes"))


__all__ = ["SOURCE", "summed_figures"]
