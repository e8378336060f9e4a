"""The period's figures as a DHIS2 data value set (`dhis2/dataValueSets.json`, DOMAIN.md §10).

Beyond one district the figures go to an existing health-statistics server: every export
package carries its counts in DHIS2's `dataValueSets` JSON, which DHIS2 (and compatible systems)
import through `POST /api/dataValueSets`.

Rules:
- Document: `{"dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "dataValues": [{"dataElement",
  "period", "orgUnit", "value"}…]}` (plus `categoryOptionCombo` where the mapping names one).
  The identifiers are DHIS2 CODES; import with `dataElementIdScheme=CODE&orgUnitIdScheme=CODE`
  if the server does not read the schemes from the payload.
- Values: the period's integer counts (app/stats/counts.py) of the unit reported on and of each
  of its direct children (figures.json `counts.period`), as strings of digits; zeros are sent
  (a reported 0 is a figure). Rates are never sent (DHIS2 computes indicators from counts). A
  count that is None (no 人口基数 entered) and a unit without a code are left out. Last year's
  counts are not sent: that period was reported a year ago.
- Data elements and org units come from the editable mapping table `dhis2_mapping.csv`
  (columns `kind,key,code,categoryOptionCombo,note`; kind `dataElement`: key = our count key;
  kind `orgUnit`: key = our unit code). The copy in the user's data folder
  (app.paths.user_data_dir) wins over the shipped `data/dhis2_mapping.csv`, so an office edits
  it without touching the installation. A count key without a row is not sent; a unit code
  without a row is sent as itself (default: the DHIS2 org-unit code is our 单位代码).
- Period codes (`period_code`) are DHIS2's fixed-period ISO codes, decided from the period's
  DATES, never invented: `202603` (a calendar month), `2026Q1` (a calendar quarter), `2026S1`
  (January–June) / `2026S2`, `2025AprilS2` (October–March: DHIS2's SixMonthlyApril, S1 =
  April–September), `2026` (a calendar year), `2025April` / `2025July` / `2025Oct` (DHIS2's
  financial years, named by their START year: `2025Oct` = 2025-10-01 … 2026-09-30, our
  statistical year 2026 starting in October). Anything else (a quarter that is not a calendar
  quarter, as in a year starting in November; a half starting in another month; a financial
  year starting in another month; a date range matching none of these) has no DHIS2 code: the package then has no DHIS2
  file and its manifest's `warnings` say so.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.errors import UserInputError
from app.paths import data_dir, user_data_dir

FILE = "dhis2/dataValueSets.json"
MAPPING_FILE = "dhis2_mapping.csv"
_FINANCIAL = {4: "April", 7: "July", 10: "Oct"}
_VALUE = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Mapping:
    """count key → (dataElement code, categoryOptionCombo or None); unit code → orgUnit code."""

    data_elements: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    org_units: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def org_unit(self, unit_code: str) -> str:
        return self.org_units.get(unit_code, unit_code)


def mapping_path() -> Path:
    """The user's edited copy when there is one, else the shipped table."""
    own = user_data_dir() / MAPPING_FILE
    return own if own.exists() else data_dir() / MAPPING_FILE


def load_mapping(path: Path | None = None) -> Mapping:
    path = path or mapping_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserInputError(f"无法读取 DHIS2 对照表 {path}（{exc.strerror or exc}）") from None
    mapping = Mapping(path=path)
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        kind, key, code = ((row.get(k) or "").strip() for k in ("kind", "key", "code"))
        if not kind or kind.startswith("#"):
            continue
        if not key or not code:
            raise UserInputError(f"DHIS2 对照表 {path.name} 第 {number} 行缺少 key 或 code。")
        if kind == "dataElement":
            if key in mapping.data_elements:
                raise UserInputError(f"DHIS2 对照表 {path.name} 第 {number} 行：计数键“{key}”重复。")
            mapping.data_elements[key] = (code, (row.get("categoryOptionCombo") or "").strip() or None)
        elif kind == "orgUnit":
            mapping.org_units[key] = code
        else:
            raise UserInputError(f"DHIS2 对照表 {path.name} 第 {number} 行：类型“{kind}”应为 dataElement 或 orgUnit。")
    return mapping


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months_after(start: date, months: int) -> date:
    """The last day of the `months`-month stretch beginning at `start` (a first of the month)."""
    y, m = divmod(start.month - 1 + months, 12)
    return date(start.year + y, m + 1, 1) - timedelta(days=1)


def period_code(start: date, end: date) -> str | None:
    """DHIS2's ISO code of the fixed period start…end, or None when DHIS2 has none (module rules)."""
    if start.day != 1 or end != _month_end(end):
        return None
    if end == _months_after(start, 1):
        return f"{start.year:04d}{start.month:02d}"
    if end == _months_after(start, 3) and start.month in (1, 4, 7, 10):
        return f"{start.year:04d}Q{(start.month - 1) // 3 + 1}"
    if end == _months_after(start, 6):
        if start.month in (1, 7):
            return f"{start.year:04d}S{1 if start.month == 1 else 2}"
        if start.month == 4:
            return f"{start.year:04d}AprilS1"
        if start.month == 10:
            return f"{start.year:04d}AprilS2"
        return None
    if end == _months_after(start, 12):
        if start.month == 1:
            return f"{start.year:04d}"
        if start.month in _FINANCIAL:
            return f"{start.year:04d}{_FINANCIAL[start.month]}"
    return None


def data_value_set(figures: dict[str, Any], mapping: Mapping | None = None) -> dict[str, Any] | None:
    """The data value set of a figures.json document; None when its period has no DHIS2 code."""
    mapping = mapping or load_mapping()
    period = period_code(date.fromisoformat(figures["start"]), date.fromisoformat(figures["end"]))
    if period is None:
        return None
    values: list[dict[str, str]] = []
    for row in (figures.get("counts") or {}).get("period", {}).get("units", []):
        if not row.get("code") or row.get("counts") is None:
            continue
        org_unit = mapping.org_unit(row["code"])
        for key, value in row["counts"].items():
            if value is None or key not in mapping.data_elements:
                continue
            element, combo = mapping.data_elements[key]
            item = {"dataElement": element, "period": period, "orgUnit": org_unit, "value": str(int(value))}
            if combo:
                item["categoryOptionCombo"] = combo
            values.append(item)
    return {"dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "dataValues": values}


def package_file(figures: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """(the file's bytes, None), or (None, the manifest warning) when the period has no code."""
    document = data_value_set(figures)
    if document is None:
        return None, (f"统计期 {figures['period']}（{figures['start']} 至 {figures['end']}）没有对应的 DHIS2 "
                      f"期别代码，未生成 {FILE}。")
    problems = validate(document)
    if problems:   # a mapping table edited into duplicates: say so rather than ship a bad file
        raise UserInputError("DHIS2 数据值集不合格：" + "；".join(problems[:5]))
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"), None


def validate(document: Any) -> list[str]:
    """Problems with a dataValueSets document against DHIS2's documented shape (empty = fine):
    a `dataValues` list whose items each have a non-empty dataElement, period and orgUnit and a
    value that is a string of digits (or a decimal), with no (dataElement, period, orgUnit,
    categoryOptionCombo) twice."""
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        return ["缺少 dataValues 列表"]
    problems: list[str] = []
    seen: set[tuple] = set()
    for index, item in enumerate(document["dataValues"]):
        if not isinstance(item, dict):
            problems.append(f"第 {index + 1} 项不是对象")
            continue
        for key in ("dataElement", "period", "orgUnit", "value"):
            if not isinstance(item.get(key), str) or not item[key]:
                problems.append(f"第 {index + 1} 项缺少 {key}")
        value = item.get("value")
        if isinstance(value, str) and value and not _VALUE.match(value):
            problems.append(f"第 {index + 1} 项的值“{value}”不是数字")
        triple = (item.get("dataElement"), item.get("period"), item.get("orgUnit"), item.get("categoryOptionCombo"))
        if triple in seen:
            problems.append(f"第 {index + 1} 项与前面的 {triple[:3]} 重复")
        seen.add(triple)
    return problems


__all__ = ["FILE", "Mapping", "data_value_set", "load_mapping", "mapping_path", "package_file",
           "period_code", "validate"]
