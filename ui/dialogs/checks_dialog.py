"""The whole-ledger logic check (逻辑校核): findings grouped by check, each with a jump to its card.

The check runs off the GUI thread (ui.tasks) on its own connection; the list is filled when it
finishes. Enter or a double-click on a finding emits `open_card(woman_id)`; the registry tab
opens the card editor, and the list is re-run with 重新校核 after corrections.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import checks
from app.ledger import Ledger
from ui import messages
from ui.i18n import t
from ui.tasks import run_with_progress


def run_checks(progress, ledger: Ledger) -> list[tuple[checks.Finding, str]]:
    """Worker: every check on a separate connection; each finding with its woman's name."""
    with ledger.reader() as view:
        progress(0, 1, t("Checking the whole ledger…"))
        found = checks.run_all(view.db, date.today())
        names = checks.names_of(view.db) if found else {}
        progress(1, 1, "")
        return [(f, names.get(f.woman_id, ("", ""))[0]) for f in found]


class ChecksDialog(QDialog):
    open_card = Signal(int)

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.task = None
        self.setObjectName("checksDialog")
        self.setWindowTitle(t("Logic checks"))
        self.resize(900, 560)
        self.summary = QLabel(t("Checking…"), self)
        self.summary.setObjectName("checksSummary")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("findingsTree")
        self.tree.setHeaderLabels([t("Check / card"), t("Severity"), t("Finding")])
        self.tree.setColumnWidth(0, 240)
        self.tree.setColumnWidth(1, 60)
        self.tree.itemActivated.connect(self._activated)
        rerun = QPushButton(t("Check again"), self)
        rerun.setObjectName("rerunChecks")
        rerun.clicked.connect(self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(rerun, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(QLabel(t("Enter or double-click a finding to open the card."), self))
        layout.addWidget(buttons)

    def start(self) -> None:
        self.summary.setText(t("Checking…"))
        self.task = run_with_progress(self, t("Logic checks"), run_checks, self.ledger,
                                      on_success=self.show_findings,
                                      on_error=lambda exc: messages.error(self, str(exc)))

    def show_findings(self, found: list[tuple[checks.Finding, str]]) -> None:
        self.tree.clear()
        groups: dict[str, list[tuple[checks.Finding, str]]] = {}
        for finding, name in found:
            groups.setdefault(finding.title, []).append((finding, name))
        for title, items in groups.items():
            errors = sum(1 for f, _ in items if f.severity == checks.ERROR)
            top = QTreeWidgetItem([f"{title}（{len(items)}）", "", t("{n} errors").format(n=errors) if errors else ""])
            self.tree.addTopLevelItem(top)
            for finding, name in items:
                severity = t("Error finding") if finding.severity == checks.ERROR else t("Warning finding")
                item = QTreeWidgetItem([name or str(finding.woman_id or ""), severity, finding.message])
                item.setData(0, Qt.ItemDataRole.UserRole, finding.woman_id)
                item.setToolTip(2, finding.message)
                top.addChild(item)
        if self.tree.topLevelItemCount() == 1:
            self.tree.topLevelItem(0).setExpanded(True)
        self.summary.setText(t("{n} findings in {g} checks").format(n=len(found), g=len(groups)) if found
                             else t("No findings: the ledger passes every logic check."))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        woman_id = item.data(0, Qt.ItemDataRole.UserRole)
        if woman_id is not None:
            self.open_card.emit(int(woman_id))
