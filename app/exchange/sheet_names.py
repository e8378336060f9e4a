"""Sheet names a reader does not know (工作表名称): a near miss is an error, the rest a warning.

Rules:
- A sheet whose name, normalised, equals a known sheet's is a misspelling of it — spaces (any
  width, anywhere), a trailing 表 / 工作表 / sheet, traditional characters (育齡婦女, 手術) or the
  variant 台账 for 台帐 — and refused: "工作表“子 女”像是“子女”，请改名后再导入" (its rows would
  otherwise be silently dropped). This holds even when the correctly named sheet is there too.
- Any other unknown sheet is ignored with a warning, except the template's own 填写说明 and
  sheets with nothing in them (Excel's empty Sheet1).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from app.errors import UserInputError

IGNORED = frozenset({"填写说明"})
"""Sheets of our own template that carry no data."""

_TRADITIONAL = str.maketrans({
    "齡": "龄", "婦": "妇", "節": "节", "術": "术", "單": "单", "數": "数", "檢": "检", "記": "记",
    "錄": "录", "帳": "帐", "賬": "帐", "账": "帐", "樣": "样", "調": "调", "員": "员", "時": "时",
    "間": "间", "請": "请", "歸": "归", "測": "测", "計": "计", "劃": "划", "戶": "户",
    "產": "产", "環": "环", "嬰": "婴", "兒": "儿", "統": "统", "訊": "讯", "聯": "联",
})
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_SUFFIX = re.compile(r"(?:工作表|表|sheet)$", re.IGNORECASE)


def normalise(name: str) -> str:
    """The form two spellings of one sheet name share."""
    folded = _SPACES.sub("", name).translate(_TRADITIONAL)
    return _SUFFIX.sub("", folded) or folded


def likely(name: str, known: Iterable[str]) -> str | None:
    """The known sheet `name` looks like a misspelling of, if any (never the name itself)."""
    folded = normalise(name)
    for candidate in known:
        if candidate != name.strip() and normalise(candidate) == folded:
            return candidate
    return None


def check(found: Iterable[str], known: Collection[str], empty: Collection[str] = ()) -> list[str]:
    """Refuse near misses (all of them in one message); return the other unknown sheets
    (stripped names, in file order) for the caller's warnings."""
    misspelt, unknown = [], []
    for raw in found:
        name = raw.strip()
        if name in known or name in IGNORED:
            continue
        guess = likely(name, known)
        if guess is not None:
            misspelt.append(f"工作表“{raw}”像是“{guess}”")
        elif raw not in empty:
            unknown.append(name)
    if misspelt:
        raise UserInputError("；".join(misspelt) + "，请改名后再导入。未导入任何数据。")
    return unknown


def unknown_warning(name: str, known: Iterable[str]) -> str:
    return f"不是可导入的工作表（应为：{'、'.join(known)}），已忽略"
