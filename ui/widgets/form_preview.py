"""On-screen preview of a standard form (`app.forms.model.Form`), laid out as printed.

Reads the same Form and the same header geometry (`app.forms.model.header_cells`) as the Excel
and PDF renderers, so screen and paper cannot disagree: title, legal block (top right), the
填报单位 / period / 单位 line, the merged header tree (QTableWidget spans), the column-number
row, data rows, 合计 (bold), footer and notes. A form's `banner` (与已报送数不一致 …) is shown
in red above the title, as every printed page carries it. Figures are `model.display` text (rounded half
up). Read-only; reusable by any tab that shows a Form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.forms.model import Form, column_numbers, display, header_cells
from ui.table_habits import install as install_table_habits


class FormPreview(QWidget):
    """Shows one Form; call `set_form(form)` to (re)draw, `set_form(None)` to clear."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form: Form | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.banner = QLabel(objectName="formBanner", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.banner.setStyleSheet("color: #C00000; font-weight: bold;")
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.title = QLabel(objectName="formTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.legal = QLabel(objectName="formLegal", alignment=Qt.AlignmentFlag.AlignRight)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        layout.addWidget(self.legal)
        info = QHBoxLayout()
        self.filler = QLabel(objectName="formFiller")
        self.period = QLabel(objectName="formPeriod", alignment=Qt.AlignmentFlag.AlignCenter)
        self.unit_line = QLabel(objectName="formUnitLine", alignment=Qt.AlignmentFlag.AlignRight)
        for label in (self.filler, self.period, self.unit_line):
            info.addWidget(label, 1)
        layout.addLayout(info)
        self.table = QTableWidget(objectName="formTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().hide()
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        install_table_habits(self.table)   # Ctrl+C / right-click 复制 of the form's cells
        layout.addWidget(self.table, 1)
        self.footer = QLabel(objectName="formFooter")
        self.notes = QLabel(objectName="formNotes", wordWrap=True)
        layout.addWidget(self.footer)
        layout.addWidget(self.notes)

    def set_form(self, form: Form | None) -> None:
        self.form = form
        self.table.clearSpans()
        self.table.clear()
        if form is None:
            for label in (self.banner, self.title, self.legal, self.filler, self.period, self.unit_line,
                          self.footer, self.notes):
                label.clear()
            self.banner.setVisible(False)
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.banner.setText(form.banner)
        self.banner.setVisible(bool(form.banner))
        self.title.setText(form.title)
        self.legal.setText("\n".join(form.legal.lines()) if form.legal else "")
        self.legal.setVisible(bool(form.legal and form.legal.lines()))
        self.filler.setText(f"填报单位：{form.filler}" if form.filler else "")
        self.period.setText(form.period_label)
        self.unit_line.setText(form.unit_line)
        self.footer.setText("        ".join(form.footer))
        self.notes.setText("\n".join(form.notes))
        self.notes.setVisible(bool(form.notes))
        self._fill_table(form)

    def header_rows(self) -> int:
        """Rows of the table taken by the header tree and the column-number row."""
        if self.form is None:
            return 0
        return self.form.header_depth() + (1 if self.form.number_columns else 0)

    def _item(self, text: str, align: Qt.AlignmentFlag, bold: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        if bold:
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        return item

    def _fill_table(self, form: Form) -> None:
        leaves = form.leaves()
        depth = form.header_depth()
        head = self.header_rows()
        body = form.body()
        self.table.setColumnCount(len(leaves))
        self.table.setRowCount(head + len(body))
        centre = Qt.AlignmentFlag.AlignHCenter
        for r0, c0, r1, c1, title in header_cells(form):
            self.table.setItem(r0, c0, self._item(title, centre, bold=True))
            if (r0, c0) != (r1, c1):
                self.table.setSpan(r0, c0, r1 - r0 + 1, c1 - c0 + 1)
        if form.number_columns:
            for c, label in enumerate(column_numbers(leaves)):
                self.table.setItem(depth, c, self._item(label, centre))
        total_index = len(form.rows) if form.total_row is not None else -1
        for i, record in enumerate(body):
            bold = i == total_index
            for c, leaf in enumerate(leaves):
                text = display(record.get(leaf.key) if leaf.key else None, leaf)
                if leaf.kind == "text":
                    align = centre if bold else Qt.AlignmentFlag.AlignLeft
                else:
                    align = Qt.AlignmentFlag.AlignRight
                self.table.setItem(head + i, c, self._item(text, align, bold))
        metrics = self.table.fontMetrics()
        for c, leaf in enumerate(leaves):
            self.table.setColumnWidth(c, max(int(leaf.width * metrics.horizontalAdvance("0") * 1.2), 40))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for r in range(depth):
            self.table.setRowHeight(r, int(metrics.height() * 2.2))
        self._fit_header_rows(form, metrics)

    def _fit_header_rows(self, form: Form, metrics) -> None:
        """Make each header row tall enough for its titles wrapped to the column width (a narrow
        column such as 口服及注射 would otherwise be cut to 口服及…)."""
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        for r0, c0, r1, c1, title in header_cells(form):
            if r0 != r1 or not title:
                continue
            width = sum(self.table.columnWidth(c) for c in range(c0, c1 + 1)) - 8
            needed = metrics.boundingRect(0, 0, max(width, 10), 10_000, flags, title).height() + 10
            if needed > self.table.rowHeight(r0):
                self.table.setRowHeight(r0, needed)

    def cell_text(self, row: int, column: int) -> str:
        """Text shown in the table cell (tests, copy)."""
        item = self.table.item(row, column)
        return item.text() if item else ""
