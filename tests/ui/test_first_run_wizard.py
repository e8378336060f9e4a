"""The first-run wizard: a new ledger with its office, statistical year, unit tree and administrator.

Nothing is written before 创建台帐; cancelling leaves the folder as it was; finishing creates
the ledger, the administrator (signed in) and the units in one go; demo data only on an empty tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QWizard

from app import units
from app.accounts import ADMIN
from app.attendance import calendar
from app.ledger import Ledger
from app.paths import backup_dir_for, user_data_dir
from tests.ui.shell_helpers import chinese, units_workbook  # noqa: F401 - fixture
from ui.dialogs.first_run_wizard import (
    PAGE_ADMIN,
    PAGE_CONFIRM,
    PAGE_DONE,
    PAGE_OFFICE,
    PAGE_UNITS,
    FirstRunWizard,
    stat_year_text,
)

PASSWORD = "xianyu-2026"


@pytest.fixture
def wizard(qtbot, tmp_path, chinese):  # noqa: F811
    made = FirstRunWizard(tmp_path / "台帐" / "ledger.db", actor="gui:test")
    qtbot.addWidget(made)
    made.resize(800, 600)
    made.show()
    qtbot.waitExposed(made)
    yield made
    if made.ledger is not None:
        made.ledger.close()


def press(wizard: FirstRunWizard, button: QWizard.WizardButton) -> None:
    wizard.button(button).click()


def next_page(wizard: FirstRunWizard) -> None:
    button = QWizard.WizardButton.CommitButton if wizard.currentId() == PAGE_CONFIRM else \
        QWizard.WizardButton.NextButton
    press(wizard, button)


def fill_office(wizard, office="仙庾镇计生办", month=10) -> None:
    page = wizard.currentPage()
    assert page.objectName() == "officePage"
    page.office.setText(office)
    page.month.setValue(month)


def type_units(wizard, rows) -> None:
    """Fill the unit table through its widgets: 添加一行, then the cells and the 类型 box."""
    page = wizard.currentPage()
    assert page.objectName() == "unitsPage"
    page.typed_radio.click()
    while page.table.rowCount() < len(rows):
        page.add_button.click()
    for row, (code, name, kind, parent) in enumerate(rows):
        page.table.item(row, 0).setText(code)
        page.table.item(row, 1).setText(name)
        page.table.cellWidget(row, 2).setCurrentText(kind)
        page.table.item(row, 3).setText(parent)


def fill_admin(wizard, password=PASSWORD, confirm=None) -> None:
    page = wizard.currentPage()
    assert page.objectName() == "adminPage"
    page.username.setText("admin")
    page.display_name.setText("王主任")
    page.password.setText(password)
    page.confirm.setText(password if confirm is None else confirm)


TREE = [
    ("430211101201", "仙庾村", "村", "430211101"),   # a child before its parent: the wizard orders them
    ("430211", "荷塘区", "区县", ""),
    ("430211101", "仙庾镇", "乡镇", "430211"),
    ("430211101001", "新塘社区", "社区", "430211101"),
]


def test_typed_tree_and_administrator_create_the_ledger_in_one_go(wizard, tmp_path, screenshots_dir):
    path = tmp_path / "台帐" / "ledger.db"
    assert wizard.currentId() == PAGE_OFFICE
    fill_office(wizard)
    assert wizard.office_page.explain.text() == "统计年度：每年10月1日至次年9月30日。"
    wizard.grab().save(str(screenshots_dir / "first_run_1_office.png"))
    next_page(wizard)
    type_units(wizard, TREE)
    wizard.grab().save(str(screenshots_dir / "first_run_2_units.png"))
    next_page(wizard)
    assert wizard.currentId() == PAGE_ADMIN
    fill_admin(wizard)
    wizard.grab().save(str(screenshots_dir / "first_run_3_admin.png"))
    next_page(wizard)
    assert wizard.currentId() == PAGE_CONFIRM
    summary = wizard.confirm_page.summary.text()
    assert "单位名称：仙庾镇计生办" in summary and "手工录入 4 个单位" in summary and "admin（王主任）" in summary
    assert f"节假日：自动填入内置节假日表（国务院办公厅通知）{calendar.builtin_years_text()}" in summary
    assert not wizard.confirm_page.demo.isEnabled()  # demo data only into an empty tree
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "创建台帐"
    assert not path.exists(), "nothing is written before 创建台帐"
    wizard.grab().save(str(screenshots_dir / "first_run_4_confirm.png"))

    next_page(wizard)
    assert wizard.currentId() == PAGE_DONE
    where = wizard.done_page.where.text()
    assert f"台帐文件：{path.resolve()}" in where
    assert f"备份文件夹：{backup_dir_for(path.resolve())}" in where
    assert f"数据文件夹：{user_data_dir()}" in where
    assert "portable" in where and "userdata" in where
    wizard.grab().save(str(screenshots_dir / "first_run_5_done.png"))
    press(wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QWizard.DialogCode.Accepted

    ledger = wizard.ledger
    assert ledger.path == path.resolve() and ledger.office_name == "仙庾镇计生办" and ledger.stat_year_start == 10
    assert ledger.user.username == "admin" and ledger.user.role == ADMIN and ledger.user.display_name == "王主任"
    tree = {u.code: u for u in units.units_on(ledger.db, "2000-01-01")}
    assert set(tree) == {"430211", "430211101", "430211101201", "430211101001"}
    assert tree["430211101201"].parent_id == tree["430211101"].id and tree["430211101201"].kind == "村"
    assert tree["430211"].parent_id is None
    assert all(calendar.year_has_data(ledger.db, year) for year in calendar.builtin_years())
    actions = [r[0] for r in ledger.conn.execute("select action from audit_log order by id")]
    assert actions == ["创建台帐", "创建用户", "建立单位"]
    assert ledger.conn.execute("select password_hash from users").fetchone()[0].startswith("scrypt$")
    audit_text = " ".join(str(v) for row in ledger.conn.execute("select * from audit_log") for v in row)
    assert PASSWORD not in audit_text
    assert PASSWORD.encode() not in path.read_bytes()


def test_differing_passwords_are_refused_on_the_page(wizard, tmp_path, screenshots_dir):
    fill_office(wizard)
    next_page(wizard)
    wizard.units_page.none_radio.click()
    next_page(wizard)
    fill_admin(wizard, confirm="xianyu-2025")
    next_page(wizard)
    assert wizard.currentId() == PAGE_ADMIN
    assert wizard.admin_page.error.text() == "两次输入的密码不一致。"
    wizard.grab().save(str(screenshots_dir / "first_run_3_admin_refused.png"))
    fill_admin(wizard, password="abc")
    next_page(wizard)
    assert wizard.currentId() == PAGE_ADMIN and "至少" in wizard.admin_page.error.text()
    assert list(tmp_path.iterdir()) == []


def test_an_empty_office_name_is_refused(wizard):
    fill_office(wizard, office="  ")
    next_page(wizard)
    assert wizard.currentId() == PAGE_OFFICE
    assert wizard.office_page.error.text() == "请输入单位名称。"


def test_the_statistical_year_is_explained_for_each_start_month():
    assert stat_year_text(10) == "统计年度：每年10月1日至次年9月30日。"
    assert stat_year_text(1) == "统计年度即日历年：1月1日至12月31日。"
    assert stat_year_text(3) == "统计年度：每年3月1日至次年2月28（闰年 29）日。"
    assert stat_year_text(7) == "统计年度：每年7月1日至次年6月30日。"


def test_cancelling_at_the_last_step_before_creating_leaves_nothing_behind(wizard, tmp_path):
    fill_office(wizard)
    next_page(wizard)
    type_units(wizard, TREE)
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    assert wizard.currentId() == PAGE_CONFIRM
    press(wizard, QWizard.WizardButton.CancelButton)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert wizard.ledger is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rows, problem", [
    ([("1", "荷塘区", "区县", ""), ("1", "仙庾镇", "乡镇", "1")], "第 2 行 代码：“1”与第 1 行重复"),
    ([("1", "荷塘区", "区县", ""), ("2", "仙庾镇", "乡镇", "9")], "第 2 行 上级代码：表中没有代码为“9”的单位"),
    ([("1", "", "区县", "")], "第 1 行 名称：必填"),
    ([("1", "甲", "村", "2"), ("2", "乙", "村", "1")], "第 1、2 行 上级代码：上级关系形成了循环"),
])
def test_a_wrong_unit_table_keeps_the_page_and_names_the_row(wizard, tmp_path, rows, problem):
    fill_office(wizard)
    next_page(wizard)
    type_units(wizard, rows)
    next_page(wizard)
    assert wizard.currentId() == PAGE_UNITS
    assert problem in wizard.units_page.problems.toPlainText()
    assert wizard.units_page.problems.isVisible()
    assert list(tmp_path.iterdir()) == []


def test_an_empty_typed_table_asks_for_a_unit_or_not_now(wizard):
    fill_office(wizard)
    next_page(wizard)
    page = wizard.units_page
    page.table.selectRow(0)
    page.remove_button.click()
    assert page.table.rowCount() == 0
    next_page(wizard)
    assert wizard.currentId() == PAGE_UNITS
    assert "暂不建立" in page.problems.toPlainText()


def _full_workbook(path: Path, unit_rows) -> None:
    """A standard workbook with a 单位 sheet and another sheet the wizard must leave alone."""
    units_workbook(path, unit_rows)
    from openpyxl import load_workbook

    book = load_workbook(path)
    other = book.create_sheet("育龄妇女")
    other.append(["证件号码*", "姓名*"])
    other.append(["not an id", "张三"])
    book.save(path)


def test_the_unit_tree_imported_from_a_workbook_is_trial_checked_first(wizard, tmp_path, screenshots_dir):
    source = tmp_path / "村居单位.xlsx"
    _full_workbook(source, [("430211", "荷塘区", "区县", None, None),
                            ("430211101", "仙庾镇", "乡镇", "430211", None),
                            ("430211101201", "仙庾村", "庄", "430211101", None)])
    fill_office(wizard)
    next_page(wizard)
    page = wizard.units_page
    page.import_radio.click()
    assert not page.table.isEnabled() and page.file_edit.isEnabled()
    page.file_edit.setText(str(source))
    next_page(wizard)
    assert wizard.currentId() == PAGE_UNITS
    assert "单位!4 单位类型" in page.problems.toPlainText()  # the clerk's own row number
    wizard.grab().save(str(screenshots_dir / "first_run_2_units_import_refused.png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["村居单位.xlsx"]

    _full_workbook(source, [("430211", "荷塘区", "区县", None, None),
                            ("430211101", "仙庾镇", "乡镇", "430211", None),
                            ("430211101201", "仙庾村", "村", "430211101", None)])
    next_page(wizard)
    assert wizard.currentId() == PAGE_ADMIN
    fill_admin(wizard)
    next_page(wizard)
    assert "从“" in wizard.confirm_page.summary.text() and "导入 3 个单位" in wizard.confirm_page.summary.text()
    next_page(wizard)
    press(wizard, QWizard.WizardButton.FinishButton)
    ledger = wizard.ledger
    assert {u.code for u in units.units_on(ledger.db)} == {"430211", "430211101", "430211101201"}
    assert ledger.conn.execute("select count(*) from women").fetchone()[0] == 0  # only the 单位 sheet
    actions = [r[0] for r in ledger.conn.execute("select action from audit_log order by id")]
    assert actions[:2] == ["创建台帐", "创建用户"] and "导入工作簿" in actions


def test_a_workbook_without_a_units_sheet_is_refused(wizard, tmp_path):
    source = tmp_path / "其他.xlsx"
    book = Workbook()
    book.active.title = "育龄妇女"
    book.save(source)
    fill_office(wizard)
    next_page(wizard)
    wizard.units_page.import_radio.click()
    wizard.units_page.file_edit.setText(str(source))
    next_page(wizard)
    assert wizard.currentId() == PAGE_UNITS
    assert "没有“单位”工作表" in wizard.units_page.problems.toPlainText()


def test_demo_data_load_in_the_background_into_an_empty_ledger(wizard, qtbot, screenshots_dir):
    fill_office(wizard)
    next_page(wizard)
    wizard.units_page.none_radio.click()
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    demo = wizard.confirm_page.demo
    assert demo.isEnabled()
    demo.click()
    next_page(wizard)
    page = wizard.done_page
    assert page.task is not None
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled() or page.task.done
    wizard.grab().save(str(screenshots_dir / "first_run_5_demo_loading.png"))
    qtbot.waitUntil(lambda: page.task.done, timeout=120_000)
    assert page.task.error is None, page.task.error
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert "示例数据已载入" in page.demo_status.text()
    wizard.grab().save(str(screenshots_dir / "first_run_5_demo_done.png"))
    press(wizard, QWizard.WizardButton.FinishButton)
    ledger = wizard.ledger
    assert ledger.conn.execute("select count(*) from women").fetchone()[0] > 10_000
    last = ledger.conn.execute("select action, user from audit_log order by id desc limit 1").fetchone()
    assert tuple(last) == ("载入示例数据", "admin")


def test_closing_after_the_ledger_exists_keeps_it(wizard, tmp_path):
    fill_office(wizard)
    next_page(wizard)
    wizard.units_page.none_radio.click()
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    next_page(wizard)
    assert wizard.ledger is not None
    wizard.reject()  # Esc or the window's close box
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert (tmp_path / "台帐" / "ledger.db").exists()


def test_the_start_up_without_a_ledger_runs_the_wizard(qtbot, tmp_path, chinese):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import session

    path = tmp_path / "新台帐.db"

    def drive() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard):
            QTimer.singleShot(20, drive)
            return
        fill_office(wizard, month=1)
        next_page(wizard)
        wizard.units_page.none_radio.click()
        next_page(wizard)
        fill_admin(wizard)
        next_page(wizard)
        next_page(wizard)
        press(wizard, QWizard.WizardButton.FinishButton)

    QTimer.singleShot(0, drive)
    ledger = session.open_and_sign_in(path)
    try:
        assert ledger is not None and ledger.user.username == "admin"
        assert ledger.stat_year_start == 1
    finally:
        ledger.close()
    with Ledger.open(path, daily_backup=False) as again:
        assert again.office_name == "仙庾镇计生办"


def test_file_new_ledger_runs_the_wizard_and_switches_the_window(qtbot, tmp_path, monkeypatch, chinese):  # noqa: F811
    """文件 → 新建台帐 uses the same wizard; finishing it opens the new ledger in the window."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from tests.ui.shell_helpers import ADMIN_PASSWORD
    from ui.dialogs.first_start_dialog import create_administrator
    from ui.main_window import MainWindow

    old = Ledger.create(tmp_path / "old.db", "旧办公室", 10, actor="test")
    old.user = create_administrator(old, "admin", "王主任", ADMIN_PASSWORD)
    window = MainWindow(old, old.user)
    qtbot.addWidget(window)
    new_path = tmp_path / "新台帐"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new_path), ""))
    seen: dict = {}

    def drive() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard):
            QTimer.singleShot(10, drive)
            return
        seen["title"] = wizard.windowTitle()
        fill_office(wizard, office="明照乡计生办", month=1)
        next_page(wizard)
        type_units(wizard, TREE)
        next_page(wizard)
        fill_admin(wizard)
        next_page(wizard)
        next_page(wizard)
        press(wizard, QWizard.WizardButton.FinishButton)

    QTimer.singleShot(0, drive)
    window.new_ledger()
    assert seen["title"] == "新建台帐"
    ledger = window.ledger
    assert ledger is not old and ledger.path == Path(str(new_path) + ".db").resolve()
    assert ledger.office_name == "明照乡计生办" and ledger.stat_year_start == 1
    assert window.user.username == "admin" and ledger.user is window.user
    assert len(units.units_on(ledger.db, "2000-01-01")) == 4
    window.close_ledger()


def test_file_new_ledger_cancelled_keeps_the_current_ledger(qtbot, tmp_path, monkeypatch, chinese):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.ui.shell_helpers import ADMIN_PASSWORD
    from ui.dialogs.first_start_dialog import create_administrator
    from ui.main_window import MainWindow

    old = Ledger.create(tmp_path / "old.db", "旧办公室", 10, actor="test")
    old.user = create_administrator(old, "admin", "王主任", ADMIN_PASSWORD)
    window = MainWindow(old, old.user)
    qtbot.addWidget(window)

    def cancel() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard):
            QTimer.singleShot(10, cancel)
            return
        fill_office(wizard)
        wizard.reject()

    QTimer.singleShot(0, cancel)
    assert window.do_new_ledger(tmp_path / "new.db") is False
    assert window.ledger is old and not (tmp_path / "new.db").exists()
    window.close_ledger()


def test_a_district_office_is_asked_for_and_kept_as_the_office_level(wizard, tmp_path):
    from app.district.level import DISTRICT, TOWNSHIP, office_level

    fill_office(wizard, office="荷塘区人口计生局")
    level = wizard.office_page.level
    assert [level.itemData(i) for i in range(level.count())] == [TOWNSHIP, DISTRICT]
    assert level.currentData() == TOWNSHIP and level.itemText(0) == "乡镇/街道"
    level.setCurrentIndex(1)
    next_page(wizard)
    type_units(wizard, TREE[1:3])
    next_page(wizard)
    fill_admin(wizard)
    next_page(wizard)
    next_page(wizard)
    assert wizard.currentId() == PAGE_DONE
    assert office_level(wizard.ledger) == DISTRICT
    actions = [r[0] for r in wizard.ledger.conn.execute("select action from audit_log order by id")]
    assert actions == ["创建台帐", "创建用户", "修改设置", "建立单位"]
