"""Check rates and worklists of a round: 应查/已查/寄回证明/未查, 查环查孕率, 未查 and overdue lists.

Rules:
- Only due women count. 已查 and 寄回证明 are results of those kinds; 未查 is a 未查 result OR no
  result at all. 查环查孕率 (%) = (已查 + 寄回证明) / 应查 × 100, exact Decimal; shown rounded half
  up to 2 decimals; None (JSON null) when nobody is due.
- Per unit: the unit tree on the round's last day; each reported unit is rolled up over its
  subtree. The reported units are the direct children of the chosen unit (default: the root;
  with several roots, the roots themselves). A woman counts in her card's unit (the current one,
  or the frozen one of a closed round); a woman attached to the root itself is in the totals but
  in no unit row. A unit that did not exist on the round's last day (created or split off later)
  stands for its nearest ancestor that did (its parent in its latest version, climbing), so the
  unit rows still add up to the total.
- A result counts only in its own round (results are keyed by the round) and only for a woman
  who is due in it; a 未查 result and no result at all are both 未查.
- Overdue certificates (seed 篇三 point 5): a due 流出 woman with neither 已查 nor 寄回证明 when
  more than `roster.certificate_overdue_days` days (default 30) have passed since the round's end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from app import units as units_mod
from app.errors import UserInputError
from app.forms.model import rounded
from app.roster.due import CATEGORIES, DueWoman, due_list
from app.roster.results import CERTIFICATE, CHECKED, StoredResult, results_for
from app.roster.rounds import Round, overdue_days

if TYPE_CHECKING:
    from app.ledger import Ledger


@dataclass
class Tally:
    due: int = 0
    checked: int = 0
    certificate: int = 0
    missed: int = 0

    def add(self, result: StoredResult | str | None) -> None:
        """Count one due woman with her result (a stored result, its kind, or None)."""
        kind = result if isinstance(result, str) or result is None else result.result
        self.due += 1
        if kind == CHECKED:
            self.checked += 1
        elif kind == CERTIFICATE:
            self.certificate += 1
        else:
            self.missed += 1

    @property
    def rate(self) -> Decimal | None:
        """查环查孕率 (%), exact."""
        if not self.due:
            return None
        return Decimal(self.checked + self.certificate) * 100 / Decimal(self.due)

    def as_dict(self) -> dict:
        rate = rounded(self.rate)
        return {"due": self.due, "checked": self.checked, "certificate": self.certificate,
                "missed": self.missed, "rate_percent": float(rate) if rate is not None else None}


@dataclass
class UnitFigures:
    unit: units_mod.Unit
    total: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    overdue_certificates: int = 0


@dataclass
class RoundFigures:
    round: Round
    total: Tally
    by_category: dict[str, Tally]
    units: list[UnitFigures]
    overdue_certificates: int
    scope: units_mod.Unit | None = None

    def as_json(self) -> dict:
        """The INTERFACES.md §4 document (plus status and overdue-certificate count)."""
        return {
            "round": self.round.code, "start": self.round.start.isoformat(), "end": self.round.end.isoformat(),
            **self.total.as_dict(),
            "by_category": {name: tally.as_dict() for name, tally in self.by_category.items()},
            "units": [{"code": u.unit.code, "name": u.unit.name, **u.total.as_dict()} for u in self.units],
            "status": self.round.status, "frozen": self.round.closed,
            "certificate_overdue": self.overdue_certificates,
        }


def reporting_units(ledger: Ledger, on: date, unit_code: str | None = None) -> tuple[units_mod.Unit | None, list[units_mod.Unit]]:
    """(scope unit or None for the whole ledger, the units whose rows are reported)."""
    everything = units_mod.units_on(ledger.db, on)
    scope = None
    if unit_code:
        scope = units_mod.find(ledger.db, unit_code, on)
        if scope is None:
            raise UserInputError(f"单位代码“{unit_code}”在 {on.isoformat()} 不存在。")
    return scope, reported_under(everything, scope)


def reported_under(everything: list[units_mod.Unit], scope: units_mod.Unit | None) -> list[units_mod.Unit]:
    """The reported units of a tree already read: the scope's direct children; without a scope
    the root's children, or the roots themselves when there are several."""
    kids = units_mod.children_map(everything)
    if scope is not None:
        return kids.get(scope.id, [])
    ids = {u.id for u in everything}
    roots = [u for u in everything if u.parent_id is None or u.parent_id not in ids]
    if len(roots) == 1:
        return kids.get(roots[0].id, [])
    return roots


def owner_map(ledger: Ledger, on: date, reported: list[units_mod.Unit]) -> dict[int, int]:
    """unit_id → index of the reported unit whose subtree (on `on`) holds it."""
    return owners_in(units_mod.children_map(units_mod.units_on(ledger.db, on)), reported)


def owners_in(kids: Mapping[int | None, list[units_mod.Unit]], reported: list[units_mod.Unit]) -> dict[int, int]:
    """`owner_map` from a children map already read (no database)."""
    out: dict[int, int] = {}
    for index, unit in enumerate(reported):
        stack = [unit.id]
        while stack:
            current = stack.pop()
            out[current] = index
            stack.extend(child.id for child in kids.get(current, []))
    return out


def unit_at(ledger: Ledger, on: date) -> Callable[[int], int | None]:
    """unit_id → the id it stands for in the tree on `on` (itself, or its nearest ancestor then)."""
    existing = {u.id for u in units_mod.units_on(ledger.db, on)}
    memo: dict[int, int | None] = {}

    def place(unit_id: int) -> int | None:
        if unit_id in existing:
            return unit_id
        if unit_id not in memo:
            memo[unit_id] = None
            seen: set[int] = set()
            current: int | None = unit_id
            while current is not None and current not in existing and current not in seen:
                seen.add(current)
                row = ledger.db.execute("select parent_id from unit_versions where unit_id = ?"
                                        " order by valid_from desc limit 1", [current]).fetchone()
                current = row[0] if row else None
            memo[unit_id] = current if current in existing else None
        return memo[unit_id]

    return place


def subtree(ledger: Ledger, on: date, unit_id: int) -> set[int]:
    return set(units_mod.subtree_ids(ledger.db, unit_id, on))


def figures(ledger: Ledger, rnd: Round, unit_code: str | None = None, today: date | None = None,
            women: list[DueWoman] | None = None) -> RoundFigures:
    """Every figure of the round (optionally within `unit_code`'s subtree)."""
    today = today or date.today()
    scope, reported = reporting_units(ledger, rnd.end, unit_code)
    if women is None:
        women = due_list(ledger, rnd)
    place = unit_at(ledger, rnd.end)
    if scope is not None:
        inside = subtree(ledger, rnd.end, scope.id)
        women = [w for w in women if place(w.unit_id) in inside]
    return tally_figures(rnd, women, result_kinds(ledger.db, rnd), place, scope, reported,
                         owner_map(ledger, rnd.end, reported), today, overdue_start(ledger, rnd))


def tally_figures(rnd: Round, women: list[DueWoman], results: Mapping[int, StoredResult | str],
                  place: Callable[[int], int | None], scope: units_mod.Unit | None,
                  reported: list[units_mod.Unit], owners: Mapping[int, int], today: date,
                  overdue_from: date) -> RoundFigures:
    """The figures of `women` (already within the scope), without reading the ledger.

    `results`: woman_id → her result or its kind; `place`: unit_id → the unit it stands for on
    the round's last day; `owners`: that unit → index in `reported` (see `owner_map`).
    """
    rows = [UnitFigures(u) for u in reported]
    total = Tally()
    by_category = {c: Tally() for c in CATEGORIES}
    overdue = 0
    for woman in women:
        result = results.get(woman.woman_id)
        total.add(result)
        by_category[woman.category].add(result)
        late = is_overdue(woman, result, today, overdue_from)
        overdue += late
        at = place(woman.unit_id)
        index = owners.get(at) if at is not None else None
        if index is not None:
            rows[index].total.add(result)
            rows[index].by_category[woman.category].add(result)
            rows[index].overdue_certificates += late
    return RoundFigures(rnd, total, by_category, rows, overdue, scope)


def result_kinds(db, rnd: Round) -> dict[int, str]:
    """woman_id → 已查/寄回证明/未查 (the only thing the counts need; cheap at district scale)."""
    if rnd.id is None:
        return {}
    return dict(db.execute("select woman_id, result from check_results where round_id = ?", [rnd.id]).fetchall())


def overdue_start(ledger: Ledger, rnd: Round) -> date:
    """The day after which a missing certificate is overdue (the round's end + the setting)."""
    from datetime import timedelta

    return rnd.end + timedelta(days=overdue_days(ledger))


def is_overdue(woman: DueWoman, result: StoredResult | str | None, today: date, overdue_from: date) -> bool:
    kind = result if isinstance(result, str) or result is None else result.result
    return woman.residence == "流出" and today > overdue_from and kind not in (CHECKED, CERTIFICATE)


def _scoped(ledger: Ledger, rnd: Round, unit_ids: set[int] | None) -> list[DueWoman]:
    """Due women whose unit (or the unit it stands for on the round's last day) is in `unit_ids`."""
    women = due_list(ledger, rnd)
    if unit_ids is None:
        return women
    place = unit_at(ledger, rnd.end)
    return [w for w in women if w.unit_id in unit_ids or place(w.unit_id) in unit_ids]


@dataclass
class WorkItem:
    woman: DueWoman
    result: StoredResult | None
    days_overdue: int | None = None


def missed_worklist(ledger: Ledger, rnd: Round, unit_ids: set[int] | None = None) -> list[WorkItem]:
    """Due women without 已查/寄回证明 (no result or 未查), for phoning and visits (full phones)."""
    results = results_for(ledger.db, rnd)
    return [WorkItem(w, results.get(w.woman_id)) for w in _scoped(ledger, rnd, unit_ids)
            if not (w.woman_id in results and results[w.woman_id].counts_as_checked)]


def overdue_certificates(ledger: Ledger, rnd: Round, today: date | None = None,
                         unit_ids: set[int] | None = None) -> list[WorkItem]:
    """Due 流出 women whose certificate is overdue (see module rules), most overdue first."""
    today = today or date.today()
    start = overdue_start(ledger, rnd)
    results = results_for(ledger.db, rnd)
    out = [WorkItem(w, results.get(w.woman_id), (today - start).days)
           for w in _scoped(ledger, rnd, unit_ids) if is_overdue(w, results.get(w.woman_id), today, start)]
    return out


def record_view(ledger: Ledger, round_code: str, unit_code: str | None, missed_list: bool, printed: int) -> None:
    """Audit that a person read a round's figures (and, with `missed_list`, the 未查 names)."""
    ledger.audit("查看孕检统计", "check_round", round_code,
                 after={"unit": unit_code, "missed_list": missed_list, "printed": printed})
