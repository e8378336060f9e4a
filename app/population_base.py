"""人口基数 entry: the one writer of a unit's population and deaths for a period (DOMAIN.md §5).

Population and deaths are not derivable from the registry; they are entered per unit and period
(the reports tab, the 人口基数 sheet of the import, the tests' builders) and stamped with when
they were entered (`entered_at`), so `--as-of` takes only the rows entered by then. Reading
them for a report is app.stats.population's (the live computation); writing is here, so the
data-entry paths never import the computation.
"""

from __future__ import annotations

from datetime import datetime

from app.periods import Period


def store_row(db, unit_id: int, period: Period, population: int, deaths: int) -> None:
    """Write the unit's 人口基数 row for `period` (keyed by unit and period code; its figures
    replaced if present), stamped `entered_at` = now — the one writer (the reports tab, the
    人口基数 sheet, the tests' builders), inside the caller's transaction."""
    db.execute(
        "insert into population_base (unit_id, period, start_date, end_date, population, deaths, entered_at)"
        " values (?, ?, ?, ?, ?, ?, ?) on conflict (unit_id, period) do update set"
        " start_date = excluded.start_date, end_date = excluded.end_date, population = excluded.population,"
        " deaths = excluded.deaths, entered_at = excluded.entered_at",
        [unit_id, period.code, period.start.isoformat(), period.end.isoformat(), population, deaths,
         entered_now()])


def entered_now() -> str:
    """The `entered_at` stamp of a 人口基数 write (ISO, seconds — like every created_at)."""
    return datetime.now().isoformat(timespec="seconds")


__all__ = ["entered_now", "store_row"]
