"""证明 letters issued at the counter (DOMAIN.md §11): 婚育情况证明 and 流动人口婚育证明.

Rules:
- Issued from a card (not a void 录入错误 card; an exited card may still be certified — e.g. a
  超龄 woman applying for 奖励扶助), to a recipient (致: the unit or office the letter goes to,
  required), with an optional purpose; the 流动人口婚育证明 also carries a valid-until day
  (default: three years after issue, the national certificate's term).
- Numbered by kind and calendar year of the issue day (`2026-0001`; app/casework/numbers.py:
  never reused, also across a restore and concurrent use). The number, kind, card and printed
  content are frozen: triggers refuse renumbering and deleting (the register keeps every
  letter ever issued).
- The facts printed are taken at issue and stored with the letter (`content`), so a reprint
  (补打) prints the same letter with the same number and issue day, marked 补打 with the day
  of the reprint. Every printing is recorded (`certificate_prints`: who, when, 原件/补打) and
  audited on the card.
- Issuing a 流动人口婚育证明 writes its number and issue day back to the card (women.float_cert_no
  / float_cert_date) through `app.registry.save_woman`, in the same transaction, so the card's
  checks and 变动记录 see it like any edit.
- The letter is printed on A4 (portrait) through the one form writer (app/forms/pdf.write_pdf):
  the office's name as 出具单位, the number and day, the facts as a table, the statement, and a
  blank for the seal.
- Permission `issue_certificates` (app.accounts.PERMISSIONS) for issuing and printing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from app import audit, definitions, registry
from app.casework import numbers
from app.casework.registrations import _cn_date
from app.errors import UserInputError
from app.forms.model import Column, Form
from app.registry_fields import _date

MARRIAGE_BIRTH = "婚育情况证明"
FLOATING = "流动人口婚育证明"
KINDS = (MARRIAGE_BIRTH, FLOATING)
FLOATING_YEARS = 3
REPRINT = "补打"


@dataclass
class Issued:
    id: int
    kind: str
    number: str
    woman_id: int


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _content(card: dict, kind: str) -> dict[str, Any]:
    """The facts the letter prints, as they are on the card at issue (frozen with it)."""
    children = [{"order": c["birth_order"], "name": c["name"], "sex": c["sex"], "birth_date": c["birth_date"],
                 "policy": c["policy"], "kinship": c["kinship"], "death_date": c["death_date"]}
                for c in card["children"]]
    out = {"name": card["name"], "id_number": card["id_number"], "birth_date": card["birth_date"],
           "ethnicity": card["ethnicity"], "hukou_type": card["hukou_type"], "hukou_place": card["hukou_place"],
           "address": card["address"], "unit": card["unit_name"], "marital_status": card["marital_status"],
           "first_marriage_date": card["first_marriage_date"], "marital_change_date": card["marital_change_date"],
           "husband_name": card["husband_name"], "husband_id_number": card["husband_id_number"],
           "husband_hukou_type": card["husband_hukou_type"], "children": children,
           "measure": card["current_measure"]}
    if kind == FLOATING:
        out |= {"float_reason": card["float_reason"], "float_date": card["float_date"],
                "residence": card["residence"]}
    return out


def issue(ledger, woman_id: int, kind: str, recipient: str, *, purpose: str | None = None,
          issued_on: date | str | None = None, valid_until: date | str | None = None,
          today: date | None = None) -> Issued:
    """Issue a letter of `kind` for the card (see the module rules); returns its number."""
    ledger.require("issue_certificates")
    today = today or date.today()
    if kind not in KINDS:
        raise UserInputError(f"证明种类应为：{'、'.join(KINDS)}")
    recipient = (recipient or "").strip()
    problems: list[str] = []
    if not recipient:
        problems.append("致（出具给）：必填项为空")
    day = _date(issued_on or today, "开具日期", problems, today)
    until = _date(valid_until, "有效期至", problems, today, allow_future=True)
    if problems:
        raise UserInputError("不能开具：\n" + "\n".join(f"· {p}" for p in problems))
    assert day is not None, "a checked issue day (problems are refused above)"
    if kind == FLOATING and until is None:
        until = definitions.shift_years(date.fromisoformat(day), FLOATING_YEARS).isoformat()
    if until is not None and until < day:
        raise UserInputError("不能开具：有效期至早于开具日期")
    year = int(day[:4])
    floor = numbers.high_water(ledger, kind, year)
    outermost = not ledger.conn.in_transaction
    with ledger.write() as db:
        serial = numbers.take(db, kind, year, floor)   # the first write: see app/casework/numbers.py
        card = registry.get_card(db, woman_id)
        if definitions.is_void(card["exit_reason"]):
            raise UserInputError("不能开具：这张卡片以“录入错误”注销，不是真实的记录")
        number = numbers.format_number(year, serial)
        content = _content(card, kind)
        cursor = db.execute(
            "insert into certificates (kind, number, year, serial, woman_id, issued_on, recipient, purpose,"
            " valid_until, content, issued_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [kind, number, year, serial, woman_id, day, recipient, (purpose or "").strip() or None, until,
             json.dumps(content, ensure_ascii=False, sort_keys=True), ledger.actor_name, _now()])
        audit.record(db, ledger.actor_name, f"开具{kind}", "woman", woman_id,
                     after={"证明编号": number, "开具日期": day, "致": recipient})
        if kind == FLOATING:
            registry.save_woman(ledger, {"float_cert_no": number, "float_cert_date": day}, woman_id)
        letter_id = cursor.lastrowid
    if outermost:
        numbers.remember(ledger, kind, year, serial)
    return Issued(letter_id, kind, number, woman_id)


_SELECT = """
select c.id, c.kind, c.number, c.year, c.serial, c.woman_id, c.issued_on, c.recipient, c.purpose,
       c.valid_until, c.content, c.issued_by, c.created_at, w.name, w.id_number,
       (select count(*) from certificate_prints p where p.certificate_id = c.id) as prints,
       (select count(*) from certificate_prints p where p.certificate_id = c.id and p.reprint = 1) as reprints
from certificates c join women w on w.id = c.woman_id
"""


def get(db: sqlite_utils.Database, letter_id: int) -> dict:
    cursor = db.execute(_SELECT + " where c.id = ?", [letter_id])
    row = cursor.fetchone()
    if row is None:
        raise UserInputError("这份证明不在台帐中。")
    out = dict(zip([d[0] for d in cursor.description], row, strict=True))
    out["content"] = json.loads(out["content"])
    return out


def register(db: sqlite_utils.Database, kind: str | None = None, woman_id: int | None = None) -> list[dict]:
    """The register of letters (开具登记簿): every letter, newest first — who, when, to whom."""
    where: list[str] = []
    params: list[object] = []
    if kind:
        where.append("c.kind = ?")
        params.append(kind)
    if woman_id is not None:
        where.append("c.woman_id = ?")
        params.append(woman_id)
    sql = _SELECT + (" where " + " and ".join(where) if where else "") + " order by c.issued_on desc, c.id desc"
    out = []
    for row in db.query(sql, params):
        item = dict(row)
        item.pop("content")
        out.append(item)
    return out


def letter_form(ledger, letter_id: int, reprint_on: date | None = None) -> Form:
    """The letter as one Form (A4 portrait): number, facts, statement, office, seal blank.
    `reprint_on` marks it 补打 on every page (the same number and issue day)."""
    letter = get(ledger.db, letter_id)
    c = letter["content"]
    rows: list[dict[str, str]] = []

    def add(item: str, value: Any) -> None:
        rows.append({"item": item, "value": "" if value in (None, "") else str(value)})

    add("致", letter["recipient"])
    add("姓名", c["name"])
    add("公民身份号码", c["id_number"])
    add("出生日期", c["birth_date"])
    add("民族", c.get("ethnicity"))
    add("户口性质", c.get("hukou_type"))
    add("户籍地", c.get("hukou_place"))
    add("现居住地", c.get("address"))
    add("婚姻状况", c.get("marital_status"))
    add("初婚日期", c.get("first_marriage_date"))
    if c.get("marital_change_date"):
        add("婚变日期", c["marital_change_date"])
    add("配偶姓名", c.get("husband_name"))
    add("配偶公民身份号码", c.get("husband_id_number"))
    kids = c.get("children") or []
    living = [k for k in kids if not k.get("death_date")]
    add("现有子女", f"{len(living)} 个")
    for k in kids:
        dead = f"，{k['death_date']} 死亡" if k.get("death_date") else ""
        add(f"第{k['order']}孩", f"{k.get('name') or '（未取名）'}　{k['sex']}　{k['birth_date']}　"
            f"{k.get('kinship') or ''}　{k.get('policy') or ''}{dead}")
    add("现采取节育措施", c.get("measure") or "未登记")
    if letter["kind"] == FLOATING:
        add("流动原因", c.get("float_reason"))
        add("流动日期", c.get("float_date"))
        add("有效期至", letter["valid_until"])
    if letter["purpose"]:
        add("用途", letter["purpose"])
    office = ledger.office_name
    statement = (f"兹证明{c['name']}同志的婚育情况如上，经核对本办台帐属实。" if letter["kind"] == MARRIAGE_BIRTH else
                 f"兹证明{c['name']}同志的婚育情况如上。本证明是流动人口婚育证明，在有效期内使用，"
                 "现居住地计划生育工作机构凭此提供服务和管理。")
    banner = ""
    if reprint_on is not None:
        banner = f"{REPRINT}（原件 {letter['issued_on']} 开具，{reprint_on.isoformat()} 补打，编号不变）"
    return Form(f"certificate_{letter['kind']}", letter["kind"],
                [Column("项目", "item", "text", 18), Column("内容", "value", "text", 52)], rows,
                period_label=f"编号：{letter['number']}", filler="",
                unit_line=f"开具日期：{_cn_date(letter['issued_on'])}", landscape=False, number_columns=False,
                footer=[f"出具单位（盖章）：{office}", f"开具日期：{_cn_date(letter['issued_on'])}",
                        f"经办人：{letter['issued_by']}"],
                notes=[statement, "特此证明。", "（此处加盖公章）"], banner=banner)


def print_letter(ledger, letter_id: int, path: str | Path, today: date | None = None) -> list[str]:
    """Print the letter to `path` (PDF). The first printing is the original; every later one is
    a 补打 with the same number. Recorded and audited; returns the writer's warnings."""
    from app.forms.pdf import write_pdf

    ledger.require("issue_certificates")
    letter = get(ledger.db, letter_id)
    reprint = letter["prints"] > 0
    form = letter_form(ledger, letter_id, (today or date.today()) if reprint else None)
    warnings = write_pdf([form], path)
    with ledger.write("补打证明" if reprint else "打印证明", "woman", letter["woman_id"],
                      after={"证明": letter["kind"], "证明编号": letter["number"], "文件": str(path)}) as db:
        db.execute("insert into certificate_prints (certificate_id, printed_at, printed_by, reprint)"
                   " values (?, ?, ?, ?)", [letter_id, _now(), ledger.actor_name, int(reprint)])
    return warnings

