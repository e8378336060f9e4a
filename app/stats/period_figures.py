"""THE one function that hands out a period's figures (DOMAIN.md §4, ARCHITECTURE.md).

`period_figures(db, period, live=False, as_of=None)` is the only road from the ledger to the
figures of a period for the report, the forms (screen, Excel, PDF), the export package's
`figures.json`, the analysis draft, the charts and the targets' progress:
- a period with a standing close (报表期关账), asked without `live` and without `as_of`, answers
  from its frozen snapshot — figures, integer counts and the unit tree as they were when it was
  closed; nothing is recomputed (`source` "snapshot");
- otherwise the figures are computed now by `app.stats.computation.compute_all` (`source` "live", or
  "live_over_closed" for a recomputation of a closed period, asked for explicitly with `live`
  or `as_of`; every page built from it says `MISMATCH`, 与已报送数不一致).
Renderers never import the computation (tests/test_architecture.py): they get a
`PeriodFigures`, so none can recompute a submitted period by accident.

Snapshots taken before the tree and counts were frozen with them (older ledgers) still answer:
the tree falls back to the current tree at the period's end (`units.units_on`), counts are
None (they were not kept and are never recomputed for a closed period), and the forms' 农村
结扎/上环 come from the frozen long-acting figures.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import sqlite_utils

from app import units
from app.errors import UserInputError
from app.periods import Period
from app.stats import closures
from app.stats import counts as counts_mod
from app.stats.computation import Computation, compute_all
from app.stats.numbers import to_json
from app.stats.scope import meta

Source = Literal["snapshot", "live", "live_over_closed", "consolidated"]   # consolidated: app/stats/summed.py
MISMATCH = "与已报送数不一致"


@dataclass
class PeriodFigures:
    """A period's figures from one source; units are those of `tree` (the tree at P's end)."""

    db: sqlite_utils.Database
    period: Period
    closure: dict | None          # the standing close (with its parsed snapshot), None when open
    source: Source
    tree: list[units.Unit]
    as_of: date | None = None
    computation: Computation | None = field(default=None, repr=False)
    computed_at: str | None = None
    _memo: dict = field(default_factory=dict, repr=False)

    # ---- what the figures are ------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self.closure is not None

    @property
    def warning(self) -> str | None:
        """The line every page of a recomputed closed period carries; None otherwise."""
        if self.source != "live_over_closed":
            return None
        closure = self.closure or {}
        when = (closure.get("closed_at") or "").replace("T", " ")
        how = f"截至 {self.as_of.isoformat()} 的数据" if self.as_of else f"{self.computed_at} 的当前数据"
        return f"{MISMATCH}：本表按{how}重新计算，不是 {when} 关账时报送的数字"

    @property
    def closed_note(self) -> str | None:
        """"已关账 <when> <who>，显示报送时冻结的数字" for snapshot figures; None otherwise."""
        if self.source != "snapshot" or not self.closure:
            return None
        when = self.closure["closed_at"].replace("T", " ")
        return f"已关账 {when} {self.closure['closed_by']}，显示报送时冻结的数字"

    # ---- the unit tree -------------------------------------------------------------------------
    @property
    def by_id(self) -> dict[int, units.Unit]:
        return {u.id: u for u in self.tree}

    def children(self) -> dict[int | None, list[units.Unit]]:
        return units.children_map(self.tree)

    def roots(self) -> list[units.Unit]:
        ids = {u.id for u in self.tree}
        return [u for u in self.tree if u.parent_id is None or u.parent_id not in ids]

    def top(self, unit: units.Unit | None) -> list[units.Unit]:
        """The units listed under `unit` (its direct children; the roots for the whole ledger)."""
        return self.roots() if unit is None else self.children().get(unit.id, [])

    def find(self, code: str) -> units.Unit | None:
        return next((u for u in self.tree if u.code == code), None)

    def resolve(self, code: str | None) -> units.Unit | None:
        """The unit to report on (None = the whole ledger); the one root when there is just one."""
        if code:
            unit = self.find(code)
            if unit is None:
                where = "关账时的单位树中没有" if self.source == "snapshot" else "不存在（或已撤销）"
                raise UserInputError(f"单位代码“{code}”在 {self.period.end.isoformat()} {where}。")
            return unit
        roots = self.roots()
        return roots[0] if len(roots) == 1 else None

    def name(self, unit: units.Unit | None) -> str:
        return unit.name if unit else (meta(self.db, "office_name", "") or "")

    # ---- figures and counts --------------------------------------------------------------------
    def _snapshot(self) -> dict:
        """The standing close's frozen snapshot (figures not computed now come from one)."""
        assert self.closure is not None, "snapshot figures without a standing close"
        return self.closure["snapshot"]

    def figures(self, unit: units.Unit | None, with_units: bool = True) -> dict:
        """`unit`'s figures (None = the whole ledger) exactly as `report()` prints them: counts
        int, rates rounded half up to 2 decimals (float), None for no base. A fresh copy.
        `with_units=False` may leave `long_acting.units` out (a computation skips it)."""
        if self.computation is not None:
            key = (unit.code if unit else None, with_units)
            if key not in self._memo:   # the forms ask for a unit's figures more than once
                self._memo[key] = to_json(self.computation.figures(unit, with_units))
            return copy.deepcopy(self._memo[key])
        frozen = self._snapshot()["units"].get(unit.code if unit else closures.WHOLE)
        if frozen is None:
            raise UserInputError(f"统计期 {self.period.code} 的关账快照中没有“{self.name(unit)}”的数字。")
        return copy.deepcopy(frozen)

    def counts(self, unit: units.Unit | None) -> dict[str, int | None] | None:
        """The integer counts behind `unit`'s figures (app/stats/counts.py keys); None for a
        snapshot taken before counts were frozen with it."""
        if self.computation is not None:
            return self.computation.counts(unit)
        stored = self._snapshot().get("counts")
        if stored is None:
            return None
        found = stored.get(unit.code if unit else closures.WHOLE)
        return dict(found) if found is not None else None

    def long_acting_row(self, unit: units.Unit | None) -> dict:
        """One row of the long-acting table: code, name, due, done, owed, rate_percent, 农村结扎,
        农村上环. With the indicator switched off, due … rate are None (never counted) and the
        rural procedures come from the counts (None if the snapshot kept none)."""
        f = self.figures(unit, with_units=False)
        total = (f.get("long_acting") or {}).get("total")
        row = {"code": unit.code if unit else None, "name": self.name(unit)}
        if total:
            return row | {k: total.get(k) for k in ("due", "done", "owed", "rate_percent",
                                                     "rural_sterilization", "rural_iud_insertion")}
        c = self.counts(unit)
        ster, iud = counts_mod.rural_procedures(c) if c is not None else (None, None)
        return row | {"due": None, "done": None, "owed": None, "rate_percent": None,
                      "rural_sterilization": ster, "rural_iud_insertion": iud}


def period_figures(db: sqlite_utils.Database, period: Period, *, live: bool = False,
                   as_of: date | None = None) -> PeriodFigures:
    """THE figures of `period` (see the module rules): its snapshot when closed, else computed."""
    closure = closures.current_closure(db, period)
    if closure is not None and not live and as_of is None:
        return PeriodFigures(db, period, closure, "snapshot", _frozen_tree(db, period, closure["snapshot"]))
    comp = compute_all(db, period, as_of)
    return PeriodFigures(db, period, closure, "live_over_closed" if closure else "live", comp.scope.tree,
                         as_of=as_of, computation=comp,
                         computed_at=datetime.now().isoformat(sep=" ", timespec="minutes"))


def tree_rows(tree: list[units.Unit]) -> list[dict]:
    """The unit tree as stored in a snapshot: id, code, name, kind, parent code, supervisor."""
    by_id = {u.id: u for u in tree}
    return [{"id": u.id, "code": u.code, "name": u.name, "kind": u.kind,
             "parent": by_id[u.parent_id].code if u.parent_id in by_id else None,
             "supervisor": u.supervisor_code} for u in tree]


def _frozen_tree(db: sqlite_utils.Database, period: Period, snapshot: dict) -> list[units.Unit]:
    rows = snapshot.get("tree")
    if rows is None:          # a snapshot from before the tree was frozen with it
        return units.units_on(db, period.end)
    ids = {r["code"]: r["id"] for r in rows}
    return [units.Unit(r["id"], r["code"], r["name"], r["kind"], ids.get(r["parent"]), r.get("supervisor"))
            for r in rows]


__all__ = ["MISMATCH", "PeriodFigures", "period_figures", "tree_rows"]
