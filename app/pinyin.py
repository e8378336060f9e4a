"""Pinyin initials of Chinese names for search-as-you-type (王丽芳 → `wlf`).

Rules: one lower-case letter per Chinese character (pypinyin first letter); Latin letters and
digits are kept lower case; other characters are dropped. Surnames with a special reading
(单 shàn, 曾 zēng, 解 xiè, 仇 qiú, 朴 piáo, 查 zhā, 翟 zhái, 尉 yù, 区 ōu, 覃 qín, 盖 gě,
缪 miào, 乐 yuè, 种 chóng) take that reading when they open the name. Results are cached per
character, so 100,000 names take well under a second.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SURNAME_INITIALS = {"单": "s", "曾": "z", "解": "x", "仇": "q", "朴": "p", "查": "z", "翟": "z",
                    "尉": "y", "区": "o", "覃": "q", "盖": "g", "缪": "m", "乐": "y", "种": "c",
                    "长": "z", "沈": "s", "柏": "b", "万": "w"}


@lru_cache(maxsize=20000)
def _letter(char: str) -> str:
    """The character's letter: its first reading in pypinyin's single-character dictionary,
    tone mark removed — exactly `lazy_pinyin(char, style=FIRST_LETTER)` for every character of
    that dictionary (tests/app/test_registry_columns.py compares them all), without its
    per-call segmentation."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    if readings:
        return unicodedata.normalize("NFD", readings.split(",", 1)[0])[0].lower()
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0][:1].lower() if letters and letters[0] else ""


def initials(name: str | None) -> str | None:
    """`王丽芳` → `wlf`; None for an empty name."""
    if not name:
        return None
    first = SURNAME_INITIALS.get(name[0]) or _letter(name[0])
    return first + "".join(_letter(c) for c in name[1:])


def warm_up() -> None:
    """Load pypinyin's dictionaries now (≈0.12 s, once per process) — e.g. on another thread
    while a workbook is being parsed — so the first names' initials do not pay for it."""
    _letter("王")
