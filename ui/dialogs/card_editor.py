"""The card editor (育龄妇女卡片): 基本信息, 婚姻, 子女, 节育措施, 手术, 孕检, 变动记录.

Rules:
- Every change goes through `app.registry` with the save rule of `card_sections`
  (warnings shown before writing, errors block with their reasons).
- A new card is typed from the keyboard: the tab order runs through the fields a clerk fills
  most, Tab from the last 基本信息 field moves on to the 婚姻 page, Ctrl+S saves. A valid
  身份证 number fills the birth date. After the first save the other sections open.
- ID numbers and phones: a user whose role may `unmask_personal_data` sees them in full (the
  view is audited by `app.registry.reveal`); anyone else sees them masked as a placeholder
  and may type a replacement (an empty field keeps the stored value).
- 撤销上次修改 restores the values the last 保存 replaced (again through `save_woman`, so the
  undo is itself audited); exits ask for confirmation and are reversible (恢复卡片).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import codes, idcard, registry
from app.accounts import User
from app.ledger import Ledger
from app.roster.results import check_history, pregnancy_followups
from ui import messages
from ui.dialogs.card_sections import (
    ChildDialog,
    EndMeasureDialog,
    ExitDialog,
    MeasureDialog,
    ProcedureDialog,
    check_dates,
    code_combo,
    save_with_review,
)
from ui.i18n import t
from ui.table_habits import equip_tables
from ui.widgets.date_edit import DateLineEdit
from ui.widgets.record_table import fill, record_table
from ui.widgets.unit_picker import UnitPicker

SENSITIVE = ("id_number", "phone", "husband_id_number")
MEASURE_LABELS = {"method": "措施", "start_date": "开始日期", "end_date": "终止日期", "provider": "施术单位",
                  "kind": "手术类型", "date": "手术日期"}


def describe_change(entry: dict) -> str:
    """One line of 变动记录: `字段：旧 → 新` for each changed value."""
    before, after = entry.get("before") or {}, entry.get("after") or {}
    labels = registry.WOMAN_LABELS | registry.CHILD_LABELS | MEASURE_LABELS
    parts = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in ("child_id", "measure_id", "procedure_id") or key == "name_initials":
            continue
        old, new = before.get(key), after.get(key)
        if isinstance(new, dict) or isinstance(old, dict):
            continue
        if key in SENSITIVE:
            old, new = idcard.mask_id(old) if old else old, idcard.mask_id(new) if new else new
        label = labels.get(key, key)
        parts.append(f"{label}：{old if old is not None else '—'} → {new if new is not None else '—'}"
                     if key in before else f"{label}：{new if new is not None else '—'}")
    return "；".join(parts)


class CardEditor(QDialog):
    def __init__(self, ledger: Ledger, user: User | None, woman_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.user = user
        self.woman_id = woman_id
        self.card: dict | None = None
        self.undo_values: dict | None = None
        self.birth_from_id = False
        self.may_unmask = user is None or user.may("unmask_personal_data")
        self.may_edit = user is None or user.may("edit_registry")
        self.setObjectName("cardEditor")
        self.resize(1000, 640)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("cardSections")
        self._setup_basic()
        self._setup_marriage()
        self._setup_children()
        self._setup_measures()
        self._setup_procedures()
        self._setup_checks_note()
        self._setup_log()
        self._setup_buttons()
        self.load()
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    # ---- pages -----------------------------------------------------------------------------
    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        return edit

    def _date(self, name: str) -> DateLineEdit:
        edit = DateLineEdit(self)
        edit.setObjectName(name)
        return edit

    def _setup_basic(self) -> None:
        page = QWidget(self)
        self.name = self._line("name")
        self.id_number = self._line("idNumber")
        self.id_number.editingFinished.connect(self._id_entered)
        self.birth_date = self._date("birthDate")
        self.unit = UnitPicker(self.ledger, self)
        self.unit.setObjectName("unit")
        self.hukou = code_combo(self, codes.HUKOU, blank=False, default="农业")
        self.hukou.setObjectName("hukou")
        self.residence = code_combo(self, codes.RESIDENCE, blank=False, default="常住")
        self.residence.setObjectName("residence")
        self.phone = self._line("phone")
        self.address = self._line("address")
        self.hukou_place = self._line("hukouPlace")
        self.ethnicity = code_combo(self, codes.ETHNICITY, default="汉族")
        self.education = code_combo(self, codes.EDUCATION)
        self.employer = self._line("employer")
        self.id_type = code_combo(self, codes.ID_TYPE, blank=False, default="身份证")
        self.float_reason = code_combo(self, codes.FLOAT_REASON)
        self.float_date = self._date("floatDate")
        self.float_cert_no = self._line("floatCertNo")
        self.float_cert_date = self._date("floatCertDate")
        self.card_date = self._date("cardDate")
        left = [(t("Person's name"), self.name), (t("ID number"), self.id_number), (t("Date of birth"), self.birth_date),
                (t("Unit"), self.unit), (t("Hukou type"), self.hukou), (t("Residence"), self.residence),
                (t("Phone"), self.phone), (t("Address"), self.address), (t("Place of hukou"), self.hukou_place)]
        right = [(t("Ethnicity"), self.ethnicity), (t("Education"), self.education),
                 (t("Employer"), self.employer), (t("ID type"), self.id_type),
                 (t("Reason for moving"), self.float_reason), (t("Date of moving"), self.float_date),
                 (t("Marriage and birth certificate no."), self.float_cert_no),
                 (t("Certificate date"), self.float_cert_date), (t("Card created"), self.card_date)]
        grid = QGridLayout(page)
        for column, fields in enumerate((left, right)):
            form = QFormLayout()
            for label, widget in fields:
                form.addRow(label, widget)
            grid.addLayout(form, 0, column)
        grid.setRowStretch(1, 1)
        self.basic_order = [w for _, w in left + right]
        self.tabs.addTab(page, t("Basic information"))

    def _setup_marriage(self) -> None:
        page = QWidget(self)
        self.marital = code_combo(self, codes.MARITAL, blank=False, default="初婚")
        self.marital.setObjectName("marital")
        self.first_marriage = self._date("firstMarriage")
        self.marital_change = self._date("maritalChange")
        self.husband_name = self._line("husbandName")
        self.husband_id = self._line("husbandId")
        self.husband_hukou = code_combo(self, codes.HUKOU)
        self.husband_employer = self._line("husbandEmployer")
        form = QFormLayout(page)
        fields = [(t("Marital status"), self.marital), (t("Date of first marriage"), self.first_marriage),
                  (t("Date of marital change"), self.marital_change), (t("Husband's name"), self.husband_name),
                  (t("Husband's ID number"), self.husband_id), (t("Husband's hukou type"), self.husband_hukou),
                  (t("Husband's employer"), self.husband_employer)]
        for label, widget in fields:
            form.addRow(label, widget)
        self.marriage_order = [w for _, w in fields]
        order = self.basic_order + self.marriage_order
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.basic_order[-1].installEventFilter(self)
        self.tabs.addTab(page, t("Marriage"))

    def _section(self, table: QTableWidget, buttons: list[QPushButton], note: str | None = None) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        if note:
            layout.addWidget(QLabel(note, page))
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _setup_children(self) -> None:
        self.children_table = record_table(self, "childrenTable", [
            t("Birth order"), t("Person's name"), t("Sex"), t("Date of birth"), t("Policy status"), t("Kinship"),
            t("Health"), t("Date reported"), t("Date of death")])
        self.children_table.itemActivated.connect(lambda *_: self.edit_child())
        self.add_child_button = self._button("addChildButton", t("Add child…"), self.add_child)
        self.edit_child_button = self._button("editChildButton", t("Edit child…"), self.edit_child)
        self.tabs.addTab(self._section(self.children_table, [self.add_child_button, self.edit_child_button]),
                         t("Children"))

    def _setup_measures(self) -> None:
        self.measures_table = record_table(self, "measuresTable",
                                     [t("Measure"), t("Start date"), t("End date"), t("Provider")])
        self.add_measure_button = self._button("addMeasureButton", t("Add measure…"), self.add_measure)
        self.end_measure_button = self._button("endMeasureButton", t("End measure…"), self.end_measure)
        self.tabs.addTab(self._section(self.measures_table, [self.add_measure_button, self.end_measure_button],
                                       t("The current measure is the row without an end date.")),
                         t("Contraception"))

    def _setup_procedures(self) -> None:
        self.procedures_table = record_table(self, "proceduresTable", [t("Procedure"), t("Date"), t("Provider")])
        self.add_procedure_button = self._button("addProcedureButton", t("Record a procedure…"),
                                                 self.add_procedure)
        self.tabs.addTab(self._section(self.procedures_table, [self.add_procedure_button],
                                       t("IUD insertion opens an IUD row in the contraception history; "
                                         "removal closes it.")), t("Procedures"))

    def _setup_checks_note(self) -> None:
        """孕检: the woman's results per round and her pregnancy follow-ups, read-only (the roster
        tab records them)."""
        page = QWidget(self)
        layout = QVBoxLayout(page)
        note = QLabel(t("Check results are recorded in the pregnancy-check roster tab; shown here read-only."),
                      page)
        note.setObjectName("pregnancyCheckNote")
        layout.addWidget(note)
        self.checks_table = record_table(self, "checkHistoryTable", [
            t("Round"), t("Result"), t("Date"), t("Place"), t("Findings")])
        layout.addWidget(self.checks_table, 2)
        layout.addWidget(QLabel(t("Pregnancy follow-ups"), page))
        self.followups_table = record_table(self, "followupsTable", [
            t("Round"), t("Found on"), t("Weeks"), t("Status"), t("Note")])
        layout.addWidget(self.followups_table, 1)
        self.tabs.addTab(page, t("Pregnancy checks"))

    def _load_checks(self, woman_id: int) -> None:
        rows = []
        for code, result in check_history(self.ledger.db, woman_id):
            day = {"已查": result.check_date, "寄回证明": result.certificate_date}.get(
                result.result, result.followup_date)
            findings = [f"环{result.iud_status}" if result.iud_status else "",
                        (result.pregnancy or "") + (f"{result.pregnancy_weeks}周" if result.pregnancy_weeks else ""),
                        result.illness or "", result.followup_action or ""]
            rows.append([code, result.result, day.isoformat() if day else "", result.place,
                         " ".join(part for part in findings if part)])
        fill(self.checks_table, rows)
        fill(self.followups_table, [[f["round"], f["found_on"], f["weeks"], f["status"], f["note"]]
                                     for f in pregnancy_followups(self.ledger.db, woman_id)])

    def _setup_log(self) -> None:
        self.log_table = record_table(self, "changeLogTable", [t("Time"), t("User"), t("Action"), t("Changes")])
        self.tabs.addTab(self._section(self.log_table, []), t("Change log"))

    def _setup_buttons(self) -> None:
        self.message = QLabel(self)
        self.message.setObjectName("cardMessage")
        self.message.setWordWrap(True)
        self.save_button = self._button("saveButton", t("Save (Ctrl+S)"), self.save)
        self.undo_button = self._button("undoButton", t("Undo last change"), self.undo)
        self.exit_button = self._button("exitButton", t("Exit card…"), self.exit_card)
        self.restore_button = self._button("restoreButton", t("Restore card"), self.restore_card)
        self.register_button = self._button("birthRegistrationButton", t("Birth registration…"),
                                            self.register_birth)
        self.certificate_button = self._button("certificateButton", t("Issue certificate…"), self.issue_certificate)
        close = self._button("closeButton", t("Close"), self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        for button in (self.save_button, self.undo_button, self.register_button, self.certificate_button,
                       self.exit_button, self.restore_button, close):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)

    # ---- keyboard --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.basic_order[-1] and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Tab):
            self.tabs.setCurrentIndex(1)
            self.marriage_order[0].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)

    def _id_entered(self) -> None:
        """A valid 身份证 number fills an empty (or ID-filled) birth date."""
        if self.id_type.currentText() != "身份证" or not self.id_number.text().strip():
            return
        try:
            info = idcard.parse(self.id_number.text())
        except idcard.IdError as exc:
            self.message.setText(t("ID number: ") + str(exc))
            return
        self.message.setText("")
        if not self.birth_date.text().strip() or self.birth_from_id:
            self.birth_date.set_iso(info.birth_date)
            self.birth_from_id = True

    # ---- loading ---------------------------------------------------------------------------
    def preset_unit(self, unit_id: int) -> None:
        self.unit.set_unit_id(unit_id)

    def load(self) -> None:
        existing = self.woman_id is not None
        for index in range(2, self.tabs.count()):
            self.tabs.setTabEnabled(index, existing)
        self.undo_button.setEnabled(self.undo_values is not None)
        if not existing:
            self.setWindowTitle(t("New card"))
            self.card_date.set_iso(date.today())
            self.exit_button.setEnabled(False)
            self.restore_button.setEnabled(False)
            self.register_button.setEnabled(False)
            self.certificate_button.setEnabled(False)
            self.name.setFocus()
            return
        card = registry.get_card(self.ledger.db, self.woman_id)
        self.card = card
        revealed = registry.reveal(self.ledger, self.woman_id) if self.may_unmask else {}
        self.setWindowTitle(t("Card: {name}").format(name=card["name"]))
        self.name.setText(card["name"])
        for key, edit in (("id_number", self.id_number), ("phone", self.phone),
                          ("husband_id_number", self.husband_id)):
            if self.may_unmask:
                edit.setText(revealed.get(key) or "")
            else:
                edit.clear()
                mask = idcard.mask_phone if key == "phone" else idcard.mask_id
                edit.setPlaceholderText(mask(card[key]) if card[key] else "")
        self.birth_date.set_iso(card["birth_date"])
        self.unit.set_unit_id(card["unit_id"])
        for combo, key in ((self.hukou, "hukou_type"), (self.residence, "residence"),
                           (self.ethnicity, "ethnicity"), (self.education, "education"),
                           (self.id_type, "id_type"), (self.float_reason, "float_reason"),
                           (self.marital, "marital_status"), (self.husband_hukou, "husband_hukou_type")):
            combo.setCurrentText(card[key] or "")
        for edit, key in ((self.address, "address"), (self.hukou_place, "hukou_place"),
                          (self.employer, "employer"), (self.float_cert_no, "float_cert_no"),
                          (self.husband_name, "husband_name"), (self.husband_employer, "husband_employer")):
            edit.setText(card[key] or "")
        for edit, key in ((self.float_date, "float_date"), (self.float_cert_date, "float_cert_date"),
                          (self.card_date, "card_date"), (self.first_marriage, "first_marriage_date"),
                          (self.marital_change, "marital_change_date")):
            edit.set_iso(card[key])
        fill(self.children_table, [[c["birth_order"], c["name"], c["sex"], c["birth_date"], c["policy"],
                                     c["kinship"], c["health"], c["reported_date"], c["death_date"]]
                                    for c in card["children"]])
        fill(self.measures_table, [[m["method"], m["start_date"], m["end_date"], m["provider"]]
                                    for m in card["contraception"]])
        fill(self.procedures_table, [[p["kind"], p["date"], p["provider"]] for p in card["procedures"]])
        fill(self.log_table, [[e["at"].replace("T", " ")[:19], e["user"], e["action"], describe_change(e)]
                               for e in reversed(registry.change_log(self.ledger.db, self.woman_id))])
        self._load_checks(self.woman_id)
        exited = bool(card["exit_reason"])
        self.register_button.setEnabled(self.may_edit and not exited)
        self.certificate_button.setEnabled(self.user is None or self.user.may("issue_certificates"))
        self.exit_button.setEnabled(self.may_edit and not exited)
        self.restore_button.setEnabled(self.may_edit and exited)
        if exited:
            self.message.setText(t("This card exited on {day} ({reason}).").format(
                day=card["exit_date"], reason=card["exit_reason"]))
        for button in (self.save_button, self.add_child_button, self.edit_child_button, self.add_measure_button,
                       self.end_measure_button, self.add_procedure_button):
            button.setEnabled(self.may_edit)

    # ---- saving ----------------------------------------------------------------------------
    def fields(self) -> dict | None:
        """The form as `save_woman` fields, or None (with a message) when a date is unreadable."""
        dates = {t("Date of birth"): self.birth_date, t("Date of moving"): self.float_date,
                 t("Certificate date"): self.float_cert_date, t("Card created"): self.card_date,
                 t("Date of first marriage"): self.first_marriage,
                 t("Date of marital change"): self.marital_change}
        if not check_dates(self, dates):
            return None

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        def combo(box: QComboBox) -> str | None:
            return box.currentText().strip() or None

        out = {
            "name": text(self.name), "birth_date": self.birth_date.iso(), "hukou_type": combo(self.hukou),
            "residence": combo(self.residence), "address": text(self.address),
            "hukou_place": text(self.hukou_place), "ethnicity": combo(self.ethnicity),
            "education": combo(self.education), "employer": text(self.employer), "id_type": combo(self.id_type),
            "float_reason": combo(self.float_reason), "float_date": self.float_date.iso(),
            "float_cert_no": text(self.float_cert_no), "float_cert_date": self.float_cert_date.iso(),
            "card_date": self.card_date.iso(), "marital_status": combo(self.marital),
            "first_marriage_date": self.first_marriage.iso(), "marital_change_date": self.marital_change.iso(),
            "husband_name": text(self.husband_name), "husband_hukou_type": combo(self.husband_hukou),
            "husband_employer": text(self.husband_employer),
        }
        unit_id = self.unit.unit_id()
        if unit_id is not None or self.woman_id is None:
            out["unit_id"] = unit_id
        for key, edit in (("id_number", self.id_number), ("phone", self.phone),
                          ("husband_id_number", self.husband_id)):
            value = text(edit)
            if value is not None or self.may_unmask or self.woman_id is None:
                out[key] = value
        return out

    def save(self) -> bool:
        if not self.may_edit:
            return False
        fields = self.fields()
        if fields is None:
            return False
        woman_id = self.woman_id
        result = save_with_review(self, self.ledger, lambda: registry.save_woman(self.ledger, fields, woman_id))
        if result is None:
            return False
        self.woman_id = result.id
        changed = {k: v[0] for k, v in result.changes.items() if k != "name_initials"}
        self.undo_values = changed or None
        self.load()
        note = t("Saved.")
        if result.remaining_errors:
            note += " " + t("Problems still on this card:") + " " + "；".join(f.message for f in result.remaining_errors)
        self.message.setText(note)
        return True

    def undo(self) -> None:
        """Put back the values the last save replaced (audited as a change like any other)."""
        if not self.undo_values or self.woman_id is None:
            return
        values, woman_id = self.undo_values, self.woman_id
        result = save_with_review(self, self.ledger, lambda: registry.save_woman(self.ledger, values, woman_id))
        if result is not None:
            self.undo_values = None
            self.load()
            self.message.setText(t("The last change was undone."))

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.undo_values = None
            self.load()

    def add_child(self) -> None:
        orders = [c["birth_order"] for c in (self.card or {}).get("children", [])]
        self._run(ChildDialog(self.ledger, self.woman_id, None, max(orders, default=0) + 1, self))

    def edit_child(self) -> None:
        row = self.children_table.currentRow()
        if self.card is None or not 0 <= row < len(self.card["children"]):
            messages.info(self, t("Select a child first."))
            return
        self._run(ChildDialog(self.ledger, self.woman_id, self.card["children"][row], parent=self))

    def add_measure(self) -> None:
        self._run(MeasureDialog(self.ledger, self.woman_id, self))

    def end_measure(self) -> None:
        row = self.measures_table.currentRow()
        rows = (self.card or {}).get("contraception", [])
        if not 0 <= row < len(rows) or rows[row]["end_date"] is not None:
            messages.info(self, t("Select the current measure (the row without an end date) first."))
            return
        self._run(EndMeasureDialog(self.ledger, rows[row], self))

    def add_procedure(self) -> None:
        self._run(ProcedureDialog(self.ledger, self.woman_id, self))

    def exit_card(self) -> None:
        self._run(ExitDialog(self.ledger, self.woman_id, self.card["name"] if self.card else "", self))

    def casework_dialog(self, which: str) -> QDialog:
        """生育登记 / 开具证明 for this card (not yet shown; tests drive it directly)."""
        from ui.dialogs.casework_dialogs import CertificateDialog, RegistrationDialog

        name = self.card["name"] if self.card else ""
        if which == "registration":
            orders = [c["birth_order"] for c in (self.card or {}).get("children", [])]
            return RegistrationDialog(self.ledger, self.woman_id, name, max(orders, default=0) + 1, self)
        return CertificateDialog(self.ledger, self.woman_id, name, self)

    def register_birth(self) -> None:
        if self.woman_id is not None:
            self._run(self.casework_dialog("registration"))
            self.load()

    def issue_certificate(self) -> None:
        if self.woman_id is not None:
            self._run(self.casework_dialog("certificate"))
            self.load()

    def restore_card(self) -> None:
        if not messages.confirm(self, t("Restore this card to the register?")):
            return
        woman_id = self.woman_id
        if save_with_review(self, self.ledger, lambda: registry.restore_card(self.ledger, woman_id)) is not None:
            self.undo_values = None
            self.load()
            self.message.setText(t("The card is back on the register."))
