"""Excel/WPS habits on the tables (ui.table_habits), driven through the real registry tab: Ctrl+C
copies the selected block as TSV with headers, the right-click menu, 导出所选 as text cells,
column widths and the splitter remembered in the settings file, and the main window's tables."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QTableView

from app import registry
from app.accounts import SECTION_HEAD, User
from tests import builders as b
from tests.ui.shell_helpers import admin_ledger, chinese, recorded  # noqa: F401 - fixtures
from ui import settings as ui_settings
from ui import table_habits
from ui.main_window import MainWindow
from ui.registry_tab import RegistryTab

CLERK = User(1, "zhang", "张干事", SECTION_HEAD)


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    """A settings file of the test's own (never the user's real settings)."""
    path = tmp_path / "界面设置.ini"
    monkeypatch.setenv("FPLEDGER_UI_SETTINGS", str(path))
    yield path
    ui_settings.forget_cached()


@pytest.fixture
def office(ledger):
    ledger.user = CLERK
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    b.unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    for name, born, husband in (("王芳", "1988-02-03", "李强"), ("陈静", "1990-07-08", "=SUM(A1:A9)"),
                                ("李秀英", "1992-01-01", "赵刚"), ("张敏", "1979-11-30", "王刚")):
        registry.save_woman(ledger, {"name": name, "id_number": b.make_id(born), "unit_code": "430202001001",
                                     "hukou_type": "农业", "residence": "常住", "marital_status": "初婚",
                                     "first_marriage_date": "2010-05-01", "husband_name": husband})
    return ledger


def make_tab(qtbot, ledger) -> RegistryTab:
    tab = RegistryTab(ledger, CLERK)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    return tab


def select_rows(view: QTableView, rows: list[int]) -> None:
    model, selection = view.model(), QItemSelection()
    for row in rows:
        selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.setCurrentIndex(model.index(rows[0], 0))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_ctrl_c_copies_three_selected_rows_with_headers(qtbot, office, settings_file, chinese):  # noqa: F811
    tab = make_tab(qtbot, office)
    view = tab.table
    names = [tab.model.rows[r]["name"] for r in range(tab.model.rowCount())]
    select_rows(view, [0, 1, 2])
    view.setFocus()
    QApplication.clipboard().clear()
    fired = []
    table_habits.habits_of(view).copy_action.triggered.connect(lambda *_: fired.append(True))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]                          # the shortcut ran, not the view's own one-cell copy
    lines = QApplication.clipboard().text().split("\n")
    assert len(lines) == 4
    header = lines[0].split("\t")
    assert header[:2] == ["姓名", "证件号码"] and len(header) == tab.model.columnCount()
    assert [line.split("\t")[0] for line in lines[1:]] == names[:3]
    assert all(len(line.split("\t")) == len(header) for line in lines)
    assert "*" in lines[1].split("\t")[1]            # the ID number as shown: masked

    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    values = QApplication.clipboard().text().split("\n")
    assert values == lines[1:]                      # Ctrl+Shift+C: the same block, no header


def test_a_block_of_cells_copies_only_its_columns(qtbot, office, settings_file, chinese):  # noqa: F811
    tab = make_tab(qtbot, office)
    view = tab.table
    model = view.model()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
    view.selectionModel().select(QItemSelection(model.index(1, 0), model.index(2, 1)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    text = table_habits.habits_of(view).copy(headers=True)
    rows = [line.split("\t") for line in text.split("\n")]
    assert rows[0] == ["姓名", "证件号码"] and len(rows) == 3 and all(len(r) == 2 for r in rows)


def test_context_menu_offers_copy_open_card_and_export(qtbot, office, settings_file, chinese, recorded,  # noqa: F811
                                                       monkeypatch, tmp_path):
    tab = make_tab(qtbot, office)
    view = tab.table
    opened: list[int | None] = []
    monkeypatch.setattr(tab, "open_card", lambda woman_id: opened.append(woman_id))
    habits = table_habits.habits_of(view)
    select_rows(view, [0])
    # right-click on the second row: outside the selection, so it becomes the selection
    rect = view.visualRect(view.model().index(1, 0))
    habits.show_menu(rect.center())
    menu = habits.last_menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["复制（含表头）", "复制", "打开卡片", "导出所选…"]
    assert [a.shortcut().toString() for a in menu.actions() if not a.isSeparator()][:2] == ["Ctrl+C", "Ctrl+Shift+C"]
    assert [i.row() for i in view.selectionModel().selectedRows()] == [1]
    menu.close()

    next(a for a in menu.actions() if a.text() == "打开卡片").trigger()
    assert opened == [tab.model.woman_id(1)]

    select_rows(view, [0, 1, 2, 3])
    target = tmp_path / "out" / "所选.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(habits, "ask_export_path", lambda: str(target))
    next(a for a in menu.actions() if a.text() == "导出所选…").trigger()
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["姓名", "证件号码"] and len(rows) == 5
    husbands = [r[rows[0].index("丈夫姓名")] for r in rows[1:]]
    assert "=SUM(A1:A9)" in husbands                         # text, not a formula
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)
    assert ui_settings.last_folder() == str(target.parent)   # the next export dialog opens there
    assert any("已导出 4 行" in text for text in recorded.texts("info"))
    user, action, after = office.db.execute(
        "select user, action, after from audit_log order by id desc limit 1").fetchone()
    assert (user, action) == ("zhang", "导出所选行") and '"rows": 4' in after   # PIPL: who exported what


def drag_handle(qtbot, header, column: int, width: int) -> None:
    """Press on the right edge of `column` in the header, move, release (as with the mouse)."""
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    target = header.sectionViewportPosition(column) + width - 1
    viewport = header.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for x in range(edge, target + 1, max(1, (target - edge) // 5)):
        qtbot.mouseMove(viewport, QPoint(x, y))
    qtbot.mouseMove(viewport, QPoint(target, y))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(target, y))


def test_column_widths_and_splitter_come_back_after_reopening(qtbot, office, settings_file, chinese):  # noqa: F811
    tab = make_tab(qtbot, office)
    header = tab.table.horizontalHeader()
    assert header.stretchLastSection()
    header.resizeSection(2, 150)            # the program's own widths are not remembered
    drag_handle(qtbot, header, 1, 233)      # the clerk drags 证件号码 wider
    assert header.sectionSize(1) == 233
    splitter = tab.findChild(QSplitter, "registrySplitter")
    splitter.setSizes([321, 1000])
    splitter.splitterMoved.emit(321, 1)
    tab.close()
    ui_settings.forget_cached()              # the next window reads the file, as after a restart
    assert settings_file.exists()

    again = make_tab(qtbot, office)
    assert again.table.horizontalHeader().sectionSize(1) == 233
    assert again.table.horizontalHeader().sectionSize(2) == 90     # the tab's default, not 150
    assert again.findChild(QSplitter, "registrySplitter").sizes()[0] == 321


def test_every_table_of_the_main_window_gets_the_habits_and_fills_the_width(
        qtbot, admin_ledger, settings_file, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        content = window.tabs.widget(index).ensure_built()
        views = content.findChildren(QTableView)
        assert views or index == 4, f"tab {index} has no table"   # reports: tables once computed
        for view in views:
            assert table_habits.habits_of(view) is not None, view.objectName()
            assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
            if view.isVisible():
                header = view.horizontalHeader()
                filled = header.length() if header.count() else view.viewport().width()
                assert filled >= view.viewport().width() - 2, view.objectName()
    window.close_ledger()


def test_window_size_is_remembered(qtbot, admin_ledger, settings_file, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    assert not window.restore_geometry()
    window.resize(1024, 690)             # the offscreen screen is 800×800: restoring clamps wider ones
    window.show()
    qtbot.waitExposed(window)
    window.save_geometry()
    ui_settings.forget_cached()
    second = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(second)
    assert second.restore_geometry()
    assert (second.width(), second.height()) == (1024, 690)
    window.close_ledger()


def test_login_prefills_the_last_user(qtbot, admin_ledger, settings_file, chinese):  # noqa: F811
    from tests.ui.shell_helpers import ADMIN_PASSWORD
    from ui.dialogs.login_dialog import LoginDialog

    first = LoginDialog(admin_ledger)
    qtbot.addWidget(first)
    assert first.username.text() == ""
    first.username.setText("admin")
    first.password.setText(ADMIN_PASSWORD)
    first.ok_button().click()
    assert first.user is not None
    ui_settings.forget_cached()
    second = LoginDialog(admin_ledger)
    qtbot.addWidget(second)
    assert second.username.text() == "admin" and second.password.text() == ""


def test_menu_on_an_empty_table_disables_copy_and_export(qtbot, ledger, settings_file, chinese):  # noqa: F811
    ledger.user = CLERK
    tab = make_tab(qtbot, ledger)
    habits = table_habits.habits_of(tab.table)
    habits.show_menu(QPoint(5, 5))
    enabled = {a.text(): a.isEnabled() for a in habits.last_menu.actions() if not a.isSeparator()}
    habits.last_menu.close()
    assert enabled["复制（含表头）"] is False and enabled["导出所选…"] is False
