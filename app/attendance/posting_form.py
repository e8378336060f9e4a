"""The wall-board forms (张榜公布): the month's attendance and the year's ranking, as `Form`s
(app/forms/model.py) that the PDF and Excel renderers lay out.

Built from the month *document* (the posted snapshot for a locked month), so the paper on the
wall, the Excel file and `fpledger attendance month --json` show the same figures. Leave
columns are the leave types that occur in the month, in the order of `leave.LEAVE_TYPES`,
then any other imported type (a single 请假 column with zeros when nobody was on leave). The
month's 报备 (the 局长's own leave, approved by no one) is listed in a note under the table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from app.attendance import leave
from app.attendance import month as month_mod
from app.attendance.settings import AttendanceSettings
from app.forms.model import Column, Form

if TYPE_CHECKING:
    from app.ledger import Ledger


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def month_form(document: dict, office: str, config: AttendanceSettings, posted_on: date | None = None) -> Form:
    """One row per person: days due, present, late, absent, leave by type, fines, bonus, duty, rate."""
    first, _ = month_mod.month_bounds(document["month"])
    staff = document["staff"]
    occurring = {t for p in staff for t in p["leave_days"]}
    types = [t for t in leave.LEAVE_TYPES if t in occurring] + \
        sorted(occurring - set(leave.LEAVE_TYPES))  # imported types beyond the built-in list
    leave_columns = [Column(t, f"leave:{t}", "decimal", 6 if len(types) > 1 else 10, 1) for t in types] or \
        [Column("合计", "leave:total", "decimal", 10, 1)]
    columns = [
        Column("工号", "staff_no", "text", 8), Column("姓名", "name", "text", 9),
        Column("科室", "section", "text", 10),
        Column("应出勤（天）", "days_due", "int", 7),
        Column("出勤（次）", "present_sessions", "int", 7),
        Column("迟到（次）", "late", "int", 6),
        Column("旷工（次）", "absent_sessions", "int", 6),
        Column("请假（天）", children=leave_columns),
        Column("扣款（元）", "fines", "decimal", 8, 2),
        Column("考勤奖", "bonus", "text", 7),
        Column("值班（天）", "duty_days", "int", 6),
        Column("出勤率（%）", "rate", "percent", 8, 2),
    ]
    rows = []
    for p in staff:
        row = {"staff_no": p["staff_no"], "name": p["name"], "section": p.get("section", ""),
               "days_due": p["days_due"], "present_sessions": p["present_sessions"], "late": p["late"],
               "absent_sessions": p["absent_sessions"], "fines": _dec(p["fines_yuan"]),
               "bonus": "扣发" if p["bonus_forfeited"] else "照发", "duty_days": p["duty_days"],
               "rate": None if p["attendance_rate_percent"] is None else _dec(p["attendance_rate_percent"]),
               "leave:total": sum((_dec(v) for v in p["leave_days"].values()), Decimal(0))}
        for t in types:
            row[f"leave:{t}"] = _dec(p["leave_days"].get(t, 0))
        rows.append(row)
    total = None
    if rows:
        due = sum(r["days_due"] for r in rows)
        present = sum(r["present_sessions"] for r in rows)
        total = {"staff_no": "合计", "name": f"{len(rows)} 人", "section": "", "days_due": due,
                 "present_sessions": present, "late": sum(r["late"] for r in rows),
                 "absent_sessions": sum(r["absent_sessions"] for r in rows),
                 "fines": sum((r["fines"] for r in rows), Decimal(0)),
                 "bonus": f"扣发 {sum(1 for r in rows if r['bonus'] == '扣发')} 人",
                 "duty_days": sum(r["duty_days"] for r in rows),
                 "rate": (Decimal(present * 100) / Decimal(2 * due)) if due else None,
                 "leave:total": sum((r["leave:total"] for r in rows), Decimal(0))}
        for t in types:
            total[f"leave:{t}"] = sum((r[f"leave:{t}"] for r in rows), Decimal(0))
    notes = [
        f"说明：上午、下午各点名一次；上班后签到为迟到，每次扣款 {config.late_fine_yuan} 元；"
        f"上班 {config.absent_after_minutes} 分钟后仍未签到为旷工（含早退），每次扣款 {config.absent_fine_yuan} 元；"
        f"连续旷工 {config.bonus_forfeit_run} 次及以上扣发当月考勤奖。",
        "出勤率 = 出勤次数 ÷（应出勤天数 × 2）× 100%；出勤次数含准时、迟到和因公外出。",
    ]
    filed = document.get("filed_leave", [])
    if filed:
        notes.append("报备（局长本人请假，向办公室登记，不经审批，已计入请假）：" + "；".join(
            f"{f['name']} {f['leave_type']} {f['start']} 至 {f['end']}（{f['length_days']} 天"
            + (f"，{f['returned_at']} 销假" if f.get("returned_at") else "") + "）" for f in filed) + "。")
    if not document.get("posted"):
        notes.append("（预览：本月尚未张榜公布，数字可能变动。）")
    stamp = (posted_on or date.today()).isoformat()
    return Form(form_id=f"考勤公布-{document['month']}", title="考勤情况公布表", columns=columns, rows=rows,
                period_label=f"{first.year}年{first.month}月", filler=office, unit_line="单位：天、次、元、%",
                total_row=total, footer=["制表人：", "审核人：", f"公布日期：{stamp}"], notes=notes,
                landscape=True, number_columns=False)


def year_form(rows: list[month_mod.YearRow], months: list[str], year: int, office: str) -> Form:
    """年终汇总: attendance rates of the posted months, ranked (the basis for 先进个人)."""
    columns = [Column("名次", "rank", "int", 5), Column("工号", "staff_no", "text", 8),
               Column("姓名", "name", "text", 9), Column("公布月数", "months", "int", 7),
               Column("应出勤（天）", "days_due", "int", 8), Column("出勤（次）", "present", "int", 8),
               Column("迟到（次）", "late", "int", 7), Column("旷工（次）", "absent", "int", 7),
               Column("出勤率（%）", "rate", "percent", 9, 2)]
    body = [{"rank": i, "staff_no": r.staff_no, "name": r.name, "months": r.months, "days_due": r.days_due,
             "present": r.present_sessions, "late": r.late, "absent": r.absent_sessions, "rate": r.rate}
            for i, r in enumerate(rows, start=1)]
    covered = "、".join(m[5:].lstrip("0") + "月" for m in months) or "无"
    return Form(form_id=f"考勤年度汇总-{year}", title="年度考勤汇总（出勤率排名）", columns=columns, rows=body,
                period_label=f"{year}年", filler=office, unit_line="单位：天、次、%",
                footer=["制表人：", "审核人：", f"日期：{date.today().isoformat()}"],
                notes=[f"计入的已公布月份：{covered}。按出勤率从高到低排列，出勤率相同者旷工、迟到少者在前。"],
                landscape=True, number_columns=False)


def posted_date(db, month: str) -> date | None:
    """The day a locked month was posted (printed as 公布日期), else None (today is printed)."""
    from app.attendance import posting

    state = posting.status(db, month)
    return date.fromisoformat(state["posted_at"][:10]) if state["posted_at"] and state["locked"] else None


def export_month(ledger: Ledger, month: str, folder: str | Path, now=None) -> tuple[Path, Path, list[str]]:
    """Write the month's posting as PDF and Excel into `folder` (atomically, by the renderers);
    audited as an export. Returns (pdf, xlsx, missing-glyph warnings)."""
    ledger.require("export_forms")
    from datetime import datetime

    from app.attendance import settings
    from app.forms.pdf import write_pdf
    from app.forms.xlsx import write_xlsx

    document = month_mod.document(ledger.db, month, now or datetime.now())
    form = month_form(document, ledger.office_name, settings.load(ledger.db), posted_date(ledger.db, month))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"考勤公布表-{document['month']}"
    pdf_path, xlsx_path = folder / f"{stem}.pdf", folder / f"{stem}.xlsx"
    warnings = write_pdf([form], pdf_path)
    write_xlsx([form], xlsx_path)
    ledger.audit("导出考勤公布表", "att_month", document["month"],
                 after={"pdf": str(pdf_path), "xlsx": str(xlsx_path), "posted": bool(document.get("posted"))})
    return pdf_path, xlsx_path, warnings


def export_year(ledger: Ledger, year: int, folder: str | Path) -> tuple[Path, Path]:
    """The year's attendance ranking (考勤年度汇总) as .pdf and .xlsx in `folder`; audited."""
    from app.forms.pdf import write_pdf
    from app.forms.xlsx import write_xlsx

    ledger.require("export_forms")
    rows, months = month_mod.year_ranking(ledger.db, year)
    form = year_form(rows, months, year, ledger.office_name)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pdf, xlsx = folder / f"考勤年度汇总-{year}.pdf", folder / f"考勤年度汇总-{year}.xlsx"
    write_pdf([form], pdf)
    write_xlsx([form], xlsx)
    ledger.audit("导出考勤年度汇总", "att_year", year, after={"pdf": str(pdf), "months": months})
    return pdf, xlsx
