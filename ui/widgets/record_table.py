"""A read-only table of records for dialogs (one row per record, whole-row selection)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget


def record_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """An empty read-only table named `name`: rows selected whole and one at a time, the last
    column stretched, no row numbers."""
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def fill(table: QTableWidget, rows: list[list[object]]) -> None:
    """Replace the table's rows by `rows` (None shows as blank) and fit the columns."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()
