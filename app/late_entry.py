"""Facts that arrive after a period was closed (DOMAIN.md §4), ONE place for every way in.

Rules (the registry, the workbook import, the reconciliation's 补录漏报 and tests/builders.py
all call `counted_on`; the warnings come from `child_notes` / `dated_note`):
- **Standing close**: a close of any period (month, quarter, half, year, range) not reopened
  (`app.closing.standing_closes`), as it stands at the moment of the write.
- **Usual report day** of a child: max(上报日期 or 出生日期, 出生日期) (app.definitions).
  **Effective report day**: `children.counted_on` (计入上报日) when set, else the usual day —
  app.definitions.report_day, which every count reads.
- When a child is created, or its 出生日期/上报日期 changed: if its usual report day lies in a
  standing closed period, it counts as reported on the entry day (`counted_on` = today; if
  today itself lies in a standing closed period, the day after that close's end, repeatedly) —
  a 补报 of the open period it was entered in. Otherwise `counted_on` is NULL.
- EXCEPTION (every birth counted exactly once): a child whose CURRENT effective report day lies
  in a standing closed period is in that period's snapshot; an edit does not move it —
  `counted_on` stays on that day (the change shows in `fpledger differences`).
- `counted_on` is stored only when it differs from the usual report day (else NULL), so an
  entry that needs no moving leaves the row as it always was.
- Entering any fact dated inside a standing closed period (a birth or its 上报日期, a procedure, a
  measure's start or end, a card's 初婚日期/婚变日期/出队日期) is allowed; it warns at entry
  (SaveResult warnings, the import summary) and is listed by `app.closing.late_entries`.
- No standing close: nothing to compute (`Closes` is falsy), so an import into a ledger that
  was never closed does no extra work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from app import definitions
from app.checks import WARNING, Finding
from app.periods import Period

CHECK = "closed_period"   # the findings' check key (title in app.checks.TITLES)
WOMAN_DATED = {"first_marriage_date": "初婚日期", "marital_change_date": "婚变日期", "exit_date": "出队日期"}


@dataclass(frozen=True)
class ClosedPeriod:
    code: str
    label: str
    start: str
    end: str
    closed_at: str


class Closes:
    """The ledger's standing closes, loaded once (per save, per import)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        from app.closing import standing_closes
        from app.stats.scope import meta

        rows = standing_closes(db)
        start_month = int(meta(db, "stat_year_start", "10") or 10) if rows else 10
        self.periods = [ClosedPeriod(r["period"], _label(r["period"], start_month, r["start_date"], r["end_date"]),
                                     r["start_date"], r["end_date"], r["closed_at"]) for r in rows]

    def __bool__(self) -> bool:
        return bool(self.periods)

    def holding(self, day: str | None) -> ClosedPeriod | None:
        """The shortest standing closed period that contains `day` (None: no close holds it)."""
        if not day or not self.periods:
            return None
        found = [p for p in self.periods if p.start <= day <= p.end]
        return min(found, key=lambda p: date.fromisoformat(p.end) - date.fromisoformat(p.start)) if found else None

    def entry_day(self, today: date) -> str:
        """Today, or the first day after the standing closes that hold it (repeatedly)."""
        day = today.isoformat()
        while True:
            holding = [p.end for p in self.periods if p.start <= day <= p.end]
            if not holding:
                return day
            day = (date.fromisoformat(max(holding)) + timedelta(days=1)).isoformat()


def _label(code: str, start_month: int, start: str, end: str) -> str:
    try:
        return Period.parse(code, start_month).label
    except Exception:  # noqa: BLE001 - an odd stored code still names its dates
        return f"{start}至{end}"


def counted_on(closes: Closes, born: str, reported: str | None, today: date,
               before: tuple[str, str | None, str | None] | None = None) -> str | None:
    """The child's `counted_on` after this write (see the module rules).

    `before` = the stored (出生日期, 上报日期, counted_on) for an edit, None for a new child.
    """
    if before is not None and (before[0], before[1]) == (born, reported):
        return before[2]                          # the dates did not change: nothing moves
    usual = definitions.report_day(born, reported)
    if before is not None:
        current = definitions.report_day(*before)
        if closes.holding(current):               # in that close's snapshot: it stays there
            return None if current == usual else current
    if closes.holding(usual):
        return closes.entry_day(today)
    return None


def _dated_label(born: str, reported: str | None) -> tuple[str, str]:
    """Which typed date gives the usual report day: (label, day)."""
    if reported and reported >= born:
        return "上报日期", reported
    return "出生日期", born


def _counted_as(born: str, day: str) -> str:
    return "补报" if born[:7] < day[:7] else "当月出生"


def child_notes(closes: Closes, born: str, reported: str | None, new_counted_on: str | None,
                before: tuple[str, str | None, str | None] | None = None,
                other_change: bool = False) -> list[str]:
    """The Chinese warnings of a child's entry or edit (empty when no close is concerned).

    `other_change`: an edit that changed other fields (孩次, 性别, 政策属性 …) than the dates."""
    if not closes:
        return []
    dates_changed = before is None or (before[0], before[1]) != (born, reported)
    if before is not None:
        current = definitions.report_day(*before)
        frozen = closes.holding(current)
        if frozen and (dates_changed or other_change):
            kept = "修改后仍按该日计算，" if dates_changed else ""
            return [f"该出生已计入已关账的统计期 {frozen.label}（按 {current} 上报）：{kept}已报送的数字不变；"
                    f"变化列入该期的关账后差异（统计报表 › 关账后差异）。"]
    if not dates_changed:
        return []
    out = []
    label, typed = _dated_label(born, reported)
    usual = definitions.report_day(born, reported)
    closed = closes.holding(usual)
    if closed and new_counted_on:
        out.append(f"{label} {typed} 属于已关账的统计期 {closed.label}：该出生按录入日 {new_counted_on} "
                   f"计入{_counted_as(born, new_counted_on)}，已报送的数字不变。")
    birth_closed = closes.holding(born)
    if birth_closed and birth_closed != closed:
        day = definitions.report_day(born, reported, new_counted_on)
        out.append(f"出生日期 {born} 属于已关账的统计期 {birth_closed.label}：该出生按上报日 {day} "
                   f"计入{_counted_as(born, day)}，已报送的数字不变。")
    return out


def dated_note(closes: Closes, label: str, day: str | None) -> str | None:
    """The warning for another fact dated `day` (手术日期, 开始日期 …), None when no close holds it."""
    closed = closes.holding(day)
    if closed is None:
        return None
    return (f"{label} {day} 属于已关账的统计期 {closed.label}：已报送的数字不变；"
            f"这项变化列入该期的关账后差异（统计报表 › 关账后差异）。")


def findings(messages: Sequence[str | None], woman_id: int | None, child_id: int | None = None) -> list[Finding]:
    """The notes as SaveResult warnings."""
    return [Finding(CHECK, WARNING, woman_id, child_id, m) for m in messages if m]
