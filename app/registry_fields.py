"""Card fields of the registry: column names, Chinese labels, code lists, and the cleaning of
input (merge over the stored row, normalise codes/dates/IDs, list every malformed value).

Used by `app.registry` (which re-exports these names) and by the card editor for labels.
Rules: dates are ISO text, not in the future, not before 1900; coded values are stored as
their Chinese names (aliases accepted); a 身份证 number is validated and a 15-digit one
converted; the birth date defaults to the one in the ID; empty text becomes NULL; the text
rule of `app.text` applies (as in the import): a typed value with a control character is
refused naming its field, zero-width characters are removed, text is NFC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlite_utils

from app import codes, idcard
from app import text as text_rule
from app.errors import UserInputError
from app.exchange import cells

WOMAN_COLUMNS = (
    "id_type", "id_number", "name", "birth_date", "ethnicity", "education", "hukou_type",
    "hukou_place", "address", "phone", "employer", "unit_id", "residence", "float_reason",
    "float_date", "float_cert_no", "float_cert_date", "marital_status", "first_marriage_date",
    "marital_change_date", "husband_name", "husband_id_number", "husband_hukou_type",
    "husband_employer", "card_date", "exit_reason", "exit_date", "check_exempt_reason",
)
WOMAN_LABELS = {
    "id_type": "证件类型", "id_number": "证件号码", "name": "姓名", "birth_date": "出生日期",
    "ethnicity": "民族", "education": "文化程度", "hukou_type": "户口性质", "hukou_place": "户籍地",
    "address": "现居住地", "phone": "联系电话", "employer": "工作单位", "unit_id": "所属单位",
    "residence": "居住状态", "float_reason": "流动原因", "float_date": "流动日期",
    "float_cert_no": "婚育证明编号", "float_cert_date": "婚育证明日期", "marital_status": "婚姻状况",
    "first_marriage_date": "初婚日期", "marital_change_date": "婚变日期", "husband_name": "丈夫姓名",
    "husband_id_number": "丈夫证件号码", "husband_hukou_type": "丈夫户口性质",
    "husband_employer": "丈夫工作单位", "card_date": "建卡日期", "exit_reason": "出队原因",
    "exit_date": "出队日期", "check_exempt_reason": "免查原因",
}
WOMAN_REQUIRED = ("id_number", "name", "hukou_type", "residence", "marital_status", "unit_id")
WOMAN_DATES = ("birth_date", "float_date", "float_cert_date", "first_marriage_date",
               "marital_change_date", "card_date", "exit_date")
WOMAN_CODED = {"id_type": codes.ID_TYPE, "ethnicity": codes.ETHNICITY, "education": codes.EDUCATION,
               "hukou_type": codes.HUKOU, "husband_hukou_type": codes.HUKOU,
               "residence": codes.RESIDENCE, "float_reason": codes.FLOAT_REASON,
               "marital_status": codes.MARITAL, "exit_reason": codes.EXIT_REASON}

CHILD_COLUMNS = ("birth_order", "name", "sex", "birth_date", "policy", "kinship", "health",
                 "reported_date", "death_date", "out_of_wedlock")
CHILD_LABELS = {"birth_order": "孩次", "name": "姓名", "sex": "性别", "birth_date": "出生日期",
                "policy": "政策属性", "kinship": "血缘关系", "health": "健康状况",
                "reported_date": "上报日期", "death_date": "死亡日期", "out_of_wedlock": "非婚生育"}
CHILD_REQUIRED = ("birth_order", "sex", "birth_date", "policy")
CHILD_CODED = {"sex": codes.SEX, "policy": codes.POLICY, "kinship": codes.KINSHIP, "health": codes.HEALTH}


def _refuse_controls(fields: dict, labels: dict[str, str], problems: list[str]) -> None:
    """A problem `label：含有不可见的控制字符（U+0007），请删除后再保存` per typed text value
    holding one (what is already stored is not re-judged: only what is being entered)."""
    for column, value in fields.items():
        found = text_rule.problem(value)
        if found is not None:
            problems.append(f"{labels.get(column, column)}：{found}，请删除后再保存")


def _date(value: Any, label: str, problems: list[str], today: date, allow_future: bool = False) -> str | None:
    """Read a date (date, datetime or text in the workbook's formats) as ISO text."""
    if isinstance(value, datetime):
        value = value.date()
    try:
        parsed = value if isinstance(value, date) else cells.parse_date(value)
    except cells.CellError as exc:
        problems.append(f"{label}：{exc}")
        return None
    if parsed is None:
        return None
    if not allow_future and parsed > today:
        problems.append(f"{label}：{parsed.isoformat()} 是将来的日期")
        return None
    if parsed.year < 1900:
        problems.append(f"{label}：{parsed.isoformat()} 早于 1900 年")
        return None
    return parsed.isoformat()


def _code(kind: str, value: Any, label: str, problems: list[str]) -> str | None:
    text = cells.text(value)
    if text is None:
        return None
    stored = codes.normalize(kind, text)
    if stored is None:
        problems.append(f"{label}：“{text}”不是有效值，应为：{codes.describe(kind)}")
    return stored


def _resolve_unit(db: sqlite_utils.Database, fields: dict, problems: list[str]) -> int | None:
    if fields.get("unit_id") not in (None, ""):
        row = db.execute("select id, dissolved_on from units where id = ?", [fields["unit_id"]]).fetchone()
        if row is None:
            problems.append("所属单位：所选的单位已不存在，请重新选择")
            return None
        return row[0]
    code = cells.text(fields.get("unit_code"))
    if code is None:
        return None
    row = db.execute("select id, dissolved_on from units where code = ?", [code]).fetchone()
    if row is None:
        problems.append(f"所属单位：单位代码“{code}”不存在")
        return None
    if row[1] is not None and row[1] <= date.today().isoformat():
        problems.append(f"所属单位：单位“{code}”已于 {row[1]} 撤销")
        return None
    return row[0]


def clean_woman(db: sqlite_utils.Database, fields: dict, existing: dict | None = None,
                today: date | None = None) -> tuple[dict, list[str]]:
    """Merge `fields` over `existing` and normalise; returns (row, problems).

    Keys are the women columns (unit as `unit_id` or `unit_code`). A missing birth date is
    taken from a 身份证 number; 15-digit IDs are converted to 18. Text is stripped; empty
    text becomes NULL.
    """
    today = today or date.today()
    problems: list[str] = []
    unknown = set(fields) - set(WOMAN_COLUMNS) - {"unit_code"}
    if unknown:
        raise UserInputError(f"不认识的字段：{'、'.join(sorted(unknown))}")
    _refuse_controls(fields, WOMAN_LABELS | {"unit_code": "所属单位"}, problems)
    row = {c: (existing or {}).get(c) for c in WOMAN_COLUMNS}
    for column, value in fields.items():
        if column in WOMAN_COLUMNS:
            row[column] = value
    if "unit_id" in fields or "unit_code" in fields:
        row["unit_id"] = _resolve_unit(db, fields, problems)
    for column in WOMAN_COLUMNS:
        if column in WOMAN_DATES:
            row[column] = _date(row[column], WOMAN_LABELS[column], problems, today)
        elif column in WOMAN_CODED:
            row[column] = _code(WOMAN_CODED[column], row[column], WOMAN_LABELS[column], problems)
        elif column != "unit_id":
            row[column] = cells.text(row[column])
    row["id_type"] = row["id_type"] or "身份证"
    if row["id_number"]:
        row["id_number"] = idcard.normalize(row["id_number"])
        if row["id_type"] == "身份证":
            try:
                info = idcard.parse(row["id_number"], today)
                row["id_number"] = info.number
                row["birth_date"] = row["birth_date"] or info.birth_date.isoformat()
            except idcard.IdError as exc:
                problems.append(f"证件号码：{exc}")
    if row["husband_id_number"]:
        husband = idcard.normalize(row["husband_id_number"])
        row["husband_id_number"] = idcard.to_18(husband) if len(husband) == 15 and husband.isdigit() else husband
    for column in WOMAN_REQUIRED:
        if row[column] in (None, "") and not any(p.startswith(WOMAN_LABELS[column]) for p in problems):
            problems.append(f"{WOMAN_LABELS[column]}：必填项为空")
    if row["birth_date"] is None and not any(p.startswith("证件号码") for p in problems):
        problems.append("出生日期：必填项为空（非身份证时须填写）")
    if row["name"] and len(row["name"]) > 40:
        problems.append("姓名：内容过长")
    if row["exit_reason"] and not row["exit_date"]:
        row["exit_date"] = today.isoformat()
    if row["exit_date"] and not row["exit_reason"]:
        problems.append("出队原因：填写了出队日期，缺少出队原因")
    return row, problems


def clean_child(fields: dict, existing: dict | None = None, today: date | None = None,
                default_reported: bool = True) -> tuple[dict, list[str]]:
    """Merge and normalise a child's fields; 上报日期 defaults to today for a new entry."""
    today = today or date.today()
    unknown = set(fields) - set(CHILD_COLUMNS)
    if unknown:
        raise UserInputError(f"不认识的字段：{'、'.join(sorted(unknown))}")
    problems: list[str] = []
    _refuse_controls(fields, CHILD_LABELS, problems)
    row = {c: (existing or {}).get(c) for c in CHILD_COLUMNS}
    row.update({c: v for c, v in fields.items()})
    for column in ("birth_date", "reported_date", "death_date"):
        row[column] = _date(row[column], CHILD_LABELS[column], problems, today)
    for column, kind in CHILD_CODED.items():
        row[column] = _code(kind, row[column], CHILD_LABELS[column], problems)
    row["kinship"] = row["kinship"] or "亲生"
    row["name"] = cells.text(row["name"])
    try:
        row["birth_order"] = cells.integer(row["birth_order"])
        if row["birth_order"] is not None and not 1 <= row["birth_order"] <= 20:
            problems.append("孩次：应为 1–20")
    except cells.CellError as exc:
        problems.append(f"孩次：{exc}")
        row["birth_order"] = None
    row["out_of_wedlock"] = 1 if row["out_of_wedlock"] else 0
    if existing is None and default_reported and row["reported_date"] is None and "reported_date" not in fields:
        row["reported_date"] = today.isoformat()
    for column in CHILD_REQUIRED:
        if row[column] is None and not any(p.startswith(CHILD_LABELS[column]) for p in problems):
            problems.append(f"{CHILD_LABELS[column]}：必填项为空")
    return row, problems


