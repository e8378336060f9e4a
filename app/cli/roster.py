"""`fpledger roster ROUND [--unit CODE] [--missed] [--close] [--print DIR] [--json]` (INTERFACES.md §4).

The JSON document is exactly §4 (round, start, end, due, checked, certificate, missed,
rate_percent, by_category, units) plus `status`, `frozen` and `certificate_overdue`; with
`--missed` it also carries `missed_list` (the 未查 worklist, phones masked: output may leave the
office). `--close` freezes the due list first; `--print DIR` writes the printed rosters.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, emit, open_ledger
from app.cli.progress import terminal_progress
from app.idcard import mask_id, mask_phone

if TYPE_CHECKING:
    from app.ledger import Ledger


def _cmd_roster(args: argparse.Namespace) -> int:
    from app.roster import rates, rounds

    with open_ledger(args) as ledger:
        code = rounds.parse_code(ledger, args.round).code   # parsed once: the canonical code on
        if args.close:
            rounds.close(ledger, code)
        rnd = rounds.resolve(ledger, code)
        figures = rates.figures(ledger, rnd, args.unit)
        document = figures.as_json()
        worklist = []
        if args.missed:
            inside = rates.subtree(ledger, rnd.end, figures.scope.id) if figures.scope else None
            names = _unit_names(ledger)
            for item in rates.missed_worklist(ledger, rnd, inside):
                w = item.woman
                worklist.append({"name": w.name, "id_number": mask_id(w.id_number), "unit": names.get(w.unit_id, ""),
                                 "residence": w.residence, "category": w.category, "phone": mask_phone(w.phone),
                                 "result": item.result.describe() if item.result else "无结果"})
            document["missed_list"] = worklist
        printed = []
        if args.print_dir:
            from app.roster import printing

            with terminal_progress(args, "打印名册", cancellable=True) as progress:
                outcome = printing.write_all(ledger, rnd, Path(args.print_dir), unit_code=args.unit, progress=progress)
            printed = [str(p) for p in outcome.files]
            document["printed"] = printed
        rates.record_view(ledger, rnd.code, args.unit, bool(args.missed), len(printed))
    emit(args, document, lambda: _human(document, worklist, printed))
    return EXIT_OK


def _unit_names(ledger: Ledger) -> dict[int, str]:
    from app import units

    return {u.id: u.name for u in units.units_on(ledger.db)}


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _human(doc: dict, worklist: list[dict], printed: list[str]) -> str:
    lines = [f"孕检轮次 {doc['round']}（{doc['start']} 至 {doc['end']}，{doc['status']}）",
             f"应查 {doc['due']}，已查 {doc['checked']}，寄回证明 {doc['certificate']}，未查 {doc['missed']}，"
             f"查环查孕率 {_rate(doc['rate_percent'])}；流出逾期未寄回证明 {doc['certificate_overdue']} 人",
             "类别\t应查\t已查\t寄回证明\t未查\t查环查孕率"]
    for name, t in doc["by_category"].items():
        lines.append(f"{name}\t{t['due']}\t{t['checked']}\t{t['certificate']}\t{t['missed']}\t{_rate(t['rate_percent'])}")
    lines.append("单位\t应查\t已查\t寄回证明\t未查\t查环查孕率")
    for u in doc["units"]:
        lines.append(f"{u['name']}\t{u['due']}\t{u['checked']}\t{u['certificate']}\t{u['missed']}\t{_rate(u['rate_percent'])}")
    if worklist:
        lines.append("未查名单：")
        lines.extend(f"  {w['unit']}\t{w['name']}\t{w['id_number']}\t{w['residence']}\t{w['phone']}\t{w['result']}"
                     for w in worklist)
    lines.extend(f"已生成名册：{p}" for p in printed)
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("roster", parents=[common], help="孕检轮次：应查、已查、寄回证明、未查、查环查孕率")
    p.add_argument("round", help="轮次（统计期代码，如 2026Q2）")
    p.add_argument("--unit", help="只统计该单位（默认：全台帐，按根单位的直属下级分列）")
    p.add_argument("--missed", action="store_true", help="同时列出未查名单（电话已遮蔽）")
    p.add_argument("--close", action="store_true", help="先关账：冻结本轮应查名单（轮次结束后）")
    p.add_argument("--print", dest="print_dir", metavar="DIR", help="按村/社区生成打印名册 (PDF 和 Excel) 到 DIR")
    p.set_defaults(func=_cmd_roster)
