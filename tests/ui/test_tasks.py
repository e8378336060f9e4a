"""ui.tasks: work off the GUI thread, with the result, the error or a cancel coming back by signal."""

from __future__ import annotations

import threading

import shiboken6

from tests.ui.shell_helpers import admin_ledger  # noqa: F401 - fixture
from ui.tasks import Task, run_with_progress, worker_ledger


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
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert results == [42]
    dialog = task.progress_dialog
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=2000)


def test_a_worker_ledger_has_its_own_connection_and_the_same_user(admin_ledger):  # noqa: F811
    view = worker_ledger(admin_ledger)
    try:
        assert view.conn is not admin_ledger.conn
        assert view.user == admin_ledger.user
        assert view.conn.execute("pragma synchronous").fetchone()[0] == 2  # FULL
    finally:
        view.conn.close()
    assert admin_ledger.conn.execute("select 1").fetchone() == (1,)


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
