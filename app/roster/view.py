"""Everything the roster tab (孕检名册) shows for one round, as plain data computed in one call.

Rules:
- `roster_view(ledger, rnd, scope_id)` is the only read of the ledger behind the tab's lists
  and figures: the round's due list (frozen or computed now; or the one passed in, when only
  the results changed), its results, the unit tree on the round's last day, the unit each due
  woman stands for in that tree, the due count and rate of every tree node (rolled up over its
  subtree), and the scope of the chosen unit. It touches no Qt object, so the tab runs it on a
  worker thread with the worker's own connection.
- `scope_of(view, unit_id)` reads nothing: the due women placed in the unit's subtree, the
  rates per reported unit (its direct children) and per category by the same rules as
  app.roster.rates.figures (`tally_figures`), the 未查 worklist and the overdue certificates.
  Changing the unit in the tab calls only this; the due list is not computed again.
- `progress(done, total, text)` (optional) is called between the steps and every few thousand
  women; when it returns False the work stops with `ViewCancelled` (nothing was written).
- Masking is the screen's business: the data carries full numbers, the tab shows them masked
  (app.idcard) and full only through the audited app.registry.reveal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app import units as units_mod
from app.errors import UserInputError
from app.roster import due as due_mod
from app.roster import rates
from app.roster.results import StoredResult, results_for
from app.roster.rounds import Round

if TYPE_CHECKING:
    from app.ledger import Ledger

ProgressFn = Callable[[int, int, str], bool]
STEPS = 4
CHUNK = 5000


class ViewCancelled(UserInputError):
    """The user cancelled computing the roster; nothing was written."""


@dataclass
class ScopeView:
    """What the tab shows for one unit (None = all units) of the round."""

    unit_id: int | None
    unit_code: str | None
    women: list[due_mod.DueWoman]
    figures: rates.RoundFigures
    missed: list[rates.WorkItem]
    overdue: list[rates.WorkItem]


@dataclass
class RosterView:
    round: Round
    women: list[due_mod.DueWoman]
    results: dict[int, StoredResult]
    units: list[units_mod.Unit]                      # the tree on the round's last day
    place: dict[int, int | None]                     # a due woman's unit_id → the tree unit it stands for
    tallies: dict[int | None, rates.Tally]           # tree unit (None = all) → rolled-up tally
    today: date
    overdue_from: date
    scope: ScopeView | None = None
    unit_names: dict[int, str] = field(default_factory=dict)

    @property
    def kids(self) -> dict[int | None, list[units_mod.Unit]]:
        return units_mod.children_map(self.units)

    def tally(self, unit_id: int | None) -> rates.Tally:
        return self.tallies.get(unit_id, rates.Tally())


def _step(progress: ProgressFn | None, done: int, text: str) -> None:
    if progress is not None and progress(done, STEPS, text) is False:
        raise ViewCancelled("已取消计算应查名单。")


def roster_view(ledger: Ledger, rnd: Round, scope_id: int | None = None, today: date | None = None,
                women: list[due_mod.DueWoman] | None = None,
                progress: ProgressFn | None = None) -> RosterView:
    """The round's due list, results, tree tallies and the scope of `scope_id` (module rules)."""
    today = today or date.today()
    _step(progress, 0, "正在计算应查名单…")
    if women is None:
        women = due_mod.due_list(ledger, rnd)
    _step(progress, 1, "正在读取孕检结果…")
    res = results_for(ledger.db, rnd)
    everything = units_mod.units_on(ledger.db, rnd.end)
    unit_at = rates.unit_at(ledger, rnd.end)
    place = {unit_id: unit_at(unit_id) for unit_id in {w.unit_id for w in women}}
    view = RosterView(rnd, women, res, everything, place, {}, today, rates.overdue_start(ledger, rnd),
                      unit_names={u.id: u.name for u in everything})
    _step(progress, 2, "正在汇总各单位查环查孕率…")
    view.tallies = _tree_tallies(view, progress)
    _step(progress, 3, "正在整理名单…")
    known = {u.id for u in everything}
    view.scope = scope_of(view, scope_id if scope_id in known else None)
    _step(progress, STEPS, "")
    return view


def _tree_tallies(view: RosterView, progress: ProgressFn | None) -> dict[int | None, rates.Tally]:
    """Each due woman counted in the unit she stands for, every ancestor of it, and in None."""
    parent_of = {u.id: u.parent_id for u in view.units}
    tallies: dict[int | None, rates.Tally] = {None: rates.Tally()}
    for n, woman in enumerate(view.women):
        if n % CHUNK == 0:
            _step(progress, 2, f"正在汇总各单位查环查孕率…（{n}/{len(view.women)}）")
        result = view.results.get(woman.woman_id)
        node = view.place.get(woman.unit_id)
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            tallies.setdefault(node, rates.Tally()).add(result)
            node = parent_of.get(node)
        tallies[None].add(result)
    return tallies


def subtree_of(view: RosterView, unit_id: int) -> set[int]:
    kids, out, stack = view.kids, set(), [unit_id]
    while stack:
        current = stack.pop()
        if current not in out:
            out.add(current)
            stack.extend(child.id for child in kids.get(current, []))
    return out


def scope_of(view: RosterView, unit_id: int | None) -> ScopeView:
    """The chosen unit's women, figures and worklists, from the view alone (no database)."""
    by_id = {u.id: u for u in view.units}
    scope = by_id.get(unit_id) if unit_id is not None else None
    if scope is None:
        women = view.women
    else:
        inside = subtree_of(view, scope.id)
        women = [w for w in view.women if view.place.get(w.unit_id) in inside]
    reported = rates.reported_under(view.units, scope)
    owners = rates.owners_in(view.kids, reported)
    figures = rates.tally_figures(view.round, women, view.results, lambda uid: view.place.get(uid), scope,
                                  reported, owners, view.today, view.overdue_from)
    res = view.results
    missed = [rates.WorkItem(w, res.get(w.woman_id)) for w in women
              if not (w.woman_id in res and res[w.woman_id].counts_as_checked)]
    days = (view.today - view.overdue_from).days
    overdue = [rates.WorkItem(w, res.get(w.woman_id), days) for w in women
               if rates.is_overdue(w, res.get(w.woman_id), view.today, view.overdue_from)]
    return ScopeView(scope.id if scope else None, scope.code if scope else None, women, figures, missed, overdue)
