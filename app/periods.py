"""Report periods (统计期) resolved in the ledger's statistical year (DOMAIN.md §4).

Codes:
- `YYYY-MM`: a calendar month.
- `YYYY`: the statistical year named by the year it ENDS in. With start month S=10,
  `2026` = 2025-10-01 … 2026-09-30; with S=1 it is the calendar year.
- `YYYYH1`/`YYYYH2`: its halves; `YYYYQ1`…`YYYYQ4`: its quarters (S=10: `2026Q1` =
  2025-10-01 … 2025-12-31, `2026H1` = 2025-10-01 … 2026-03-31).
- `YYYY-MM-DD..YYYY-MM-DD`: an explicit range, both ends included.
The same period last year (去年同期) is the period shifted back twelve months; the code keeps
its kind (2026H1 → 2025H1; a range shifts both ends, 29 February becoming 28 February).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from app.errors import UserInputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PART = re.compile(r"^(\d{4})([HQ])([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")

PeriodKind = Literal["month", "year", "half", "quarter", "range"]


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    ny, nm = add_months(year, month, 1)
    return date(ny, nm, 1) - timedelta(days=1)


def shift_date_months(day: date, delta: int) -> date:
    y, m = add_months(day.year, day.month, delta)
    return date(y, m, min(day.day, month_end(y, m).day))


@dataclass(frozen=True)
class Period:
    code: str          # canonical spelling (2026-03, 2026, 2026H1, 2026Q2, range): use it in file names
    kind: PeriodKind
    start: date
    end: date
    stat_year_start: int = 10

    @classmethod
    def parse(cls, code: str, stat_year_start: int = 10) -> Period:
        """Resolve a period code; raises UserInputError with the accepted forms."""
        raw = (code or "").strip()
        if not 1 <= stat_year_start <= 12:
            raise UserInputError("统计年度起始月份应为 1–12。")
        if m := _MONTH.match(raw):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise UserInputError(f"统计期“{raw}”的月份无效。")
            return cls(f"{year:04d}-{month:02d}", "month", month_start(year, month), month_end(year, month), stat_year_start)
        if m := _YEAR.match(raw):
            start = cls._year_start(int(m[1]), stat_year_start)
            return cls(raw, "year", start, cls._end_after(start, 12), stat_year_start)
        if m := _PART.match(raw):
            year, letter, number = int(m[1]), m[2].upper(), int(m[3])
            if letter == "H" and number > 2:
                raise UserInputError(f"统计期“{raw}”无效：半年只有 H1、H2。")
            length = 6 if letter == "H" else 3
            ys, ms = cls._year_start(year, stat_year_start).year, stat_year_start
            sy, sm = add_months(ys, ms, length * (number - 1))
            start = date(sy, sm, 1)
            kind: PeriodKind = "half" if letter == "H" else "quarter"
            return cls(f"{year:04d}{letter}{number}", kind, start, cls._end_after(start, length), stat_year_start)
        if m := _RANGE.match(raw):
            try:
                start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            except ValueError:
                raise UserInputError(f"统计期“{raw}”中的日期无效。") from None
            if end < start:
                raise UserInputError(f"统计期“{raw}”的结束日期早于开始日期。")
            return cls(raw, "range", start, end, stat_year_start)
        raise UserInputError(
            f"无法识别的统计期“{raw}”。可用：2026-03（月）、2026（统计年度）、2026H1/2026H2（半年）、"
            "2026Q1…2026Q4（季度）、2025-10-01..2026-03-31（日期范围）。")

    @staticmethod
    def _year_start(year: int, stat_year_start: int) -> date:
        """The statistical year named `year` ends in `year`, so it starts the year before unless S=1."""
        return date(year if stat_year_start == 1 else year - 1, stat_year_start, 1)

    @staticmethod
    def _end_after(start: date, months: int) -> date:
        y, m = add_months(start.year, start.month, months)
        return date(y, m, 1) - timedelta(days=1)

    def contains(self, day: date | str | None) -> bool:
        if day is None:
            return False
        if isinstance(day, str):
            day = date.fromisoformat(day)
        return self.start <= day <= self.end

    def _shift_code(self, years: int) -> str:
        if self.kind == "month":
            return f"{self.start.year + years:04d}-{self.start.month:02d}"
        if self.kind == "range":
            return f"{shift_date_months(self.start, 12 * years)}..{shift_date_months(self.end, 12 * years)}"
        year = int(self.code[:4]) + years
        return f"{year:04d}{self.code[4:]}"

    def previous_year(self) -> Period:
        """去年同期: shifted back twelve months, same kind."""
        return Period.parse(self._shift_code(-1), self.stat_year_start)

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(self.kind)
        if months is None:
            length = (self.end - self.start).days
            end = self.start - timedelta(days=1)
            return Period(f"{end - timedelta(days=length)}..{end}", "range", end - timedelta(days=length), end,
                          self.stat_year_start)
        y, m = add_months(self.start.year, self.start.month, -months)
        start = date(y, m, 1)
        return Period(self._code_for(start, months), self.kind, start, self.start - timedelta(days=1),
                      self.stat_year_start)

    def _code_for(self, start: date, months: int) -> str:
        if self.kind == "month":
            return f"{start.year:04d}-{start.month:02d}"
        s = self.stat_year_start
        offset = (start.month - s) % 12
        year_end = start.year + (1 if s != 1 and start.month >= s else 0)
        if self.kind == "year":
            return f"{year_end:04d}"
        letter = "H" if months == 6 else "Q"
        return f"{year_end:04d}{letter}{offset // months + 1}"

    def months(self) -> list[Period]:
        """The calendar months this period covers (whole or in part), in order."""
        out: list[Period] = []
        y, m = self.start.year, self.start.month
        while date(y, m, 1) <= self.end:
            out.append(Period.parse(f"{y:04d}-{m:02d}", self.stat_year_start))
            y, m = add_months(y, m, 1)
        return out

    @property
    def label(self) -> str:
        """Chinese label as printed on forms, e.g. 2026年上半年."""
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "year":
            return f"{self.code}年度"
        if self.kind == "half":
            return f"{self.code[:4]}年{'上' if self.code.endswith('1') else '下'}半年"
        if self.kind == "quarter":
            return f"{self.code[:4]}年第{'一二三四'[int(self.code[-1]) - 1]}季度"
        return f"{self.start.isoformat()}至{self.end.isoformat()}"

    @property
    def span(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"
