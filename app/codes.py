"""Code lists (代码表) from `data/codes.json`: 民族, 文化程度, 措施, 手术类型, 出队原因, ….

Stored values are the Chinese names themselves (GB/T 18848 style), so a ledger is readable
without the program. Each list may carry `aliases`: other spellings accepted on input and
mapped to the stored name (`上环` → `宫内节育器`, `计划内` → `政策内`, `复婚` → `再婚`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app import definitions

CODES_FILE = Path(__file__).resolve().parent.parent / "data" / "codes.json"

ETHNICITY, EDUCATION, METHOD, PROCEDURE, EXIT_REASON = "民族", "文化程度", "措施", "手术类型", "出队原因"
MARITAL, RESIDENCE, FLOAT_REASON, HUKOU, POLICY = "婚姻状况", "居住状态", "流动原因", "户口性质", "政策属性"
KINSHIP, HEALTH, SEX, ID_TYPE, LONG_ACTING = "血缘关系", "健康状况", "性别", "证件类型", "长效措施"

# The groups of codes are the definitions' (app/definitions.py), never restated here.
MARRIED = definitions.MARRIED_STATUSES                                # currently married (已婚)
EVER_MARRIED = definitions.MARRIED_STATUSES + definitions.EX_MARRIED_STATUSES   # must have 初婚日期
STERILIZATION = definitions.STERILIZATION


@cache
def _all() -> dict[str, dict]:
    with open(CODES_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def names() -> list[str]:
    """Every code list's name."""
    return list(_all())


def values(kind: str) -> tuple[str, ...]:
    """The stored values of a list, in display order."""
    return tuple(_all()[kind]["values"])


@cache
def accepted(kind: str) -> dict[str, str]:
    """Every accepted spelling (values and aliases) -> stored value."""
    entry = _all()[kind]
    mapping = {v: v for v in entry["values"]}
    mapping.update(entry.get("aliases", {}))
    return mapping


def normalize(kind: str, value: str | None) -> str | None:
    """The stored value for `value` (alias-aware), or None when it is not in the list."""
    if value is None:
        return None
    return accepted(kind).get(str(value).strip())


def describe(kind: str) -> str:
    """`值1、值2、…` for messages and the template's 填写说明."""
    return "、".join(values(kind))
