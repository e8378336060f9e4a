"""A unit picker with search: type any part of a unit's name or code, pick from the list.

Lists the units existing today (name（code）, in tree order). `unit_id()` is None until the text
names exactly one unit; `set_unit_id` selects one.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app import units
from app.ledger import Ledger
from ui.i18n import t


class UnitPicker(QComboBox):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(t("Type part of a unit's name or code"))
        for unit in units.units_on(ledger.db, date.today()):
            self.addItem(f"{unit.name}（{unit.code}）", unit.id)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)

    def unit_id(self) -> int | None:
        text = self.currentText().strip()
        if not text:
            return None
        exact = self.findText(text)
        if exact >= 0:
            return self.itemData(exact)
        matches = [i for i in range(self.count()) if text in self.itemText(i)]
        return self.itemData(matches[0]) if len(matches) == 1 else None

    def set_unit_id(self, unit_id: int | None) -> None:
        index = self.findData(unit_id) if unit_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
