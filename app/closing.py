"""Closing a period (报表期关账), DOMAIN.md §4.

- `close_period` freezes a snapshot of every figure — the whole ledger and every unit of the
  tree at the period's end, each as `report()` would print it (rounded JSON) — with who, when
  and the SHA-256 of each exported file, in one audited transaction. Needs `close_period`.
- While a period is closed, app.stats.period_figures answers from the snapshot (the report,
  forms, exports and figures.json all ask it), and 去年同期 of the next year uses it: later
  edits of facts in the period do not change it. They appear as late reports (补报) of the open
  period they are reported in, and in `differences_since_close`; the facts dated in the period
  that were entered or changed after the close are `late_entries`.
- `reopen_period` needs the `reopen_period` permission (director) and a non-empty reason. The
  command line signs in with `--user` like the window (Ledger.require); the audit entry names
  the person and the reason. The close row is kept with reopened_* filled, so closes and reopens form the
  period's history; it can then be closed again (a new snapshot).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app.errors import UserInputError
from app.periods import Period
from app.stats.closures import WHOLE as WHOLE
from app.stats.closures import current_closure as current_closure
from app.stats.closures import resolve_period
from app.stats.closures import snapshot as snapshot
from app.stats.closures import snapshot_figures as snapshot_figures
from app.stats.closures import standing_closes as standing_closes
from app.stats.computation import compute_all
from app.stats.numbers import to_json
from app.stats.period_figures import tree_rows

if TYPE_CHECKING:
    from app.ledger import Ledger

def compute_snapshot(db: sqlite_utils.Database, period: Period) -> dict:
    """Every figure of the period, as it is now: the whole ledger and each unit of the tree.

    Besides `units` (code or "*" → rounded figures) it keeps what the forms and figures.json
    need so that a closed period is never recomputed: `tree` (the units at the period's end,
    in tree order, app.stats.period_figures.tree_rows) and `counts` (code or "*" → the integer
    counts of app/stats/counts.py).
    """
    comp = compute_all(db, period)
    out = {WHOLE: to_json(comp.figures(None))}
    counts = {WHOLE: comp.counts(None)}
    for unit in comp.scope.tree:
        out[unit.code] = to_json(comp.figures(unit))
        counts[unit.code] = comp.counts(unit)
    return {"period": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "units": out, "tree": tree_rows(comp.scope.tree), "counts": counts}


def close_period(ledger: Ledger, period_code: str, files: dict[str, str] | None = None) -> dict:
    """Close the period: freeze its figures and the exported files' hashes; returns the close."""
    ledger.require("close_period")
    period = resolve_period(ledger.db, period_code)
    if current_closure(ledger.db, period):
        raise UserInputError(f"统计期 {period.label}（{period.code}）已经关账；如需修改请先由局长/主任重新打开。")
    frozen = compute_snapshot(ledger.db, period)
    now = datetime.now().isoformat(timespec="seconds")
    record = {"period": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
              "closed_at": now, "closed_by": ledger.actor_name, "files": files or {}}
    with ledger.write("关账", "period", period.code,
                      after=record | {"births": frozen["units"][WHOLE]["births"]}) as db:
        db.execute(
            "insert into period_closures (period, start_date, end_date, closed_at, closed_by, snapshot, files)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [period.code, record["start"], record["end"], now, ledger.actor_name,
             json.dumps(frozen, ensure_ascii=False), json.dumps(files or {}, ensure_ascii=False)])
    return record


def reopen_period(ledger: Ledger, period_code: str, reason: str) -> dict:
    """Reopen a closed period (director only; reason required; audited)."""
    ledger.require("reopen_period")
    reason = (reason or "").strip()
    if not reason:
        raise UserInputError("重新打开已关账的统计期必须填写原因。")
    period = resolve_period(ledger.db, period_code)
    closure = current_closure(ledger.db, period)
    if closure is None:
        raise UserInputError(f"统计期 {period.label}（{period.code}）没有关账，无需重新打开。")
    now = datetime.now().isoformat(timespec="seconds")
    with ledger.write("重新打开统计期", "period", period.code,
                      before={"closed_at": closure["closed_at"], "closed_by": closure["closed_by"]},
                      after={"reason": reason, "reopened_at": now}) as db:
        db.execute("update period_closures set reopened_at = ?, reopened_by = ?, reopen_reason = ?"
                   " where id = ?", [now, ledger.actor_name, reason, closure["id"]])
    return {"period": period.code, "reopened_at": now, "reopened_by": ledger.actor_name, "reason": reason}


def set_files(ledger: Ledger, period_code: str, files: dict[str, str]) -> None:
    """Record (more) exported files' hashes on the standing close of the period."""
    ledger.require("close_period")
    closure = current_closure(ledger.db, period_code)
    if closure is None:
        raise UserInputError(f"统计期 {period_code} 没有关账。")
    merged = closure["files"] | files
    with ledger.write("记录报出文件", "period", closure["period"], after=files) as db:
        db.execute("update period_closures set files = ? where id = ?",
                   [json.dumps(merged, ensure_ascii=False), closure["id"]])


def history(db: sqlite_utils.Database, period_code: str | None = None) -> list[dict]:
    """Closes and reopens, newest first (without the snapshots)."""
    sql = ("select id, period, start_date, end_date, closed_at, closed_by, files, reopened_at,"
           " reopened_by, reopen_reason from period_closures")
    params: list[Any] = []
    if period_code:
        p = resolve_period(db, period_code)
        sql += " where start_date = ? and end_date = ?"
        params = [p.start.isoformat(), p.end.isoformat()]
    rows = [dict(r) for r in db.query(sql + " order by id desc", params)]
    for row in rows:
        row["files"] = json.loads(row["files"]) if row["files"] else {}
    return rows


def differences_since_close(db: sqlite_utils.Database, period_code: str) -> list[dict]:
    """Every figure that differs between the frozen snapshot and a recomputation now.

    One dict per difference: unit (code, "*" = whole ledger), unit_name, key (dotted path such
    as `births_by_order.2`), snapshot, now. Empty when nothing changed or the period is open.
    """
    closure = current_closure(db, period_code)
    if closure is None:
        return []
    period = resolve_period(db, period_code)
    now = compute_snapshot(db, period)["units"]
    then = closure["snapshot"]["units"]
    out: list[dict] = []
    for code in list(then) + [c for c in now if c not in then]:
        before, after = then.get(code, {}), now.get(code, {})
        name = (after or before).get("unit_name") or code
        for key, old, new in _diff(before, after, ""):
            out.append({"unit": code, "unit_name": name, "key": key, "snapshot": old, "now": new})
    return out


def late_entries(db: sqlite_utils.Database, period_code: str) -> list[dict]:
    """Facts dated in the closed period that were entered or changed after its close (DOMAIN.md §4).

    - children (子女) created or updated after `closed_at` with 出生日期, 上报日期 or the effective
      report day in P — including those moved out of P by `counted_on` (app/late_entry.py);
    - procedures (手术) created after the close and dated in P;
    - measures (节育措施) created after the close with 开始日期 or 终止日期 in P (rows from before
      the column existed have no entry time and are skipped).
    One dict each: kind, woman_id, woman (name), id_number (masked), what, date, entered_at,
    change (新增/修改), oldest entry first. Empty when the period is open.
    """
    from app.definitions import REPORT_DAY
    from app.idcard import mask_id

    closure = current_closure(db, period_code)
    if closure is None:
        return []
    p = {"start": closure["start_date"], "end": closure["end_date"], "at": closure["closed_at"]}
    out: list[dict] = []
    for (wid, name, idn, order, born, reported, counted, created, updated) in db.execute(f"""
            select w.id, w.name, w.id_number, c.birth_order, c.birth_date, c.reported_date, c.counted_on,
                   c.created_at, c.updated_at
            from children c join women w on w.id = c.mother_id
            where (c.created_at > :at or c.updated_at > :at)
              and (c.birth_date between :start and :end or c.reported_date between :start and :end
                   or {REPORT_DAY} between :start and :end)""", p).fetchall():
        what = f"第 {order} 孩 出生 {born}，上报 {reported or born}" + (f"，计入 {counted}" if counted else "")
        late = created > p["at"]
        out.append({"kind": "子女", "woman_id": wid, "woman": name, "id_number": mask_id(idn), "what": what,
                    "date": born, "entered_at": created if late else updated, "change": "新增" if late else "修改"})
    for wid, name, idn, kind, on, created in db.execute("""
            select w.id, w.name, w.id_number, p.kind, p.date, p.created_at
            from procedures p join women w on w.id = p.woman_id
            where p.created_at > :at and p.date between :start and :end""", p).fetchall():
        out.append({"kind": "手术", "woman_id": wid, "woman": name, "id_number": mask_id(idn), "what": f"{kind}手术",
                    "date": on, "entered_at": created, "change": "新增"})
    for wid, name, idn, method, start, end, created in db.execute("""
            select w.id, w.name, w.id_number, m.method, m.start_date, m.end_date, m.created_at
            from contraception m join women w on w.id = m.woman_id
            where m.created_at > :at and (m.start_date between :start and :end or m.end_date between :start and :end)
            """, p).fetchall():
        out.append({"kind": "节育措施", "woman_id": wid, "woman": name, "id_number": mask_id(idn),
                    "what": f"{method} {start} 起" + (f"，{end} 止" if end else ""),
                    "date": start if p["start"] <= start <= p["end"] else end, "entered_at": created, "change": "新增"})
    out.sort(key=lambda e: (e["entered_at"], e["kind"], e["woman_id"]))
    return out


def _diff(a: Any, b: Any, prefix: str) -> list[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            if key in {"closed", "as_of"}:
                continue
            out.extend(_diff(a.get(key), b.get(key), f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if a == b:
            return []
        by_code_a = {r.get("code"): r for r in a if isinstance(r, dict)}
        by_code_b = {r.get("code"): r for r in b if isinstance(r, dict)}
        out = []
        for code in list(by_code_a) + [c for c in by_code_b if c not in by_code_a]:
            out.extend(_diff(by_code_a.get(code), by_code_b.get(code), f"{prefix}[{code}]"))
        return out
    return [] if a == b else [(prefix, a, b)]


# Chinese names of the figures a difference can name (a dotted key of the report document).
FIGURE_LABELS = {
    "population": "总人口", "deaths": "死亡人数", "births": "出生人数", "births_male": "出生（男）",
    "births_female": "出生（女）", "births_died": "出生后死亡", "natural_increase": "自然增长",
    "birth_rate_permille": "出生率（‰）", "death_rate_permille": "死亡率（‰）",
    "natural_growth_rate_permille": "自然增长率（‰）", "sex_ratio": "出生性别比",
    "policy_births": "政策内出生", "non_policy_births": "政策外出生",
    "policy_birth_rate_percent": "计划生育率（%）", "births_by_order": "出生孩次",
    "births_by_order_sex": "出生孩次×性别", "order_share_percent": "孩次构成（%）",
    "sex_ratio_by_order": "分孩次性别比", "late_reported": "补报", "procedures": "计划生育手术",
    "first_marriages": "初婚", "contraception": "节育措施", "long_acting": "长效节育措施",
    "total": "合计", "policy": "政策内", "non_policy": "政策外", "male": "男", "female": "女",
    "by_order": "孩次", "1": "一孩", "2": "二孩", "3+": "多孩", "due": "应落实", "done": "已落实",
    "owed": "欠帐", "rate_percent": "率（%）", "units": "", "sterilization": "结扎",
    "female_sterilization": "女扎", "male_sterilization": "男扎", "iud_insertion": "上环",
    "iud_insertion_first_child": "其中一孩上环", "iud_removal": "取环", "implant": "皮埋",
    "abortion": "人工流产", "mid_term_induction": "中期引产", "abortion_and_induction": "人流引产",
    "married_women": "已婚育龄妇女", "users": "落实节育措施", "by_method": "", "age_23_plus": "23岁以上",
    "rural_sterilization": "农村结扎", "rural_iud_insertion": "农村上环",
}


def figure_label(key: str) -> str:
    """`late_reported.total` → 补报·合计; unknown parts stay as they are (bracketed unit codes too)."""
    parts = []
    for part in key.replace("[", ".[").split("."):
        if part.startswith("["):
            parts.append(part)
            continue
        label = FIGURE_LABELS.get(part, part)
        if label:
            parts.append(label)
    return "·".join(parts) or key


def since_close(db: sqlite_utils.Database, period_code: str) -> dict:
    """What changed since the period was closed: the figure differences (each with its Chinese
    `label`) and the facts entered or changed after the close (`late_entries`). Raises
    UserInputError for a period that is not closed (there is no snapshot to compare with)."""
    if current_closure(db, period_code) is None:
        raise UserInputError(f"统计期 {period_code} 没有关账，没有可比较的快照。")
    diffs = [d | {"label": figure_label(d["key"])} for d in differences_since_close(db, period_code)]
    return {"period": resolve_period(db, period_code).code, "differences": diffs,
            "late_entries": late_entries(db, period_code)}
