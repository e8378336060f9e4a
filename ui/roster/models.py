"""Table models of the roster tab: the due list with results, and figure tables (plain lists).

Rules:
- The due list of one round and unit subtree is held as a list (a village: hundreds of rows;
  a whole township ~15,000: fine) and filtered by result kind in Python with a model reset
  (PERFORMANCE-NOTES: list comprehension + reset beats a proxy model).
- ID numbers and phones are always shown masked (app.idcard), as on the registry list. The
  tab's `revealed` map (woman_id → app.registry.reveal's numbers, audited) is shared by every
  model; a woman in it is shown in full until the next round load.
- The worklists hold app.roster.rates.WorkItem rows and format each cell when it is drawn, so
  filling them costs nothing per row on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.idcard import mask_id, mask_phone
from app.roster.due import DueWoman
from app.roster.rates import WorkItem
from app.roster.results import CERTIFICATE, CHECKED, MISSED, StoredResult
from ui.i18n import t

Index = QModelIndex | QPersistentModelIndex
NO_RESULT = "无结果"


class DueModel(QAbstractTableModel):
    HEADERS = ("Woman's name", "ID number", "Husband", "Unit", "Category", "Residence", "Phone", "Result", "Details")

    def __init__(self, revealed: dict[int, dict], parent: Any = None) -> None:
        super().__init__(parent)
        self.revealed = revealed
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
                return shown_id(woman, self.revealed)
            if column == 2:
                return woman.husband_name or ""
            if column == 3:
                return self.unit_names.get(woman.unit_id, "")
            if column == 4:
                return woman.category
            if column == 5:
                return woman.residence
            if column == 6:
                return shown_phone(woman, self.revealed)
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

    def redraw(self) -> None:
        """Repaint every cell (after a reveal)."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.HEADERS) - 1))

    def row_of(self, woman_id: int) -> int:
        for i, w in enumerate(self.rows):
            if w.woman_id == woman_id:
                return i
        return -1


def shown_id(woman: DueWoman, revealed: dict[int, dict]) -> str:
    full = revealed.get(woman.woman_id)
    return (full.get("id_number") or "") if full else mask_id(woman.id_number)


def shown_phone(woman: DueWoman, revealed: dict[int, dict]) -> str:
    full = revealed.get(woman.woman_id)
    return (full.get("phone") or "") if full else mask_phone(woman.phone)


class WorkModel(QAbstractTableModel):
    """A worklist (未查 / overdue certificates) of WorkItems; cells formatted when drawn."""

    COLUMNS = {
        "name": "Woman's name", "id": "ID number", "unit": "Unit", "residence": "Residence", "phone": "Phone",
        "husband": "Husband", "days": "Days overdue", "result": "Result",
    }

    def __init__(self, columns: list[str], revealed: dict[int, dict], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.revealed = revealed
        self.rows: list[WorkItem] = []
        self.unit_names: dict[int, str] = {}

    def load(self, items: list[WorkItem], unit_names: dict[int, str]) -> None:
        self.beginResetModel()
        self.rows, self.unit_names = items, unit_names
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.COLUMNS[self.columns[section]])
        return None

    def cell(self, row: int, key: str) -> str:
        item = self.rows[row]
        woman = item.woman
        if key == "name":
            return woman.name
        if key == "id":
            return shown_id(woman, self.revealed)
        if key == "unit":
            return self.unit_names.get(woman.unit_id, "")
        if key == "residence":
            return woman.residence
        if key == "phone":
            return shown_phone(woman, self.revealed)
        if key == "husband":
            return woman.husband_name or ""
        if key == "days":
            return "" if item.days_overdue is None else str(item.days_overdue)
        return item.result.describe() if item.result else t("no result")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), self.columns[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()] == "days":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def woman_at(self, row: int) -> DueWoman | None:
        return self.rows[row].woman if 0 <= row < len(self.rows) else None

    def redraw(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


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
