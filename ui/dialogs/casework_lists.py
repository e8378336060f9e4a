"""Lists of today's casework: 生育登记列表 (a period's registrations with counts by order) and
奖扶/特扶筛查 (the year's screening with every refusal's reasons, 公示 list and roll export).

ID numbers are masked on screen (the roll for the county carries them in full, exported by a
role that may see them: app.rewards_forms checks it). The figures come from app/casework and
app/rewards; nothing is computed here.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import idcard, reports_desk, rewards, rewards_forms
from app.casework import registrations
from app.errors import LedgerError
from app.ledger import Ledger
from ui import file_dialogs, messages
from ui.i18n import t
from ui.table_habits import equip_tables
from ui.widgets.record_table import fill, record_table


class RegistrationsDialog(QDialog):
    """生育登记列表: the registrations of a period (by registration day), counts by order."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.setObjectName("registrationsDialog")
        self.setWindowTitle(t("Birth registrations"))
        self.resize(900, 560)
        self.period_edit = QLineEdit(self, objectName="registrationsPeriod")
        self.period_edit.setPlaceholderText("2026-03 / 2026H1 / 2026")
        self.period_edit.returnPressed.connect(self.refresh)
        self.quick = QComboBox(self, objectName="registrationsQuick")
        for label, code in reports_desk.quick_periods(date.today(), ledger.stat_year_start):
            self.quick.addItem(f"{label}（{code}）", code)
        self.quick.activated.connect(lambda i: self.set_period(self.quick.itemData(i)))
        show = QPushButton(t("Show"), self, objectName="registrationsShow")
        show.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Period"), self))
        bar.addWidget(self.period_edit)
        bar.addWidget(self.quick)
        bar.addWidget(show)
        bar.addStretch(1)
        self.summary = QLabel(self, objectName="registrationsSummary")
        self.table = record_table(self, "registrationsList", [
            t("Number"), t("Date registered"), t("Person's name"), t("ID number"), t("Husband's name"), t("Unit"),
            t("Birth order"), t("Expected date of birth"), t("Date of birth"), t("Linked to the child")])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.document: dict | None = None
        equip_tables(self)
        self.set_period(reports_desk.quick_periods(date.today(), ledger.stat_year_start)[4][1])

    def set_period(self, code: str | None) -> None:
        if code:
            self.period_edit.setText(code)
            self.refresh()

    def refresh(self) -> None:
        try:
            self.document = doc = registrations.view_period(self.ledger, self.period_edit.text())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        by = doc["by_order"]
        self.summary.setText(t("{start} to {end}: {total} registrations — first child {o1}, second {o2}, "
                               "third {o3}; {linked} linked to the child").format(
            start=doc["start"], end=doc["end"], total=doc["total"], o1=by["1"], o2=by["2"], o3=by["3"],
            linked=doc["linked"]))
        fill(self.table, [[r["number"], r["registered_on"], r["name"], idcard.mask_id(r["id_number"]),
                           r["husband_name"], r["unit_name"], r["order"], r["expected_date"], r["birth_date"],
                           t("Yes") if r["child_id"] else t("No")] for r in doc["registrations"]])


class RewardsDialog(QDialog):
    """奖扶/特扶筛查 of a calendar year: every screened person, eligible or with the reasons."""

    def __init__(self, ledger: Ledger, user=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user = ledger, user
        self.setObjectName("rewardsDialog")
        self.setWindowTitle(t("Reward and special assistance screening"))
        self.resize(1100, 620)
        self.year = QSpinBox(self, objectName="rewardsYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        screen = QPushButton(t("Screen"), self, objectName="rewardsScreen")
        screen.clicked.connect(self.refresh)
        self.filter = QComboBox(self, objectName="rewardsFilter")
        for text, value in ((t("Everyone screened"), None), (t("Eligible"), True), (t("Refused"), False)):
            self.filter.addItem(text, value)
        self.filter.currentIndexChanged.connect(lambda *_: self.show_rows())
        self.roll_box = QCheckBox(t("Also the roll for the county (full ID numbers)"), self, objectName="rewardsRoll")
        self.roll_box.setEnabled(user is None or user.may("unmask_personal_data"))
        export = QPushButton(t("Export lists (Excel + PDF)…"), self, objectName="rewardsExport")
        export.clicked.connect(self.ask_export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Calendar year"), self))
        bar.addWidget(self.year)
        bar.addWidget(screen)
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.roll_box)
        bar.addWidget(export)
        self.summary = QLabel(self, objectName="rewardsSummary")
        self.summary.setWordWrap(True)
        self.table = record_table(self, "rewardsTable", [
            t("Scheme"), t("Person's name"), t("Sex"), t("Date of birth"), t("Age"), t("ID number"), t("Unit"),
            t("Eligible"), t("New"), t("Reasons for refusal")])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.document: dict | None = None
        equip_tables(self)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.document = rewards.view(self.ledger, self.year.value())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        doc = self.document
        parts = [t("{scheme}: {listed} screened, {eligible} eligible ({new} new)").format(scheme=s, **v)
                 for s, v in doc["summary"].items()]
        if doc["unscreened"]:
            parts.append(t("{n} husbands without a readable ID number could not be screened").format(
                n=len(doc["unscreened"])))
        self.summary.setText(t("At {day}: ").format(day=doc["year_end"]) + "；".join(parts))
        self.show_rows()

    def show_rows(self) -> None:
        if self.document is None:
            return
        wanted = self.filter.currentData()
        people = [p for p in self.document["people"] if wanted is None or p["eligible"] is wanted]
        fill(self.table, [[p["scheme"], p["name"], p["sex"], p["birth_date"], p["age"], idcard.mask_id(p["id_number"]),
                           p["unit_name"], t("Yes") if p["eligible"] else t("No"), t("Yes") if p["new"] else "",
                           "；".join(p["reasons"])] for p in people])

    def ask_export(self) -> None:
        folder = file_dialogs.choose_folder(self, t("Choose the folder for the lists"))
        if folder:
            self.export(folder)

    def export(self, folder: str) -> list:
        try:
            written = rewards_forms.export(self.ledger, self.year.value(), folder, roll=self.roll_box.isChecked())
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return []
        messages.info(self, t("Saved: {path}").format(path="\n".join(str(p) for p in written)))
        return written
