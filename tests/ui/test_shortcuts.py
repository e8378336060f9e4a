"""Keyboard shortcuts: the most used buttons of the tabs act only on the tab shown, and no key
sequence is bound to two actions that are live at the same time (a test walks every QAction,
QShortcut and button shortcut of the main window with each tab shown)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QPushButton, QWidget

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


# ---- every key sequence means one thing ---------------------------------------------------------

def _scope(widget, context):
    """The widget whose focus subtree makes a shortcut of `context` live (a menu's action: the
    window of the menu bar the menu hangs in)."""
    if isinstance(widget, QMenu):
        hosts = [w for w in widget.menuAction().associatedObjects() if isinstance(w, QWidget)]
        return _scope(hosts[0], context) if hosts else widget
    if context == Qt.ShortcutContext.WindowShortcut:
        return widget.window()
    if context == Qt.ShortcutContext.ApplicationShortcut:
        return None                      # everywhere
    return widget                        # WidgetShortcut / WidgetWithChildrenShortcut


def _inside(inner, outer) -> bool:
    if outer is None:
        return True
    node = inner
    while node is not None:
        if node is outer:
            return True
        node = node.parentWidget()
    return False


def _live(widget) -> bool:
    """A shortcut's widget counts when it is shown (a hidden tab's shortcuts are not live), or
    for a menu when the menu hangs in the (visible) menu bar."""
    if isinstance(widget, QMenu):
        return any(_live(w) for w in widget.menuAction().associatedObjects() if isinstance(w, QWidget))
    return widget.isVisible()


def bindings(window) -> list[tuple[str, object, object, Qt.ShortcutContext]]:
    """(key, owner object, scope widget, context) of every live QAction, QShortcut and button
    shortcut under `window`, in its current state (the tab shown)."""
    out = []
    for action in window.findChildren(QAction):
        if not shiboken6.isValid(action):     # Qt's own transient actions (line-edit clear buttons)
            continue
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        owners = [w for w in action.associatedObjects() if isinstance(w, QWidget) and _live(w)]
        if not keys or not owners:
            continue
        scopes = [_scope(w, action.shortcutContext()) for w in owners]
        widest = next((s for s in scopes if all(_inside(o, s) for o in scopes)), scopes[0])
        out += [(k.toString(), action, widest, action.shortcutContext()) for k in keys]
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if isinstance(parent, QWidget) and _live(parent) and shortcut.isEnabled():
            out += [(k.toString(), shortcut, _scope(parent, shortcut.context()), shortcut.context())
                    for k in shortcut.keys() if not k.isEmpty()]  # noqa: SIM118 - QShortcut.keys()
    for button in window.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty() and _live(button):
            out.append((button.shortcut().toString(), button, button.window(), Qt.ShortcutContext.WindowShortcut))
    return out


def clashes(found) -> list[str]:
    """Pairs of different owners with the same key whose scopes nest (both live at once)."""
    out = []
    for i, (key, owner, scope, context) in enumerate(found):
        for other_key, other, other_scope, other_context in found[i + 1:]:
            if key != other_key or owner is other:
                continue
            if (context == other_context == Qt.ShortcutContext.WidgetShortcut) and scope is not other_scope:
                continue                 # focus is on one widget at a time
            if _inside(scope, other_scope) or _inside(other_scope, scope):
                out.append(f"{key}: {owner.objectName() or type(owner).__name__} / "
                           f"{other.objectName() or type(other).__name__}")
    return out


def test_no_key_sequence_is_bound_twice_on_any_tab(qtbot, admin_ledger, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    listed = set()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        window.tabs.widget(index).ensure_built()
        QApplication.processEvents()
        found = bindings(window)
        listed |= {key for key, *_ in found}
        assert clashes(found) == [], f"tab {index}: ambiguous shortcuts"
    # the collector really sees the window's, the tabs' and the tables' shortcuts
    assert {"Ctrl+O", "Ctrl+1", "F1", "Ctrl+N", "Ctrl+F", "F5", "Ctrl+P", "Ctrl+C", "Ctrl+Shift+C"} <= listed
    window.close_ledger()


def test_the_collector_catches_a_duplicate(qtbot, admin_ledger, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    extra = QAction("dup", window)
    extra.setObjectName("duplicateAction")
    extra.setShortcut(QKeySequence("Ctrl+O"))
    window.addAction(extra)
    assert clashes(bindings(window)) == ["Ctrl+O: openLedgerAction / duplicateAction"]
    window.close_ledger()


def test_ctrl_n_starts_a_new_card_on_the_registry_tab(qtbot, admin_ledger, chinese):  # noqa: F811
    window = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    registry = window.tabs.widget(0).ensure_built()
    new_card = registry.findChild(QAction, "newCardAction")
    new_card.triggered.disconnect()          # the real slot opens the modal card editor
    started = []
    new_card.triggered.connect(lambda *_: started.append(True))
    registry.table.setFocus()
    qtbot.keyClick(registry.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert started == [True]
    assert window.actions_by_name["newLedgerAction"].shortcut().isEmpty()
    window.close_ledger()
