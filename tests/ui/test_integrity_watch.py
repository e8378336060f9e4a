"""The full integrity check in the desktop program: status bar, 关于, and the weekly idle check
(issue 14 item 5), driven through the real main window."""

from __future__ import annotations

import pytest

from app import integrity
from app.ledger import Ledger
from tests.app.test_ledger_safety import _flip_a_bit_in_an_index_page, _ledger_with_a_card
from tests.ui.shell_helpers import ADMIN_PASSWORD, admin_ledger, chinese, recorded  # noqa: F401 - fixtures
from ui.integrity_watch import IdleIntegrityCheck
from ui.main_window import MainWindow


def _window(qtbot, ledger) -> MainWindow:
    win = MainWindow(ledger, ledger.user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.integrity_watch.stop()  # the shipped two-minute idle timer; the tests start a short one
    return win


@pytest.fixture
def window(qtbot, admin_ledger, chinese):  # noqa: F811
    return _window(qtbot, admin_ledger)


def test_the_status_bar_and_about_say_when_the_ledger_was_last_checked(window, recorded):  # noqa: F811
    assert window.integrity_label.text() == "完整性检查：尚未进行"
    assert "完整性检查：尚未进行" in window.about_text()
    window.do_backup()  # every verified backup counts as a full check
    outcome = integrity.last(window.ledger.db)
    assert window.integrity_label.text() == f"完整性检查：{outcome.at:%Y-%m-%d} 通过"
    assert f"完整性检查：{outcome.at:%Y-%m-%d %H:%M} 通过" in window.about_text()


def test_the_idle_check_runs_when_a_week_has_passed_and_updates_the_status_bar(window, qtbot):
    assert integrity.due(window.ledger.db)
    watch = IdleIntegrityCheck(window, idle_ms=20)
    qtbot.waitUntil(lambda: integrity.last(window.ledger.db) is not None, timeout=20_000)
    qtbot.waitUntil(lambda: watch.task is None, timeout=20_000)
    assert integrity.last(window.ledger.db).ok
    assert window.integrity_label.text().endswith("通过")
    assert not integrity.due(window.ledger.db)
    watch.stop()


def test_a_failed_idle_check_warns_and_shows_in_the_status_bar(tmp_path, qtbot, chinese, recorded):  # noqa: F811
    from ui.dialogs.first_start_dialog import create_administrator

    path = tmp_path / "l.db"
    _ledger_with_a_card(path)
    with Ledger.open(path, daily_backup=False) as ledger:
        admin = create_administrator(ledger, "admin", "王主任", ADMIN_PASSWORD)
    _flip_a_bit_in_an_index_page(path)
    ledger = Ledger.open(path, daily_backup=False)  # passes the quick check at open
    ledger.user = admin
    win = _window(qtbot, ledger)
    try:
        watch = IdleIntegrityCheck(win, idle_ms=20)
        qtbot.waitUntil(lambda: any(kind == "warning" for kind, _ in recorded.shown), timeout=20_000)
        watch.stop()
        text = next(text for kind, text in recorded.shown if kind == "warning")
        assert "完整性检查未通过" in text and "恢复" in text
        assert win.integrity_label.text().endswith("未通过")
        assert "sqlite_autoindex_women_1" in win.integrity_label.toolTip()
        assert "未通过" in win.about_text()
    finally:
        win.close_ledger()

