"""Pieces of the card editor: the try-then-save rule and the small entry dialogs.

The save rule (`save_with_review`) for every change made from the card:
1. the change is first tried in a transaction that is always rolled back, so the clerk sees
   the logic-check warnings BEFORE anything is written and can still cancel;
2. blocking problems (`RegistryError`) are shown with their reasons and nothing is written;
3. warnings are listed with 仍然保存 / 取消; on 仍然保存 the change runs for real through
   `app.registry` (one audited transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app import codes
from app.errors import UserInputError
from app.ledger import Ledger
from app.registry import SaveResult, dry_run
from ui import messages
from ui.i18n import t
from ui.widgets.date_edit import DateLineEdit


def trial(ledger: Ledger, change: Callable[[], SaveResult]) -> SaveResult:
    """Run `change` and roll it back whatever happens (app.registry.dry_run); returns its result."""
    return dry_run(ledger, change)


def save_with_review(parent: QWidget, ledger: Ledger, change: Callable[[], SaveResult]) -> SaveResult | None:
    """The save rule of the module docstring; returns the result, or None when nothing was saved."""
    try:
        preview = trial(ledger, change)
    except UserInputError as exc:
        messages.error(parent, str(exc), t("Cannot save"))
        return None
    if preview.warnings:
        lines = "\n".join(f"· {w.title}：{w.message}" for w in preview.warnings)
        if not messages.confirm(parent, t("Please check these warnings:") + f"\n{lines}\n\n" + t("Save anyway?"),
                                t("Warnings")):
            return None
    try:
        return change()
    except UserInputError as exc:
        messages.error(parent, str(exc), t("Cannot save"))
        return None


def code_combo(parent: QWidget, kind: str, blank: bool = True, default: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    if blank:
        combo.addItem("")
    combo.addItems(list(codes.values(kind)))
    if default:
        combo.setCurrentText(default)
    return combo


def combo_value(combo: QComboBox) -> str | None:
    return combo.currentText().strip() or None


def text_value(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


def check_dates(parent: QWidget, fields: dict[str, DateLineEdit]) -> bool:
    """False (and a message naming the field) when a date field holds something not a date."""
    for label, edit in fields.items():
        problem = edit.problem()
        if problem:
            messages.error(parent, f"{label}：{problem}", t("Cannot save"))
            edit.setFocus()
            return False
    return True


class _EntryDialog(QDialog):
    """A small form with OK/Cancel; OK calls `save()`, which closes the dialog on success."""

    def __init__(self, ledger: Ledger, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.result_value: SaveResult | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(360)  # room for the longest code names and the date hints
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.buttons)

    def change(self) -> Callable[[], SaveResult] | None:
        raise NotImplementedError

    def save(self) -> None:
        change = self.change()
        if change is None:
            return
        result = save_with_review(self, self.ledger, change)
        if result is not None:
            self.result_value = result
            self.accept()


class ChildDialog(_EntryDialog):
    """新增/修改子女. 上报日期 defaults to today for a new child (DOMAIN.md §5)."""

    def __init__(self, ledger: Ledger, woman_id: int, child: dict | None = None, next_order: int = 1,
                 parent: QWidget | None = None) -> None:
        super().__init__(ledger, t("Edit child") if child else t("Add child"), parent)
        self.setObjectName("childDialog")
        self.woman_id, self.child = woman_id, child
        self.order = QSpinBox(self)
        self.order.setObjectName("childOrder")
        self.order.setRange(1, 20)
        self.order.setValue(child["birth_order"] if child else next_order)
        self.name = QLineEdit(self)
        self.name.setObjectName("childName")
        self.sex = code_combo(self, codes.SEX)
        self.sex.setObjectName("childSex")
        self.birth = DateLineEdit(self)
        self.birth.setObjectName("childBirth")
        self.policy = code_combo(self, codes.POLICY, blank=False, default="政策内")
        self.policy.setObjectName("childPolicy")
        self.kinship = code_combo(self, codes.KINSHIP, blank=False, default="亲生")
        self.health = code_combo(self, codes.HEALTH, default="健康")
        self.reported = DateLineEdit(self)
        self.reported.setObjectName("childReported")
        self.died = DateLineEdit(self)
        self.out_of_wedlock = QCheckBox(t("Born out of wedlock (非婚生育)"), self)
        self.registration = self._registration_combo(ledger, woman_id, next_order) if not child else None
        if child:
            self.name.setText(child["name"] or "")
            self.sex.setCurrentText(child["sex"] or "")
            self.birth.set_iso(child["birth_date"])
            self.policy.setCurrentText(child["policy"] or "")
            self.kinship.setCurrentText(child["kinship"] or "")
            self.health.setCurrentText(child["health"] or "")
            self.reported.set_iso(child["reported_date"])
            self.died.set_iso(child["death_date"])
            self.out_of_wedlock.setChecked(bool(child["out_of_wedlock"]))
        else:
            self.reported.set_iso(date.today())
        for label, widget in ((t("Birth order"), self.order), (t("Person's name"), self.name), (t("Sex"), self.sex),
                              (t("Date of birth"), self.birth), (t("Policy status"), self.policy),
                              (t("Kinship"), self.kinship), (t("Health"), self.health),
                              (t("Date reported"), self.reported), (t("Date of death"), self.died),
                              ("", self.out_of_wedlock)):
            self.form.addRow(label, widget)
        if self.registration is not None:
            self.form.addRow(t("Birth registration"), self.registration)
        self.finish_layout()

    def _registration_combo(self, ledger: Ledger, woman_id: int, next_order: int) -> QComboBox:
        """The card's registrations not yet linked (生育登记); the one of this order preselected."""
        from app.casework import registrations

        combo = QComboBox(self)
        combo.setObjectName("childRegistration")
        combo.addItem(t("(not linked)"), None)
        for reg in registrations.open_for(ledger.db, woman_id):
            combo.addItem(t("No. {number}, child {order}, registered {day}").format(
                number=reg["number"], order=reg["birth_order"], day=reg["registered_on"]), reg["id"])
            if reg["birth_order"] == next_order:
                combo.setCurrentIndex(combo.count() - 1)
        return combo

    def change(self):
        if not check_dates(self, {t("Date of birth"): self.birth, t("Date reported"): self.reported,
                                  t("Date of death"): self.died}):
            return None
        fields = {"birth_order": self.order.value(), "name": text_value(self.name),
                  "sex": combo_value(self.sex), "birth_date": self.birth.iso(),
                  "policy": combo_value(self.policy), "kinship": combo_value(self.kinship),
                  "health": combo_value(self.health), "reported_date": self.reported.iso(),
                  "death_date": self.died.iso(), "out_of_wedlock": int(self.out_of_wedlock.isChecked())}
        from app import registry

        if self.child:
            return lambda: registry.update_child(self.ledger, self.child["id"], fields)
        registration = self.registration.currentData() if self.registration is not None else None
        if registration is not None:
            from app.casework import registrations

            return lambda: registrations.add_child_registered(self.ledger, self.woman_id, fields, registration)
        return lambda: registry.add_child(self.ledger, self.woman_id, fields)


class MeasureDialog(_EntryDialog):
    """新增节育措施: an open row (no end date) closes the current measure on its start."""

    def __init__(self, ledger: Ledger, woman_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ledger, t("Add contraception"), parent)
        self.setObjectName("measureDialog")
        self.woman_id = woman_id
        self.method = code_combo(self, codes.METHOD)
        self.method.setObjectName("measureMethod")
        self.start = DateLineEdit(self)
        self.start.setObjectName("measureStart")
        self.end = DateLineEdit(self)
        self.provider = QLineEdit(self)
        for label, widget in ((t("Measure"), self.method), (t("Start date"), self.start),
                              (t("End date"), self.end), (t("Provider"), self.provider)):
            self.form.addRow(label, widget)
        self.finish_layout()

    def change(self):
        if not check_dates(self, {t("Start date"): self.start, t("End date"): self.end}):
            return None
        from app import registry

        method, start, end, provider = combo_value(self.method), self.start.iso(), self.end.iso(), text_value(self.provider)
        return lambda: registry.add_measure(self.ledger, self.woman_id, method or "", start or "", end, provider)


class EndMeasureDialog(_EntryDialog):
    def __init__(self, ledger: Ledger, measure: dict, parent: QWidget | None = None) -> None:
        super().__init__(ledger, t("End contraception"), parent)
        self.setObjectName("endMeasureDialog")
        self.measure = measure
        self.end = DateLineEdit(self)
        self.end.setObjectName("measureEnd")
        self.end.set_iso(date.today())
        self.form.addRow(t("Measure"), QLineEdit(f"{measure['method']}（{measure['start_date']}）", self))
        self.form.addRow(t("End date"), self.end)
        self.finish_layout()

    def change(self):
        if not check_dates(self, {t("End date"): self.end}):
            return None
        from app import registry

        end = self.end.iso() or ""
        return lambda: registry.end_measure(self.ledger, self.measure["id"], end)


class ProcedureDialog(_EntryDialog):
    """登记手术: 上环 opens an IUD row, 取环 closes it (the core updates the history)."""

    def __init__(self, ledger: Ledger, woman_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ledger, t("Record a procedure"), parent)
        self.setObjectName("procedureDialog")
        self.woman_id = woman_id
        self.kind = code_combo(self, codes.PROCEDURE)
        self.kind.setObjectName("procedureKind")
        self.on = DateLineEdit(self)
        self.on.setObjectName("procedureDate")
        self.provider = QLineEdit(self)
        self.provider.setObjectName("procedureProvider")
        for label, widget in ((t("Procedure"), self.kind), (t("Date"), self.on), (t("Provider"), self.provider)):
            self.form.addRow(label, widget)
        self.finish_layout()

    def change(self):
        if not check_dates(self, {t("Date"): self.on}):
            return None
        from app import registry

        kind, on, provider = combo_value(self.kind) or "", self.on.iso() or "", text_value(self.provider)
        return lambda: registry.record_procedure(self.ledger, self.woman_id, kind, on, provider)


class ExitDialog(_EntryDialog):
    """出队: asks for the reason and date, then confirms (destructive-looking, reversible)."""

    def __init__(self, ledger: Ledger, woman_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ledger, t("Exit card"), parent)
        self.setObjectName("exitDialog")
        self.woman_id, self.name = woman_id, name
        self.reason = code_combo(self, codes.EXIT_REASON)
        self.reason.setObjectName("exitReason")
        self.on = DateLineEdit(self)
        self.on.setObjectName("exitDate")
        self.on.set_iso(date.today())
        self.form.addRow(t("Reason"), self.reason)
        self.form.addRow(t("Exit date"), self.on)
        self.finish_layout()

    def change(self):
        if not check_dates(self, {t("Exit date"): self.on}):
            return None
        reason, on = combo_value(self.reason) or "", self.on.iso() or ""
        question = t("Exit the card of {name} ({reason}, {day})? It leaves the register; "
                     "it can be restored later.").format(name=self.name, reason=reason or "—", day=on or "—")
        if not messages.confirm(self, question, danger=True):
            return None
        from app import registry

        return lambda: registry.exit_card(self.ledger, self.woman_id, reason, on)
