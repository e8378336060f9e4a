"""已婚育龄妇女生殖健康服务情况: 应查 / 实查 by category from the pregnancy-check rounds of P.

Rules:
- The rounds counted are the stored rounds (app/roster/rounds.py) lying wholly inside P
  (start ≥ P's start and end ≤ P's end): for a statistical year, its quarterly or half-year
  rounds. Each round is the roster's own figures (app/roster/due.py, rates.py): its due list
  (the frozen one of a closed round, else computed now) and its results — so the form and the
  roster tab can never disagree.
- A woman due in several rounds counts once per round: the form counts 人次 (checks due and
  done), as the annual service report does.
- 应查 by the roster's category (上环, 皮埋, 药具, 结扎不足一年, 未避孕/应落实未落实); 实查 = 已查 +
  寄回证明 (a 流出 woman's mailed certificate is a check done elsewhere); 其中寄回证明 apart.
- A woman counts in her due row's unit (the card's current unit for an open round, the frozen
  one of a closed round), like the roster summary.
- The roster has no as-of: with as-of the rounds are counted as they stand now.

Counter keys: ("rh_due", category), ("rh_done", category), ("rh_certificate", category).
Count keys (app/stats/grids.py): `health_checks|due|<category>`, `health_checks|done|<category>`,
`health_checks|certificate|<category>`.
"""

from __future__ import annotations

from collections import Counter

import sqlite_utils

from app.periods import Period
from app.roster.due import due_list
from app.roster.rates import result_kinds
from app.roster.results import CERTIFICATE, CHECKED
from app.roster.rounds import list_rounds
from app.stats.scope import Scope, meta


class _Settings:
    """What the roster reads from a ledger (its database and settings), for a Scope."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def setting(self, key: str, default: str | None = None) -> str | None:
        return meta(self.db, key, default)


def rounds_in(db: sqlite_utils.Database, period: Period) -> list:
    """The stored rounds lying wholly inside `period`, oldest first."""
    return sorted((r for r in list_rounds(db) if r.start >= period.start and r.end <= period.end),
                  key=lambda r: r.start)


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    rounds = rounds_in(scope.db, scope.period)
    if not rounds:
        return
    ledger = _Settings(scope.db)
    for rnd in rounds:
        kinds = result_kinds(scope.db, rnd)
        for woman in due_list(ledger, rnd):
            counter = facts[woman.unit_id]
            counter[("rh_due", woman.category)] += 1
            kind = kinds.get(woman.woman_id)
            if kind in (CHECKED, CERTIFICATE):
                counter[("rh_done", woman.category)] += 1
            if kind == CERTIFICATE:
                counter[("rh_certificate", woman.category)] += 1
