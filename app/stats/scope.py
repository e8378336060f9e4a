"""What a report is computed over: a period, the unit tree at the period's end, and `--as-of`.

Rules (DOMAIN.md §5):
- Units are rolled up over their subtree using the tree as it was on the period's END date
  (app.units). Women are counted in the unit their card names (women.unit_id, the current
  one: the registry keeps no history of a woman's unit).
- `as_of` (report as it would have looked on that date): children count only if their 上报日期
  (or birth date when none) is on or before it; other facts (procedures, cards) only if they were
  entered (created_at) on or before it. Contraception rows carry no entry time: they are taken as
  entered with their woman's card (created_at of the card), or of the procedure that opened them.
- Cards that left with reason 录入错误 (entered by mistake) are void and never counted. An exit
  reason that is empty or blanks only is no exit (reasons are compared trimmed).
- "Married at P's end" (in-use contraception, 长效 due) is the pregnancy-check roster's rule
  (app/roster/due.py), so the office's figures agree: 初婚/再婚/复婚 with 初婚日期 empty or on or
  before the end — for 再婚/复婚 also 婚变日期 (the remarriage) empty or on or before it — or
  离婚/丧偶 with 婚变日期 AFTER the end (still married then). A woman married after P's end was
  not married in P, whatever her card says today.
- "On the register at P's end": no exit, or an exit (not 录入错误) dated after the end; an exit
  on the end day itself counts as gone.
- Ledger settings used by the indicators live in `meta`: `long_acting_months` (N, default 4)
  and `long_acting_enabled` ("1"/"0", default "1").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from app import units
from app.periods import Period

VOID_EXIT = "录入错误"
LONG_ACTING_METHODS = ("女扎", "男扎", "宫内节育器", "皮下埋植")
LONG_ACTING_PROCEDURES = ("女扎", "男扎", "上环", "皮埋")
MARRIED = ("初婚", "再婚", "复婚")
COUNTED_RESIDENCE = ("常住", "流入")

# SQL fragments over `women w` (parameters :end and :void); `+` keeps IN lists off index plans.
NOT_VOID = "coalesce(trim(w.exit_reason), '') <> :void"
ACTIVE_AT_END = ("(coalesce(trim(w.exit_reason), '') = ''"
                 " or (trim(w.exit_reason) <> :void and w.exit_date > :end))")
MARRIED_AT_END = """(coalesce(w.first_marriage_date, '') = '' or w.first_marriage_date <= :end)
  and ((+w.marital_status = '初婚')
       or (+w.marital_status in ('再婚', '复婚')
           and (coalesce(w.marital_change_date, '') = '' or w.marital_change_date <= :end))
       or (+w.marital_status in ('离婚', '丧偶') and w.marital_change_date > :end))"""


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
