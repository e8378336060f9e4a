"""The district's command (INTERFACES.md §2, §7): `consolidate PERIOD PACKAGE_DIR… [--out DIR]
[--allow-missing] [--json]`.

- Every package is verified first (app/district/consolidate.py); any failure refuses the whole
  run: exit 2, each failed folder named with what failed, nothing written.
- Townships of the tree without a package are listed (`missing_units`); then the exit code is
  1 unless `--allow-missing`, and `--out` is NOT written (a district's forms without all its
  townships would pass for complete ones) — the received packages are recorded either way.
- `--json` prints the district's §3 report (from the summed counts) plus `packages` (unit,
  status, file hashes, received-at, differences of a resubmission), `missing_units`, `warnings`
  and `out` (the written package, or null).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_FINDINGS, EXIT_OK, emit, open_ledger


def _human(result, written: dict | None, withheld: bool) -> str:
    r = result.report
    lines = [f"统计期 {result.period.code}（{result.period.span}）汇总：{len(result.packages)} 个乡镇（街道）数据包已校验。"]
    for p in result.packages:
        when = f"，接收于 {p['received_at']}" if p.get("received_at") else ""
        lines.append(f"  {p['status']}  {p['name']}（{p['unit']}）  {p['folder']}{when}")
        for d in p["differences"][:30]:
            lines.append(f"      变化：{d['figure']}  {d['before']} → {d['after']}")
        if p["status"] == "重报" and not p["differences"]:
            lines.append("      数字无变化")
    for u in result.missing_units:
        lines.append(f"  未收到  {u['name']}（{u['code']}）")
    lines.append(f"合计：出生 {r['births']} 人，出生率 {r['birth_rate_permille']}‰，性别比 {r['sex_ratio']}，"
                 f"补报 {r['late_reported']['total']} 人，手术 {r['procedures']['total']} 例。")
    lines += [f"  提示：{w}" for w in result.warnings]
    if written:
        lines.append(f"区县报表已写入：{written['out_dir']}")
        lines.append(written["message"])
    elif withheld:
        lines.append("有乡镇未交数据包，未写出区县报表；确需先行汇总请加 --allow-missing。")
    return "\n".join(lines)


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from app.district.consolidate import consolidate, write_forms

    with open_ledger(args) as ledger:
        result = consolidate(ledger, args.period, [Path(p) for p in args.packages], allow_missing=args.allow_missing)
        withheld = bool(result.missing_units) and not args.allow_missing
        written = write_forms(ledger, result, Path(args.out)) if args.out and not withheld else None
    document = result.document() | {"out": written}
    emit(args, document, lambda: _human(result, written, withheld and bool(args.out)))
    return EXIT_FINDINGS if withheld else EXIT_OK


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("consolidate", parents=[common],
                       help="区县汇总：校验各乡镇（街道）的导出数据包，按计数之和计算区县报表")
    p.add_argument("period", help="统计期，如 2026H1")
    p.add_argument("packages", nargs="+", metavar="PACKAGE_DIR", help="乡镇导出数据包所在的文件夹（可多个）")
    p.add_argument("--out", help="区县报表写入的文件夹（如U盘）")
    p.add_argument("--allow-missing", dest="allow_missing", action="store_true",
                   help="有乡镇未交数据包时也写出区县报表，退出码为 0")
    p.set_defaults(func=_cmd_consolidate)
