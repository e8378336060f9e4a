"""手工台帐 vs 电脑台帐 page: enter the manual figures, compare, drill down to the cards.

The grid has one row per unit and item: the manual figure (editable), the computed figure and the
difference; a difference is highlighted. Double-clicking a row (or 'Show cards') lists the cards
behind the computed figure, ID numbers masked. Items and counting rules: app.reconcile.manual.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import units
from app.errors import LedgerError
from app.idcard import mask_id
from app.periods import Period
from app.reconcile import manual
from ui import messages
from ui.i18n import t
from ui.table_habits import equip_tables

HIGHLIGHT = QColor("#f8d0d0")


class ManualLedgerPage(QWidget):
    def __init__(self, ledger, user, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user = ledger, user
        self.rows: list[manual.Comparison] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Period:"), self))
        self.period_edit = QLineEdit("2026H1", self)
        self.period_edit.setObjectName("manualPeriod")
        self.period_edit.setMaximumWidth(140)
        bar.addWidget(self.period_edit)
        bar.addWidget(QLabel(t("Unit:"), self))
        self.unit_combo = QComboBox(self)
        self.unit_combo.setObjectName("manualUnit")
        self.unit_combo.setMinimumWidth(220)
        bar.addWidget(self.unit_combo)
        bar.addWidget(QLabel(t("Item:"), self))
        self.item_combo = QComboBox(self)
        self.item_combo.setObjectName("manualItem")
        self.item_combo.addItems(list(manual.ITEMS))
        bar.addWidget(self.item_combo)
        self.count_spin = QSpinBox(self)
        self.count_spin.setObjectName("manualCount")
        self.count_spin.setRange(0, 10_000_000)
        bar.addWidget(self.count_spin)
        self.save_button = QPushButton(t("Save manual figure"), self)
        self.save_button.setObjectName("saveManual")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        self.compare_button = QPushButton(t("Compare"), self)
        self.compare_button.setObjectName("compareManual")
        self.compare_button.clicked.connect(self.refresh)
        bar.addWidget(self.compare_button)
        self.cards_button = QPushButton(t("Show cards"), self)
        self.cards_button.setObjectName("drillDown")
        self.cards_button.clicked.connect(self.drill_down)
        bar.addWidget(self.cards_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.status = QLabel(self)
        self.status.setObjectName("manualStatus")
        layout.addWidget(self.status)
        self.grid = QTableWidget(0, 6, self)
        self.grid.setObjectName("manualGrid")
        self.grid.setHorizontalHeaderLabels([t("Unit code"), t("Unit name"), t("Item"), t("Manual ledger"),
                                             t("Computer ledger"), t("Difference")])
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.verticalHeader().hide()
        self.grid.cellDoubleClicked.connect(lambda *_: self.drill_down())
        layout.addWidget(self.grid, 1)
        self.save_button.setEnabled(user is None or user.may("edit_registry"))
        self.fill_units()

    def period(self) -> Period | None:
        try:
            return Period.parse(self.period_edit.text(), self.ledger.stat_year_start)
        except LedgerError as exc:
            messages.warning(self, str(exc))
            return None

    def fill_units(self) -> None:
        self.unit_combo.clear()
        for u in units.units_on(self.ledger.db):
            self.unit_combo.addItem(f"{u.name}（{u.code}）", u.code)

    def save(self) -> None:
        period = self.period()
        code = self.unit_combo.currentData()
        if period is None or code is None:
            return
        try:
            manual.set_manual(self.ledger, code, period.code, self.item_combo.currentText(), self.count_spin.value())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.refresh()

    def refresh(self) -> None:
        period = self.period()
        if period is None:
            return
        try:
            self.rows = manual.compare(self.ledger.db, period)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.grid.setRowCount(len(self.rows))
        differing = 0
        for i, c in enumerate(self.rows):
            values = [c.unit_code, c.unit_name, c.item, "" if c.manual is None else str(c.manual), str(c.computed),
                      "" if c.difference is None else f"{c.difference:+d}"]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c.difference:
                    item.setBackground(QBrush(HIGHLIGHT))
                self.grid.setItem(i, j, item)
            differing += bool(c.difference)
        self.grid.resizeColumnsToContents()
        self.status.setText(t("{period}: {n} figures compared, {d} differ (highlighted). Double-click a row to see "
                              "the cards behind the computed figure.").format(
            period=period.label, n=len(self.rows), d=differing))

    def drill_down(self) -> None:
        row = self.grid.currentRow()
        period = self.period()
        if period is None or not 0 <= row < len(self.rows):
            return
        c = self.rows[row]
        found = manual.view_cards(self.ledger, c.unit_code, period, c.item)
        CardsDialog(f"{c.unit_name} {c.item}", found, self).exec()


class CardsDialog(QDialog):
    """The cards behind one computed figure (ID numbers masked)."""

    def __init__(self, title: str, cards: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("{n} cards").format(n=len(cards)), self))
        table = QTableWidget(len(cards), 5, self)
        table.setObjectName("cardsTable")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setHorizontalHeaderLabels([t("Card"), t("Woman's name"), t("ID number"), t("Detail"), t("Child")])
        for i, card in enumerate(cards):
            detail = card.get("method") or t("order {order}, {sex}, born {born}").format(
                order=card.get("order"), sex=card.get("sex"), born=card.get("birth_date"))
            for j, value in enumerate([card["woman_id"], card["name"], mask_id(card["id_number"]), detail,
                                       card.get("child_id") or ""]):
                table.setItem(i, j, QTableWidgetItem(str(value)))
        table.resizeColumnsToContents()
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths
