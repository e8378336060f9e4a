"""From a card: 生育登记… (register a birth, print the 生育登记服务单) and 开具证明… (issue and
print 婚育情况证明 / 流动人口婚育证明, reprint as 补打).

Everything is done by app/casework (numbers, permissions, audit entries, the printed forms);
these dialogs only collect the fields, show the card's registrations and letters, and ask
where to save the PDF. `print_*(path)` take the file directly (tests, and the print buttons
after the file dialog).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.casework import certificates, registrations
from app.errors import LedgerError
from app.ledger import Ledger
from ui import file_dialogs, messages
from ui.dialogs.card_sections import check_dates
from ui.i18n import t
from ui.table_habits import equip_tables
from ui.widgets.date_edit import DateLineEdit
from ui.widgets.record_table import fill, record_table


def _button(parent: QWidget, name: str, text: str, slot) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class RegistrationDialog(QDialog):
    """生育登记 for one card: the form, the card's registrations, 打印服务单."""

    def __init__(self, ledger: Ledger, woman_id: int, name: str, next_order: int = 1,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.woman_id = ledger, woman_id
        self.setObjectName("registrationDialog")
        self.setWindowTitle(t("Birth registration: {name}").format(name=name))
        self.resize(720, 480)
        self.order = QSpinBox(self, objectName="registrationOrder")
        self.order.setRange(1, 3)
        self.order.setValue(min(max(next_order, 1), 3))
        self.registered_on = DateLineEdit(self)
        self.registered_on.setObjectName("registrationDate")
        self.registered_on.set_iso(date.today())
        self.expected = DateLineEdit(self)
        self.expected.setObjectName("registrationExpected")
        self.born = DateLineEdit(self)
        self.born.setObjectName("registrationBorn")
        self.note = QLineEdit(self, objectName="registrationNote")
        form = QFormLayout()
        for label, widget in ((t("Birth order"), self.order), (t("Date registered"), self.registered_on),
                              (t("Expected date of birth"), self.expected),
                              (t("Date of birth (if born)"), self.born), (t("Note"), self.note)):
            form.addRow(label, widget)
        self.table = record_table(self, "registrationsTable", [
            t("Number"), t("Date registered"), t("Birth order"), t("Expected date of birth"), t("Date of birth"),
            t("Linked to the child")])
        self.message = QLabel(self, objectName="registrationMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        self.register_button = _button(self, "registerButton", t("Register"), self.register)
        self.print_button = _button(self, "printSheetButton", t("Print service sheet…"), self.ask_print)
        row.addWidget(self.register_button)
        row.addWidget(self.print_button)
        row.addWidget(_button(self, "closeRegistration", t("Close"), self.reject))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(t("Registrations on this card"), self))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.rows: list[dict] = []
        self.last: registrations.Registered | None = None
        self.load()
        equip_tables(self)

    def load(self) -> None:
        self.rows = registrations.for_card(self.ledger.db, self.woman_id)
        fill(self.table, [[r["number"], r["registered_on"], r["birth_order"], r["expected_date"], r["birth_date"],
                           t("Yes") if r["child_id"] else t("No")] for r in self.rows])

    def register(self) -> registrations.Registered | None:
        dates = {t("Date registered"): self.registered_on, t("Expected date of birth"): self.expected,
                 t("Date of birth"): self.born}
        if not check_dates(self, dates):
            return None
        try:
            done = registrations.register_birth(
                self.ledger, self.woman_id, self.order.value(), registered_on=self.registered_on.iso(),
                expected_date=self.expected.iso(), birth_date=self.born.iso(), note=self.note.text())
        except LedgerError as exc:
            messages.error(self, str(exc), t("Cannot register"))
            return None
        self.last = done
        self.load()
        text = t("Registered as No. {number}.").format(number=done.number)
        if done.warnings:
            text += " " + "；".join(done.warnings)
        self.message.setText(text)
        self.table.selectRow(next(i for i, r in enumerate(self.rows) if r["id"] == done.id))
        return done

    def selected_id(self) -> int | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]["id"]
        return self.last.id if self.last else None

    def ask_print(self) -> None:
        reg_id = self.selected_id()
        if reg_id is None:
            messages.info(self, t("Register first, or select a registration."))
            return
        number = registrations.get(self.ledger.db, reg_id)["number"]
        path = file_dialogs.save_file(self, t("Save the service sheet as PDF"), f"生育登记服务单_{number}.pdf",
                                      "PDF (*.pdf)")
        if path:
            self.print_sheet(path, reg_id)

    def print_sheet(self, path: str, reg_id: int | None = None) -> bool:
        reg_id = reg_id if reg_id is not None else self.selected_id()
        if reg_id is None:
            return False
        try:
            warnings = registrations.print_service_sheet(self.ledger, reg_id, path)
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return False
        self.message.setText(t("Saved: {path}").format(path=path) + ("\n" + "\n".join(warnings) if warnings else ""))
        return True


class CertificateDialog(QDialog):
    """开具证明 from one card: issue a letter, see the card's letters, print or reprint (补打)."""

    def __init__(self, ledger: Ledger, woman_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.woman_id = ledger, woman_id
        self.setObjectName("certificateDialog")
        self.setWindowTitle(t("Certificates: {name}").format(name=name))
        self.resize(760, 480)
        self.kind = QComboBox(self, objectName="certificateKind")
        self.kind.addItems(list(certificates.KINDS))
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.recipient = QLineEdit(self, objectName="certificateRecipient")
        self.recipient.setPlaceholderText(t("The office or unit the letter is addressed to"))
        self.purpose = QLineEdit(self, objectName="certificatePurpose")
        self.issued_on = DateLineEdit(self)
        self.issued_on.setObjectName("certificateDate")
        self.issued_on.set_iso(date.today())
        self.valid_until = DateLineEdit(self)
        self.valid_until.setObjectName("certificateValidUntil")
        self.valid_until.setPlaceholderText(t("Blank: three years"))
        form = QFormLayout()
        for label, widget in ((t("Kind of certificate"), self.kind), (t("Addressed to"), self.recipient),
                              (t("Purpose"), self.purpose), (t("Date issued"), self.issued_on),
                              (t("Valid until"), self.valid_until)):
            form.addRow(label, widget)
        self.table = record_table(self, "certificatesTable", [
            t("Number"), t("Kind of certificate"), t("Date issued"), t("Addressed to"), t("Issued by"), t("Prints")])
        self.message = QLabel(self, objectName="certificateMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        self.issue_button = _button(self, "issueButton", t("Issue"), self.issue)
        self.print_button = _button(self, "printLetterButton", t("Print / reprint…"), self.ask_print)
        row.addWidget(self.issue_button)
        row.addWidget(self.print_button)
        row.addWidget(_button(self, "closeCertificate", t("Close"), self.reject))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(t("Letters issued from this card (never renumbered or deleted; a reprint is "
                                  "marked 补打)"), self))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.rows: list[dict] = []
        self._kind_changed(self.kind.currentText())
        self.load()
        equip_tables(self)

    def _kind_changed(self, kind: str) -> None:
        self.valid_until.setEnabled(kind == certificates.FLOATING)

    def load(self) -> None:
        self.rows = certificates.register(self.ledger.db, woman_id=self.woman_id)
        fill(self.table, [[r["number"], r["kind"], r["issued_on"], r["recipient"], r["issued_by"],
                           t("{n} (reprints {r})").format(n=r["prints"], r=r["reprints"])] for r in self.rows])

    def issue(self) -> certificates.Issued | None:
        if not check_dates(self, {t("Date issued"): self.issued_on, t("Valid until"): self.valid_until}):
            return None
        kind = self.kind.currentText()
        try:
            done = certificates.issue(self.ledger, self.woman_id, kind, self.recipient.text(),
                                      purpose=self.purpose.text(), issued_on=self.issued_on.iso(),
                                      valid_until=self.valid_until.iso() if kind == certificates.FLOATING else None)
        except LedgerError as exc:
            messages.error(self, str(exc), t("Cannot issue"))
            return None
        self.load()
        self.table.selectRow(next(i for i, r in enumerate(self.rows) if r["id"] == done.id))
        self.message.setText(t("Issued {kind} No. {number}; print it now.").format(kind=kind, number=done.number))
        return done

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def ask_print(self) -> None:
        letter = self.selected()
        if letter is None:
            messages.info(self, t("Select a letter first."))
            return
        suffix = "_补打" if letter["prints"] else ""
        path = file_dialogs.save_file(self, t("Save the letter as PDF"),
                                      f"{letter['kind']}_{letter['number']}{suffix}.pdf", "PDF (*.pdf)")
        if path:
            self.print_letter(path, letter["id"])

    def print_letter(self, path: str, letter_id: int | None = None) -> bool:
        if letter_id is None:
            letter = self.selected()
            if letter is None:
                return False
            letter_id = letter["id"]
        try:
            warnings = certificates.print_letter(self.ledger, letter_id, path)
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return False
        current = self.table.currentRow()
        self.load()
        self.table.selectRow(current)
        self.message.setText(t("Saved: {path}").format(path=path) + ("\n" + "\n".join(warnings) if warnings else ""))
        return True
