"""Keyboard shortcuts on the most used buttons of the tabs: they act only on the tab shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from tests.ui.shell_helpers import admin_ledger, chinese  # noqa: F401 - fixtures
from ui.main_window import MainWindow


def clicks(button: QPushButton) -> list[bool]:
    seen: list[bool] = []
    button.clicked.connect(lambda *_: seen.append(True))
    return seen


def test_f5_computes_on_the_tab_shown_and_ctrl_p_prints_rosters(qtbot, admin_ledger, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    built = {}
    for index in (1, 3, 4):
        window.tabs.setCurrentIndex(index)
        built[index] = window.tabs.widget(index).ensure_built()
    compute = built[4].findChild(QPushButton, "computeButton")
    refresh = built[3].findChild(QPushButton, "attendanceRefresh")
    print_button = built[1].findChild(QPushButton, "printRosters")
    assert compute.toolTip() == "快捷键：F5" and print_button.toolTip() == "快捷键：Ctrl+P"
    computed, refreshed, printed = clicks(compute), clicks(refresh), clicks(print_button)
    print_button.clicked.disconnect()  # the real slot would open a folder dialog
    print_button.clicked.connect(lambda *_: printed.append(True))

    def press(index: int, button: QPushButton, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        window.tabs.setCurrentIndex(index)
        window.activateWindow()
        qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled()
                        and QApplication.activeWindow() is window)
        qtbot.keyClick(window, key, modifier)
        qtbot.wait(250)  # a button's shortcut clicks it with animateClick (100 ms)

    press(4, compute, Qt.Key.Key_F5)
    assert (len(computed), len(refreshed)) == (1, 0)
    press(3, refresh, Qt.Key.Key_F5)
    assert (len(computed), len(refreshed)) == (1, 1)
    press(1, print_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == [True]
    qtbot.wait(50)
    window.close_ledger()
