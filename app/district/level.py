"""The office level (办公室级别): a township office (乡镇/街道) or a district office (区/县).

Stored as the ledger setting `office_level` ("township" or "district"; a ledger without the
setting is a township office, as every ledger was before). The first-run wizard asks it; a
district office's reports tab has the 汇总 page (consolidating the townships' packages). The
level only decides what the window offers: `fpledger consolidate` runs on any ledger whose
unit tree holds the townships.
"""

from __future__ import annotations

from typing import Any

from app.errors import UserInputError

KEY = "office_level"
TOWNSHIP = "township"
DISTRICT = "district"
LABELS = {TOWNSHIP: "乡镇/街道", DISTRICT: "区/县"}


def office_level(ledger: Any) -> str:
    value = ledger.setting(KEY, TOWNSHIP) or TOWNSHIP
    return value if value in LABELS else TOWNSHIP


def is_district(ledger: Any) -> bool:
    return office_level(ledger) == DISTRICT


def set_office_level(ledger: Any, level: str) -> None:
    """Change the level (needs `manage_settings`; audited as any setting)."""
    if level not in LABELS:
        raise UserInputError(f"办公室级别应为 {'、'.join(LABELS.values())}。")
    ledger.set_setting(KEY, level)


__all__ = ["DISTRICT", "KEY", "LABELS", "TOWNSHIP", "is_district", "office_level", "set_office_level"]
