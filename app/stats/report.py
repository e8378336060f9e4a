"""The §3 document of a period and unit (INTERFACES.md §3): the figures plus 去年同期 and the change.

`report` never decides itself where a period's figures come from: it asks
`app.stats.period_figures.period_figures` (a closed period's snapshot, else the live
computation of app/stats/computation.py, which this module re-exports as `compute_all` and
`Computation` for older callers). Layering: computation ← period_figures ← report.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from app.errors import UserInputError
from app.periods import Period
from app.stats.computation import Computation as Computation
from app.stats.computation import compute_all as compute_all
from app.stats.computation import long_acting_row as long_acting_row
from app.stats.computation import resolve_unit as resolve_unit
from app.stats.numbers import change, to_json
from app.stats.period_figures import PeriodFigures, period_figures
from app.stats.scope import meta


def report(db: sqlite_utils.Database, period_code: str, unit_code: str | None = None,
           as_of: date | str | None = None, stat_year_start: int | None = None,
           live: bool = False) -> dict:
    """INTERFACES.md §3: the period's figures plus `previous_year` and `change`.

    Counts are ints, rates floats rounded half up to 2 decimals (None when the base is 0).
    The figures come from `app.stats.period_figures.period_figures`: a closed period (no as-of,
    not `live`) answers from its frozen snapshot; `closed` then names who closed it and when,
    and `source` says which road the figures took ("snapshot", "live", "live_over_closed").
    """
    if stat_year_start is None:
        stat_year_start = int(meta(db, "stat_year_start", "10") or 10)
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            raise UserInputError(f"日期“{as_of}”无效，应为 YYYY-MM-DD。") from None
    period = Period.parse(period_code, stat_year_start)
    return report_document(period_figures(db, period, live=live, as_of=as_of), unit_code)


def report_document(figures: PeriodFigures, unit_code: str | None = None,
                    previous: PeriodFigures | None = None) -> dict:
    """The §3 document of `unit_code` from a `PeriodFigures` (and, if given, last year's).

    去年同期 is `period_figures` of the same period a year back with the same as-of (so its
    snapshot when that period is closed, `source` "snapshot", else "recomputed" ("consolidated" from summed counts); "none" when
    the unit did not exist then). The change of a rate is that of the printed figures.
    """
    unit = figures.resolve(unit_code)
    current = figures.figures(unit)
    closure = figures.closure if figures.source == "snapshot" else None
    current["closed"] = ({"closed_at": closure["closed_at"], "closed_by": closure["closed_by"]}
                         if closure else None)
    current["source"] = figures.source
    current["stat_year_start"] = figures.period.stat_year_start
    prev_period = figures.period.previous_year()
    if previous is None:
        previous = period_figures(figures.db, prev_period, as_of=figures.as_of)
    prev_unit = previous.find(unit.code) if unit else None
    if unit is not None and prev_unit is None:
        # the unit did not exist a year ago: nothing to compare with
        last = {"period": prev_period.code, "start": prev_period.start.isoformat(),
                "end": prev_period.end.isoformat(), "unit": unit.code, "source": "none"}
    else:
        last = previous.figures(prev_unit, with_units=False)
        last["source"] = previous.source if previous.source in ("snapshot", "consolidated") else "recomputed"
    current["previous_year"] = last
    current["change"] = to_json(change(_comparable(current), _comparable(last)))
    return current


def _comparable(figures: dict) -> dict:
    skip = {"previous_year", "change", "closed", "source", "stat_year_start", "as_of",
            "population_start", "population_average"}
    out = {k: v for k, v in figures.items() if k not in skip}
    la = out.get("long_acting")
    if isinstance(la, dict):
        out["long_acting"] = {"total": la.get("total")} if la.get("total") is not None else {}
    return out


__all__ = ["Computation", "compute_all", "report", "report_document"]
