"""The one text-cleaning rule (文本清理) for every way text enters the ledger: the card editor,
the workbook import (both of its speeds), the sampling survey, the attendance files, unit names,
staff and account names.

Rules:
- NFC normalisation (composed characters; CJK compatibility ideographs become the unified ones).
- Zero-width characters (U+200B–U+200D, U+2060) and the byte-order mark U+FEFF are removed.
- No-break and typographic spaces (U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000) become a
  plain space (the workbook layer then strips the edges, as before).
- Control characters are refused, never silently dropped: C0 (except tab, line feed and
  carriage return, which an Excel cell may hold), DEL and C1, the bidirectional marks and
  overrides (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), lone surrogates and the
  non-characters U+FFFE/U+FFFF. An openpyxl/Excel `_x0007_` escape is decoded by the reader
  into the character itself, so it is refused the same way. The refusal is a Chinese message
  that names the field (and the row) and the character's code point.
- Writers never rely on this: whatever is already stored is written by `app.text_cells`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.errors import UserInputError

_REFUSED_BUT_NUL = ("\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                    "\ud800-\udfff\ufffe\uffff")
REFUSED = re.compile(f"[\x00{_REFUSED_BUT_NUL}]")
_REMOVED = "\u200b\u200c\u200d\u2060\ufeff"
_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
# Any character `normalise` changes or `problem` refuses, NUL aside: the import's column-wise
# fast path joins a column's cells with NUL, so it tests for NUL by counting (see `needs_cleaning`).
SPECIAL_BUT_NUL = re.compile(f"[{_REFUSED_BUT_NUL}{_REMOVED}{_SPACES}]")
_TABLE = {ord(c): None for c in _REMOVED}
_TABLE.update({c: 0x20 for c in [0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]})


class TextRefused(UserInputError):
    """Text with a control character; the message is Chinese and names the field."""


def normalise(value: str) -> str:
    """NFC, zero-width characters removed, no-break spaces made plain (refused characters stay:
    `problem` reports them)."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value.translate(_TABLE) if SPECIAL_BUT_NUL.search(value) else value


def needs_cleaning(joined: str, cells: int) -> bool:
    """Whether any of `cells` texts joined with NUL is changed by `normalise` or refused —
    decided by C-speed passes over the joined text (the import's fast path)."""
    return (joined.count("\x00") != cells - 1 or SPECIAL_BUT_NUL.search(joined) is not None
            or not unicodedata.is_normalized("NFC", joined))


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def problem(value: Any) -> str | None:
    """`含有不可见的控制字符（U+0007）` for text holding a refused character, else None."""
    if not isinstance(value, str):
        return None
    found = REFUSED.search(value)
    return None if found is None else f"含有不可见的控制字符（{code_point(found.group())}）"


def refusal(field: str, value: Any, row: int | None = None, action: str = "保存") -> str | None:
    """The whole Chinese message for a refused value (None when it is fine), e.g.
    `第 3 行 姓名含有不可见的控制字符（U+0007），请删除后再保存`."""
    found = problem(value)
    if found is None:
        return None
    where = f"第 {row} 行 " if row is not None else ""
    return f"{where}{field}{found}，请删除后再{action}"


def check(field: str, value: Any, row: int | None = None) -> None:
    """Raise TextRefused (the `refusal` message) when `value` holds a control character."""
    message = refusal(field, value, row)
    if message:
        raise TextRefused(message)


def clean_text(value: Any, field: str, row: int | None = None) -> str | None:
    """One typed value as stored text: normalised and stripped, empty → None; raises
    TextRefused (naming `field` and `row`) for a control character."""
    if value is None:
        return None
    check(field, value, row)
    cleaned = normalise(str(value)).strip()
    return cleaned or None


def search_text(value: str) -> str:
    """A search box's text made safe to match: normalised, refused characters turned into
    spaces (they separate terms), so any text at all can be searched."""
    return REFUSED.sub(" ", normalise(value))
