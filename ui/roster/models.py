"""Table models of the roster tab: the due list with results, and figure tables (plain lists).

Rules:
- The due list of one round and unit subtree is held as a list (a village: hundreds of rows;
  a whole township ~15,000: fine) and filtered by result kind in Python with a model reset
  (PERFORMANCE-NOTES: list comprehension + reset beats a proxy model).
- ID numbers and phones are masked unless the signed-in user may `unmask_personal_data`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.idcard import mask_id, mask_phone
from app.roster.due import DueWoman
from app.roster.results import CERTIFICATE, CHECKED, MISSED, StoredResult
from ui.i18n import t

Index = QModelIndex | QPersistentModelIndex
NO_RESULT = "无结果"


class DueModel(QAbstractTableModel):
    HEADERS = ("Woman's name", "ID number", "Husband", "Unit", "Category", "Residence", "Phone", "Result", "Details")

    def __init__(self, unmask: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.unmask = unmask
        self.all: list[DueWoman] = []
        self.rows: list[DueWoman] = []
        self.results: dict[int, StoredResult] = {}
        self.unit_names: dict[int, str] = {}
        self.filter = ""

    def load(self, women: list[DueWoman], results: dict[int, StoredResult], unit_names: dict[int, str]) -> None:
        self.all, self.results, self.unit_names = women, results, unit_names
        self.apply_filter(self.filter)

    def apply_filter(self, kind: str) -> None:
        """kind: '' all, or 已查 / 寄回证明 / 未查 (未查 includes no result)."""
        self.beginResetModel()
        self.filter = kind
        if not kind:
            self.rows = list(self.all)
        else:
            self.rows = [w for w in self.all if self.kind_of(w.woman_id) == kind]
        self.endResetModel()

    def kind_of(self, woman_id: int) -> str:
        result = self.results.get(woman_id)
        return result.result if result else MISSED

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        woman = self.rows[index.row()]
        result = self.results.get(woman.woman_id)
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return woman.name
            if column == 1:
                return woman.id_number if self.unmask else mask_id(woman.id_number)
            if column == 2:
                return woman.husband_name or ""
            if column == 3:
                return self.unit_names.get(woman.unit_id, "")
            if column == 4:
                return woman.category
            if column == 5:
                return woman.residence
            if column == 6:
                return (woman.phone or "") if self.unmask else mask_phone(woman.phone)
            if column == 7:
                return result.result if result else NO_RESULT
            if column == 8:
                return result.describe().split(" ", 1)[1] if result and " " in result.describe() else ""
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 7:
            if result is None or result.result == MISSED:
                return QColor("#b00020")
            if result.result in (CHECKED, CERTIFICATE):
                return QColor("#1b5e20")
        return None

    def woman_at(self, row: int) -> DueWoman | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, woman_id: int) -> int:
        for i, w in enumerate(self.rows):
            if w.woman_id == woman_id:
                return i
        return -1


class PlainModel(QAbstractTableModel):
    """A read-only table of already formatted strings (figures, worklists)."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[str]] = []
        self.bold_last = False

    def load(self, rows: list[list[str]], bold_last: bool = False) -> None:
        self.beginResetModel()
        self.rows, self.bold_last = rows, bold_last
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            value = self.rows[index.row()][index.column()]
            if value.replace(".", "").replace("%", "").isdigit():
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.bold_last and index.row() == len(self.rows) - 1:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
