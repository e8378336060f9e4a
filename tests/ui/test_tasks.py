"""ui.tasks: work off the GUI thread, with the result, the error or a cancel coming back by signal."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.ui.shell_helpers import admin_ledger  # noqa: F401 - fixture
from ui.tasks import Task, run_with_progress


class Stopped(Exception):
    pass


def test_the_work_runs_off_the_gui_thread_and_returns_its_result(qtbot):
    seen = {}

    def work(progress, n):
        seen["thread"] = threading.current_thread()
        for i in range(n):
            progress(i + 1, n, "counting")
        return n * 2

    task = Task(work, 10)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [20]
    assert seen["thread"] is not threading.main_thread()
    qtbot.waitUntil(lambda: task.done)


def test_an_exception_arrives_as_a_value(qtbot):
    def work(progress):
        raise ValueError("坏数据")

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert isinstance(blocker.args[0], ValueError) and str(blocker.args[0]) == "坏数据"
    qtbot.waitUntil(lambda: task.done)
    assert task.result is None


def test_cancel_makes_progress_answer_false(qtbot):
    started, release = threading.Event(), threading.Event()

    def work(progress):
        started.set()
        release.wait(5)
        if not progress(1, 2, ""):
            raise Stopped()
        return "finished"

    task = Task(work)
    task.start()
    assert started.wait(5)
    task.cancel()
    release.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert isinstance(task.error, Stopped)


def test_the_progress_dialog_closes_when_the_work_ends(qtbot):
    results = []
    task = run_with_progress(None, "测试", lambda progress: 42, on_success=results.append)
    dialog = task.progress_owner.dialog
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert task.done and task.progress_owner.dialog is None
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=2000)


def test_a_dropped_task_delivers_nothing_more(qtbot):
    release = threading.Event()
    results, errors = [], []

    def work(progress):
        release.wait(5)
        return "late"

    task = Task(work)
    task.succeeded.connect(results.append)
    task.failed.connect(errors.append)
    task.start()
    task.drop()
    release.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    qtbot.wait(20)
    assert results == [] and errors == []
    assert task.cancelled and task.result == "late"


def test_closing_the_main_window_drops_its_background_work_before_the_ledger_closes(qtbot, admin_ledger):  # noqa: F811
    from ui.main_window import MainWindow

    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    release = threading.Event()
    delivered = []

    def work(progress):
        release.wait(5)
        return "result"

    task = Task(work, parent=window.tabs.widget(0))
    task.succeeded.connect(lambda result: delivered.append(admin_ledger.office_name))
    task.start()
    threading.Timer(0.05, release.set).start()
    window.close()
    assert task.done or task.wait(100)
    qtbot.wait(20)
    assert delivered == []
    assert window._closed


def _accept_message_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.accept()


def test_a_result_shown_in_a_real_message_box_never_touches_the_closed_dialog(qtbot, monkeypatch):
    """The 导出到U盘-twice crash: setValue on the modal dialog ran the event loop, the task
    finished inside it (dialog closed and deleted, result box shown), and the update then wrote
    the label of the deleted dialog. Three runs in a row, with real message boxes."""
    monkeypatch.setattr("ui.tasks.PROGRESS_SHOW_AFTER_MS", 0)
    window = QWidget()
    window.resize(800, 600)
    window.show()
    qtbot.addWidget(window)
    closer = QTimer()
    closer.timeout.connect(_accept_message_boxes)
    closer.start(20)
    shown = []

    def work(progress):
        for step in range(40):
            progress(step, 40, f"第 {step} 步")
            time.sleep(0.005)
        progress(40, 40, "完成")
        return "ok"

    def on_success(result):
        shown.append(result)
        QMessageBox.information(window, "完成", "导出完成")

    for _ in range(3):
        before = len(shown)
        task = run_with_progress(window, "导出", work, on_success=on_success)
        qtbot.waitUntil(lambda n=before + 1: len(shown) == n, timeout=20_000)
        assert task.done and task.progress_owner.dialog is None
    closer.stop()
    assert shown == ["ok", "ok", "ok"]
