"""Casework commands (DOMAIN.md §11, INTERFACES.md §2):

- `registrations PERIOD [--json]` — the 生育登记 of a period (by registration day) with counts
  by order;
- `rewards screen YEAR [--json] [--out DIR [--roll]]` — the 奖励扶助 / 特别扶助 screening of the
  calendar year; `--out` also writes the 公示 list (IDs masked) and, with `--roll`, the roll for
  the county (full ID numbers: needs a role that may see them) as .xlsx and .pdf.
Human output masks ID numbers (app.cli.common.emit); --json keeps them (machine output).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_OK, emit, open_ledger
from app.errors import UserInputError


def _cmd_registrations(args: argparse.Namespace) -> int:
    from app.casework import registrations
    from app.periods import Period

    with open_ledger(args) as ledger:
        document = registrations.view_period(ledger, args.period)
        period = Period.parse(args.period, ledger.stat_year_start)

    def human() -> str:
        by = document["by_order"]
        lines = [f"生育登记 {period.label}（{document['start']} 至 {document['end']}）：共 {document['total']} 件"
                 f"（一孩 {by['1']}，二孩 {by['2']}，三孩 {by['3']}；已关联子女 {document['linked']}）"]
        for r in document["registrations"]:
            when = f"预产期 {r['expected_date']}" if r["expected_date"] else ""
            when = f"出生 {r['birth_date']}" if r["birth_date"] else when
            lines.append(f"  {r['number']}  {r['registered_on']}  {r['name']} {r['id_number']}  "
                         f"{r['unit_name'] or ''}  第{r['order']}孩  {when}")
        return "\n".join(lines)

    emit(args, document, human)
    return EXIT_OK


def _cmd_rewards_screen(args: argparse.Namespace) -> int:
    from app import rewards, rewards_forms

    try:
        year = int(args.year)
    except ValueError:
        raise UserInputError(f"年份“{args.year}”无效，应为四位数字，如 2026") from None
    with open_ledger(args) as ledger:
        document = rewards.view(ledger, year)
        if args.out:
            document["files"] = [str(p) for p in rewards_forms.export(ledger, year, Path(args.out), roll=args.roll)]

    def human() -> str:
        lines = [f"{year} 年度奖励扶助 / 特别扶助筛查（截至 {document['year_end']}）"]
        for scheme, s in document["summary"].items():
            lines.append(f"  {scheme}：列入筛查 {s['listed']} 人，符合条件 {s['eligible']} 人（其中新增 {s['new']} 人）")
        for p in document["people"]:
            mark = ("符合" + ("（新增）" if p["new"] else "")) if p["eligible"] else "不符合：" + "；".join(p["reasons"])
            lines.append(f"  [{p['scheme']}] {p['name']} {p['sex'] or ''} {p['birth_date']} {p['id_number']} "
                         f"{p['unit_name'] or ''}：{mark}")
        for u in document["unscreened"]:
            lines.append(f"  未能筛查：{u['woman_name']}的丈夫 {u['husband_name'] or ''}（{u['reason']}）")
        lines.extend(f"  已导出：{f}" for f in document.get("files", []))
        return "\n".join(lines)

    emit(args, document, human)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("registrations", parents=[common], help="某统计期的生育登记（按登记日期）及分孩次件数")
    p.add_argument("period", metavar="PERIOD")
    p.set_defaults(func=_cmd_registrations)

    rewards = sub.add_parser("rewards", parents=[common], help="奖励扶助 / 特别扶助")
    rewards_sub = rewards.add_subparsers(dest="rewards_command", metavar="子命令", parser_class=type(rewards))
    rewards_sub.required = True
    p = rewards_sub.add_parser("screen", parents=[common], help="按公历年度筛查奖扶、特扶对象（含已超龄出队的卡片）")
    p.add_argument("year", metavar="YEAR")
    p.add_argument("--out", metavar="DIR", help="同时导出公示名单（证件号码已遮蔽）的 Excel 和 PDF")
    p.add_argument("--roll", action="store_true", help="与 --out 一起：另导出报县审批的花名册（完整证件号码）")
    p.set_defaults(func=_cmd_rewards_screen)
