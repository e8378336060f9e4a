"""Attendance settings: every number of DOMAIN.md §8 is a ledger setting with the stated default.

Stored in `meta` under `attendance.<name>` (strings); amounts are exact Decimals in yuan,
durations whole minutes. `strict_early_punch`: when on, a punch earlier than the sign-in window
(start − window) is not a sign-in at all; when off (default) it counts as on time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger

PREFIX = "attendance."


@dataclass(frozen=True)
class AttendanceSettings:
    window_minutes: int = 10              # sign-in window opens this long before the start
    absent_after_minutes: int = 30        # this long after the start (or more): 旷工
    late_fine_yuan: Decimal = Decimal("1")
    absent_fine_yuan: Decimal = Decimal("10")
    bonus_forfeit_run: int = 3            # this many consecutive 旷工 sessions forfeit the bonus
    strict_early_punch: bool = False
    monthly_bonus_yuan: Decimal = Decimal("0")     # 考勤奖 per month (0 = the office pays none here)
    duty_bonus_per_day_yuan: Decimal = Decimal("0")  # weekend duty: the day's attendance bonus
    holiday_overtime_per_day_yuan: Decimal = Decimal("0")  # work on a 法定节假日

    def as_dict(self) -> dict[str, str]:
        return {f.name: _to_text(getattr(self, f.name)) for f in fields(self)}


LABELS = {
    "window_minutes": "签到时间窗（上班前分钟数）",
    "absent_after_minutes": "旷工界限（上班后分钟数）",
    "late_fine_yuan": "迟到扣款（元/次）",
    "absent_fine_yuan": "旷工扣款（元/次）",
    "bonus_forfeit_run": "连续旷工几次扣发考勤奖",
    "strict_early_punch": "早于签到时间窗的打卡不算签到",
    "monthly_bonus_yuan": "月考勤奖（元）",
    "duty_bonus_per_day_yuan": "双休日值班考勤奖（元/天）",
    "holiday_overtime_per_day_yuan": "法定节假日加班费（元/天）",
}


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _parse(name: str, kind: type, raw: str) -> object:
    label = LABELS.get(name, name)
    if kind is bool:
        if raw.strip() in {"1", "true", "True", "是", "开"}:
            return True
        if raw.strip() in {"0", "false", "False", "否", "关", ""}:
            return False
        raise UserInputError(f"设置“{label}”应为 是/否，而不是“{raw}”。")
    if kind is int:
        try:
            number = int(raw.strip())
        except ValueError:
            raise UserInputError(f"设置“{label}”应为整数，而不是“{raw}”。") from None
        if number < 0:
            raise UserInputError(f"设置“{label}”不能为负数。")
        return number
    try:
        amount = Decimal(raw.strip())
    except InvalidOperation:
        raise UserInputError(f"设置“{label}”应为金额，而不是“{raw}”。") from None
    if amount < 0 or not amount.is_finite():
        raise UserInputError(f"设置“{label}”不能为负数。")
    return amount


_KINDS = {"window_minutes": int, "absent_after_minutes": int, "bonus_forfeit_run": int,
          "strict_early_punch": bool, "late_fine_yuan": Decimal, "absent_fine_yuan": Decimal,
          "monthly_bonus_yuan": Decimal, "duty_bonus_per_day_yuan": Decimal,
          "holiday_overtime_per_day_yuan": Decimal}


def load(db: sqlite_utils.Database) -> AttendanceSettings:
    """The ledger's attendance settings; keys not set keep their defaults."""
    stored = {row[0][len(PREFIX):]: row[1] for row in db.execute(
        "select key, value from meta where key like 'attendance.%'").fetchall()}
    values: dict[str, Any] = {name: _parse(name, _KINDS[name], raw) for name, raw in stored.items()
                              if name in _KINDS and raw is not None}   # each of its field's kind
    return AttendanceSettings(**values)


def save(ledger: Ledger, name: str, value: object) -> AttendanceSettings:
    """Change one attendance setting (validated, audited through `ledger.set_setting`)."""
    if name not in _KINDS:
        raise UserInputError(f"没有名为“{name}”的考勤设置。")
    parsed = _parse(name, _KINDS[name], _to_text(value))
    if name == "bonus_forfeit_run" and parsed == 0:
        raise UserInputError("“连续旷工几次扣发考勤奖”至少为 1。")
    ledger.set_setting(PREFIX + name, _to_text(parsed))
    return load(ledger.db)


def save_many(ledger: Ledger, changes: dict[str, object]) -> AttendanceSettings:
    """Change several settings as one action: all are validated first, then written in one
    transaction (each audited), so a bad value changes nothing."""
    parsed = {}
    for name, value in changes.items():
        if name not in _KINDS:
            raise UserInputError(f"没有名为“{name}”的考勤设置。")
        parsed[name] = _parse(name, _KINDS[name], _to_text(value))
        if name == "bonus_forfeit_run" and parsed[name] == 0:
            raise UserInputError("“连续旷工几次扣发考勤奖”至少为 1。")
    with ledger.write():
        for name, value in parsed.items():
            ledger.set_setting(PREFIX + name, _to_text(value))
    return load(ledger.db)
