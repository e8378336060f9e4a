"""单位管理: the organisation tree as of a chosen date, its changes, and each unit's history.

Rules:
- The tree shows app.units.units_on(date): names and parents as they were on that day.
- Add, rename, move, merge and split each take an effective date and are ONE app.units
  function (add_unit, rename_unit, …) that checks `manage_units` and writes its audit entry
  (before/after) in its transaction; app.units keeps the history (a change closes the old
  version and opens a new one on that date).
- A new unit's date may be left at the earliest value (shown as "always existed") so past
  reports include it; that is app.units.BEGINNING.
- Only roles with manage_units may change anything (the core checks every change; the buttons
  are disabled for other roles as a convenience).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app import units
from app.errors import UserInputError
from app.ledger import Ledger
from ui import messages
from ui.dialogs.form import FormDialog
from ui.i18n import t
from ui.table_habits import equip_tables

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
EARLIEST = QDate(1900, 1, 1)


def _iso(value: QDate) -> str:
    return value.toString("yyyy-MM-dd")


def date_edit(parent: QWidget, allow_always: bool = False) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(EARLIEST)
    if allow_always:
        edit.setSpecialValueText(t("always existed"))
        edit.setDate(EARLIEST)
    else:
        edit.setDate(QDate.currentDate())
    return edit


class UnitsDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitsDialog")
        self.setWindowTitle(t("Manage units"))
        self.resize(1000, 620)
        self.ledger = ledger
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(t("Tree as of"), self))
        self.on_date = date_edit(self)
        self.on_date.setObjectName("onDateEdit")
        self.on_date.dateChanged.connect(self.reload)
        top.addWidget(self.on_date)
        top.addStretch(1)
        layout.addLayout(top)

        split = QSplitter(self)
        self.model = QStandardItemModel(self)
        self.tree = QTreeView(split)
        self.tree.setObjectName("unitTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_history())
        self.history = QTableWidget(0, 5, split)
        self.history.setObjectName("historyTable")
        self.history.setHorizontalHeaderLabels([t("Name"), t("Parent code"), t("From"), t("Until"), t("Note")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setWordWrap(True)
        self.history.verticalHeader().hide()
        split.setSizes([460, 540])
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.action_buttons = {}
        for name, text, slot in [("addButton", t("Add unit…"), self.ask_add),
                                 ("renameButton", t("Rename…"), self.ask_rename),
                                 ("moveButton", t("Move…"), self.ask_move),
                                 ("mergeButton", t("Merge into…"), self.ask_merge),
                                 ("splitButton", t("Split…"), self.ask_split)]:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setEnabled(ledger.may("manage_units"))
            buttons.addWidget(button)
            self.action_buttons[name] = button
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    # ---- showing -----------------------------------------------------------------------------
    @property
    def on(self) -> str:
        return _iso(self.on_date.date())

    def reload(self) -> None:
        keep = self.selected_code()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([t("Name"), t("Code"), t("Kind")])
        everything = units.units_on(self.ledger.db, self.on)
        present = {u.id for u in everything}
        kids = units.children_map(everything)

        def add(parent_item: QStandardItem, unit: units.Unit) -> None:
            name = QStandardItem(unit.name)
            name.setData(unit.code, CODE_ROLE)
            parent_item.appendRow([name, QStandardItem(unit.code), QStandardItem(unit.kind)])
            for child in kids.get(unit.id, []):
                add(name, child)

        root = self.model.invisibleRootItem()
        for unit in everything:
            if unit.parent_id is None or unit.parent_id not in present:
                add(root, unit)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        if keep:
            self.select(keep)
        self._show_history()

    def unit_codes(self) -> list[str]:
        """Codes in tree order (depth first) — what the clerk sees."""
        out: list[str] = []

        def walk(item: QStandardItem) -> None:
            for row in range(item.rowCount()):
                child = item.child(row, 0)
                out.append(child.data(CODE_ROLE))
                walk(child)

        walk(self.model.invisibleRootItem())
        return out

    def select(self, code: str) -> bool:
        for index in self.model.match(self.model.index(0, 0), CODE_ROLE, code, 1,
                                      Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive):
            self.tree.setCurrentIndex(index)
            return True
        return False

    def selected_code(self) -> str | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return self.model.itemFromIndex(index.siblingAtColumn(0)).data(CODE_ROLE)

    def _show_history(self) -> None:
        code = self.selected_code()
        rows = units.history(self.ledger.db, code) if code else []
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            valid_from = t("always existed") if row["valid_from"] == units.BEGINNING else row["valid_from"]
            for c, value in enumerate([row["name"], row["parent_code"], valid_from,
                                       row["valid_to"], row["note"]]):
                self.history.setItem(r, c, QTableWidgetItem(value or ""))
        self.history.resizeColumnsToContents()
        self.history.resizeRowsToContents()

    def _choices(self, exclude: str | None = None) -> list[tuple[str, str]]:
        return [(f"{u.name}（{u.code}）", u.code) for u in units.units_on(self.ledger.db, self.on)
                if u.code != exclude]

    # ---- changing (each one core function: permission, audit entry, one transaction) ----------
    def add_unit(self, code: str, name: str, kind: str, parent_code: str | None, valid_from: str) -> None:
        units.add_unit(self.ledger, code, name, kind, parent_code, valid_from)
        self._after_change(code.strip())

    def rename_unit(self, code: str, new_name: str, on: str) -> None:
        units.rename_unit(self.ledger, code, new_name, on)
        self._after_change(code)

    def move_unit(self, code: str, parent_code: str, on: str) -> None:
        units.move_unit(self.ledger, code, parent_code, on)
        self._after_change(code)

    def merge_unit(self, code: str, target_code: str, on: str) -> int:
        moved = units.merge_unit(self.ledger, code, target_code, on)
        self._after_change(target_code)
        return moved

    def split_unit(self, code: str, new_units: list[tuple[str, str]], on: str, dissolve: bool) -> None:
        units.split_unit(self.ledger, code, new_units, on, dissolve)
        self._after_change(code if not dissolve else new_units[0][0])

    def _after_change(self, code: str) -> None:
        self.reload()
        self.select(code)

    # ---- asking (each a small modal form whose 确定 performs the change) ----------------------
    def _need_selection(self) -> str | None:
        code = self.selected_code()
        if code is None:
            messages.info(self, t("First choose a unit in the tree."))
        return code

    def _run_form(self, form: FormDialog) -> None:
        self.current_form = form
        form.exec()

    def ask_add(self) -> None:
        self._run_form(AddUnitForm(self))

    def ask_rename(self) -> None:
        if self._need_selection():
            self._run_form(RenameUnitForm(self))

    def ask_move(self) -> None:
        if self._need_selection():
            self._run_form(MoveUnitForm(self))

    def ask_merge(self) -> None:
        if self._need_selection():
            self._run_form(MergeUnitForm(self))

    def ask_split(self) -> None:
        if self._need_selection():
            self._run_form(SplitUnitForm(self))


class _UnitForm(FormDialog):
    def __init__(self, title: str, owner: UnitsDialog) -> None:
        super().__init__(title, owner)
        self.owner = owner
        self.code = owner.selected_code()
        if self.code:
            unit = units.get(owner.ledger.db, self.code, owner.on)
            self.set_intro(t("Unit: {name} ({code})").format(name=unit.name, code=unit.code))

    def add_date(self, allow_always: bool = False) -> QDateEdit:
        edit = date_edit(self, allow_always)
        if not allow_always:
            edit.setDate(self.owner.on_date.date())
        return self.add_row(t("Effective date"), edit, "dateEdit")

    def add_unit_choice(self, label: str, exclude: str | None, empty: str | None = None) -> QComboBox:
        combo = QComboBox(self)
        if empty is not None:
            combo.addItem(empty, None)
        for text, code in self.owner._choices(exclude):
            combo.addItem(text, code)
        return self.add_row(label, combo, "unitCombo")


class AddUnitForm(_UnitForm):
    def __init__(self, owner: UnitsDialog) -> None:
        super().__init__(t("Add unit"), owner)
        self.setObjectName("addUnitForm")
        self.intro.hide()
        self.code_edit = self.add_row(t("Code"), QLineEdit(self), "codeEdit")
        self.name_edit = self.add_row(t("Name"), QLineEdit(self), "nameEdit")
        self.kind = self.add_row(t("Kind"), QComboBox(self), "kindCombo")
        self.kind.addItems(list(units.KINDS))
        self.parent_combo = self.add_unit_choice(t("Parent unit"), None, t("(none — top level)"))
        if self.code:
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(self.code)))
        self.date = self.add_date(allow_always=True)

    def submit(self) -> None:
        valid_from = units.BEGINNING if self.date.date() == EARLIEST else _iso(self.date.date())
        self.owner.add_unit(self.code_edit.text(), self.name_edit.text(), self.kind.currentText(),
                            self.parent_combo.currentData(), valid_from)


class RenameUnitForm(_UnitForm):
    def __init__(self, owner: UnitsDialog) -> None:
        super().__init__(t("Rename unit"), owner)
        self.setObjectName("renameUnitForm")
        self.name_edit = self.add_row(t("New name"), QLineEdit(self), "nameEdit")
        self.date = self.add_date()

    def submit(self) -> None:
        self.owner.rename_unit(self.code, self.name_edit.text(), _iso(self.date.date()))


class MoveUnitForm(_UnitForm):
    def __init__(self, owner: UnitsDialog) -> None:
        super().__init__(t("Move unit"), owner)
        self.setObjectName("moveUnitForm")
        self.parent_combo = self.add_unit_choice(t("New parent unit"), self.code)
        self.date = self.add_date()

    def submit(self) -> None:
        if self.parent_combo.currentData() is None:
            raise UserInputError(t("Choose the new parent unit."))
        self.owner.move_unit(self.code, self.parent_combo.currentData(), _iso(self.date.date()))


class MergeUnitForm(_UnitForm):
    def __init__(self, owner: UnitsDialog) -> None:
        super().__init__(t("Merge unit"), owner)
        self.setObjectName("mergeUnitForm")
        self.target = self.add_unit_choice(t("Merge into"), self.code)
        self.date = self.add_date()
        self.form.addRow(QLabel(t("Its sub-units and women move to the target; the unit ends on "
                                  "the effective date. Its history is kept."), self))

    def submit(self) -> None:
        if self.target.currentData() is None:
            raise UserInputError(t("Choose the unit to merge into."))
        self.moved = self.owner.merge_unit(self.code, self.target.currentData(), _iso(self.date.date()))


class SplitUnitForm(_UnitForm):
    def __init__(self, owner: UnitsDialog) -> None:
        super().__init__(t("Split unit"), owner)
        self.setObjectName("splitUnitForm")
        self.new_units = self.add_row(t("New units"), QPlainTextEdit(self), "newUnitsEdit")
        self.new_units.setPlaceholderText(t("one per line: code name"))
        self.dissolve = self.add_row("", QCheckBox(t("The original unit ends on the effective date"), self),
                                     "dissolveCheck")
        self.date = self.add_date()

    def parsed(self) -> list[tuple[str, str]]:
        out = []
        for number, line in enumerate(self.new_units.toPlainText().splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(maxsplit=1)
            if len(parts) != 2:
                raise UserInputError(t("Line {n}: write the code, a space, then the name.").format(n=number))
            out.append((parts[0], parts[1].strip()))
        if not out:
            raise UserInputError(t("Enter at least one new unit."))
        return out

    def submit(self) -> None:
        self.owner.split_unit(self.code, self.parsed(), _iso(self.date.date()), self.dissolve.isChecked())
