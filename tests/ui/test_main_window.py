"""The main window: its tabs, menus, shortcuts, status bar, 关于, backup, restore and import."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTabWidget

from app import __version__, units
from app.accounts import ADMIN
from app.paths import user_data_dir
from tests.ui.shell_helpers import (  # noqa: F401 - fixtures
    add_staff,
    admin_ledger,
    chinese,
    recorded,
    units_workbook,
)
from ui.dialogs.import_dialog import ImportErrorsDialog, ImportSummaryDialog, export_errors
from ui.main_window import MainWindow

TAB_NAMES = ["registryTab", "rosterTab", "reconcileTab", "attendanceTab", "reportsTab"]
TAB_TITLES = ["育龄妇女台帐", "孕检名册", "抽样核对", "考勤", "统计报表"]


@pytest.fixture
def window(qtbot, admin_ledger, chinese):  # noqa: F811
    win = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_main_window_has_the_five_work_tabs_by_object_name(window):
    tabs = window.findChild(QTabWidget, "mainTabs")
    assert tabs is not None
    assert [tabs.widget(i).objectName() for i in range(tabs.count())] == TAB_NAMES
    assert [tabs.tabText(i) for i in range(tabs.count())] == TAB_TITLES
    for name in TAB_NAMES:
        assert window.findChild(object, name) is not None or tabs.findChild(object, name) is not None


def test_menus_are_chinese_with_their_shortcuts(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["文件(&F)", "设置(&S)", "帮助(&H)"]
    actions = window.actions_by_name
    assert actions["openLedgerAction"].shortcut().toString() == "Ctrl+O"
    assert actions["importAction"].shortcut().toString() == "Ctrl+I"
    assert actions["quitAction"].shortcut().toString() == "Ctrl+Q"
    assert actions["unitsAction"].text() == "单位管理(&U)…"
    assert actions["usersAction"].text() == "用户管理(&S)…"
    assert actions["statYearAction"].text() == "统计年度(&Y)…"


def test_ctrl_and_a_digit_switch_tabs(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().objectName() == "reconcileTab"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().objectName() == "reportsTab"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().objectName() == "registryTab"


def test_about_shows_the_version_the_ledger_and_the_data_folder(window, admin_ledger):  # noqa: F811
    window.actions_by_name["aboutAction"].trigger()
    box = window.last_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert f"版本 {__version__}" in box.text()
    assert str(admin_ledger.path) in box.text()
    assert f"数据文件夹：{user_data_dir()}" in box.text()
    assert "便携模式：否" in box.text()
    box.close()


def test_the_status_bar_names_the_ledger_the_user_and_the_last_backup(window, admin_ledger, recorded):  # noqa: F811
    assert str(admin_ledger.path) in window.ledger_label.text()
    assert window.user_label.text() == f"用户：王主任（{ADMIN}）"
    before = window.backup_label.text()
    made = window.do_backup()
    assert made is not None and made.exists()
    assert window.backup_label.text().startswith("最近备份：")
    assert window.backup_label.text() != "最近备份：尚无" or before != window.backup_label.text()
    assert admin_ledger.last_backup.path == made
    assert recorded.texts("info") == [f"台帐已备份并校验完好：{made}"]


def test_only_the_administrator_may_manage_users_and_units(qtbot, admin_ledger, chinese):  # noqa: F811
    staff = add_staff(admin_ledger)
    admin_ledger.user = staff
    win = MainWindow(admin_ledger, staff)
    qtbot.addWidget(win)
    actions = win.actions_by_name
    assert not actions["usersAction"].isEnabled()
    assert not actions["unitsAction"].isEnabled()
    assert not actions["restoreAction"].isEnabled()
    assert actions["importAction"].isEnabled()
    assert actions["passwordAction"].isEnabled()
    assert "无权" in actions["usersAction"].toolTip()


def test_every_admin_action_is_enabled_for_the_administrator(window):
    allowed = {"usersAction", "unitsAction", "backupAction", "restoreAction", "importAction", "statYearAction"}
    assert all(window.actions_by_name[name].isEnabled() for name in allowed)


def test_restore_brings_back_the_backup_and_keeps_the_user_signed_in(window, admin_ledger, recorded, tmp_path):  # noqa: F811
    copy = window.do_backup(tmp_path / "copy.db")
    with window.ledger.write("新增单位", "unit", "430202001") as db:
        units.add(db, "430202001", "仙庾镇", "乡镇")
    assert window.do_restore(copy) is True
    assert window.ledger is not admin_ledger
    assert units.find(window.ledger.db, "430202001") is None
    assert window.user.username == "admin" and window.ledger.user == window.user
    assert recorded.texts("info")[-1].startswith(f"已从“{copy}”恢复台帐。")
    actions = [r[0] for r in window.ledger.conn.execute("select action from audit_log order by id")]
    assert actions[-1] == "恢复台帐"


def test_a_failed_restore_reopens_the_current_ledger(window, recorded, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is no backup")
    assert window.do_restore(bad) is False
    assert "不能用于恢复" in recorded.texts("error")[0]
    assert window.ledger.office_name == "荷塘区人口计生局"
    assert window.ledger.user.username == "admin"


def test_import_runs_in_the_background_and_shows_the_summary(window, qtbot, tmp_path):
    path = tmp_path / "单位.xlsx"
    units_workbook(path, [("430202001", "仙庾镇", "乡镇", None, None),
                          ("430202001001", "桃花村", "村", "430202001", None)])
    task = window.start_import(path)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    dialog = window.last_dialog
    assert isinstance(dialog, ImportSummaryDialog)
    assert "单位：新增 2，更新 0，未变 0" in dialog.text.toPlainText()
    assert [u.name for u in units.units_on(window.ledger.db)] == ["仙庾镇", "桃花村"]
    assert window.backup_label.text() != "最近备份：尚无"


def test_a_refused_import_lists_every_error_and_writes_nothing(window, qtbot, tmp_path):
    path = tmp_path / "单位.xlsx"
    units_workbook(path, [("430202001", "仙庾镇", "乡镇", None, None),
                          ("430202001001", "桃花村", "村庄", "430202001", None),
                          ("430202001002", "", "村", "430202999", None)])
    task = window.start_import(path)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    dialog = window.last_dialog
    assert isinstance(dialog, ImportErrorsDialog)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert rows[0][:3] == ["单位", "3", "单位类型"]
    assert {row[1] for row in rows} == {"3", "4"}
    assert units.units_on(window.ledger.db) == []


def test_the_refused_import_shows_the_count_every_error_and_copies_them_all(window, qtbot, tmp_path):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QLabel, QPushButton

    path = tmp_path / "单位.xlsx"
    units_workbook(path, [(f"4302020{i:05d}", f"村{i}", "村庄", None, None) for i in range(70)])
    task = window.start_import(path)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    dialog = window.last_dialog
    assert isinstance(dialog, ImportErrorsDialog)
    assert any("共发现 70 处问题" in label.text() for label in dialog.findChildren(QLabel))
    assert dialog.table.rowCount() == 70    # every error, not the first 50
    dialog.findChild(QPushButton, "copyAllButton").click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied == [str(e) for e in dialog.errors] and len(copied) == 70
    assert copied[69].startswith("单位!71 单位类型: ")


def test_cancelling_an_import_writes_nothing(window, qtbot, tmp_path, recorded):  # noqa: F811
    path = tmp_path / "单位.xlsx"
    units_workbook(path, [(f"4302020{i:05d}", f"村{i}", "村", None, None) for i in range(1200)])
    task = window.start_import(path)
    task.cancel()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert recorded.texts("error") == ["导入已取消，未写入任何数据。"]
    assert units.units_on(window.ledger.db) == []


def test_the_error_list_exports_to_xlsx_and_csv(window, qtbot, tmp_path):
    path = tmp_path / "单位.xlsx"
    units_workbook(path, [("430202001", "", "乡镇", None, None)])
    task = window.start_import(path)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    errors = window.last_dialog.errors
    xlsx = export_errors(errors, tmp_path / "错误清单.xlsx")
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == ["工作表", "行", "列", "问题说明"]
    assert [c.value for c in sheet[2]][:3] == ["单位", 2, "单位名称"]
    csv_path = export_errors(errors, tmp_path / "错误清单.csv")
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["工作表", "行", "列", "问题说明"] and lines[1][:3] == ["单位", "2", "单位名称"]
    assert not list(tmp_path.glob(".*.part*")) and not list(tmp_path.glob(".~*"))


def test_screenshot_of_the_main_window(window, screenshots_dir, qtbot):
    window.resize(1366, 768)
    qtbot.wait(50)
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    target = screenshots_dir / "main_window.png"
    assert image.save(str(target))


def test_a_tab_is_built_the_first_time_it_is_shown(window):
    from ui.registry_tab import RegistryTab

    holders = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert isinstance(holders[0].content, RegistryTab)
    assert all(holder.content is None for holder in holders[1:])
    window.tabs.setCurrentIndex(3)
    assert holders[3].content is not None and holders[3].content.objectName() == "attendanceTabContent"
    assert holders[1].content is None
