"""文件 › 导出全部数据: the whole ledger to the standard workbook in the background, with
progress and cancel; a cancel leaves no file; only roles that may see full ID numbers."""

from __future__ import annotations

import time

import pytest

from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from tests import builders as b
from tests.ui.shell_helpers import (  # noqa: F401 - fixtures
    add_staff,
    admin_ledger,
    chinese,
    recorded,
)
from ui import file_dialogs
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, admin_ledger, chinese):  # noqa: F811
    b.unit(admin_ledger, "430202", "荷塘区", "区县")
    b.unit(admin_ledger, "430202101201", "桃花村", "村", parent="430202")
    for i in range(3):
        b.woman(admin_ledger, f"李{i}", unit="430202101201")
    win = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_file_menu_exports_all_data_and_the_file_imports_back(window, qtbot, tmp_path, recorded, monkeypatch):  # noqa: F811
    action = window.actions_by_name["exportAllAction"]
    assert action.text() == "导出全部数据(&E)…" and action.isEnabled()
    assert action in window.findChild(object, "fileMenu").actions()
    monkeypatch.setattr(file_dialogs, "save_file", lambda parent, title, name, filters: str(tmp_path / "全部"))
    action.trigger()
    task = window.export_task
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    out = tmp_path / "全部.xlsx"
    assert out.exists()
    assert recorded.texts("info") == [f"全部数据已导出到“{out}”：\n单位：2 行\n育龄妇女：3 行\n子女：0 行\n节育措施：0 行\n手术：0 行"]
    with Ledger.create(tmp_path / "copy.db", "新台帐", actor="test") as copy:
        import_workbook(copy, out)
        assert copy.db.execute("select count(*) from women").fetchone()[0] == 3


def test_the_progress_dialog_cancel_button_stops_the_export_and_leaves_no_file(window, qtbot, tmp_path, recorded, monkeypatch):  # noqa: F811
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from app.exchange import export_workbook as export_mod

    started, tasks = [], []
    real = export_mod._write

    def slow_write(workbook, sheets, plan):   # hold the worker until the dialog's button is pressed
        started.append(True)
        deadline = time.monotonic() + 120
        while not (tasks and tasks[0].cancelled) and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(workbook, sheets, plan)

    monkeypatch.setattr(export_mod, "_write", slow_write)
    task = window.start_export(tmp_path / "全部.xlsx")
    tasks.append(task)    # (the worker may already be waiting: it starts inside start_export)
    dialog = window.findChild(QProgressDialog, "taskProgress")
    assert dialog is not None and dialog.labelText().startswith("正在导出全部数据到“全部.xlsx”")
    qtbot.waitUntil(lambda: bool(started), timeout=60_000)
    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()     # as the clerk presses it
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert recorded.texts("info") == ["导出已取消，未写入文件。"]
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_a_role_that_may_not_see_full_id_numbers_may_not_export_them(qtbot, admin_ledger, chinese, recorded):  # noqa: F811
    staff = add_staff(admin_ledger)
    win = MainWindow(admin_ledger, staff)
    qtbot.addWidget(win)
    action = win.actions_by_name["exportAllAction"]
    assert not action.isEnabled()
    win.export_all_data()
    assert recorded.texts("warning") and win.export_task is None


def test_a_full_disk_is_said_in_chinese_and_leaves_no_file(window, qtbot, tmp_path, recorded, monkeypatch):  # noqa: F811
    import errno
    import zipfile

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)   # xlsxwriter assembles the file with it
    task = window.start_export(tmp_path / "全部.xlsx")
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    [message] = recorded.texts("error")
    assert message.startswith("文件操作失败：") and "磁盘" in message, message
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".*.tmp")) == []
