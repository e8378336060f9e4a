"""One layer that turns raw workbook cells into clean Python values (INTERFACES.md §1).

Rules:
- Text is stripped; full-width digits, letters and date punctuation become half-width; the
  one text-cleaning rule (`app.text.normalise`: NFC, zero-width characters removed, no-break
  spaces plain) applies to every text cell. Control characters are refused by the `Row`
  readers (`app.exchange.workbook`), which name the sheet, row and column.
- Dates: Excel date cells, Excel serial numbers, or text `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D`,
  `YYYYMMDD`; anything else is an error naming what was typed.
- ID numbers must be text: a number-formatted cell has lost digits past the 15th and says so.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from app.text import normalise

_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－／．："}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_DATE_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names what was found."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return normalise(str(value)).translate(_FULL_WIDTH).strip()


def parse_date(value: Any) -> date | None:
    """Read one date cell; raises CellError for anything that is not a date."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if 19000101 <= number <= 21001231 and number.is_integer():
            return parse_date(str(int(number)))
        if 1 <= number < 80000:
            return _EXCEL_EPOCH + timedelta(days=int(number))
        raise CellError(f"“{value}”不是日期")
    raw = text(value) or ""
    candidate = raw.split(" ")[0].split("T")[0]
    match = _DATE_SEP.match(candidate) or _DATE_COMPACT.match(candidate)
    if not match:
        raise CellError(f"“{raw}”不是可识别的日期（应为 2026-03-15、2026/3/15、2026.3.15 或 20260315）")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"“{raw}”不是有效日期") from None


def id_number_text(value: Any) -> str | None:
    """An ID number cell as text; refuses numbers (they have lost digits or the 'X')."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError("证件号码被存成了数字，末尾几位已经丢失；请把该列设为“文本”格式后重新输入")
    return (text(value) or "").replace(" ", "").upper()


def integer(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是整数")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return int(value)
        raise CellError(f"“{value}”不是整数")
    raw = (text(value) or "").replace(",", "")
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise CellError(f"“{raw}”不是整数")
    return int(raw)
