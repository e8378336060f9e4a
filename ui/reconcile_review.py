"""The review queue (待核实) of the reconciliation tab: survey row and candidates side by side.

Each row of the comparison grid is a field; the first column is what the surveyor wrote, the
others are the ledger candidates with how each field compares (一致/同音/错一字/…) and its points.
A cell that is not an exact agreement is highlighted. Decisions (accept / reject / not in ledger)
are stored through app.reconcile.decisions with the user and time; nothing is tied without one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.idcard import mask_id
from app.reconcile import decisions
from app.reconcile.match import RowResult
from app.reconcile.run import detail_json
from app.reconcile.similarity import FIELD_LABELS, KIND_LABELS
from ui import messages
from ui.i18n import t

FIELDS = ("mother_id", "mother_name", "husband_name", "child_name", "birth_date", "sex", "birth_order")
DIFFERENT = QColor("#f8d0d0")
PARTIAL = QColor("#fff1c2")


def empty_hint() -> str:
    """Shown before any survey is matched (read when shown, so it is translated)."""
    return t("No survey has been matched yet. Load the district's survey workbook with “Load survey…” above "
             "(or choose a loaded survey); the survey rows that need a decision are listed here.")


class ReviewPanel(QWidget):
    """Lists the rows in review; shows one with its candidates; records decisions."""

    def __init__(self, ledger, user, on_decided: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user, self.on_decided = ledger, user, on_decided
        self.survey_id: int | None = None
        self.rows: list[RowResult] = []
        self.current: RowResult | None = None
        self.detail: dict = {}
        layout = QVBoxLayout(self)
        self.summary = QLabel(empty_hint(), self)
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.queue = QListWidget(split)
        self.queue.setObjectName("reviewList")
        self.queue.currentRowChanged.connect(self._show)
        right = QWidget(split)
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(right)
        self.note.setObjectName("reviewNote")
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.grid = QTableWidget(right)
        self.grid.setObjectName("reviewGrid")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(True)
        box.addWidget(self.grid, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(t("Candidate:"), right))
        self.choice = QComboBox(right)
        self.choice.setObjectName("candidateChoice")
        buttons.addWidget(self.choice, 1)
        self.accept_button = QPushButton(t("Accept: same birth"), right)
        self.accept_button.setObjectName("acceptCandidate")
        self.accept_button.clicked.connect(lambda: self.decide("accept"))
        self.reject_button = QPushButton(t("Reject this candidate"), right)
        self.reject_button.setObjectName("rejectCandidate")
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.absent_button = QPushButton(t("Not in the ledger (漏报)"), right)
        self.absent_button.setObjectName("notInLedger")
        self.absent_button.clicked.connect(lambda: self.decide("not_in_ledger"))
        for b in (self.accept_button, self.reject_button, self.absent_button):
            buttons.addWidget(b)
        box.addLayout(buttons)
        self.history = QLabel(right)
        self.history.setObjectName("decisionHistory")
        self.history.setWordWrap(True)
        box.addWidget(self.history)
        split.addWidget(self.queue)
        split.addWidget(right)
        split.setSizes([260, 900])
        layout.addWidget(split, 1)
        may = user is None or user.may("edit_registry")
        for b in (self.accept_button, self.reject_button, self.absent_button):
            b.setEnabled(may)

    def set_rows(self, survey_id: int, results: list[RowResult]) -> None:
        self.survey_id = survey_id
        keep = self.current.row.row_number if self.current else None
        self.rows = [r for r in results if r.outcome == "review"]
        self.queue.blockSignals(True)
        self.queue.clear()
        for r in self.rows:
            QListWidgetItem(t("Row {row}: {mother}, born {born}").format(
                row=r.row.row_number, mother=r.row.mother_name, born=r.row.birth_date.isoformat()), self.queue)
        self.queue.blockSignals(False)
        self.summary.setText(t("{n} survey rows need a decision. Nothing is tied to the ledger without one.")
                             .format(n=len(self.rows)))
        index = next((i for i, r in enumerate(self.rows) if r.row.row_number == keep), 0)
        if self.rows:
            self.queue.setCurrentRow(index)
            self._show(index)
        else:
            self.current = None
            self.grid.clear()
            self.grid.setRowCount(0)
            self.choice.clear()
            self.note.setText("")
            self.history.setText("")

    def _id_text(self, value: object) -> str:
        if not value:
            return ""
        return str(value) if self.user is None or self.user.may("unmask_personal_data") else mask_id(str(value))

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        self.current = r = self.rows[index]
        self.detail = detail_json(r)
        cands = self.detail["candidates"][:3]
        self.note.setText(t("Survey row {row} (unit {unit}). Reason for review: {note}").format(
            row=r.row.row_number, unit=r.row.unit_code, note=r.note or "—"))
        self.grid.clear()
        self.grid.setColumnCount(1 + len(cands))
        self.grid.setRowCount(len(FIELDS) + 1)
        self.grid.setHorizontalHeaderLabels([t("Survey")] + [t("Candidate {n} (child {id})").format(n=i + 1, id=c["child_id"])
                                                             for i, c in enumerate(cands)])
        self.grid.setVerticalHeaderLabels([FIELD_LABELS[f] for f in FIELDS] + [t("Score")])
        for i, f in enumerate(FIELDS):
            survey = cands[0]["fields"][f]["survey"] if cands else None
            shown = self._id_text(survey) if f == "mother_id" else survey
            self.grid.setItem(i, 0, QTableWidgetItem("" if shown is None else str(shown)))
            for j, c in enumerate(cands, start=1):
                cell = c["fields"][f]
                value = self._id_text(cell["ledger"]) if f == "mother_id" else cell["ledger"]
                text = f"{'' if value is None else value}\n{KIND_LABELS.get(cell['kind'], cell['kind'])} {cell['points']:+g}"
                item = QTableWidgetItem(text)
                if cell["kind"] in ("different",):
                    item.setBackground(QBrush(DIFFERENT))
                elif cell["kind"] not in ("same", "missing"):
                    item.setBackground(QBrush(PARTIAL))
                self.grid.setItem(i, j, item)
        self.grid.setItem(len(FIELDS), 0, QTableWidgetItem(""))
        for j, c in enumerate(cands, start=1):
            self.grid.setItem(len(FIELDS), j, QTableWidgetItem(t("{total:+g} points ({score:.0%})").format(
                total=c["total"], score=c["score"])))
        self.grid.resizeColumnsToContents()
        self.grid.resizeRowsToContents()
        self.choice.clear()
        for i, c in enumerate(cands):
            self.choice.addItem(t("Candidate {n} (child {id})").format(n=i + 1, id=c["child_id"]), c["child_id"])
        self._show_history()

    def _show_history(self) -> None:
        if self.current is None or self.survey_id is None:
            return
        done = decisions.decisions_for(self.ledger.db, self.survey_id, self.current.row.row_number)
        lines = [f"{d['decided_at']} {d['decided_by']}：{decisions.DECISION_LABELS.get(d['decision'], d['decision'])}"
                 + (f"（{d['child_id']}）" if d["child_id"] else "") for d in done]
        self.history.setText(t("Decisions so far: {lines}").format(lines="；".join(lines)) if lines else "")

    def decide(self, kind: str) -> None:
        if self.current is None or self.survey_id is None:
            return
        child_id = self.choice.currentData() if kind != "not_in_ledger" else None
        if kind != "not_in_ledger" and child_id is None:
            messages.warning(self, t("Choose a candidate first."))
            return
        try:
            decisions.decide(self.ledger, self.survey_id, self.current.row.row_number, kind, child_id)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.on_decided()
