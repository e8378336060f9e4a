"""The main window: the five work tabs, menus and status bar, set up by a readable list of calls.

Tab contract: each entry of TABS names a widget class constructed as `Cls(ledger, user, parent)`
(user: app.accounts.User, the signed-in user). Until a tab's issue fills it, its entry has no
class and the tab says plainly what is coming (no fake content).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app import APP_TITLE, integrity
from app.accounts import User
from app.backups import list_backups
from app.ledger import Ledger
from app.paths import backup_dir_for
from ui import settings as ui_settings
from ui.help_viewer import show_help_for_current_tab
from ui.i18n import t
from ui.integrity_watch import IdleIntegrityCheck, status_text
from ui.shell_actions import ShellActions
from ui.table_habits import equip_tables


@dataclass(frozen=True)
class TabSpec:
    object_name: str
    title: str                 # English source; shown through t()
    widget: str | None         # "module:Class", or None while the tab is not built yet
    coming: str = ""           # English source: what the tab will do (placeholder text)


TABS: list[TabSpec] = [
    TabSpec("registryTab", "Registry of women", "ui.registry_tab:RegistryTab",
            "The registry of women of childbearing age (cards, children, contraception, "
            "procedures, logic checks) is being built and will appear here."),
    TabSpec("rosterTab", "Pregnancy-check roster", "ui.roster_tab:RosterTab",
            "The pregnancy-check rounds (due lists, results, rates, printed rosters) are being "
            "built and will appear here."),
    TabSpec("reconcileTab", "Sampling reconciliation", "ui.reconcile_tab:ReconcileTab",
            "Matching the district's sampling survey against the ledger is being built and "
            "will appear here."),
    TabSpec("attendanceTab", "Staff attendance", "ui.attendance_tab:AttendanceTab",
            "Staff attendance (roll calls, leave approval, monthly posting) is being built and "
            "will appear here."),
    TabSpec("reportsTab", "Statistical reports", "ui.reports_tab:ReportsTab",
            "The standard monthly, half-year and annual forms and their export are being built "
            "and will appear here."),
]


GEOMETRY_KEY = "window/mainGeometry"


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


class LazyTab(QWidget):
    """Holds a tab's place and builds the real widget the first time the tab is shown.

    Start-up then pays only for the tab the clerk sees first: the other tabs' modules (and the
    libraries they import: openpyxl, reportlab, pypinyin…) load when first opened. The holder
    carries the tab's objectName; the built widget is `content`, named `<objectName>Content`.
    """

    def __init__(self, spec: TabSpec, ledger: Ledger, user: User, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec, self._ledger, self._user = spec, ledger, user
        self.content: QWidget | None = None
        self.setObjectName(spec.object_name)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.content is None:
            self.content = build_tab(self.spec, self._ledger, self._user, self)
            self.content.setObjectName(f"{self.spec.object_name}Content")
            self._layout.addWidget(self.content)
            equip_tables(self.content)  # Ctrl+C, right-click menu, remembered widths (ui.table_habits)
        return self.content

    def refresh(self) -> None:
        """Redraw after outside changes; a tab never shown has nothing stale to redraw."""
        refresh = getattr(self.content, "refresh", None)
        if refresh is not None:
            refresh()


class MainWindow(QMainWindow, ShellActions):
    """Tabs, menus (文件/设置/帮助), shortcuts and the status bar over one open, signed-in ledger.

    The window owns the ledger: it closes it when the window closes or another ledger replaces
    it (新建/打开/恢复). The menu handlers live in ui.shell_actions. After a change that other
    views may show (import, restore, units), each tab that has a `refresh()` method gets it called.
    """

    def __init__(self, ledger: Ledger, user: User) -> None:
        super().__init__()
        self.ledger = ledger
        self.user = user
        self.setObjectName("mainWindow")
        self.setMinimumSize(1024, 600)
        self._setup_tabs()
        self._setup_menus()
        self._setup_tab_shortcuts()
        self._setup_status_bar()
        self._apply_permissions()
        self._update_title()
        self.integrity_watch = IdleIntegrityCheck(self)

    def restore_geometry(self) -> bool:
        """The window's last size and place (ui.settings); False when none is remembered."""
        geometry = ui_settings.get_bytes(GEOMETRY_KEY)
        return bool(geometry is not None and self.restoreGeometry(geometry))

    def save_geometry(self) -> None:
        ui_settings.set_bytes(GEOMETRY_KEY, self.saveGeometry())
        ui_settings.sync()

    def _setup_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        for spec in TABS:
            self.tabs.addTab(LazyTab(spec, self.ledger, self.user, self.tabs), t(spec.title))
        self.tabs.currentChanged.connect(self._build_current_tab)
        self._build_current_tab()
        self.setCentralWidget(self.tabs)

    def _build_current_tab(self, _index: int = -1) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, LazyTab):
            current.ensure_built()

    def _action(self, menu, name: str, text: str, slot, shortcut: QKeySequence | str | None = None,
                permission: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setProperty("permission", permission)
        menu.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _setup_menus(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        bar = self.menuBar()
        file_menu = bar.addMenu(t("&File"))
        file_menu.setObjectName("fileMenu")
        # No Ctrl+N here: Ctrl+N is 新建卡片 on the registry tab (the daily action; one key, one action).
        self._action(file_menu, "newLedgerAction", t("&New ledger…"), self.new_ledger)
        self._action(file_menu, "openLedgerAction", t("&Open ledger…"), self.open_other_ledger, "Ctrl+O")
        file_menu.addSeparator()
        self._action(file_menu, "backupAction", t("&Back up now"), self.backup_now, "Ctrl+B", "backup_restore")
        self._action(file_menu, "backupToAction", t("Back up to a file (USB stick)…"), self.backup_to_file,
                     None, "backup_restore")
        self._action(file_menu, "restoreAction", t("&Restore from a backup…"), self.restore_from_backup,
                     None, "backup_restore")
        file_menu.addSeparator()
        self._action(file_menu, "importAction", t("&Import workbook…"), self.import_workbook_file, "Ctrl+I",
                     "import_workbook")
        self._action(file_menu, "exportAllAction", t("&Export all data…"), self.export_all_data, None,
                     "unmask_personal_data")
        file_menu.addSeparator()
        self._action(file_menu, "quitAction", t("E&xit"), self.close, "Ctrl+Q")

        settings_menu = bar.addMenu(t("&Settings"))
        settings_menu.setObjectName("settingsMenu")
        self._action(settings_menu, "unitsAction", t("&Units…"), self.manage_units, None, "manage_units")
        self._action(settings_menu, "usersAction", t("U&sers…"), self.manage_users, None, "manage_users")
        self._action(settings_menu, "passwordAction", t("Change &password…"), self.change_own_password)
        self._action(settings_menu, "statYearAction", t("Statistical &year…"), self.set_stat_year, None,
                     "manage_settings")
        self._action(settings_menu, "rulesSettingsAction", t("Statistics and pregnancy-check &rules…"),
                     self.set_rules, None, "manage_settings")

        help_menu = bar.addMenu(t("&Help"))
        help_menu.setObjectName("helpMenu")
        self._action(help_menu, "helpAction", t("&User guide"), lambda: show_help_for_current_tab(self),
                     QKeySequence.StandardKey.HelpContents)  # F1: the section of the current tab
        self._action(help_menu, "aboutAction", t("&About"), self.show_about)
        self._action(help_menu, "auditLogAction", t("Audit &log…"), self.show_audit_log, None, "view_audit_log")

    def _setup_tab_shortcuts(self) -> None:
        """Ctrl+1 … Ctrl+5 switch to the tabs in order."""
        for index in range(len(TABS)):
            action = QAction(self)
            action.setObjectName(f"tabShortcut{index + 1}")
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)

    def _setup_status_bar(self) -> None:
        bar = self.statusBar()
        self.ledger_label = QLabel(self)
        self.ledger_label.setObjectName("ledgerStatus")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userStatus")
        self.backup_label = QLabel(self)
        self.backup_label.setObjectName("backupStatus")
        self.integrity_label = QLabel(self)
        self.integrity_label.setObjectName("integrityStatus")
        bar.addWidget(self.ledger_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.backup_label)
        bar.addPermanentWidget(self.integrity_label)
        self._update_status()

    def _update_status(self) -> None:
        self.ledger_label.setText(t("Ledger: {office} — {path}").format(
            office=self.ledger.office_name, path=self.ledger.path))
        self.user_label.setText(t("User: {name} ({role})").format(
            name=self.user.display_name, role=self.user.role))
        last = self.ledger.last_backup or next(iter(list_backups(backup_dir_for(self.ledger.path))), None)
        self.backup_label.setText(
            t("Last backup: {when}").format(when=f"{last.taken_at:%Y-%m-%d %H:%M}") if last
            else t("Last backup: none yet"))
        outcome = integrity.last(self.ledger.db)
        self.integrity_label.setText(status_text(outcome))
        self.integrity_label.setToolTip("" if outcome is None or outcome.ok else outcome.result)

    def _apply_permissions(self) -> None:
        """Actions the user's role may not do stay visible but disabled (app.accounts.PERMISSIONS)."""
        for action in self.actions_by_name.values():
            permission = action.property("permission")
            if permission:
                allowed = self.user.may(permission)
                action.setEnabled(allowed)
                action.setToolTip("" if allowed else t("Your role ({role}) may not do this.").format(
                    role=self.user.role))

    def _update_title(self) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {self.ledger.office_name}")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_geometry()
        self.close_ledger()
        super().closeEvent(event)
