"""Registry commands: `check [--json]`, `export-workbook FILE`, `demo [--size] [--seed]`,
`template FILE`, `due-exit [--as-of DATE] [--apply]` (INTERFACES.md §2)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import EXIT_FINDINGS, EXIT_OK, emit, open_ledger
from app.cli.progress import terminal_progress
from app.errors import UserInputError


def _as_of(args: argparse.Namespace) -> date:
    if not getattr(args, "as_of", None):
        return date.today()
    try:
        return date.fromisoformat(args.as_of)
    except ValueError:
        raise UserInputError(f"日期“{args.as_of}”格式错误，应为 YYYY-MM-DD。") from None


def _cmd_check(args: argparse.Namespace) -> int:
    from app import checks

    as_of = _as_of(args)
    with open_ledger(args) as ledger:
        with terminal_progress(args, "逻辑校核") as progress:
            found = checks.run_all(ledger.db, as_of, progress=progress)
        names = checks.names_of(ledger.db)

    def who(woman_id: int | None, blank: str | None) -> tuple[str | None, str | None]:
        """(name, ID number) of the finding's woman; `blank` twice when it names none."""
        return names.get(woman_id, (blank, blank)) if woman_id is not None else (blank, blank)
    errors = sum(1 for f in found if f.severity == checks.ERROR)
    document = {"as_of": as_of.isoformat(), "total": len(found), "errors": errors,
                "warnings": len(found) - errors,
                "by_check": {title: len(items) for title, items in checks.group(found).items()},
                "findings": [f.as_dict() | {"name": who(f.woman_id, None)[0],
                                            "id_number": who(f.woman_id, None)[1]} for f in found]}

    def human() -> str:
        if not found:
            return f"逻辑校核（截至 {as_of}）：未发现问题。"
        lines = [f"逻辑校核（截至 {as_of}）：共 {len(found)} 处（错误 {errors}，提示 {len(found) - errors}）"]
        for title, items in checks.group(found).items():
            lines.append(f"【{title}】{len(items)} 处")
            for f in items:
                name, number = who(f.woman_id, "")
                mark = "错误" if f.severity == checks.ERROR else "提示"
                lines.append(f"  [{mark}] {name} {number}：{f.message}")
        return "\n".join(lines)

    emit(args, document, human)
    return EXIT_FINDINGS if found else EXIT_OK


def _cmd_export_workbook(args: argparse.Namespace) -> int:
    from app.exchange.export_workbook import export_workbook

    with open_ledger(args) as ledger, terminal_progress(args, "导出", cancellable=True) as progress:
        counts = export_workbook(ledger, Path(args.file), progress)
    emit(args, {"file": str(args.file), "rows": counts},
         f"已导出：{args.file}\n" + "\n".join(f"  {k}：{v} 行" for k, v in counts.items()))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from app import demo

    with open_ledger(args) as ledger, terminal_progress(args, "正在生成示例数据", cancellable=True) as progress:
        counts = demo.generate(ledger, args.size, args.seed, progress)
    labels = {"units": "单位", "women": "育龄妇女", "children": "子女", "contraception": "节育措施",
              "procedures": "手术", "population_base": "人口基数", "att_staff": "考勤人员",
              "att_punches": "打卡", "att_leave": "请假", "att_duty": "值班"}
    emit(args, {"size": args.size, "seed": args.seed, "rows": counts},
         "已载入示例数据：" + "，".join(f"{labels[k]} {v}" for k, v in counts.items()))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from app.exchange.template import save_template

    path = save_template(Path(args.file))
    emit(args, {"file": str(path)}, f"已保存导入模板：{path}")
    return EXIT_OK


def _cmd_due_exit(args: argparse.Namespace) -> int:
    from app import registry

    as_of = _as_of(args)
    with open_ledger(args) as ledger:
        due = registry.due_to_exit_over_age(ledger.db, as_of)
        exited = registry.bulk_exit_over_age(ledger, as_of) if args.apply else 0
    lines = [f"截至 {as_of} 应按超龄出队 {len(due)} 人" + (f"，已出队 {exited} 人" if args.apply else "")]
    lines += [f"  {d['name']} {d['id_number']} 出生 {d['birth_date']}" for d in due[:500]]
    emit(args, {"as_of": as_of.isoformat(), "due": due, "exited": exited}, "\n".join(lines))
    return EXIT_OK if args.apply or not due else EXIT_FINDINGS


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="逻辑校核；发现问题时退出码为 1")
    p.add_argument("--as-of", help="按哪天计算年龄（默认今天）")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("export-workbook", parents=[common], help="把整个台帐导出为标准导入工作簿")
    p.add_argument("file")
    p.set_defaults(func=_cmd_export_workbook)

    p = sub.add_parser("demo", parents=[common], help="向空台帐载入示例数据")
    p.add_argument("--size", choices=("township", "district"), default="township",
                   help="township 约 1.5 万育龄妇女；district 约 15 万")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("template", parents=[common], help="保存空白的标准导入模板")
    p.add_argument("file")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("due-exit", parents=[common], help="列出应按超龄出队的育龄妇女（--apply 一次全部出队）")
    p.add_argument("--as-of")
    p.add_argument("--apply", action="store_true")
    p.set_defaults(func=_cmd_due_exit)


