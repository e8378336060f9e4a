"""The result entry panel: one due woman's 已查 / 寄回证明 / 未查 with its fields, keyboard first.

Rules:
- Selecting a woman fills the panel with her stored result, or with defaults for a fast new
  entry: 已查, today's date and the place typed last (a village meeting is one place, one day).
- Dates are typed (`20260315`, `2026-3-15`, …; the workbook's parser); a wrong one is named in
  the error line. Validation of the result itself is the core's (app.roster.results.problems),
  so the screen, the import and the CLI refuse the same things.
- Enter in any field saves (the tab does the saving and shows the core's message on refusal).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserInputError
from app.exchange import cells
from app.roster.due import DueWoman
from app.roster.results import CERTIFICATE, CHECKED, IUD_STATUSES, MISSED, PREGNANCY, CheckResult
from ui.i18n import t


class EntryPanel(QGroupBox):
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(t("Record result"), parent)
        self.setObjectName("entryPanel")
        self.woman: DueWoman | None = None
        outer = QVBoxLayout(self)
        self.who = QLabel(t("Select a woman in the list, or type or scan her ID number above."), self)
        self.who.setObjectName("entryWho")
        self.who.setWordWrap(True)
        outer.addWidget(self.who)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for kind, name, text in ((CHECKED, "resultChecked", "Checked"), (CERTIFICATE, "resultCertificate",
                                                                         "Certificate mailed back"),
                                 (MISSED, "resultMissed", "Not checked")):
            radio = QRadioButton(t(text), self)
            radio.setObjectName(name)
            self.group.addButton(radio)
            self.radios[kind] = radio
            row.addWidget(radio)
            radio.toggled.connect(self._enable_fields)
        outer.addLayout(row)
        form = QFormLayout()
        self.check_date = self._line("checkDate", t("e.g. 20260315"))
        self.place = self._line("checkPlace", t("e.g. township health centre"))
        self.iud = QComboBox(self)
        self.iud.setObjectName("iudStatus")
        self.iud.addItems(["", *IUD_STATUSES])
        self.pregnancy = QComboBox(self)
        self.pregnancy.setObjectName("pregnancy")
        self.pregnancy.addItems(["", *PREGNANCY])
        self.weeks = QSpinBox(self)
        self.weeks.setObjectName("pregnancyWeeks")
        self.weeks.setRange(0, 45)
        self.weeks.setSpecialValueText(" ")
        self.illness = self._line("illness", t("free text, e.g. cervicitis"))
        self.certificate_date = self._line("certificateDate", t("e.g. 20260315"))
        self.followup = self._line("followupAction", t("e.g. phone again, home visit"))
        self.followup_date = self._line("followupDate", t("e.g. 20260315"))
        for label, widget in ((t("Check date"), self.check_date), (t("Place"), self.place),
                              (t("IUD"), self.iud), (t("Pregnancy"), self.pregnancy),
                              (t("Weeks pregnant"), self.weeks), (t("Illness"), self.illness),
                              (t("Certificate received on"), self.certificate_date),
                              (t("Follow-up action"), self.followup), (t("Follow-up date"), self.followup_date)):
            form.addRow(label, widget)
        outer.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("entryError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        self.save = QPushButton(t("Save result (Enter)"), self)
        self.save.setObjectName("saveResult")
        self.save.clicked.connect(self.save_requested)
        outer.addWidget(self.save)
        outer.addStretch(1)
        self.set_woman(None, None)

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.returnPressed.connect(self.save_requested)
        return edit

    def set_woman(self, woman: DueWoman | None, result: CheckResult | None, masked_id: str = "") -> None:
        self.woman = woman
        self.error.clear()
        self.setEnabled(woman is not None)
        if woman is None:
            return
        self.who.setText(f"{woman.name}  {masked_id}  {woman.category}  {woman.residence}")
        kind = result.result if result else (CERTIFICATE if woman.residence == "流出" else CHECKED)
        self.radios[kind].setChecked(True)
        today = date.today().isoformat()
        self.check_date.setText(result.check_date.isoformat() if result and result.check_date else today)
        if result and result.place:
            self.place.setText(result.place)
        self.iud.setCurrentText(result.iud_status or "" if result else "")
        self.pregnancy.setCurrentText(result.pregnancy or "" if result else "")
        self.weeks.setValue(result.pregnancy_weeks or 0 if result else 0)
        self.illness.setText(result.illness or "" if result else "")
        self.certificate_date.setText(result.certificate_date.isoformat() if result and result.certificate_date else today)
        self.followup.setText(result.followup_action or "" if result else "")
        self.followup_date.setText(result.followup_date.isoformat() if result and result.followup_date else "")
        self._enable_fields()

    def kind(self) -> str:
        for kind, radio in self.radios.items():
            if radio.isChecked():
                return kind
        return CHECKED

    def _enable_fields(self) -> None:
        kind = self.kind()
        for widget in (self.check_date, self.place):
            widget.setEnabled(kind == CHECKED)
        for widget in (self.iud, self.pregnancy, self.weeks, self.illness):
            widget.setEnabled(kind in (CHECKED, CERTIFICATE))
        self.certificate_date.setEnabled(kind == CERTIFICATE)
        for widget in (self.followup, self.followup_date):
            widget.setEnabled(kind == MISSED)

    def build(self) -> CheckResult:
        """The result as typed; raises UserInputError naming a field whose date cannot be read."""
        kind = self.kind()

        def day(edit: QLineEdit, label: str) -> date | None:
            try:
                return cells.parse_date(edit.text())
            except cells.CellError as exc:
                raise UserInputError(f"{label}：{exc}") from None

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        if kind == MISSED:
            return CheckResult(MISSED, followup_action=text(self.followup),
                               followup_date=day(self.followup_date, t("Follow-up date")))
        findings = dict(iud_status=self.iud.currentText() or None, pregnancy=self.pregnancy.currentText() or None,
                        pregnancy_weeks=self.weeks.value() or None, illness=text(self.illness))
        if kind == CERTIFICATE:
            return CheckResult(CERTIFICATE, certificate_date=day(self.certificate_date, t("Certificate received on")),
                               **findings)
        return CheckResult(CHECKED, check_date=day(self.check_date, t("Check date")), place=text(self.place), **findings)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
