"""The user guide (帮助 › 使用说明): Chinese HTML sections in resources/help/, one window per main window.

Rules:
- SECTIONS lists the guide's files in reading order with their Chinese titles (the files are
  Chinese HTML, not t() strings); the contents list on the left shows them in that order.
- TAB_SECTIONS maps each main-window tab's objectName to its section, so F1 opens the section
  of the tab in front; a tab without its own section opens the overview.
- Links between sections and the images (`images/*.png`, relative to resources/help/) are
  resolved by QTextBrowser through its search path; links to the outside open nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.paths import resources_dir
from ui.i18n import t

SECTIONS: list[tuple[str, str]] = [
    ("overview.html", "总览与每月工作流程"),
    ("registry.html", "育龄妇女台帐"),
    ("roster.html", "孕检名册"),
    ("reconcile.html", "抽样核对"),
    ("attendance.html", "考勤"),
    ("reports.html", "统计报表"),
    ("data.html", "数据与备份"),
]

TAB_SECTIONS: dict[str, str] = {
    "registryTab": "registry.html",
    "rosterTab": "roster.html",
    "reconcileTab": "reconcile.html",
    "attendanceTab": "attendance.html",
    "reportsTab": "reports.html",
}

OVERVIEW = SECTIONS[0][0]


def help_dir() -> Path:
    return resources_dir() / "help"


def section_for_tab(object_name: str | None) -> str:
    """The guide's file for a tab's objectName (the overview for anything else)."""
    return TAB_SECTIONS.get(object_name or "", OVERVIEW)


class HelpViewer(QWidget):
    """A window: the contents list beside a QTextBrowser showing one section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpViewer")
        self.setWindowTitle(t("User guide"))
        self.resize(1100, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        splitter = QSplitter(self)
        self.contents = QListWidget(splitter)
        self.contents.setObjectName("helpContents")
        for file_name, title in SECTIONS:
            item = QListWidgetItem(title, self.contents)
            item.setData(Qt.ItemDataRole.UserRole, file_name)
        self.browser = QTextBrowser(splitter)
        self.browser.setObjectName("helpBrowser")
        self.browser.setSearchPaths([str(help_dir())])
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 900])
        layout.addWidget(splitter)
        self.contents.currentItemChanged.connect(self._picked)
        self.browser.sourceChanged.connect(self._sync_contents)
        self.open_section(OVERVIEW)

    @property
    def current_section(self) -> str:
        return Path(self.browser.source().path()).name

    def open_section(self, file_name: str) -> None:
        """Show `file_name` (one of SECTIONS) and select it in the contents list."""
        self.browser.setSource(QUrl.fromLocalFile(str(help_dir() / file_name)))

    def _picked(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.current_section:
            self.open_section(item.data(Qt.ItemDataRole.UserRole))

    def _sync_contents(self, url: QUrl) -> None:
        name = Path(url.path()).name  # source() may still name the previous page while this signal runs
        for row in range(self.contents.count()):
            if self.contents.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.contents.blockSignals(True)
                self.contents.setCurrentRow(row)
                self.contents.blockSignals(False)
                return


def show_help(owner: QWidget, section: str | None = None) -> HelpViewer:
    """Open (or raise) the owner's help window at `section` (default: the overview)."""
    viewer = getattr(owner, "_help_viewer", None)
    if viewer is None:
        viewer = HelpViewer(owner)
        owner._help_viewer = viewer
    viewer.open_section(section or OVERVIEW)
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer


def show_help_for_current_tab(window) -> HelpViewer:
    """F1 in the main window: the section of the tab in front."""
    current = window.tabs.currentWidget() if getattr(window, "tabs", None) is not None else None
    return show_help(window, section_for_tab(current.objectName() if current is not None else None))
