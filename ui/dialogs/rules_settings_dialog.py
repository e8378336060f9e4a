"""设置 → 统计与孕检设置: the ledger settings behind the long-acting indicator and the roster.

Settings (ledger meta, plain values; read by app.stats.long_acting and app.roster.rounds):
- `long_acting_enabled` ("1"/"0") and `long_acting_months` (N, default 4): 长效节育措施落实 is due
  N months after the youngest child's birth; switched off, the indicator is left out.
- `roster.sterilized_exempt_months` (default 12): a woman sterilized more than this many months
  before a round is not due (免查).
- `roster.certificate_overdue_days` (default 30): a 流出 woman's certificate counts as overdue
  this many days after the round's end.

Rules: permission `manage_settings` is checked again on 确定; only the values that changed are
written, each through `Ledger.set_setting` (one audited transaction per setting, before/after).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QSpinBox, QWidget

from app.ledger import Ledger
from app.roster import rounds
from ui.dialogs.form import FormDialog
from ui.i18n import t

LONG_ACTING_ENABLED = "long_acting_enabled"
LONG_ACTING_MONTHS = "long_acting_months"
DEFAULT_LONG_ACTING_MONTHS = 4


def _int(ledger: Ledger, key: str, default: int) -> int:
    try:
        return int(ledger.setting(key) or default)
    except ValueError:
        return default


class RulesSettingsDialog(FormDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(t("Statistics and pregnancy-check settings"), parent)
        self.setObjectName("rulesSettingsDialog")
        self.ledger = ledger
        self.set_intro(t("These rules apply to the whole ledger; every change is recorded in the audit log."))
        self.long_acting = self.add_row(
            t("Long-acting measures indicator"), QCheckBox(t("Count long-acting measure take-up"), self),
            "longActingEnabled")
        self.long_acting.setChecked(ledger.setting(LONG_ACTING_ENABLED, "1") != "0")
        self.months = self._spin(t("Due after the youngest child's birth"), "longActingMonths", 1, 36,
                                 _int(ledger, LONG_ACTING_MONTHS, DEFAULT_LONG_ACTING_MONTHS), t(" months"))
        self.long_acting.toggled.connect(self.months.setEnabled)
        self.months.setEnabled(self.long_acting.isChecked())
        self.exempt = self._spin(t("Sterilized women exempt from checks after"), "exemptMonths", 1, 120,
                                 rounds.exempt_months(ledger), t(" months"))
        self.overdue = self._spin(t("Certificate of a woman working away overdue after"), "overdueDays", 1, 365,
                                  rounds.overdue_days(ledger), t(" days after the round"))

    def _spin(self, label: str, name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return self.add_row(label, spin, name)

    def values(self) -> dict[str, str]:
        """The settings as they would be stored."""
        return {LONG_ACTING_ENABLED: "1" if self.long_acting.isChecked() else "0",
                LONG_ACTING_MONTHS: str(self.months.value()),
                rounds.EXEMPT_MONTHS_KEY: str(self.exempt.value()),
                rounds.OVERDUE_DAYS_KEY: str(self.overdue.value())}

    def current(self) -> dict[str, str]:
        """What the ledger holds now (defaults for settings never written)."""
        return {LONG_ACTING_ENABLED: "0" if self.ledger.setting(LONG_ACTING_ENABLED, "1") == "0" else "1",
                LONG_ACTING_MONTHS: str(_int(self.ledger, LONG_ACTING_MONTHS, DEFAULT_LONG_ACTING_MONTHS)),
                rounds.EXEMPT_MONTHS_KEY: str(rounds.exempt_months(self.ledger)),
                rounds.OVERDUE_DAYS_KEY: str(rounds.overdue_days(self.ledger))}

    def submit(self) -> None:
        before = self.current()
        for key, value in self.values().items():
            if value != before[key]:
                self.ledger.set_setting(key, value)
