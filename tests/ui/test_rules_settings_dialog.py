"""设置 → 统计与孕检设置: the long-acting rule and the roster settings, audited, by permission."""

from __future__ import annotations

import json

import pytest

from app.accounts import STAFF, User
from app.errors import PermissionDenied
from app.roster import rounds
from tests.ui.shell_helpers import admin_ledger, chinese, recorded  # noqa: F401 - fixtures
from ui.dialogs.rules_settings_dialog import RulesSettingsDialog
from ui.main_window import MainWindow


def make_dialog(qtbot, ledger) -> RulesSettingsDialog:
    dialog = RulesSettingsDialog(ledger)
    qtbot.addWidget(dialog)
    return dialog


def test_defaults_are_shown_and_ok_without_changes_writes_nothing(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    assert dialog.windowTitle() == "统计与孕检设置"
    assert dialog.long_acting.isChecked() and dialog.months.value() == 4
    assert dialog.exempt.value() == 12 and dialog.overdue.value() == 30
    audit_before = admin_ledger.conn.execute("select count(*) from audit_log").fetchone()[0]
    dialog.ok_button().click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert admin_ledger.conn.execute("select count(*) from audit_log").fetchone()[0] == audit_before


def test_changed_values_are_saved_as_settings_and_audited(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.months.setValue(6)
    dialog.exempt.setValue(13)
    dialog.overdue.setValue(45)
    dialog.ok_button().click()
    assert admin_ledger.setting("long_acting_months") == "6"
    assert rounds.exempt_months(admin_ledger) == 13 and rounds.overdue_days(admin_ledger) == 45
    assert admin_ledger.setting("long_acting_enabled") is None  # unchanged, not written
    entries = admin_ledger.conn.execute(
        "select object_id, before, after from audit_log where action = '修改设置' order by id").fetchall()
    assert [(key, json.loads(after)) for key, _, after in entries] == [
        ("long_acting_months", "6"), (rounds.EXEMPT_MONTHS_KEY, "13"), (rounds.OVERDUE_DAYS_KEY, "45")]


def test_switching_the_long_acting_indicator_off_disables_its_months(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.long_acting.setChecked(False)
    assert not dialog.months.isEnabled()
    dialog.ok_button().click()
    assert admin_ledger.setting("long_acting_enabled") == "0"
    again = make_dialog(qtbot, admin_ledger)
    assert not again.long_acting.isChecked() and not again.months.isEnabled()


def test_staff_may_not_change_the_rules(qtbot, admin_ledger, chinese, recorded):  # noqa: F811
    staff = User(99, "xiaoli", "李干事", STAFF)
    admin_ledger.user = staff
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.exempt.setValue(6)
    with pytest.raises(PermissionDenied):
        dialog.submit()
    assert admin_ledger.setting(rounds.EXEMPT_MONTHS_KEY) is None
    window = MainWindow(admin_ledger, staff)
    qtbot.addWidget(window)
    assert not window.actions_by_name["rulesSettingsAction"].isEnabled()


def test_the_settings_menu_opens_it_for_the_administrator(qtbot, admin_ledger, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    action = window.actions_by_name["rulesSettingsAction"]
    assert action.isEnabled() and action.text() == "统计与孕检设置(&R)…"
