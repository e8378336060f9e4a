"""A period's export package content: the four forms, the §3 report and `figures.json`, all from
ONE `PeriodFigures` (app.stats.period_figures) so that they cannot disagree (INTERFACES.md §7).

Rules:
- `prepare` asks `period_figures` once for the period (a closed period: its snapshot, unless
  `live`) and once for the same period last year, and builds the forms, the report and the
  figures document from those two. The reports tab previews exactly what `write` exports.
- `live=True` on a closed period is a recomputation (`source` "live_over_closed"): every form
  page carries 与已报送数不一致, and so do figures.json (`source`, `warning`) and the manifest.
- `figures.json` (format `fpledger-figures/1`): ledger_id, office, unit {code, name}, period,
  start, end, closed, source, closed_at/closed_by (of the standing close, else None), warning,
  `report` (the §3 document incl. previous_year and change) and `counts`: for the period and
  the same period last year, for the unit reported on (`role` "root"; the whole ledger has code
  None) and each of its direct children (`role` "child"), the integer counts of
  app/stats/counts.py (None where a unit did not exist then, or an old snapshot kept none);
  each row also names the unit's `kind` (单位类型), so a district can place a village it does
  not keep in its own tree (app/district/consolidate.py).
- `dhis2/dataValueSets.json`: the period's counts as a DHIS2 data value set (app/exchange/dhis2.py).
- It is written with the forms and listed in `manifest.json` with its SHA-256 like every file;
  the manifest also records `closed` and `source`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app import units
from app.exchange.export_package import Progress, write_package
from app.forms.model import Form
from app.forms.standard import standard_forms
from app.periods import Period
from app.stats import counts as counts_mod
from app.stats.period_figures import PeriodFigures, period_figures
from app.stats.report import report_document

if TYPE_CHECKING:
    from app.ledger import Ledger

FIGURES = "figures.json"
FIGURES_FORMAT = "fpledger-figures/1"


@dataclass
class PeriodPackage:
    """What one export of a period holds, ready to show on screen or write (plain data)."""

    period_code: str
    unit_code: str | None
    source: str
    closed: bool
    warning: str | None
    closed_note: str | None
    forms: list[Form]
    report: dict[str, Any]
    figures: dict[str, Any]

    def figures_bytes(self) -> bytes:
        return (json.dumps(self.figures, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def prepare(ledger: Ledger, period_code: str, unit_code: str | None = None, *, live: bool = False,
            tick: Callable[[int, int], None] | None = None) -> PeriodPackage:
    """Forms, report and figures document of the period (see the module rules)."""
    period = Period.parse(period_code, ledger.stat_year_start)
    current = period_figures(ledger.db, period, live=live)
    if tick:
        tick(1, 3)
    previous = period_figures(ledger.db, period.previous_year())
    return assemble(ledger, period, current, previous, unit_code, tick)


def assemble(ledger: Any, period: Period, current: PeriodFigures, previous: PeriodFigures,
             unit_code: str | None = None, tick: Callable[[int, int], None] | None = None) -> PeriodPackage:
    """The package from the period's and last year's figures (a district's consolidation hands
    in figures summed from its townships' counts, app/stats/summed.py)."""
    unit = current.resolve(unit_code)
    forms = standard_forms(ledger, period.code, unit_code, figures=current)
    if tick:
        tick(2, 3)
    document = report_document(current, unit_code, previous=previous)
    closure = current.closure or {}
    figures = {
        "format": FIGURES_FORMAT,
        "ledger_id": ledger.ledger_id,
        "office": ledger.office_name,
        "unit": {"code": unit.code if unit else None, "name": current.name(unit)},
        "period": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
        "closed": current.closed, "source": current.source,
        "closed_at": closure.get("closed_at"), "closed_by": closure.get("closed_by"),
        "warning": current.warning,
        "report": document,
        "counts": {"format": counts_mod.FORMAT,
                   "period": _counts_block(current, unit, [unit, *current.top(unit)]),
                   "previous_year": _counts_block(previous, unit, [unit, *current.top(unit)])},
    }
    return PeriodPackage(period.code, unit_code, current.source, current.closed, current.warning,
                         current.closed_note, forms, document, figures)


def _counts_block(pf: PeriodFigures, root: units.Unit | None, wanted: list[units.Unit | None]) -> dict:
    rows = []
    for index, unit in enumerate(wanted):
        same = unit if unit is None else pf.find(unit.code)
        parent = pf.by_id.get(same.parent_id) if same is not None and same.parent_id else None
        rows.append({"code": unit.code if unit else None, "name": pf.name(same if same else unit),
                     "kind": unit.kind if unit else None, "role": "root" if index == 0 else "child",
                     "parent": parent.code if parent else None,
                     "counts": pf.counts(same) if (same is not None or unit is None) else None})
    return {"period": pf.period.code, "start": pf.period.start.isoformat(), "end": pf.period.end.isoformat(),
            "source": pf.source, "closed": pf.closed,
            "complete": all(r["counts"] is not None for r in rows), "units": rows}


def write(ledger: Any, package: PeriodPackage, out_dir: str | os.PathLike[str], progress: Progress | None = None,
          extra_files: dict[str, bytes] | None = None, status: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the package (forms, figures.json, dhis2/dataValueSets.json, extra files, manifest)
    safely to `out_dir`. A period without a DHIS2 period code gets no DHIS2 file and the
    manifest's `warnings` say why (app/exchange/dhis2.py). `status` adds manifest keys."""
    from app.exchange import dhis2

    files = {FIGURES: package.figures_bytes()}
    dhis2_bytes, dhis2_note = dhis2.package_file(package.figures)
    if dhis2_bytes is not None:
        files[dhis2.FILE] = dhis2_bytes
    files |= extra_files or {}
    return write_package(ledger, package.period_code, package.forms, out_dir, progress=progress,
                         extra_files=files, unit_code=package.unit_code,
                         status={"closed": package.closed, "source": package.source, "warning": package.warning}
                         | (status or {}), notes=[dhis2_note] if dhis2_note else None)


__all__ = ["FIGURES", "PeriodPackage", "assemble", "prepare", "write"]
