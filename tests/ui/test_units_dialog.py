"""单位管理: the tree of a date, and add / rename / move / merge / split with their history."""

from __future__ import annotations

from PySide6.QtCore import QDate

from app import units
from tests.ui.shell_helpers import admin_ledger, chinese, drive_next_modal, recorded  # noqa: F401
from ui.dialogs.units_dialog import UnitsDialog


def audit_actions(ledger) -> list[tuple[str, str]]:
    return [tuple(r) for r in ledger.conn.execute(
        "select action, object_id from audit_log where object_type = 'unit' order by id")]


def make_dialog(qtbot, ledger) -> UnitsDialog:
    dialog = UnitsDialog(ledger)
    qtbot.addWidget(dialog)
    return dialog


def test_adding_a_unit_through_the_form_puts_it_in_the_tree_and_the_audit_log(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)

    def township(form):
        form.code_edit.setText("430202001")
        form.name_edit.setText("仙庾镇")
        form.kind.setCurrentText("乡镇")

    drive_next_modal(township)
    dialog.action_buttons["addButton"].click()
    assert dialog.unit_codes() == ["430202001"]
    assert dialog.selected_code() == "430202001"

    def village(form):  # the selected township is offered as the parent
        form.code_edit.setText("430202001001")
        form.name_edit.setText("桃花村")
        form.kind.setCurrentText("村")

    drive_next_modal(village)
    dialog.action_buttons["addButton"].click()
    assert dialog.unit_codes() == ["430202001", "430202001001"]
    village_unit = units.get(admin_ledger.db, "430202001001")
    assert village_unit.parent_id == units.get(admin_ledger.db, "430202001").id
    assert audit_actions(admin_ledger) == [("新增单位", "430202001"), ("新增单位", "430202001001")]
    assert dialog.model.item(0, 0).child(0, 0).text() == "桃花村"


def test_a_refused_unit_keeps_the_form_open_with_the_reason(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.add_unit("430202001", "仙庾镇", "乡镇", None, units.BEGINNING)
    outcome: dict = {}

    def duplicate(form):
        form.code_edit.setText("430202001")
        form.name_edit.setText("另一个镇")

    drive_next_modal(duplicate, outcome)
    dialog.action_buttons["addButton"].click()
    assert outcome["error"] == "单位代码“430202001”已存在。"
    assert dialog.unit_codes() == ["430202001"]


def test_renaming_on_a_date_keeps_the_old_name_in_history(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.add_unit("430202001", "仙庾镇", "乡镇", None, units.BEGINNING)
    dialog.select("430202001")

    def rename(form):
        form.name_edit.setText("仙庾街道")
        form.date.setDate(QDate(2025, 7, 1))

    drive_next_modal(rename)
    dialog.action_buttons["renameButton"].click()
    assert units.get(admin_ledger.db, "430202001", "2025-06-30").name == "仙庾镇"
    assert units.get(admin_ledger.db, "430202001", "2025-07-01").name == "仙庾街道"
    assert dialog.model.item(0, 0).text() == "仙庾街道"
    history = [[dialog.history.item(r, c).text() for c in (0, 2, 3)] for r in range(dialog.history.rowCount())]
    assert history == [["仙庾镇", "历来存在", "2025-07-01"], ["仙庾街道", "2025-07-01", ""]]
    assert audit_actions(admin_ledger)[-1] == ("单位更名", "430202001")
    dialog.on_date.setDate(QDate(2025, 1, 1))
    assert dialog.model.item(0, 0).text() == "仙庾镇"


def test_move_merge_and_split_each_audit_one_change(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.add_unit("A", "甲镇", "乡镇", None, units.BEGINNING)
    dialog.add_unit("B", "乙镇", "乡镇", None, units.BEGINNING)
    dialog.add_unit("A1", "一村", "村", "A", units.BEGINNING)
    dialog.add_unit("A2", "二村", "村", "A", units.BEGINNING)
    dialog.move_unit("A1", "B", "2025-01-01")
    dialog.merge_unit("A2", "A1", "2025-02-01")
    dialog.split_unit("A1", [("A3", "三村")], "2025-03-01", dissolve=False)
    on = "2025-03-01"
    assert units.get(admin_ledger.db, "A1", on).parent_id == units.get(admin_ledger.db, "B", on).id
    assert units.find(admin_ledger.db, "A2", on) is None
    assert units.get(admin_ledger.db, "A3", on).parent_id == units.get(admin_ledger.db, "B", on).id
    assert [a for a, _ in audit_actions(admin_ledger)][-3:] == ["单位划转", "单位合并", "单位拆分"]


def test_changing_units_needs_a_selection(qtbot, admin_ledger, recorded, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.action_buttons["renameButton"].click()
    assert recorded.texts("info") == ["请先在树中选择一个单位。"]
