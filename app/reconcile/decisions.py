"""The review queue's decisions, adding a 漏报 to the ledger, correcting a 错报 card.

Rules:
- Every decision is a new row of `reconcile_decisions` (append-only) with the user and the
  time, written in one audited transaction; the newest non-reject decision of a row is in force,
  every reject excludes its candidate for that row; reruns of the matching keep them all.
- Kinds: `accept` (tie the row to the chosen ledger child), `reject` (this candidate is not the
  row's child), `not_in_ledger` (the row is a 漏报), `added` (written by `add_unreported`),
  `corrected` (written by `correct_misreport`; its note lists the corrected fields).
- `add_unreported` adds the surveyed birth with 上报日期 = today through the registry
  (`app.registry.save_woman` / `add_child`: its validation and audit apply), and a new mother's
  card when she is not in the ledger; a new card is built from the survey row plus what the
  clerk confirms (ID number, 户口性质, 居住状态, 婚姻状况) and is marked 待完善 in
  `reconcile_added` for completion. The child then counts as 补报 in the open period.
- `correct_misreport` changes the tied child's 孩次/性别/出生日期/政策属性 to the survey's values
  through `app.registry.update_child` (audited), recording a `corrected` decision.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app import registry
from app.errors import UserInputError
from app.reconcile.survey import SurveyRow, survey_rows

if TYPE_CHECKING:
    from app.ledger import Ledger

DECISIONS = ("accept", "reject", "not_in_ledger", "added", "corrected")
DECISION_LABELS = {"accept": "确认为同一出生", "reject": "不是此候选", "not_in_ledger": "台帐中无此出生",
                   "added": "已补录入台帐", "corrected": "已更正台帐"}


def _row(db, survey_id: int, row_number: int) -> SurveyRow:
    for row in survey_rows(db, survey_id):
        if row.row_number == row_number:
            return row
    raise UserInputError(f"第 {survey_id} 号调查没有第 {row_number} 行。")


def _insert(db, survey_id: int, row_number: int, decision: str, child_id: int | None, note: str | None,
            actor: str) -> int:
    return db.execute(
        "insert into reconcile_decisions (survey_id, row_number, decision, child_id, note, decided_by, decided_at)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [survey_id, row_number, decision, child_id, note, actor, datetime.now().isoformat(timespec="seconds")],
    ).lastrowid


def decide(ledger: Ledger, survey_id: int, row_number: int, decision: str, child_id: int | None = None,
           note: str | None = None) -> int:
    """Record one review decision (accept / reject / not_in_ledger); returns its id."""
    ledger.require("edit_registry")
    if decision not in ("accept", "reject", "not_in_ledger"):
        raise UserInputError(f"未知的核对决定“{decision}”。")
    if decision in ("accept", "reject") and child_id is None:
        raise UserInputError("请先选择一个台帐候选。")
    _row(ledger.db, survey_id, row_number)
    if child_id is not None and not ledger.db.execute("select 1 from children where id = ?", [child_id]).fetchone():
        raise UserInputError("所选的子女已不在台帐中（可能刚被删除或改动），请重新核对这一行。")
    with ledger.write("抽样核对决定", "survey_row", f"{survey_id}:{row_number}",
                      after={"decision": decision, "child_id": child_id, "note": note}) as db:
        return _insert(db, survey_id, row_number, decision, child_id, note, ledger.actor_name)


def decisions_for(db, survey_id: int, row_number: int | None = None) -> list[dict]:
    sql = ("select id, row_number, decision, child_id, note, decided_by, decided_at from reconcile_decisions"
           " where survey_id = ?")
    params: list[Any] = [survey_id]
    if row_number is not None:
        sql += " and row_number = ?"
        params.append(row_number)
    cursor = db.execute(sql + " order by id", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def add_unreported(ledger: Ledger, survey_id: int, row_number: int, mother_woman_id: int | None = None,
                   new_mother: dict | None = None, child_fields: dict | None = None,
                   today: date | None = None) -> int:
    """Add the row's birth to the ledger (and the mother when new); returns the new child's id.

    `mother_woman_id`: an existing card; otherwise `new_mother` holds registry fields the clerk
    confirmed (at least `id_number`; name, unit and husband come from the survey row unless given;
    defaults 户口性质 农业, 居住状态 常住, 婚姻状况 初婚). `child_fields` may override 孩次 (default: the
    survey's, else the next free order) and 政策属性 (default 政策内). 上报日期 is today.
    """
    ledger.require("edit_registry")
    row = _row(ledger.db, survey_id, row_number)
    today = today or date.today()
    with ledger.write("补录抽样调查漏报", "survey_row", f"{survey_id}:{row_number}",
                      after={"mother_woman_id": mother_woman_id, "new_mother": bool(new_mother)}) as db:
        created_mother = False
        if mother_woman_id is None:
            fields: dict[str, Any] = {"name": row.mother_name, "unit_code": row.unit_code, "husband_name": row.husband_name,
                      "address": row.address, "hukou_type": "农业", "residence": "常住", "marital_status": "初婚",
                      "id_number": row.mother_id_number} | dict(new_mother or {})
            mother_woman_id = registry.save_woman(ledger, fields).id
            created_mother = True
        taken = {r[0] for r in db.execute("select birth_order from children where mother_id = ?",
                                          [mother_woman_id]).fetchall()}
        order = (child_fields or {}).get("birth_order") or row.birth_order
        if order is None or order in taken:
            order = max(taken, default=0) + 1
        fields = {"birth_order": order, "name": row.child_name, "sex": row.sex,
                  "birth_date": row.birth_date.isoformat(), "policy": row.policy or "政策内",
                  "reported_date": today.isoformat()} | {k: v for k, v in (child_fields or {}).items()
                                                         if k != "birth_order"}
        child_id = registry.add_child(ledger, mother_woman_id, fields).id
        db.execute("insert into reconcile_added (survey_id, row_number, woman_id, child_id, new_mother,"
                   " needs_completion, added_at, added_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
                   [survey_id, row_number, mother_woman_id, child_id, int(created_mother), int(created_mother),
                    datetime.now().isoformat(timespec="seconds"), ledger.actor_name])
        _insert(db, survey_id, row_number, "added", child_id, "新建母亲卡片" if created_mother else None,
                ledger.actor_name)
    return child_id


CORRECTABLE = {"孩次": "birth_order", "性别": "sex", "出生日期": "birth_date", "政策属性": "policy"}


def correct_misreport(ledger: Ledger, survey_id: int, row_number: int, child_id: int, fields: list[str]) -> None:
    """Set the child's listed fields (孩次/性别/出生日期/政策属性) to the survey row's values."""
    ledger.require("edit_registry")
    row = _row(ledger.db, survey_id, row_number)
    values = {"孩次": row.birth_order, "性别": row.sex, "出生日期": row.birth_date.isoformat(), "政策属性": row.policy}
    change = {}
    for label in fields:
        if label not in CORRECTABLE:
            raise UserInputError(f"“{label}”不能按调查更正。")
        if values[label] in (None, ""):
            raise UserInputError(f"调查表第 {row_number} 行没有填写{label}，不能据此更正。")
        change[CORRECTABLE[label]] = values[label]
    if not change:
        raise UserInputError("请选择要更正的项目。")
    with ledger.write("按抽样调查更正", "survey_row", f"{survey_id}:{row_number}",
                      after={"child_id": child_id, "fields": fields}) as db:
        registry.update_child(ledger, child_id, change)
        _insert(db, survey_id, row_number, "corrected", child_id, "、".join(fields), ledger.actor_name)


def added_needing_completion(db) -> list[dict]:
    """Mothers' cards created from a survey row and not yet completed (待完善)."""
    cursor = db.execute("select a.*, w.name from reconcile_added a join women w on w.id = a.woman_id"
                        " where a.needs_completion = 1 order by a.added_at")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
