"""生育登记 (birth registration, DOMAIN.md §11): register a first, second or third child of a
couple before or after the birth, print the 生育登记服务单, link the registration to the child.

Rules:
- A registration names the woman's card (an existing one, or a new card written through
  `app.registry.save_woman` in the same transaction), the order (孩次 1–3: the policy registers
  up to the third child; a fourth is refused), the day it was registered (not in the future;
  default today) and the expected (预产期) or the actual birth date (the actual one not in the
  future). Both dates may be empty: couples register before a pregnancy too.
- Its number is `YYYY-NNNN` by the calendar year of the registration day, taken in the write
  transaction (app/casework/numbers.py: never reused, also across a restore and concurrent use).
  A refused registration takes no number.
- One registration per card and order: a second one for the same 孩次 is refused (it names the
  first). A card that has exited (出队) cannot register.
- Registered after the birth (the card already holds a child of that order): linked to that
  child at once, its birth date taken from the child. Otherwise it is linked when the child is
  entered (`add_child_registered`, offered in the child dialog; or `link`): same card, same
  order, one registration per child.
- Warnings (not refusals): the order does not follow the children on the card (e.g. a second
  child registered on a card without a first).
- Every change is one audited transaction recorded on the card (object 'woman'), so the card's
  变动记录 shows it; printing the 服务单 (it carries both full ID numbers: it is handed to the
  couple) is audited too.
- The list of a period: registrations whose registration day lies in the period, by number,
  with counts by order (`in_period`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from app import audit, idcard, registry
from app.casework import numbers
from app.errors import UserInputError
from app.forms.model import Column, Form
from app.periods import Period
from app.registry_fields import _date

KIND = "生育登记"
ORDERS = (1, 2, 3)
ORDER_NAMES = {1: "一孩", 2: "二孩", 3: "三孩"}


@dataclass
class Registered:
    """What `register_birth` did: the registration's id and number, the card, warnings."""

    id: int
    number: str
    woman_id: int
    child_id: int | None
    warnings: list[str] = field(default_factory=list)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def _order(value: Any) -> int:
    try:
        order = int(value)
    except (TypeError, ValueError):
        raise UserInputError("孩次：应为 1、2 或 3") from None
    if order not in ORDERS:
        raise UserInputError(f"孩次：生育登记只办理一孩、二孩、三孩（不能登记第 {order} 孩）")
    return order


def register_birth(ledger, woman_id: int | None, order: int, *, registered_on: date | str | None = None,
                   expected_date: date | str | None = None, birth_date: date | str | None = None,
                   note: str | None = None, woman_fields: dict | None = None,
                   today: date | None = None) -> Registered:
    """Register the `order`th child of the card `woman_id` (or of a new card from `woman_fields`)."""
    ledger.require("edit_registry")
    today = today or date.today()
    order = _order(order)
    problems: list[str] = []
    day = _date(registered_on or today, "登记日期", problems, today)
    expected = _date(expected_date, "预产期", problems, today, allow_future=True)
    born = _date(birth_date, "出生日期", problems, today)
    if problems:
        raise UserInputError("不能登记：\n" + "\n".join(f"· {p}" for p in problems))
    if woman_id is None and not woman_fields:
        raise UserInputError("不能登记：请先选择卡片，或填写新卡片")
    assert day is not None, "a checked registration day (problems are refused above)"
    year = int(day[:4])
    floor = numbers.high_water(ledger, KIND, year)
    outermost = not ledger.conn.in_transaction
    warnings: list[str] = []
    with ledger.write() as db:
        serial = numbers.take(db, KIND, year, floor)   # the first write: see app/casework/numbers.py
        if woman_id is None:
            woman_id = registry.save_woman(ledger, dict(woman_fields or {})).id
        card = registry.get_card(db, woman_id)
        if card["exit_reason"]:
            raise UserInputError(f"不能登记：该卡片已于 {card['exit_date']} 以“{card['exit_reason']}”出队")
        if born and born < card["birth_date"]:
            raise UserInputError("不能登记：出生日期早于母亲的出生日期")
        same = _one(db, "select number, registered_on from birth_registrations where woman_id = ? and birth_order = ?",
                    [woman_id, order])
        if same:
            raise UserInputError(f"不能登记：{card['name']}的{ORDER_NAMES[order]}已于 {same['registered_on']} 登记"
                                 f"（编号 {same['number']}），不能重复登记")
        child = next((c for c in card["children"] if c["birth_order"] == order), None)
        if child is not None and _linked_registration(db, child["id"]) is not None:
            child = None
        if child is not None:
            born = child["birth_date"]
        orders = sorted(c["birth_order"] for c in card["children"])
        if child is None and orders != list(range(1, order)):
            warnings.append(f"卡片上的子女孩次为 {('、'.join(map(str, orders)) or '无')}，本次登记为第 {order} 孩，请核对")
        number = numbers.format_number(year, serial)
        cursor = db.execute(
            "insert into birth_registrations (number, year, serial, registered_on, woman_id, birth_order,"
            " expected_date, birth_date, child_id, note, registered_by, created_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [number, year, serial, day, woman_id, order, expected, born, child["id"] if child else None,
             (note or "").strip() or None, ledger.actor_name, _now()])
        after = {"登记编号": number, "登记日期": day, "孩次": order, "预产期": expected, "出生日期": born,
                 "子女": child["id"] if child else None}
        audit.record(db, ledger.actor_name, "办理生育登记", "woman", woman_id,
                     after={k: v for k, v in after.items() if v is not None})
        reg_id = cursor.lastrowid
    if outermost:   # a trial inside an outer transaction (rolled back) never raises the mark
        numbers.remember(ledger, KIND, year, serial)
    return Registered(reg_id, number, woman_id, child["id"] if child else None, warnings)


def _linked_registration(db: sqlite_utils.Database, child_id: int) -> dict | None:
    return _one(db, "select id, number from birth_registrations where child_id = ?", [child_id])


def get(db: sqlite_utils.Database, registration_id: int) -> dict:
    row = _one(db, _SELECT + " where r.id = ?", [registration_id])
    if row is None:
        raise UserInputError("这条生育登记已不在台帐中，请刷新后重试。")
    return row


def link(ledger, registration_id: int, child_id: int) -> None:
    """Link a registration to the child it registered (same card and order; one each)."""
    ledger.require("edit_registry")
    with ledger.write() as db:
        _link(ledger, db, registration_id, child_id)


def _link(ledger, db: sqlite_utils.Database, registration_id: int, child_id: int) -> None:
    reg = get(db, registration_id)
    child = _one(db, "select id, mother_id, birth_order, birth_date from children where id = ?", [child_id])
    if child is None:
        raise UserInputError("这条子女记录已不在台帐中，请重新打开卡片。")
    if child["mother_id"] != reg["woman_id"]:
        raise UserInputError(f"生育登记 {reg['number']} 不是这张卡片的登记，不能关联")
    if child["birth_order"] != reg["birth_order"]:
        raise UserInputError(f"生育登记 {reg['number']} 登记的是{ORDER_NAMES[reg['birth_order']]}，"
                             f"这个子女是第 {child['birth_order']} 孩，不能关联")
    if reg["child_id"] not in (None, child_id):
        raise UserInputError(f"生育登记 {reg['number']} 已关联到另一个子女")
    other = _linked_registration(db, child_id)
    if other is not None and other["id"] != registration_id:
        raise UserInputError(f"这个子女已关联生育登记 {other['number']}")
    if reg["child_id"] == child_id and reg["birth_date"] == child["birth_date"]:
        return
    db.execute("update birth_registrations set child_id = ?, birth_date = ? where id = ?",
               [child_id, child["birth_date"], registration_id])
    audit.record(db, ledger.actor_name, "关联生育登记", "woman", reg["woman_id"],
                 before={"登记编号": reg["number"], "子女": reg["child_id"]},
                 after={"登记编号": reg["number"], "子女": child_id, "出生日期": child["birth_date"]})


def add_child_registered(ledger, woman_id: int, fields: dict, registration_id: int | None) -> registry.SaveResult:
    """Add a child (app.registry.add_child) and link it to its registration, in one transaction."""
    ledger.require("edit_registry")
    with ledger.write() as db:
        result = registry.add_child(ledger, woman_id, fields)
        if registration_id is not None:
            _link(ledger, db, registration_id, result.id)
    return result


def open_for(db: sqlite_utils.Database, woman_id: int) -> list[dict]:
    """The card's registrations not linked to a child yet (the child dialog offers them)."""
    return [dict(r) for r in db.query(_SELECT + " where r.woman_id = ? and r.child_id is null"
                                      " order by r.birth_order", [woman_id])]


def for_card(db: sqlite_utils.Database, woman_id: int) -> list[dict]:
    return [dict(r) for r in db.query(_SELECT + " where r.woman_id = ? order by r.registered_on, r.id", [woman_id])]


_SELECT = """
select r.id, r.number, r.year, r.serial, r.registered_on, r.woman_id, r.birth_order, r.expected_date,
       r.birth_date, r.child_id, r.note, r.registered_by, r.created_at,
       w.name, w.id_number, w.husband_name, w.husband_id_number, w.unit_id,
       (select u.code from units u where u.id = w.unit_id) as unit_code,
       (select v.name from unit_versions v where v.unit_id = w.unit_id
        order by v.valid_to is null desc, v.valid_from desc limit 1) as unit_name
from birth_registrations r join women w on w.id = r.woman_id
"""


def in_period(db: sqlite_utils.Database, period: Period) -> dict:
    """The registrations of `period` (by registration day) with counts by order (JSON-ready)."""
    rows = [dict(r) for r in db.query(_SELECT + " where r.registered_on between ? and ? order by r.year, r.serial",
                                      [period.start.isoformat(), period.end.isoformat()])]
    by_order = {str(o): sum(1 for r in rows if r["birth_order"] == o) for o in ORDERS}
    return {"period": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "total": len(rows), "by_order": by_order, "linked": sum(1 for r in rows if r["child_id"]),
            "registrations": [{
                "number": r["number"], "registered_on": r["registered_on"], "name": r["name"],
                "id_number": r["id_number"], "husband_name": r["husband_name"],
                "husband_id_number": r["husband_id_number"], "unit": r["unit_code"], "unit_name": r["unit_name"],
                "order": r["birth_order"], "expected_date": r["expected_date"], "birth_date": r["birth_date"],
                "child_id": r["child_id"], "registered_by": r["registered_by"]} for r in rows]}


def view_period(ledger, period_code: str) -> dict:
    """`in_period` of a period code (the ledger's statistical year) for a person to read."""
    ledger.require("view_registry")
    return in_period(ledger.db, Period.parse(period_code, ledger.stat_year_start))


# ---- the 生育登记服务单 --------------------------------------------------------------------------

def _husband_facts(card: dict) -> tuple[str, str]:
    """(birth date, sex) of the husband from his ID number, blank when it cannot be read."""
    try:
        info = idcard.parse(card["husband_id_number"]) if card["husband_id_number"] else None
    except idcard.IdError:
        info = None
    return (info.birth_date.isoformat(), info.sex) if info else ("", "")


def service_sheet(ledger, registration_id: int) -> Form:
    """The 生育登记服务单 as one Form (A4 portrait): the couple side by side (项目 | 女方 | 男方),
    the children on the card, what is registered, the office and a blank for its seal."""
    reg = get(ledger.db, registration_id)
    card = registry.get_card(ledger.db, reg["woman_id"])
    h_born, _h_sex = _husband_facts(card)
    rows: list[dict[str, Any]] = []

    def add(item: str, woman: Any = "", man: Any = "") -> None:
        rows.append({"item": item, "woman": "" if woman is None else str(woman),
                     "man": "" if man is None else str(man)})

    add("姓名", card["name"], card["husband_name"])
    add("出生日期", card["birth_date"], h_born)
    add("公民身份号码", card["id_number"], card["husband_id_number"])
    add("户口性质", card["hukou_type"], card["husband_hukou_type"])
    add("户籍地", card["hukou_place"])
    add("现居住地", card["address"])
    add("工作单位", card["employer"], card["husband_employer"])
    add("联系电话", card["phone"])
    add("婚姻状况", card["marital_status"])
    add("初婚日期", card["first_marriage_date"])
    add("所属村（居）", reg["unit_name"])
    living = [c for c in card["children"] if not c["death_date"]]
    add("现有子女数", f"{len(living)} 个")
    for c in card["children"]:
        dead = f"，{c['death_date']} 死亡" if c["death_date"] else ""
        add(f"第{c['birth_order']}孩", f"{c['name'] or '（未取名）'}　{c['sex']}　{c['birth_date']}"
            f"　{c['kinship']}{dead}")
    add("本次登记", f"第{reg['birth_order']}孩（{ORDER_NAMES[reg['birth_order']]}）")
    add("预产期", reg["expected_date"])
    add("出生日期（已出生的）", reg["birth_date"])
    if reg["note"]:
        add("备注", reg["note"])
    columns = [Column("项目", "item", "text", 16), Column("女方", "woman", "text", 30), Column("男方", "man", "text", 30)]
    return Form("birth_registration", "生育登记服务单", columns, rows,
                period_label=f"编号：{reg['number']}", filler="",
                unit_line=f"登记日期：{_cn_date(reg['registered_on'])}", landscape=False, number_columns=False,
                footer=[f"登记人：{reg['registered_by']}", f"登记单位（盖章）：{ledger.office_name}",
                        f"日期：{_cn_date(reg['registered_on'])}"],
                notes=["夫妻双方已按规定办理生育登记。本服务单由夫妻一方持有，凭此享受孕前优生健康检查、"
                       "孕产期保健等计划生育服务。",
                       "夫妻双方签名：＿＿＿＿＿＿　＿＿＿＿＿＿"])


def _cn_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def print_service_sheet(ledger, registration_id: int, path: str | Path) -> list[str]:
    """Write the 服务单 PDF (app.forms.pdf.write_pdf); audited. Returns the writer's warnings."""
    from app.forms.pdf import write_pdf

    ledger.require("edit_registry")
    form = service_sheet(ledger, registration_id)
    warnings = write_pdf([form], path)
    reg = get(ledger.db, registration_id)
    ledger.audit("打印生育登记服务单", "woman", reg["woman_id"], after={"登记编号": reg["number"], "文件": str(path)})
    return warnings
