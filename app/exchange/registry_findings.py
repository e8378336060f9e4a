"""Findings after a registry import: the logic checks (`app.checks`) over every card the
import touched, listed as warnings under the pseudo-sheet `逻辑校核` (never a reason to refuse).

Rules: the ID checks come from the values the import already parsed (`_Reader.identity_findings`);
every other check runs set-based over the touched cards (`checks.for_women`); at most
MAX_FINDING_LINES lines are listed after a count line. `report_findings` runs once, after the
import's last sheet (`registry_sheets._findings_at_close`); called again it replaces its lines.
"""

from __future__ import annotations

import json

from app import checks
from app.exchange.import_base import ImportContext, ImportIssue

FINDINGS_SHEET = "逻辑校核"
MAX_FINDING_LINES = 200


def report_findings(ctx: ImportContext, reader) -> None:
    """Replace this import's `逻辑校核` warnings with the checks over every card it touched."""
    old = ctx.state.pop("registry_findings", [])
    ctx.warnings[:] = [w for w in ctx.warnings if not any(w is o for o in old)]
    if ctx.issues or not reader.touched:
        return
    found = [checks.Finding(check, severity, reader.women.get(number), None, message)
             for number, items in reader.identity_findings.items() for check, severity, message in items]
    found += checks.for_women(ctx.db, reader.touched, skip=("id_number", "id_birth_sex"))
    if not found:
        return
    ids = sorted({f.woman_id for f in found[:MAX_FINDING_LINES] if f.woman_id})   # only the listed ones
    who = {r[0]: f"{r[1]} {r[2]}" for r in ctx.db.execute(
        "select id, name, id_number from women where id in (select value from json_each(?))",
        [json.dumps(ids)]).fetchall()}
    errors = sum(1 for f in found if f.severity == checks.ERROR)
    added = [ImportIssue(FINDINGS_SHEET, None, None,
                         f"导入的记录中有 {len(found)} 处逻辑问题（错误 {errors}，提示 {len(found) - errors}），"
                         "已导入；请在“育龄妇女台帐”页的“逻辑校核”中逐条处理")]
    for f in found[:MAX_FINDING_LINES]:
        added.append(ImportIssue(FINDINGS_SHEET, None, None, f"{who.get(f.woman_id, '')}：{f.title}：{f.message}"))
    if len(found) > MAX_FINDING_LINES:
        added.append(ImportIssue(FINDINGS_SHEET, None, None, f"……另有 {len(found) - MAX_FINDING_LINES} 处未列出"))
    ctx.warnings.extend(added)
    ctx.state["registry_findings"] = added
