"""查环查孕情况统计表: the round's summary as the one Form definition (app/forms/model.py) that
app/forms/xlsx.py and app/forms/pdf.py render.

Layout (per reported unit = direct children of the chosen unit, rolled up; then 合计):
单位 | 应查 (合计 + 5 categories) | 已查 (合计 + 5 categories; INCLUDING 寄回证明, so that
应查 = 已查 + 未查 on every line) | 其中寄回证明 | 未查 (合计 + 5 categories) | 查环查孕率 (%) | 备注.
备注 names the 流出 women whose certificate is overdue (seed 篇三 point 5), so the paper rate
does not hide them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from app.forms.model import Column, Form
from app.roster.due import CATEGORIES
from app.roster.rates import RoundFigures, Tally, figures
from app.roster.rounds import Round, exempt_months

if TYPE_CHECKING:
    from app.ledger import Ledger

SHORT: dict[str, str] = {}   # printed category headers (the full names fit)


def _group(title: str, prefix: str) -> Column:
    leaves = [Column("合计", f"{prefix}_total", width=7)]
    leaves += [Column(SHORT.get(c, c), f"{prefix}_{i}", width=7 if len(c) < 5 else 10) for i, c in enumerate(CATEGORIES)]
    return Column(title, children=leaves)


def columns() -> list[Column]:
    return [Column("单位", "unit", kind="text", width=16), _group("应查", "due"), _group("已查（含寄回证明）", "done"),
            Column("其中寄回证明", "certificate", width=8), _group("未查", "missed"),
            Column("查环查孕率（%）", "rate", kind="percent", width=9), Column("备注", "note", kind="text", width=18)]


def _row(name: str, total: Tally, by_category: dict[str, Tally], overdue: int) -> dict:
    row: dict = {"unit": name, "due_total": total.due, "done_total": total.checked + total.certificate,
                 "missed_total": total.missed, "certificate": total.certificate, "rate": total.rate,
                 "note": f"流出逾期未寄回证明 {overdue} 人" if overdue else ""}
    for i, category in enumerate(CATEGORIES):
        tally = by_category[category]
        row[f"due_{i}"] = tally.due
        row[f"done_{i}"] = tally.checked + tally.certificate
        row[f"missed_{i}"] = tally.missed
    return row


def build(ledger: Ledger, rnd: Round, unit_code: str | None = None, today: date | None = None,
          data: RoundFigures | None = None) -> Form:
    data = data or figures(ledger, rnd, unit_code, today)
    rows = [_row(u.unit.name, u.total, u.by_category, u.overdue_certificates) for u in data.units]
    total = _row("合计", data.total, data.by_category, data.overdue_certificates)
    filler = data.scope.name if data.scope else ledger.office_name
    return Form(
        form_id=f"roster_{rnd.code}", title="查环查孕情况统计表", columns=columns(), rows=rows,
        period_label=f"{rnd.period_label}（{rnd.start.isoformat()} 至 {rnd.end.isoformat()}）",
        filler=filler, unit_line="单位：人、%", total_row=total,
        notes=["已查含寄回证明（流出妇女寄回的孕检证明），应查 = 已查 + 未查。",
               "查环查孕率 = （已查 + 寄回证明）÷ 应查 × 100。",
               f"应查：已婚、15–49 周岁、在册（含流出）、未免查的育龄妇女；结扎满 {exempt_months(ledger)} 个月及注明免查者不查。"],
    )


def rate_text(value: Decimal | None) -> str:
    from app.forms.model import rounded

    shown = rounded(value)
    return "—" if shown is None else f"{shown}%"


def export(ledger: Ledger, rnd: Round, unit_code: str | None, folder: str | Path,
           data: RoundFigures | None = None) -> tuple[Path, list[str]]:
    """查环查孕情况统计表 of the round as .xlsx and .pdf in `folder` (from `data` when the caller
    has the round's figures already); returns the file stem and the PDF's warnings. Needs
    `export_forms`; audited."""
    from app.forms.pdf import write_pdf
    from app.forms.xlsx import write_xlsx

    ledger.require("export_forms")
    form = build(ledger, rnd, unit_code, data=data)
    stem = Path(folder) / f"{rnd.code}_查环查孕情况统计表"
    write_xlsx([form], stem.with_suffix(".xlsx"))
    warnings = write_pdf([form], stem.with_suffix(".pdf"))
    ledger.audit("导出查环查孕情况统计表", "check_round", rnd.code, after={"file": stem.name})
    return stem, warnings
