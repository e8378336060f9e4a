"""关账后差异 — what changed in a closed period since it was submitted (DOMAIN.md §4).

Two lists from `app.closing.since_close`, computed on a worker connection behind the usual
progress dialog: the figures that now differ from the frozen snapshot (unit, figure, submitted,
now) and the facts dated in the period that were entered or changed after the close (ID
numbers masked by the core). Nothing here changes the ledger; the submitted figures stay.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import closing
from app.ledger import Ledger
from ui.i18n import t
from ui.tasks import run_with_progress
from ui.widgets.record_table import fill, record_table


def _since_close(progress, ledger: Ledger, period_code: str) -> dict:
    with ledger.worker() as view:
        return closing.since_close(view.db, period_code)


def _table(name: str, headers: list[str], rows: list[list[str]], parent: QWidget) -> QTableWidget:
    table = record_table(parent, name, headers)
    fill(table, rows)
    return table


class DifferencesDialog(QDialog):
    """Shows `document` (the result of app.closing.since_close)."""

    def __init__(self, document: dict, period_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("differencesDialog")
        self.setWindowTitle(t("Changes since the close: {period}").format(period=period_label))
        self.resize(900, 560)
        diffs, late = document["differences"], document["late_entries"]
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("The submitted figures stay as they were frozen. Figures that differ now: {n}")
                                .format(n=len(diffs)), self))
        self.figures = _table("differencesTable", [t("Unit of the figure"), t("Figure"), t("Submitted"), t("Now")],
                              [[d["unit_name"], d["label"], _text(d["snapshot"]), _text(d["now"])] for d in diffs],
                              self)
        layout.addWidget(self.figures, 1)
        layout.addWidget(QLabel(t("Facts of this period entered or changed after the close: {n}").format(n=len(late)),
                                self))
        self.late = _table("lateEntriesTable",
                           [t("Entered at"), t("Change"), t("Kind"), t("Person's name"), t("ID number"), t("What")],
                           [[e["entered_at"].replace("T", " "), e["change"], e["kind"], e["woman"], e["id_number"],
                             e["what"]] for e in late], self)
        layout.addWidget(self.late, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _text(value) -> str:
    return "" if value is None else str(value)


def show_differences(parent: QWidget, ledger: Ledger, period_code: str, period_label: str, on_error) -> object:
    """Compute on a worker, then open the dialog; returns the Task (keep it alive)."""
    def done(document: dict) -> None:
        parent.differences_dialog = DifferencesDialog(document, period_label, parent)
        parent.differences_dialog.open()

    return run_with_progress(parent, t("Changes since the close"), _since_close, ledger, period_code,
                             on_success=done, on_error=on_error)
