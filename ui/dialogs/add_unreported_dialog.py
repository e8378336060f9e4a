"""Adding a surveyed 漏报 birth to the ledger (with the mother's card when she is new).

The clerk sees what will be written and confirms it: the child from the survey row with 上报日期 =
today (so it counts as 补报 in the open period), and for a new mother the ID number, 户口性质,
居住状态, 婚姻状况 and 初婚日期 the registry needs. The registry's own checks apply; a refusal is
shown in the dialog and nothing is written.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from app.idcard import mask_id
from app.reconcile import decisions
from app.reconcile.survey import SurveyRow
from app.registry import get_card
from ui.dialogs.form import FormDialog
from ui.i18n import t


class AddUnreportedDialog(FormDialog):
    def __init__(self, ledger, survey_id: int, row: SurveyRow, mother_woman_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(t("Add the unreported birth to the ledger"), parent)
        self.setObjectName("addUnreportedDialog")
        self.ledger, self.survey_id, self.row, self.mother_woman_id = ledger, survey_id, row, mother_woman_id
        self.child_id: int | None = None
        self.set_intro(t("Survey row {row}: {mother}, child born {born} ({sex}). The birth is added with the "
                         "reporting date {today}, so it counts as a late report (补报) in the open period.").format(
            row=row.row_number, mother=row.mother_name, born=row.birth_date.isoformat(), sex=row.sex,
            today=date.today().isoformat()))
        if mother_woman_id is not None:
            card = get_card(ledger.db, mother_woman_id)
            name, idn = card["name"], card["id_number"]
            self.add_row(t("Mother (already in the ledger):"), QLabel(f"{name} {mask_id(idn)}", self))
            self.id_edit = None
        else:
            self.add_row(t("Mother:"), QLabel(t("new card, marked for completion"), self))
            self.id_edit = self.add_row(t("Mother's ID number:"), QLineEdit(row.mother_id_number or "", self),
                                        "motherIdNumber")
            self.hukou = self.add_row(t("Hukou type:"), self._combo(["农业", "非农业"]), "hukou")
            self.residence = self.add_row(t("Residence status:"), self._combo(["常住", "流入"]), "residence")
            self.marital = self.add_row(t("Marital status:"), self._combo(["初婚", "再婚", "未婚", "离婚", "丧偶"]),
                                        "marital")
            self.married = self.add_row(t("First marriage date:"), QLineEdit(self), "firstMarriage")
            self.married.setPlaceholderText("YYYY-MM-DD")
        self.order = self.add_row(t("Birth order:"), QSpinBox(self), "birthOrder")
        self.order.setRange(0, 20)
        self.order.setSpecialValueText(t("next free"))
        self.order.setValue(row.birth_order or 0)
        self.policy = self.add_row(t("Policy status:"), self._combo(["政策内", "政策外"]), "policy")
        if row.policy:
            self.policy.setCurrentText(row.policy)

    def _combo(self, values: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(values)
        return combo

    def submit(self) -> None:
        new_mother = None
        if self.id_edit is not None:
            new_mother = {"id_number": self.id_edit.text().strip(), "hukou_type": self.hukou.currentText(),
                          "residence": self.residence.currentText(), "marital_status": self.marital.currentText(),
                          "first_marriage_date": self.married.text().strip() or None}
        child = {"policy": self.policy.currentText()}
        if self.order.value():
            child["birth_order"] = self.order.value()
        self.child_id = decisions.add_unreported(self.ledger, self.survey_id, self.row.row_number,
                                                 mother_woman_id=self.mother_woman_id, new_mother=new_mother,
                                                 child_fields=child)
