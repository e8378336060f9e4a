"""`fpledger attendance import FILE`, `fpledger attendance month YYYY-MM [--json] [--so-far]`
(INTERFACES.md §6) and `fpledger attendance post YYYY-MM [--json]` (INTERFACES.md §2).

`attendance month` counts the whole month as DOMAIN.md §8 defines it (days_due = every working
day of the month; a session without a sign-in is 旷工 unless covered), whatever today's date is —
a month still running, or one after today, is counted from whatever data the ledger holds.
`--so-far` gives the live view of the tab instead (open sessions pending, days not begun not due).
A posted (locked) month prints the snapshot taken when it was posted.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from app.cli.common import (
    ALL_ERRORS_HINT,
    EXIT_BAD_INPUT,
    EXIT_OK,
    emit,
    emit_import_result,
    open_ledger,
)


def _cmd_import(args: argparse.Namespace) -> int:
    from app.attendance.importer import import_file
    from app.exchange.workbook import ImportFailed

    with open_ledger(args) as ledger:
        try:
            result = import_file(ledger, Path(args.file))
        except ImportFailed as exc:
            emit(args, exc.as_json(EXIT_BAD_INPUT), exc.listing(hint=ALL_ERRORS_HINT))
            return EXIT_BAD_INPUT
    return emit_import_result(args, f"考勤导入完成（{result.kind}）：{args.file}", result)


def _human_month(document: dict) -> str:
    lines = [f"{document['month']} 考勤" + ("（已张榜公布）" if document.get("posted") else "（未公布）"),
             "工号\t姓名\t应出勤天数\t出勤次数\t迟到\t旷工次数\t请假天数\t扣款(元)\t考勤奖\t值班天数\t出勤率"]
    for p in document["staff"]:
        leave_text = "、".join(f"{k}{v}" for k, v in p["leave_days"].items()) or "0"
        rate = "—" if p["attendance_rate_percent"] is None else f"{p['attendance_rate_percent']:.2f}%"
        lines.append(f"{p['staff_no']}\t{p['name']}\t{p['days_due']}\t{p['present_sessions']}\t{p['late']}\t"
                     f"{p['absent_sessions']}\t{leave_text}\t{p['fines_yuan']}\t"
                     f"{'扣发' if p['bonus_forfeited'] else '照发'}\t{p['duty_days']}\t{rate}")
    if not document["staff"]:
        lines.append("（没有考勤人员）")
    for filed in document.get("filed_leave", []):
        lines.append(f"报备：{filed['name']} {filed['leave_type']} {filed['start']} 至 {filed['end']}"
                     f"（{filed['length_days']} 天）")
    lines += [f"注意：{w}" for w in document.get("warnings", [])]
    return "\n".join(lines)


def _cmd_month(args: argparse.Namespace) -> int:
    from app.attendance.month import document

    # DOMAIN.md §8 counts the whole month (days_due = the month's working days), so by default
    # the month is counted whole whatever today is; --so-far gives the live view instead
    # (sessions still open are pending, days not begun are not due), like the tab's grid.
    with open_ledger(args) as ledger:
        doc = document(ledger.db, args.month, datetime.now() if args.so_far else None)
    emit(args, doc, lambda: _human_month(doc))
    return EXIT_OK


def _cmd_post(args: argparse.Namespace) -> int:
    from app.attendance.posting import post

    # INTERFACES.md §2: refused (UserInputError → exit 2, the reason on stderr) for a month
    # without punches or whose year has no holiday data; a role without lock_attendance_month
    # is refused in the core (exit 4).
    with open_ledger(args) as ledger:
        doc = post(ledger, args.month)
    emit(args, doc, lambda: f"已张榜公布并锁定：{doc['month']}（{len(doc['staff'])} 人，{doc['posted_at']}）")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("attendance", parents=[common], help="考勤：导入打卡/人员/请假，月度考勤表")
    commands = parser.add_subparsers(dest="attendance_command", metavar="子命令", parser_class=type(parser))
    commands.required = True
    p = commands.add_parser("import", parents=[common], help="导入考勤机导出 (CSV/.xlsx) 或考勤工作簿")
    p.add_argument("file")
    p.set_defaults(func=_cmd_import)
    p = commands.add_parser("month", parents=[common], help="某月考勤汇总（YYYY-MM）")
    p.add_argument("month", metavar="YYYY-MM")
    p.add_argument("--so-far", action="store_true",
                   help="只统计到此刻：尚未结束的半天不计、尚未到来的日子不计入应出勤天数（默认按整月统计）")
    p.set_defaults(func=_cmd_month)
    p = commands.add_parser("post", parents=[common], help="张榜公布并锁定某月考勤（YYYY-MM）")
    p.add_argument("month", metavar="YYYY-MM")
    p.set_defaults(func=_cmd_post)
