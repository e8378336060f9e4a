"""Report commands (INTERFACES.md §2–3): report, export, close, reopen, analysis, targets, veto-list.

- `report PERIOD [--unit CODE] [--as-of DATE] [--live] [--json]`: the indicators; a closed period
  answers from its snapshot unless `--live`.
- `export PERIOD --out DIR [--unit CODE] [--live]`: the period's four standard forms as .xlsx
  and .pdf plus figures.json and manifest.json, written safely (app/exchange/period_package.py).
  A closed period exports its snapshot; `--live` recomputes it and every page says 与已报送数不一致.
- `close PERIOD [--manifest FILE]`: freeze the figures (and the exported files' SHA-256 read from
  an export's manifest.json). `reopen PERIOD --reason TEXT`: needs a 局长/主任 signed in with
  `--user` on a ledger with accounts (app.closing); the reason and the person are audited.
- `differences PERIOD`: figures that changed since the period was closed, and the facts dated in
  it entered or changed after the close (exit 1 if either is non-empty).
- `analysis PERIOD [--unit CODE] [--out FILE]`: the analysis draft's figures part (篇三).
- `targets YEAR [--unit CODE --births N --birth-rate R --growth-rate R --policy-rate R]`.
- `veto-list YEAR`: 一票否决 — public units with a 政策外 birth, with their 主管单位.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_FINDINGS, EXIT_OK, emit, open_ledger
from app.errors import UserInputError
from app.periods import Period

if TYPE_CHECKING:
    from app.ledger import Ledger


def _fmt(value, suffix: str = "") -> str:
    return "—" if value is None else (f"{value:.2f}{suffix}" if isinstance(value, float) else f"{value}{suffix}")


def _signed(value, rate: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.2f}" if rate else f"{value:+d}"


def human_report(r: dict) -> str:
    prev, ch = r.get("previous_year") or {}, r.get("change") or {}
    lines = [f"{r.get('unit_name') or ''} {r['label']}（{r['start']} 至 {r['end']}）统计指标"
             + (f"  [已关账 {r['closed']['closed_at']}]" if r.get("closed") else "")
             + (f"  [截至 {r['as_of']}]" if r.get("as_of") else ""),
             f"{'指标':<14}{'本期':>12}{'去年同期':>12}{'增减':>10}"]

    def line(label: str, key: str, rate: bool = False, suffix: str = "") -> None:
        lines.append(f"{label:<14}{_fmt(r.get(key), suffix):>12}{_fmt(prev.get(key), suffix):>12}"
                     f"{_signed(ch.get(key), rate):>10}")

    line("总人口", "population")
    line("出生人数", "births")
    line("  男", "births_male")
    line("  女", "births_female")
    line("死亡人数", "deaths")
    line("自然增长", "natural_increase")
    line("出生率‰", "birth_rate_permille", True)
    line("死亡率‰", "death_rate_permille", True)
    line("自然增长率‰", "natural_growth_rate_permille", True)
    line("出生性别比", "sex_ratio", True)
    line("计划生育率%", "policy_birth_rate_percent", True)
    o, s, sr = r["births_by_order"], r["order_share_percent"], r["sex_ratio_by_order"]
    lines.append(f"孩次：一孩 {o['1']}（{_fmt(s['1'], '%')}，性别比 {_fmt(sr['1'])}）  二孩 {o['2']}"
                 f"（{_fmt(s['2'], '%')}，性别比 {_fmt(sr['2'])}）  多孩 {o['3+']}")
    late = r["late_reported"]
    lines.append(f"补报出生：{late['total']}（政策内 {late['policy']}，政策外 {late['non_policy']}）")
    p = r["procedures"]
    lines.append(f"手术：合计 {p['total']}；结扎 {p['sterilization']}（女扎 {p['female_sterilization']}，男扎 "
                 f"{p['male_sterilization']}），上环 {p['iud_insertion']}（其中一孩 {p['iud_insertion_first_child']}），"
                 f"取环 {p['iud_removal']}，皮埋 {p['implant']}，人流引产 {p['abortion_and_induction']}")
    fm = r["first_marriages"]
    lines.append(f"初婚：{fm['total']}（23岁以上 {fm['age_23_plus']}）")
    c = r["contraception"]
    lines.append(f"期末已婚育龄妇女 {c['married_women']}，落实节育措施 {c['users']}（综合节育率 "
                 f"{_fmt(c['rate_percent'], '%')}）：" + "、".join(f"{k} {v}" for k, v in c["by_method"].items() if v))
    la = r.get("long_acting") or {}
    if la.get("enabled") and la.get("total"):
        lines.append("长效节育措施落实：")
        lines.append(f"  {'单位':<10}{'应落实':>8}{'已落实':>8}{'欠帐':>8}{'落实率':>10}{'农村结扎':>9}{'农村上环':>9}")
        for u in la["units"] + [{"name": "合计", **la["total"]}]:
            lines.append(f"  {u['name']:<10}{u['due']:>8}{u['done']:>8}{u['owed']:>8}"
                         f"{_fmt(u['rate_percent'], '%'):>10}{u['rural_sterilization']:>9}{u['rural_iud_insertion']:>9}")
    return "\n".join(lines)


def _period(ledger: Ledger, args: argparse.Namespace) -> Period:
    """The command's PERIOD, parsed once at the edge: from here on only its canonical `.code`
    (2026H1, 2026Q2, 2026-03) travels, into file names, manifests, audit entries and output."""
    return Period.parse(args.period, ledger.stat_year_start)


def _cmd_report(args: argparse.Namespace) -> int:
    from app.reports_desk import view_report

    with open_ledger(args) as ledger:
        result = view_report(ledger, _period(ledger, args).code, args.unit, args.as_of, live=args.live)
    emit(args, result, lambda: human_report(result))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from app.exchange import period_package

    with open_ledger(args) as ledger:
        package = period_package.prepare(ledger, _period(ledger, args).code, args.unit, live=args.live)
        result = period_package.write(ledger, package, Path(args.out))
    result |= {"closed": package.closed, "source": package.source, "warning": package.warning}
    lines = [f"已导出到：{result['out_dir']}"] + [f"  {f['name']}  {f['size']} 字节  SHA-256 {f['sha256']}"
                                                for f in result["files"]]
    if package.warning:
        lines.insert(0, f"注意：{package.warning}")
    elif package.closed_note:
        lines.insert(0, package.closed_note)
    lines += [f"  提示：{w}" for w in result.get("warnings") or []]
    if result.get("message"):
        lines.append(result["message"])
    emit(args, result, "\n".join(lines))
    return EXIT_OK


def _manifest_files(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserInputError(f"无法读取导出清单“{path}”：文件不存在或不是 JSON（{exc}）") from None
    files = document.get("files") if isinstance(document, dict) else None
    if isinstance(files, dict):
        return {str(k): str(v) for k, v in files.items()}
    if isinstance(files, list):
        return {str(f["name"]): str(f["sha256"]) for f in files if isinstance(f, dict) and "name" in f and "sha256" in f}
    raise UserInputError(f"“{path}”不是导出清单（manifest.json）。")


def _cmd_close(args: argparse.Namespace) -> int:
    from app.closing import close_period

    files = _manifest_files(args.manifest)
    with open_ledger(args) as ledger:
        record = close_period(ledger, _period(ledger, args).code, files)
    emit(args, record, f"已关账：{record['period']}（{record['start']} 至 {record['end']}），"
                       f"{record['closed_at']}，操作人 {record['closed_by']}；记录报出文件 {len(files)} 个。")
    return EXIT_OK


def _cmd_reopen(args: argparse.Namespace) -> int:
    from app.closing import reopen_period

    with open_ledger(args) as ledger:
        record = reopen_period(ledger, _period(ledger, args).code, args.reason)
    emit(args, record, f"已重新打开统计期 {record['period']}，原因：{record['reason']}（已记入审计日志）。")
    return EXIT_OK


def _cmd_differences(args: argparse.Namespace) -> int:
    from app.closing import since_close

    with open_ledger(args) as ledger:
        document = since_close(ledger.db, _period(ledger, args).code)
    diffs, late = document["differences"], document["late_entries"]
    period = document["period"]
    lines = ([f"统计期 {period} 关账后共有 {len(diffs)} 项数字发生变化："] + [
        f"  {d['unit_name']}  {d['label']}：快照 {d['snapshot']} → 现在 {d['now']}" for d in diffs]
        if diffs else [f"统计期 {period} 关账后数字没有变化。"])
    if late:
        lines.append(f"关账后录入或修改的本期事实 {len(late)} 条：")
        lines += [f"  {e['entered_at']} {e['change']}{e['kind']}  {e['woman']} {e['id_number']}：{e['what']}"
                  for e in late]
    emit(args, document, "\n".join(lines))
    return EXIT_FINDINGS if diffs or late else EXIT_OK


def _cmd_analysis(args: argparse.Namespace) -> int:
    from app.analysis import half_year_draft, save_draft

    with open_ledger(args) as ledger:
        code = _period(ledger, args).code
        text = half_year_draft(ledger.db, code, args.unit)
        if args.out:
            save_draft(ledger, code, text, args.out)
    emit(args, {"period": code, "text": text, "file": args.out}, text)
    return EXIT_OK


def _cmd_targets(args: argparse.Namespace) -> int:
    from app.targets import list_targets, set_target

    with open_ledger(args) as ledger:
        values = [args.births, args.birth_rate, args.growth_rate, args.policy_rate, args.population]
        if any(v is not None for v in values):
            if not args.unit:
                raise UserInputError("设置目标需要 --unit 单位代码。")
            set_target(ledger, args.year, args.unit, args.births, args.birth_rate, args.growth_rate,
                       args.policy_rate, args.population)
        rows = list_targets(ledger.db, args.year)
    lines = [f"{args.year} 年度人口计划目标："] + [
        f"  {r['unit']}：出生 {_fmt(r['births'])} 人，出生率 {_fmt(r['birth_rate_permille'])}‰，"
        f"自然增长率 {_fmt(r['natural_growth_rate_permille'])}‰，计划生育率 ≥{_fmt(r['policy_rate_percent'])}%"
        for r in rows]
    emit(args, {"year": args.year, "targets": rows}, "\n".join(lines) if rows else f"{args.year} 年度尚未设置目标。")
    return EXIT_OK


def _cmd_veto(args: argparse.Namespace) -> int:
    from app.targets import view_veto_list

    with open_ledger(args) as ledger:
        rows = view_veto_list(ledger, args.year)
    lines = [f"{args.year} 统计年度一票否决单位 {len(rows)} 个："] + [
        f"  {r['name']}（{r['code']}）政策外出生 {r['count']} 人；主管单位："
        f"{r['supervisor_name'] or r['supervisor_code'] or '无'}（连带责任）" for r in rows]
    emit(args, {"year": args.year, "units": rows}, "\n".join(lines) if rows else f"{args.year} 统计年度没有一票否决单位。")
    return EXIT_OK


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="统计指标（出生、补报、性别比、手术、长效措施落实等）")
    p.add_argument("period", help="统计期，如 2026H1、2026-03、2026")
    p.add_argument("--unit", help="单位代码（默认：根单位）")
    p.add_argument("--as-of", dest="as_of", help="按该日已上报/已录入的数据计算（YYYY-MM-DD）")
    p.add_argument("--live", action="store_true", help="已关账的统计期也按当前数据重新计算")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("export", parents=[common], help="导出统计期的报表（.xlsx、.pdf 和 manifest.json）")
    p.add_argument("period")
    p.add_argument("--out", required=True, help="目标文件夹（如U盘）")
    p.add_argument("--unit")
    p.add_argument("--live", action="store_true",
                   help="已关账的统计期按当前数据重新计算（每页注明“与已报送数不一致”）")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("close", parents=[common], help="关账：冻结统计期的全部数字")
    p.add_argument("period")
    p.add_argument("--manifest", help="导出清单 manifest.json（记录报出文件的 SHA-256）")
    p.set_defaults(func=_cmd_close)

    p = sub.add_parser("reopen", parents=[common], help="重新打开已关账的统计期（须填写原因）")
    p.add_argument("period")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=_cmd_reopen)

    p = sub.add_parser("differences", parents=[common], help="关账以后发生变化的数字，以及关账后补录或修改的本期事实")
    p.add_argument("period")
    p.set_defaults(func=_cmd_differences)

    p = sub.add_parser("analysis", parents=[common], help="统计分析稿（数字部分）")
    p.add_argument("period")
    p.add_argument("--unit")
    p.add_argument("--out", help="另存为文本文件")
    p.set_defaults(func=_cmd_analysis)

    p = sub.add_parser("targets", parents=[common], help="年度人口计划目标：查看或设置")
    p.add_argument("year", help="统计年度，如 2026")
    p.add_argument("--unit")
    p.add_argument("--births", type=int)
    p.add_argument("--birth-rate", dest="birth_rate", help="出生率 ‰")
    p.add_argument("--growth-rate", dest="growth_rate", help="自然增长率 ‰")
    p.add_argument("--policy-rate", dest="policy_rate", help="计划生育率 %（不低于）")
    p.add_argument("--population", type=int)
    p.set_defaults(func=_cmd_targets)

    p = sub.add_parser("veto-list", parents=[common], help="一票否决名单（有政策外出生的公共单位及主管单位）")
    p.add_argument("year", help="统计年度，如 2026")
    p.set_defaults(func=_cmd_veto)
