"""The main window: the five work tabs, menus and status bar, set up by a readable list of calls.

Tab contract: each entry of TABS names a widget class constructed as `Cls(ledger, user, parent)`
(user: app.accounts.User, the signed-in user). Until a tab's issue fills it, its entry has no
class and the tab says plainly what is coming (no fake content).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app.accounts import User
from app.ledger import Ledger
from ui.i18n import t


@dataclass(frozen=True)
class TabSpec:
    object_name: str
    title: str                 # English source; shown through t()
    widget: str | None         # "module:Class", or None while the tab is not built yet
    coming: str = ""           # English source: what the tab will do (placeholder text)


TABS: list[TabSpec] = [
    TabSpec("registryTab", "Registry of women", None,
            "The registry of women of childbearing age (cards, children, contraception, "
            "procedures, logic checks) is being built and will appear here."),
    TabSpec("rosterTab", "Pregnancy-check roster", None,
            "The pregnancy-check rounds (due lists, results, rates, printed rosters) are being "
            "built and will appear here."),
    TabSpec("reconcileTab", "Sampling reconciliation", None,
            "Matching the district's sampling survey against the ledger is being built and "
            "will appear here."),
    TabSpec("attendanceTab", "Staff attendance", None,
            "Staff attendance (roll calls, leave approval, monthly posting) is being built and "
            "will appear here."),
    TabSpec("reportsTab", "Statistical reports", None,
            "The standard monthly, half-year and annual forms and their export are being built "
            "and will appear here."),
]


class PlaceholderTab(QWidget):
    """An honest empty tab: says what is coming, shows no invented data."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(text, self)
        label.setObjectName("placeholderText")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)


def build_tab(spec: TabSpec, ledger: Ledger, user: User, parent: QWidget) -> QWidget:
    if spec.widget is None:
        widget: QWidget = PlaceholderTab(t(spec.coming), parent)
    else:
        module_name, class_name = spec.widget.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        widget = cls(ledger, user, parent)
    widget.setObjectName(spec.object_name)
    return widget


class MainWindow(QMainWindow):
    def __init__(self, ledger: Ledger, user: User) -> None:
        super().__init__()
        self.ledger = ledger
        self.user = user
        self.setObjectName("mainWindow")
        self._setup_tabs()

    def _setup_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        for spec in TABS:
            self.tabs.addTab(build_tab(spec, self.ledger, self.user, self.tabs), t(spec.title))
        self.setCentralWidget(self.tabs)
