"""超龄 — cards due to exit because the woman has turned 50, with a one-step bulk exit.

The list is `app.registry.due_to_exit_over_age` on today's date (ID numbers masked); 全部出队
asks for confirmation and then exits every listed card in ONE transaction through
`app.registry.bulk_exit_over_age` (exit date = the 50th birthday, one audit entry per card).
An exit is reversible from the card (恢复卡片).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import idcard, registry, search
from app.ledger import Ledger
from ui import messages
from ui.i18n import t
from ui.table_habits import equip_tables


class OverAgeDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None, as_of: date | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.as_of = as_of or date.today()
        self.exited = 0
        self.setObjectName("overAgeDialog")
        self.setWindowTitle(t("Over age: due to exit"))
        self.resize(760, 520)
        self.due = registry.due_to_exit_over_age(ledger.db, self.as_of)
        names = search.unit_names(ledger.db, self.as_of)
        self.table = QTableWidget(len(self.due), 5, self)
        self.table.setObjectName("overAgeTable")
        self.table.setHorizontalHeaderLabels(
            [t("Person's name"), t("ID number"), t("Date of birth"), t("50th birthday"), t("Unit")])
        for row, woman in enumerate(self.due):
            values = [woman["name"], idcard.mask_id(woman["id_number"]), woman["birth_date"],
                      woman["fiftieth_birthday"], names.get(woman["unit_id"], "")]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.exit_button = QPushButton(t("Exit all listed cards…"), self)
        self.exit_button.setObjectName("bulkExitButton")
        self.exit_button.setEnabled(bool(self.due))
        self.exit_button.clicked.connect(self.exit_all)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.exit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("{n} active cards of women aged 50 or over on {day}.").format(
            n=len(self.due), day=self.as_of.isoformat()), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    def exit_all(self) -> None:
        question = t("Exit {n} cards with the reason 'over age' (超龄), each on her 50th birthday? "
                     "Each card can be restored later.").format(n=len(self.due))
        if not messages.confirm(self, question, danger=True):
            return
        try:
            self.exited = registry.bulk_exit_over_age(self.ledger, self.as_of)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was written
            messages.error(self, str(exc))
            return
        messages.info(self, t("{n} cards exited.").format(n=self.exited))
        self.accept()
