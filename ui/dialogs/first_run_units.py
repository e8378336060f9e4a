"""The first-run wizard's unit-tree page (单位): typed in a small table, imported, or left for later.

Rules:
- Typed rows (代码, 名称, 类型, 上级代码) are checked here, before any ledger exists: code and
  name required, codes unique, 类型 one of app.units.KINDS, 上级 empty or the code of another
  row, no cycles. `ordered_units` returns them parents first, the order app.units.add needs.
  Typed units are valid from app.units.BEGINNING (1900-01-01), so reports on past periods see
  the tree too.
- An imported workbook contributes only its `单位` sheet (other sheets, e.g. 育龄妇女, are
  imported later through 文件 › 导入工作簿). `extract_units_sheet` copies that sheet, at its
  original row numbers, into a new workbook with the same file name in a temporary folder, so
  the import's messages name the clerk's rows. The copy is trial-imported into a throw-away
  ledger in a temporary folder when the page is left, so every error shows here and the real
  import at the end cannot fail on the data.
- Leaving the tree empty is allowed (设置 › 单位管理 later); only then may demo data be loaded.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.errors import UserInputError
from app.exchange.workbook import ImportFailed, import_workbook, read_workbook
from app.ledger import Ledger
from app.text_cells import put
from app.units import KINDS
from ui.i18n import t
from ui.table_habits import equip_tables

UNITS_SHEET = "单位"
MODE_TYPED, MODE_IMPORT, MODE_NONE = "typed", "import", "none"
COL_CODE, COL_NAME, COL_KIND, COL_PARENT = range(4)


@dataclass(frozen=True)
class TypedUnit:
    row: int            # 1-based table row, for messages
    code: str
    name: str
    kind: str
    parent: str


def ordered_units(rows: list[TypedUnit]) -> tuple[list[TypedUnit], list[str]]:
    """(units parents first, Chinese problems naming rows and columns); blank rows are skipped."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    kept: list[TypedUnit] = []
    for unit in rows:
        if not (unit.code or unit.name or unit.parent):
            continue
        before = len(problems)
        if not unit.code:
            problems.append(t("Row {row}, code: required").format(row=unit.row))
        elif unit.code in seen:
            problems.append(t("Row {row}, code: {code} repeats row {first}").format(
                row=unit.row, code=unit.code, first=seen[unit.code]))
        if not unit.name:
            problems.append(t("Row {row}, name: required").format(row=unit.row))
        if unit.kind not in KINDS:
            problems.append(t("Row {row}, type: choose one of {kinds}").format(row=unit.row, kinds="、".join(KINDS)))
        if unit.parent and unit.parent == unit.code:
            problems.append(t("Row {row}, parent: a unit cannot be its own parent").format(row=unit.row))
        if unit.code and unit.code not in seen:
            seen[unit.code] = unit.row
        if len(problems) == before:
            kept.append(unit)
    for unit in kept:
        if unit.parent and unit.parent not in seen:
            problems.append(t("Row {row}, parent: no row has the code {code}").format(row=unit.row, code=unit.parent))
    if problems:
        return [], problems
    placed: set[str] = set()
    ordered: list[TypedUnit] = []
    waiting = kept
    while waiting:
        ready = [u for u in waiting if not u.parent or u.parent in placed]
        if not ready:
            rows_text = "、".join(str(u.row) for u in waiting)
            return [], [t("Rows {rows}, parent: the parents form a loop").format(rows=rows_text)]
        ordered += ready
        placed.update(u.code for u in ready)
        waiting = [u for u in waiting if u.code not in placed]
    return ordered, []


def extract_units_sheet(source: Path, folder: Path) -> tuple[Path, int]:
    """Copy the 单位 sheet of `source` into `folder/<same name>.xlsx`; (copy, data rows).

    Raises UserInputError (Chinese) when the file is not a workbook or has no 单位 sheet.
    """
    sheets = read_workbook(source, {UNITS_SHEET})
    sheet = sheets.get(UNITS_SHEET)
    if sheet is None:
        raise UserInputError(f"“{source.name}”中没有“{UNITS_SHEET}”工作表（或该表为空）。")
    book = Workbook()
    out = book.active
    out.title = UNITS_SHEET
    for column, name in enumerate(sheet.header, start=1):
        put(out, 1, column, name or None)
    for number, values in sheet.rows:
        for column, name in enumerate(sheet.header, start=1):
            if name and values.get(name) not in (None, ""):
                put(out, number, column, values[name])
    target = folder / (source.stem + ".xlsx")
    book.save(target)
    return target, len(sheet.rows)


def trial_import(workbook: Path) -> list[str]:
    """Import `workbook` into a throw-away ledger; the Chinese problems (empty when it imports)."""
    folder = Path(tempfile.mkdtemp(prefix="fpledger-wizard-"))
    try:
        ledger = Ledger.create(folder / "trial.db", "试导入", actor="wizard")
        try:
            import_workbook(ledger, workbook)
        except ImportFailed as exc:
            return [str(issue) for issue in exc.errors]
        except UserInputError as exc:
            return [str(exc)]
        finally:
            ledger.close()
        return []
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class UnitsPage(QWizardPage):
    """Choose how the unit tree is made; `mode`, `typed_units` and `workbook_copy` after validation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitsPage")
        self.setTitle(t("Unit tree"))
        self.setSubTitle(t("The district, the towns and streets, and their villages and communities. "
                           "You can also build or change the tree later under Settings › Units."))
        self.mode = MODE_TYPED
        self.typed_units: list[TypedUnit] = []
        self.workbook_copy: Path | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix="fpledger-wizard-units-"))
        layout = QVBoxLayout(self)

        self.typed_radio = QRadioButton(t("Type the units in"), self)
        self.typed_radio.setObjectName("typedRadio")
        self.import_radio = QRadioButton(t("Import the 单位 sheet of a standard workbook"), self)
        self.import_radio.setObjectName("importRadio")
        self.none_radio = QRadioButton(t("Not now (empty tree; demo data can then be loaded)"), self)
        self.none_radio.setObjectName("noneRadio")
        self.choice = QButtonGroup(self)
        for button in (self.typed_radio, self.import_radio, self.none_radio):
            self.choice.addButton(button)
        self.typed_radio.setChecked(True)
        layout.addWidget(self.typed_radio)

        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("unitsTable")
        self.table.setHorizontalHeaderLabels([t("Code"), t("Name"), t("Type"), t("Parent code")])
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(t("Add a row"), self)
        self.add_button.setObjectName("addUnitButton")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton(t("Delete the selected rows"), self)
        self.remove_button.setObjectName("removeUnitButton")
        self.remove_button.clicked.connect(self.remove_selected)
        hint = QLabel(t("Parent code: the code of the unit above (empty for the top unit)."), self)
        hint.setObjectName("unitsHint")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(hint, 1)
        layout.addLayout(buttons)

        layout.addWidget(self.import_radio)
        file_row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("workbookEdit")
        self.file_edit.setPlaceholderText(t("The workbook (.xlsx) with a 单位 sheet"))
        self.browse_button = QPushButton(t("Browse…"), self)
        self.browse_button.setObjectName("browseButton")
        self.browse_button.clicked.connect(self.browse)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        layout.addLayout(file_row)
        layout.addWidget(self.none_radio)

        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("unitProblems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(90)
        self.problems.setVisible(False)
        layout.addWidget(self.problems)
        self.choice.buttonToggled.connect(lambda *_: self._update_enabled())
        self.add_row()
        self._update_enabled()
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    # ---- the table ---------------------------------------------------------------------------
    def add_row(self, code: str = "", name: str = "", kind: str = "村", parent: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, COL_CODE, QTableWidgetItem(code))
        self.table.setItem(row, COL_NAME, QTableWidgetItem(name))
        combo = QComboBox(self.table)
        combo.addItems(list(KINDS))
        combo.setCurrentText(kind)
        self.table.setCellWidget(row, COL_KIND, combo)
        self.table.setItem(row, COL_PARENT, QTableWidgetItem(parent))
        return row

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def rows(self) -> list[TypedUnit]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text().strip() if item is not None else ""

        return [TypedUnit(row + 1, text(row, COL_CODE), text(row, COL_NAME),
                          self.table.cellWidget(row, COL_KIND).currentText(), text(row, COL_PARENT))
                for row in range(self.table.rowCount())]

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, t("Import workbook"), "",
                                              t("Excel workbooks (*.xlsx *.xlsm);;All files (*)"))
        if name:
            self.file_edit.setText(name)
            self.import_radio.setChecked(True)

    def _update_enabled(self) -> None:
        typed = self.typed_radio.isChecked()
        for widget in (self.table, self.add_button, self.remove_button):
            widget.setEnabled(typed)
        self.file_edit.setEnabled(self.import_radio.isChecked())
        self.browse_button.setEnabled(self.import_radio.isChecked())

    def show_problems(self, problems: list[str]) -> None:
        self.problems.setPlainText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    # ---- leaving the page ------------------------------------------------------------------------
    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.typed_units, self.workbook_copy = [], None
        if self.none_radio.isChecked():
            self.mode = MODE_NONE
            self.show_problems([])
            return True
        if self.typed_radio.isChecked():
            self.mode = MODE_TYPED
            ordered, problems = ordered_units(self.rows())
            if not problems and not ordered:
                problems = [t("Type at least one unit, or choose “Not now”.")]
            self.show_problems(problems)
            self.typed_units = ordered
            return not problems
        self.mode = MODE_IMPORT
        source = Path(self.file_edit.text().strip())
        if not self.file_edit.text().strip():
            self.show_problems([t("Choose the workbook to import.")])
            return False
        try:
            copy, count = extract_units_sheet(source, self._scratch)
        except UserInputError as exc:
            self.show_problems([str(exc)])
            return False
        problems = trial_import(copy) if count else [t("The 单位 sheet has no rows.")]
        self.show_problems(problems)
        if problems:
            return False
        self.workbook_copy = copy
        self.workbook_rows = count
        return True

    def summary(self) -> str:
        if self.mode == MODE_TYPED:
            return t("{n} units typed in").format(n=len(self.typed_units))
        if self.mode == MODE_IMPORT:
            return t("{n} units from the 单位 sheet of {file}").format(
                n=getattr(self, "workbook_rows", 0), file=self.file_edit.text().strip())
        return t("none yet")

    def cleanup(self) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)
