"""The reconciliation report (抽样调查核对情况表) as a Form, rendered by app/forms/xlsx.py and pdf.py.

One row per sampled unit plus 合计: survey births, 一致, 错报, 重报, 迟报, 漏报, 待核实, ledger births
(the ledger's own §5 births of the unit and period), 求实率 and 漏报率 (definitions in
app.reconcile.run). Rates are exact Decimals; the renderers
round them half up to 2 decimals. The rows carry no personal data. A note line counts the rows
whose birth date differs only by a surveyor's slip (≤ 3 days or day/month swapped: 待核日期); they
are counted by their other fields (一致 unless something else differs). When 求实率 passes 100 %
(the ledger holds more births than the survey found) a last note says why: the 多报/未核实
births, listed in the 台帐有而调查未见 list (`Reconciliation.accuracy_note`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.forms.model import Column, Form
from app.periods import Period
from app.reconcile.run import Reconciliation, Tally

if TYPE_CHECKING:
    from app.ledger import Ledger


def _row(t: Tally, code: str, name: str) -> dict:
    return {"code": code, "name": name, "survey": t.survey_births, "matched": t.counts["matched"],
            "misreported": t.counts["misreported"], "duplicated": t.counts["duplicated"], "late": t.counts["late"],
            "unreported": t.counts["unreported"], "review": t.counts["review"], "ledger": t.ledger_births,
            "accuracy": t.accuracy, "unreported_rate": t.unreported_rate}


def build_form(rec: Reconciliation, office: str = "", stat_year_start: int = 10) -> Form:
    survey = rec.survey
    try:
        label = Period.parse(survey.period, stat_year_start).label
    except Exception:  # noqa: BLE001 - an odd stored code still prints as its dates
        label = f"{survey.period_start}至{survey.period_end}"
    columns = [
        Column("单位代码", "code", "text", 14), Column("单位名称", "name", "text", 14),
        Column("调查出生", "survey", "int", 8),
        Column("台帐核对结果", children=[
            Column("一致", "matched", "int", 6), Column("错报", "misreported", "int", 6),
            Column("重报", "duplicated", "int", 6), Column("迟报", "late", "int", 6),
            Column("漏报", "unreported", "int", 6), Column("待核实", "review", "int", 6)]),
        Column("台帐出生", "ledger", "int", 8),
        Column("求实率(%)", "accuracy", "percent", 9), Column("漏报率(%)", "unreported_rate", "percent", 9),
    ]
    rows = [_row(t, t.code, t.name) for t in rec.units]
    total = _row(rec.total, "合计", "")
    slips = sum(1 for r in rec.results if r.notes)
    return Form(
        form_id="reconcile", title="抽样调查核对情况表", columns=columns, rows=rows, total_row=total,
        period_label=label, filler=office, unit_line="单位：人、%",
        notes=[f"调查表：{survey.file_name}（SHA-256 {survey.file_sha256}）",
               "台帐出生 = 台帐中被抽查单位本期的出生数（亲生、母亲常住或流入、本期末前已上报，与报表口径相同，"
               "含台帐有而调查未见的出生，重报按台帐计）；求实率 = 100 − (调查出生 − 台帐出生) ÷ 调查出生 × 100；"
               "漏报率 = 漏报 ÷ 调查出生 × 100。",
               f"出生日期仅相差 3 天以内或日月颠倒的（待核日期，按其他项目计为一致等）：{slips} 人。",
               f"台帐有而调查未见（多报/未核实）：{len(rec.ledger_only)} 人。制表日期：{date.today().isoformat()}"]
        + ([f"{note}。"] if (note := rec.accuracy_note()) else []),
    )


def write_report(rec: Reconciliation, folder: str | Path, office: str = "", stat_year_start: int = 10) -> list[Path]:
    """Write 抽样调查核对-<period>.xlsx and .pdf into `folder` (each written atomically by its renderer)."""
    from app.forms.pdf import write_pdf
    from app.forms.xlsx import write_xlsx

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    form = build_form(rec, office, stat_year_start)
    stem = f"抽样调查核对-{rec.survey.period}-{rec.survey.id}"
    xlsx = write_xlsx([form], folder / f"{stem}.xlsx")
    pdf = folder / f"{stem}.pdf"
    write_pdf([form], pdf)
    return [Path(xlsx), pdf]


def export_report(ledger: Ledger, rec: Reconciliation, folder: str | Path) -> list[Path]:
    """`write_report` with the ledger's office and statistical year; needs `export_forms`; audited."""
    ledger.require("export_forms")
    files = write_report(rec, folder, ledger.office_name, ledger.stat_year_start)
    ledger.audit("导出抽样核对表", "survey", rec.survey.id, after={"files": [p.name for p in files]})
    return files
