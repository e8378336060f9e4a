"""The live computation of one period's indicators (INTERFACES.md §3), exact inside, rounded in JSON.

`compute_all` gathers the per-unit facts once (a handful of GROUP BY queries over the whole
ledger) and `figures` rolls them up over any unit's subtree, so a report for one unit, the
snapshot of every unit at close and the forms' per-village rows all come from one pass.
Only app.stats.period_figures (a closed period's snapshot, else this computation) and
app/closing.py (taking a snapshot, listing differences) use `compute_all`; forms, exports, the
analysis and the screen go through `period_figures`. The §3 document (去年同期, the change) is
app/stats/report.py, above period_figures: this module imports neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from app import units
from app.errors import UserInputError
from app.periods import Period
from app.stats import (
    births,
    counts,
    health_service,
    long_acting,
    movement,
    procedures,
    structure,
    women,
)
from app.stats.numbers import ratio
from app.stats.population import Base, PopulationBook
from app.stats.scope import Scope, meta, rollup


@dataclass
class Computation:
    """Per-unit facts of one period, ready to roll up for any unit of the tree."""

    scope: Scope
    facts: dict[int, Counter]
    population: PopulationBook
    # Facts only the counts need (the casework forms' grids: movement, structure, health
    # checks), collected on the first `counts()` — a report that prints figures never pays for them.
    pending: list[Callable[[Scope, dict[int, Counter]], None]] = field(default_factory=list)

    def unit_ids(self, unit: units.Unit | None) -> list[int]:
        if unit is None:
            return [i for root in self.scope.roots() for i in self.scope.subtree(root.id)]
        return self.scope.subtree(unit.id)

    def top(self, unit: units.Unit | None) -> list[units.Unit]:
        """The units listed under `unit` (its direct children; the roots for the whole ledger)."""
        if unit is None:
            return self.scope.roots()
        return self.scope.children().get(unit.id, [])

    def figures(self, unit: units.Unit | None, with_units: bool = True) -> dict:
        """Every figure for `unit` (None = the whole ledger), exact: ints and Decimal."""
        counter = rollup(self.facts, self.unit_ids(unit))
        base_ids = [r.id for r in self.scope.roots()] if unit is None else [unit.id]
        return _figures(self, unit, counter, self.population.base(base_ids), with_units)

    def counts(self, unit: units.Unit | None) -> dict[str, int | None]:
        """The integer counts behind `unit`'s figures (app/stats/counts.py keys)."""
        while self.pending:
            self.pending.pop(0)(self.scope, self.facts)
        counter = rollup(self.facts, self.unit_ids(unit))
        base_ids = [r.id for r in self.scope.roots()] if unit is None else [unit.id]
        return counts.from_counter(counter, self.population.base(base_ids))


def compute_all(db: sqlite_utils.Database, period: Period, as_of: date | None = None) -> Computation:
    scope = Scope.build(db, period, as_of)
    facts = births.new_facts()
    births.collect(scope, facts)
    procedures.collect(scope, facts)
    long_acting.collect(scope, facts)
    women.collect(scope, facts)
    return Computation(scope, facts, PopulationBook(scope),
                       [movement.collect, structure.collect, health_service.collect])


def _figures(comp: Computation, unit: units.Unit | None, c: Counter, base: Base, with_units: bool) -> dict:
    scope = comp.scope
    b = births.figures(c)
    n = b["births"]
    deaths = base.deaths
    increase = None if deaths is None else n - deaths
    avg = base.average
    by_order = b["by_order"]
    out: dict = {
        "period": scope.period.code, "start": scope.start, "end": scope.end,
        "label": scope.period.label,
        "unit": unit.code if unit else None, "unit_name": unit.name if unit else meta(scope.db, "office_name", ""),
        "as_of": scope.as_of.isoformat() if scope.as_of else None,
        "population": base.population, "population_start": base.start_population,
        "population_average": avg, "deaths": deaths,
        "births": n, "births_male": b["male"], "births_female": b["female"],
        "births_died": b["died"],
        "natural_increase": increase,
        "birth_rate_permille": ratio(n, avg, 1000),
        "death_rate_permille": ratio(deaths, avg, 1000),
        "natural_growth_rate_permille": ratio(increase, avg, 1000),
        "births_by_order": {"1": by_order[1], "2": by_order[2], "3+": by_order[3]},
        "births_by_order_sex": {("3+" if o == 3 else str(o)): {"male": m, "female": f}
                                for o, (m, f) in b["by_order_sex"].items()},
        "order_share_percent": {("3+" if o == 3 else str(o)): ratio(by_order[o], n, 100) if n else None
                                for o in (1, 2, 3)},
        "sex_ratio": ratio(b["male"], b["female"], 100),
        "sex_ratio_by_order": {("3+" if o == 3 else str(o)): ratio(m, f, 100)
                               for o, (m, f) in b["by_order_sex"].items()},
        "policy_births": b["policy"], "non_policy_births": b["non_policy"],
        "policy_birth_rate_percent": ratio(b["policy"], n, 100),
        "late_reported": {"total": b["late"], "policy": b["late_policy"],
                          "non_policy": b["late_non_policy"], "male": b["late_male"],
                          "female": b["late_female"],
                          "by_order": {"1": b["late_by_order"][1], "2": b["late_by_order"][2],
                                       "3+": b["late_by_order"][3]}},
        "procedures": procedures.figures(c),
    }
    out["first_marriages"] = women.marriage_figures(c)
    out["first_marriages"]["age_23_plus_percent"] = ratio(
        out["first_marriages"]["age_23_plus"], out["first_marriages"]["total"], 100)
    contraception = women.contraception_figures(c)
    contraception["rate_percent"] = ratio(contraception["users"], contraception["married_women"], 100)
    contraception["long_acting_rate_percent"] = ratio(contraception["long_acting"], contraception["users"], 100)
    out["contraception"] = contraception
    out["long_acting"] = _long_acting(comp, unit, c, with_units)
    return out


def long_acting_row(comp: Computation, unit: units.Unit | None, c: Counter | None = None) -> dict:
    c = c if c is not None else rollup(comp.facts, comp.unit_ids(unit))
    due, done = long_acting.counts(c)
    rural_ster, rural_iud = procedures.rural(c)
    return {"code": unit.code if unit else None,
            "name": unit.name if unit else meta(comp.scope.db, "office_name", ""),
            "due": due, "done": done, "owed": due - done, "rate_percent": ratio(done, due, 100),
            "rural_sterilization": rural_ster, "rural_iud_insertion": rural_iud}


def _long_acting(comp: Computation, unit: units.Unit | None, c: Counter, with_units: bool) -> dict:
    on = long_acting.enabled(comp.scope)
    total = long_acting_row(comp, unit, c) if on else None
    if total:
        total.pop("code")
        total.pop("name")
    rows = [long_acting_row(comp, u) for u in comp.top(unit)] if (on and with_units) else []
    return {"enabled": on, "months": long_acting.months(comp.scope), "units": rows, "total": total}


def resolve_unit(db: sqlite_utils.Database, code: str | None, period: Period) -> units.Unit | None:
    """The unit to report on (None = the whole ledger); the one root when there is just one."""
    if code:
        unit = units.find(db, code, period.end)
        if unit is None:
            raise UserInputError(f"单位代码“{code}”在 {period.end.isoformat()} 不存在（或已撤销）。")
        return unit
    roots = units.roots(db, period.end)
    return roots[0] if len(roots) == 1 else None
