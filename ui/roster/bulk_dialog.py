"""Bulk 已查 from a sign-in sheet: one line per woman (full ID, its last digits, or a name).

Each line must match exactly one due woman of the list shown (app.roster.results.match_due);
lines that match none or several are named and the dialog stays open. Women selected in the
list beforehand are listed above the lines by name and masked ID number (never the full
number: that is shown only through the audited reveal) and are marked too.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.exchange import cells
from app.idcard import mask_id
from app.roster.due import DueWoman
from app.roster.results import match_due
from ui.i18n import t


class BulkCheckedDialog(QDialog):
    def __init__(self, women: list[DueWoman], preselected: list[DueWoman], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkCheckedDialog")
        self.setWindowTitle(t("Bulk: mark a sign-in sheet as checked"))
        self.setMinimumWidth(460)
        self.women = women
        self.woman_ids: list[int] = []
        self.check_date: date | None = None
        outer = QVBoxLayout(self)
        intro = QLabel(t("One woman per line: scan or type her ID number, its last digits, or her name."), self)
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.preselected = list(preselected)
        self.selected = QLabel(self)
        self.selected.setObjectName("bulkSelected")
        self.selected.setWordWrap(True)
        if self.preselected:
            shown = "、".join(f"{w.name}（{mask_id(w.id_number)}）" for w in self.preselected[:20])
            more = "…" if len(self.preselected) > 20 else ""
            self.selected.setText(t("Selected in the list ({count}): {names}").format(
                count=len(self.preselected), names=shown + more))
        else:
            self.selected.hide()
        outer.addWidget(self.selected)
        self.lines = QPlainTextEdit(self)
        self.lines.setObjectName("bulkLines")
        outer.addWidget(self.lines)
        form = QFormLayout()
        self.date_edit = QLineEdit(date.today().isoformat(), self)
        self.date_edit.setObjectName("bulkDate")
        self.place_edit = QLineEdit(self)
        self.place_edit.setObjectName("bulkPlace")
        form.addRow(t("Check date"), self.date_edit)
        form.addRow(t("Place"), self.place_edit)
        outer.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("bulkError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def place(self) -> str:
        return self.place_edit.text().strip()

    def submit(self) -> None:
        problems, ids = [], [w.woman_id for w in self.preselected]
        for number, line in enumerate(self.lines.toPlainText().splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            found = match_due(self.women, text)
            if len(found) == 1:
                ids.append(found[0].woman_id)
            elif not found:
                problems.append(t("line {n} “{text}”: no due woman matches").format(n=number, text=text))
            else:
                problems.append(t("line {n} “{text}”: {count} women match, type more digits")
                                .format(n=number, text=text, count=len(found)))
        try:
            day = cells.parse_date(self.date_edit.text())
        except cells.CellError as exc:
            problems.append(f"{t('Check date')}：{exc}")
            day = None
        if day is None and not problems:
            problems.append(t("Check date is required."))
        if not ids and not problems:
            problems.append(t("No women listed."))
        if problems:
            self.error.setText("\n".join(problems[:12]))
            return
        self.woman_ids, self.check_date = list(dict.fromkeys(ids)), day
        self.accept()
