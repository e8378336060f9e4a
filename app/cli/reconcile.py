"""`fpledger reconcile SURVEY.xlsx --period P [--json] [--out DIR]` (INTERFACES.md §5).

The survey is stored as evidence on first use (the same file for the same period again reuses
the stored survey, so rerunning the command is harmless), matched with the review decisions
taken so far, and the run's results are stored. `--out DIR` also writes the reconciliation form
(.xlsx and .pdf). Exit code 0 when every survey row is 一致; 1 when any row is 漏报, 错报, 重报,
迟报 or left to review (the command ran and found problems); 2 for a bad file or period.
Ledger births (台帐出生) and the rates follow app.reconcile.run: the ledger's own births of the
sampled units and period (DOMAIN.md §5), so 求实率 = 100 − (调查出生 − 台帐出生) / 调查出生 × 100.
The human output lists the rows whose birth date differs only by a surveyor's slip (待核日期,
each row's `notes`): they count as 一致 unless another field differs. A 求实率 over 100 % says
why under it (`accuracy_note`: the 多报/未核实 births the survey did not find; null otherwise).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    ALL_ERRORS_HINT,
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    emit,
    open_ledger,
)
from app.cli.progress import terminal_progress
from app.periods import Period


def _human(document: dict) -> str:
    from app.reconcile.run import OUTCOME_LABELS

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}%"

    lines = [f"抽样调查核对 {document['period']}（{document['start']} 至 {document['end']}），调查表 {document['file']}",
             f"调查出生 {document['survey_births']}：一致 {document['matched']}，错报 {document['misreported']}，"
             f"重报 {document['duplicated']}，迟报 {document['late']}，漏报 {document['unreported']}，"
             f"待核实 {document['review']}",
             f"台帐出生 {document['ledger_births']}（被抽查单位本期，与报表口径相同），"
             f"求实率 {pct(document['accuracy_percent'])}，漏报率 {pct(document['unreported_percent'])}",
             *([document["accuracy_note"]] if document.get("accuracy_note") else []),
             "单位代码\t单位名称\t调查出生\t台帐出生\t漏报\t求实率"]
    for u in document["units"]:
        lines.append(f"{u['code']}\t{u['name']}\t{u['survey_births']}\t{u['ledger_births']}\t{u['unreported']}\t"
                     f"{pct(u['accuracy_percent'])}")
    noted = [r for r in document["rows"] if r["notes"]]
    if noted:
        lines.append(f"待核日期 {len(noted)} 行（出生日期相差 3 天以内或日月颠倒，不算错报，请核对）：")
        for r in noted:
            lines.append(f"  第 {r['row']} 行（{OUTCOME_LABELS[r['outcome']]}）：{'；'.join(r['notes'])}")
    lines.append(f"台帐有而调查未见（多报/未核实）：{len(document['ledger_only'])} 人")
    for path in document.get("files", []):
        lines.append(f"已写出：{path}")
    return "\n".join(lines)


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from app.exchange.workbook import ImportFailed
    from app.reconcile.report import export_report
    from app.reconcile.run import reconcile, save_results
    from app.reconcile.survey import import_survey, stored_survey_id

    path = Path(args.file)
    with open_ledger(args) as ledger:
        period = Period.parse(args.period, ledger.stat_year_start)
        survey_id = stored_survey_id(ledger.db, path, period.code)
        if survey_id is None:
            try:
                survey, _warnings = import_survey(ledger, path, period.code)
            except ImportFailed as exc:
                emit(args, exc.as_json(EXIT_BAD_INPUT), exc.listing(hint=ALL_ERRORS_HINT))
                return EXIT_BAD_INPUT
            survey_id = survey.id
        with terminal_progress(args, "核对") as progress:
            rec = reconcile(ledger.db, survey_id, progress)
        save_results(ledger, rec)
        document = rec.as_json()
        if getattr(args, "out", None):
            files = export_report(ledger, rec, args.out)
            document["files"] = [str(p) for p in files]
    emit(args, document, lambda: _human(document))
    return EXIT_OK if document["matched"] == document["survey_births"] else EXIT_FINDINGS


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("reconcile", parents=[common], help="抽样调查核对：把调查表与台帐逐一比对")
    p.add_argument("file", help="抽样调查表 (.xlsx，工作表“抽样调查”)")
    p.add_argument("--period", required=True, help="统计期，如 2026H1")
    p.add_argument("--out", help="同时把核对情况表（.xlsx 和 .pdf）写到此文件夹")
    p.set_defaults(func=_cmd_reconcile)
