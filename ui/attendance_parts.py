"""What the attendance tab's pages share (ui/attendance_pages.py, attendance_staff_page.py,
attendance_settings_page.py): `AttendanceHost`, the little of the tab a page uses, and the table,
date and combo helpers. Below the pages and ui/attendance_tab.py: a page is given its tab as an
`AttendanceHost` and never imports the tab, nor another page's module."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.accounts import User
from app.attendance import schedules
from app.attendance import staff as staff_mod
from app.ledger import Ledger


class AttendanceHost(QWidget):
    """The attendance tab as its pages see it: their parent widget, with the ledger, the signed-in
    user and the clock, and the month shown. ui/attendance_tab.py's `AttendanceTab` is the one
    subclass; a page is given it as this type, so no page imports the tab."""

    ledger: Ledger
    user: User
    clock: Callable[[], datetime]

    def month_code(self) -> str:
        """The month shown (YYYY-MM)."""
        raise NotImplementedError

    def set_month(self, code: str) -> None:
        """Show month `code` and recompute."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Recompute and redraw every page after a change."""
        raise NotImplementedError


def make_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def table_item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    today = date.today()
    edit.setDate(QDate(today.year, today.month, today.day))
    return edit


def py_date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def session_combo(parent: QWidget, name: str, default: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.addItems(list(schedules.SESSIONS))
    combo.setCurrentText(default)
    return combo


def staff_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setMinimumWidth(140)
    return combo


def fill_staff(combo: QComboBox, people: list[staff_mod.Staff], keep: int | None = None) -> None:
    current = combo.currentData() if keep is None else keep
    combo.blockSignals(True)
    combo.clear()
    for person in people:
        combo.addItem(person.label, person.id)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
