"""帮助 › 审计日志: browse the audit log (newest first, filtered) and export it, masked.

Rules: the dialog only shows what app.audit_log hands out — `browse` and `export` check
`view_audit_log` (局长/主任, 管理员), mask ID and phone numbers, and are themselves audited.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import audit_log
from app.errors import LedgerError
from app.ledger import Ledger
from ui import file_dialogs, messages
from ui.i18n import t

SHOWN = 2000


class AuditLogDialog(QDialog):
    """Raises PermissionDenied on construction when the signed-in role may not read the log."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogDialog")
        self.setWindowTitle(t("Audit log"))
        self.resize(1000, 560)
        self.ledger = ledger
        self.entries: list[audit_log.Entry] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Filter (user, action or object):"), self))
        self.filter = QLineEdit(self)
        self.filter.setObjectName("auditFilter")
        self.filter.returnPressed.connect(self.reload)
        row.addWidget(self.filter, 1)
        search = QPushButton(t("Search"), self)
        search.setObjectName("auditSearchButton")
        search.clicked.connect(self.reload)
        row.addWidget(search)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(audit_log.COLUMNS), self)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(list(audit_log.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.status = QLabel(self)
        self.status.setObjectName("auditStatus")
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        export = QPushButton(t("Export…"), self)
        export.setObjectName("auditExportButton")
        export.clicked.connect(self.ask_export)
        buttons.addWidget(export)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.entries = audit_log.browse(self.ledger, self.filter.text(), SHOWN)
        self.table.setRowCount(len(self.entries))
        for r, entry in enumerate(self.entries):
            for c, value in enumerate(entry.cells()):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.status.setText(t("{n} entries shown (newest first; ID and phone numbers masked).").format(
            n=len(self.entries)))

    def ask_export(self) -> None:
        name = file_dialogs.save_file(self, t("Export the audit log"), "审计日志.xlsx",
                                      t("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name) if Path(name).suffix.lower() == ".xlsx" else Path(name + ".xlsx"))

    def export_to(self, path: Path) -> Path | None:
        try:
            target = audit_log.export(self.ledger, path, self.filter.text())
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return None
        messages.info(self, t("The audit log was exported (masked) to {path}").format(path=target))
        return target
