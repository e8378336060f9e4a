"""The outcome of an import: the summary per sheet, or every error in a table to export.

Rules: the error table lists EVERY error (a scrollable table under the count), sheet, row,
column and message exactly as the core found them (`sheet!row 列名: 说明`), in the core's order;
"复制全部" puts all of them on the clipboard as those lines. Export writes .xlsx or .csv (UTF-8 with BOM so
Excel shows the Chinese) to a temporary file beside the target, checks it, then moves it
into place, so a half-written list never carries the clerk's chosen name.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.atomic import staged
from app.exchange.workbook import ImportIssue, ImportResult
from app.text_cells import csv_text
from ui import messages
from ui.i18n import t
from ui.table_habits import equip_tables


def summary_lines(path: Path, result: ImportResult) -> list[str]:
    lines = [t("Imported {name}.").format(name=path.name)]
    for sheet, summary in result.sheets.items():
        lines.append(t("{sheet}: {inserted} added, {updated} updated, {unchanged} unchanged").format(
            sheet=sheet, inserted=summary.inserted, updated=summary.updated, unchanged=summary.unchanged))
        lines.extend(f"    {line}" for line in summary.updates)
    if result.warnings:
        lines.append(t("Notes:"))
        lines.extend(f"    {warning}" for warning in result.warnings)
    return lines


class ImportSummaryDialog(QDialog):
    def __init__(self, path: Path, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummaryDialog")
        self.setWindowTitle(t("Import finished"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit("\n".join(summary_lines(path, result)), self)
        self.text.setObjectName("summaryText")
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths


def error_rows(errors: list[ImportIssue]) -> list[list[str]]:
    return [[e.sheet, "" if e.row is None else str(e.row), e.column or "", e.message] for e in errors]


def export_errors(errors: list[ImportIssue], target: Path) -> Path:
    """Write the error list to `target` (.xlsx, else CSV) atomically; returns the path."""
    target = Path(target)
    headers = [t("Sheet"), t("Row"), t("Column"), t("Problem")]
    rows = error_rows(errors)
    with staged(target) as temp:   # app.atomic: unique temporary name, fsync, rename
        if target.suffix.lower() == ".xlsx":
            from openpyxl import Workbook, load_workbook

            from app.text_cells import append

            book = Workbook()
            sheet = book.active
            sheet.title = t("Import errors")
            append(sheet, headers)
            for row in rows:
                append(sheet, [row[0], int(row[1]) if row[1] else None, row[2], row[3]])
            book.save(temp)
            with open(temp, "rb") as stream:   # a stream: openpyxl refuses the .tmp name
                written = load_workbook(stream, read_only=True)
                count = written.active.max_row
                written.close()
        else:
            with open(temp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows([[csv_text(value) for value in row] for row in rows])
            with open(temp, encoding="utf-8-sig", newline="") as handle:
                count = sum(1 for _ in csv.reader(handle))
        if count != len(rows) + 1:
            raise OSError(t("the written file has {found} rows instead of {expected}").format(
                found=count, expected=len(rows) + 1))
    return target


class ImportErrorsDialog(QDialog):
    def __init__(self, path: Path, errors: list[ImportIssue], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importErrorsDialog")
        self.setWindowTitle(t("Import refused"))
        self.resize(900, 520)
        self.path = path
        self.errors = errors
        layout = QVBoxLayout(self)
        head = QLabel(t("{name} was not imported and nothing was written. {n} problems were found; "
                        "correct them in the workbook and import it again.").format(
            name=path.name, n=len(errors)), self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.table = QTableWidget(len(errors), 4, self)
        self.table.setObjectName("errorTable")
        self.table.setHorizontalHeaderLabels([t("Sheet"), t("Row"), t("Column"), t("Problem")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for r, row in enumerate(error_rows(errors)):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        export = QPushButton(t("Export list…"), self)
        export.setObjectName("exportButton")
        export.clicked.connect(self._export)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        copy = QPushButton(t("Copy all"), self)
        copy.setObjectName("copyAllButton")
        copy.clicked.connect(self.copy_all)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    def copy_all(self) -> None:
        """Every error, one `sheet!row 列名: 说明` line each, onto the clipboard."""
        QGuiApplication.clipboard().setText("\n".join(str(e) for e in self.errors))

    def _export(self) -> None:
        default = str(self.path.with_name(self.path.stem + "-错误清单.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, t("Export list…"), default,
                                              t("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if not name:
            return
        try:
            written = export_errors(self.errors, Path(name))
        except OSError as exc:
            messages.error(self, t("The list could not be saved: {error}").format(error=exc))
            return
        messages.info(self, t("Saved: {path}").format(path=written))
