"""Field comparisons for survey matching, tolerant of the errors surveyors make (DOMAIN.md §7).

Each comparison returns a *kind* (a word saying how the two values relate) and the matcher turns
kinds into points through WEIGHTS. Rules:
- Names: `same`; `homophone` (same toneless pinyin, pypinyin — 王丽芳/王立方; a polyphonic
  character matches in any of its readings — 曾/增, 单/善); `one_char` (one
  character wrong, missing or extra: Levenshtein distance 1, `one_edit`); `different`; `missing`
  when either side is empty.
- Birth dates: `same`; `swapped` (day and month exchanged, same year); `near` (1–3 days off);
  `close` (4–10 days off); `year` (same month and day, year ±1); `month` (same year and day,
  another month: one digit of the month mistyped); `different`. `year` and `month` only count
  as one birth when the 孩次 agrees too (app.reconcile.match.Candidate.date_ok).
- ID numbers: `same` (after normalising; a 15-digit ID is converted to 18); `one_digit` (one
  character wrong — typically fails the check digit); `transposed` (two adjacent characters
  exchanged); `different`; `missing`.
- Sex and order: `same` / `different` / `missing`.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from app import idcard, pinyin_tables

# Points per field and kind: log-likelihood-like evidence, positive for agreement.
WEIGHTS: dict[str, dict[str, float]] = {
    "mother_id": {"same": 8.0, "one_digit": 5.0, "transposed": 5.0, "missing": 0.0, "different": -4.0},
    "mother_name": {"same": 4.0, "homophone": 3.0, "one_char": 2.0, "missing": 0.0, "different": -4.0},
    "husband_name": {"same": 2.0, "homophone": 1.5, "one_char": 1.0, "missing": 0.0, "different": -1.5},
    "child_name": {"same": 2.0, "homophone": 1.5, "one_char": 1.0, "missing": 0.0, "different": -1.0},
    "birth_date": {"same": 5.0, "near": 3.5, "swapped": 3.0, "close": 2.0, "year": 1.5, "month": 1.0,
                   "different": -8.0},
    "sex": {"same": 1.0, "different": -1.0, "missing": 0.0},
    "birth_order": {"same": 1.0, "different": -0.5, "missing": 0.0},
}

FIELD_LABELS = {"mother_id": "母亲证件号码", "mother_name": "母亲姓名", "husband_name": "丈夫姓名",
                "child_name": "子女姓名", "birth_date": "出生日期", "sex": "性别", "birth_order": "孩次"}

KIND_LABELS = {"same": "一致", "homophone": "同音", "one_char": "错一字", "missing": "缺项",
               "different": "不同", "one_digit": "错一位", "transposed": "两位颠倒", "near": "差1–3天",
               "close": "差4–10天", "swapped": "日月颠倒", "year": "年份不同",
               "month": "月份不同"}


def _char_pinyin(char: str) -> str:
    """`lazy_pinyin(char)`, from the shipped table (app.pinyin_tables)."""
    return pinyin_tables.pinyin(char)


@lru_cache(maxsize=200_000)
def pinyin_key(name: str) -> str:
    """Toneless pinyin of a name, syllables joined by spaces (王丽芳 → 'wang li fang').

    Read per character (cached), so a district's names take well under a second; a name's
    characters are read in their common reading, which is what a homophone slip follows.
    """
    return " ".join(map(_char_pinyin, name))


@lru_cache(maxsize=50_000)
def _char_readings(char: str) -> frozenset[str]:
    """Every toneless reading of a character (曾: ceng, zeng), so a surname read in its special
    reading (曾 zēng, 单 shàn, 解 xiè) is still a homophone of the character the surveyor wrote:
    `pinyin(char, style=NORMAL, heteronym=True)` and `lazy_pinyin(char)`, from the shipped table."""
    return pinyin_tables.readings(char)


def _homophones(a: str, b: str) -> bool:
    return len(a) == len(b) and all(x == y or _char_readings(x) & _char_readings(y) for x, y in zip(a, b, strict=True))


def one_edit(a: str, b: str) -> bool:
    """The Levenshtein distance of `a` and `b` is exactly 1: one character replaced, dropped or
    added (what rapidfuzz's `Levenshtein.distance(a, b) == 1` says, without importing it for
    two short strings; tests/app/test_reconcile_similarity_edits.py compares them)."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def clean_name(value: str | None) -> str:
    return "".join((value or "").split())


@lru_cache(maxsize=400_000)
def compare_name(survey: str | None, ledger: str | None) -> str:
    a, b = clean_name(survey), clean_name(ledger)
    if not a or not b:
        return "missing"
    if a == b:
        return "same"
    if len(a) == len(b) and (pinyin_key(a) == pinyin_key(b) or _homophones(a, b)):
        return "homophone"
    if one_edit(a, b):
        return "one_char"
    return "different"


@lru_cache(maxsize=400_000)
def normalize_id(value: str | None) -> str:
    number = idcard.normalize(value)
    if len(number) == 15 and number.isdigit():
        try:
            return idcard.to_18(number)
        except idcard.IdError:
            return number
    return number


def compare_id(survey: str | None, ledger: str | None) -> str:
    a, b = normalize_id(survey), normalize_id(ledger)
    if not a or not b:
        return "missing"
    if a == b:
        return "same"
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return "one_digit"
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
            return "transposed"
    elif abs(len(a) - len(b)) == 1 and one_edit(a, b):
        return "one_digit"   # one digit dropped or doubled
    return "different"


def compare_date(survey: date, ledger: date) -> str:
    if survey == ledger:
        return "same"
    days = abs((survey - ledger).days)
    if days <= 3:
        return "near"
    if survey.year == ledger.year and survey.month == ledger.day and survey.day == ledger.month:
        return "swapped"
    if days <= 10:
        return "close"
    if survey.month == ledger.month and survey.day == ledger.day and abs(survey.year - ledger.year) == 1:
        return "year"
    if survey.year == ledger.year and survey.day == ledger.day:
        return "month"
    return "different"


def compare_plain(survey: object, ledger: object) -> str:
    if survey in (None, "") or ledger in (None, ""):
        return "missing"
    return "same" if survey == ledger else "different"


def points(field: str, kind: str) -> float:
    return WEIGHTS[field][kind]


def max_points(field: str) -> float:
    return max(WEIGHTS[field].values())
