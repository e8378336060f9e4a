"""The statistical year (统计年度): the month it starts in, a ledger setting (audited)."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from app.ledger import Ledger
from ui.dialogs.form import FormDialog
from ui.i18n import t


class StatYearDialog(FormDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(t("Statistical year"), parent)
        self.setObjectName("statYearDialog")
        self.ledger = ledger
        self.set_intro(t("The statistical year runs from this month to the month before it in the next "
                         "year (e.g. October to September). Periods, reports and rates use it."))
        self.month = self.add_row(t("Statistical year starts in month"), QSpinBox(self), "monthSpin")
        self.month.setRange(1, 12)
        self.month.setValue(ledger.stat_year_start)
        self.month.setSuffix(t(" (month)"))

    def submit(self) -> None:
        if self.month.value() != self.ledger.stat_year_start:
            self.ledger.set_setting("stat_year_start", self.month.value())
