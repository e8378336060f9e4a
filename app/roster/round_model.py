"""What a pregnancy-check round is (`Round`) and the two roster settings it is counted with.

The lowest roster module: app/roster/due.py (the due rule) and app/roster/rounds.py (create,
close — which freezes due.py's list —, reopen) both stand on it, so neither imports the other
back. rounds.py re-exports these names (`rounds.Round`, `rounds.exempt_months`, …).

Settings (ledger meta, plain values): `roster.sterilized_exempt_months` (default 12) and
`roster.certificate_overdue_days` (default 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import sqlite_utils

from app.periods import Period

OPEN, CLOSED = "进行中", "已结束"
EXEMPT_MONTHS_KEY = "roster.sterilized_exempt_months"
OVERDUE_DAYS_KEY = "roster.certificate_overdue_days"
DEFAULT_EXEMPT_MONTHS = 12
DEFAULT_OVERDUE_DAYS = 30


@dataclass(frozen=True)
class Round:
    id: int | None          # None: not stored yet (a round computed on the fly)
    code: str
    start: date
    end: date
    status: str = OPEN

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def period(self) -> Period:
        return Period(self.code, "range", self.start, self.end)

    @property
    def label(self) -> str:
        return f"{self.code}（{self.start.isoformat()} 至 {self.end.isoformat()}）"

    @property
    def period_label(self) -> str:
        """As printed: 2026年第二季度 / 2026年上半年 / 2026年3月 / 2026年度 / the dates."""
        code = self.code
        if len(code) == 6 and code[4] in "QH":
            if code[4] == "Q":
                return f"{code[:4]}年第{'一二三四'[int(code[5]) - 1]}季度"
            return f"{code[:4]}年{'上' if code[5] == '1' else '下'}半年"
        if len(code) == 7 and code[4] == "-":
            return f"{code[:4]}年{int(code[5:])}月"
        if len(code) == 4:
            return f"{code}年度"
        return f"{self.start.isoformat()}至{self.end.isoformat()}"


class SettingsReader(Protocol):
    """The little of a Ledger the due rule reads: its connection and its settings (an import
    passes a view on its own connection, app/exchange/roster_sheet.py)."""

    @property
    def db(self) -> sqlite_utils.Database: ...

    def setting(self, key: str, default: str | None = None) -> str | None: ...


def exempt_months(ledger: SettingsReader) -> int:
    return _int_setting(ledger, EXEMPT_MONTHS_KEY, DEFAULT_EXEMPT_MONTHS)


def overdue_days(ledger: SettingsReader) -> int:
    return _int_setting(ledger, OVERDUE_DAYS_KEY, DEFAULT_OVERDUE_DAYS)


def _int_setting(ledger: SettingsReader, key: str, default: int) -> int:
    raw = ledger.setting(key)
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default
