"""What a report is computed over: a period, the unit tree at the period's end, and `--as-of`.

Rules (DOMAIN.md §5):
- Units are rolled up over their subtree using the tree as it was on the period's END date
  (app.units). Women are counted in the unit their card names (women.unit_id, the current
  one: the registry keeps no history of a woman's unit).
- `as_of` (report as it would have looked on that date): children count only if their effective
  report day (app.definitions: 计入上报日 or 上报日期, or the birth date when none) is on or before
  it; other facts (procedures, cards) only if they were entered (created_at) on or before it;
  人口基数 rows only if entered (entered_at) on or before it (app/stats/population.py). Contraception rows carry no entry time: they are taken as
  entered with their woman's card (created_at of the card), or of the procedure that opened them.
- Void cards (录入错误), "married at P's end", "on the register at P's end", "lives here", age,
  "measure in effect", "method in use" and "birth counted in P" are defined ONCE in
  app/definitions.py (shared with the roster, the reconciliation, the manual ledger and the
  veto list); the fragments below are those definitions at P's end.
- Ledger settings used by the indicators live in `meta`: `long_acting_months` (N, default 4)
  and `long_acting_enabled` ("1"/"0", default "1").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from app import definitions, units
from app.periods import Period

# The definitions live in app/definitions.py (one source for every module); these names stay
# for the modules that import them from here. Fragments take :end (the void reason is inlined).
VOID_EXIT = definitions.VOID_EXIT
LONG_ACTING_METHODS = definitions.LONG_ACTING_METHODS
LONG_ACTING_PROCEDURES = definitions.LONG_ACTING_PROCEDURES
MARRIED = definitions.MARRIED_STATUSES
COUNTED_RESIDENCE = definitions.LIVES_HERE
NOT_VOID = definitions.NOT_VOID
ACTIVE_AT_END = definitions.active_at_sql(":end")
MARRIED_AT_END = definitions.married_at_sql(":end")


def meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row and row[0] is not None else default


@dataclass
class Scope:
    db: sqlite_utils.Database
    period: Period
    as_of: date | None = None
    tree: list[units.Unit] = field(default_factory=list)

    @classmethod
    def build(cls, db: sqlite_utils.Database, period: Period, as_of: date | None = None) -> Scope:
        return cls(db, period, as_of, units.units_on(db, period.end))

    @property
    def start(self) -> str:
        return self.period.start.isoformat()

    @property
    def end(self) -> str:
        return self.period.end.isoformat()

    @property
    def as_of_text(self) -> str:
        """The as-of day as ISO text; '9999-12-31' when not limited (compares as text)."""
        return self.as_of.isoformat() if self.as_of else "9999-12-31"

    @property
    def by_id(self) -> dict[int, units.Unit]:
        return {u.id: u for u in self.tree}

    def children(self) -> dict[int | None, list[units.Unit]]:
        return units.children_map(self.tree)

    def subtree(self, unit_id: int) -> list[int]:
        kids = self.children()
        out, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(child.id for child in kids.get(current, []))
        return out

    def roots(self) -> list[units.Unit]:
        ids = {u.id for u in self.tree}
        return [u for u in self.tree if u.parent_id is None or u.parent_id not in ids]


def rollup(facts: dict[int, Counter], unit_ids: list[int]) -> Counter:
    """Sum the per-unit counters over the given units (a subtree)."""
    total: Counter = Counter()
    for unit_id in unit_ids:
        counter = facts.get(unit_id)
        if counter:
            total.update(counter)
    return total
