"""What the main window's menus do: new/open ledger, backup, restore, import, export, settings, about.

A mixin of ui.main_window.MainWindow (which provides `ledger`, `user`, `tabs`, the status bar
and `_setup_tabs/_update_status/_apply_permissions/_update_title`). Each menu entry has a thin
handler that asks (file dialog, confirmation) and a `do_…`/`start_…` method that acts, so
tests drive the acting part without modal loops.

Rules:
- The core checks the role of every action (app.safekeeping, app.accounts, app.units, …); the
  window asks it first (`Ledger.may`) so a refusal is a Chinese message box before any file
  dialog, and the disabled menu entry is only a convenience.
- Restore is destructive: it is confirmed first (No is the default), the ledger is closed,
  app.ledger.restore verifies the backup, keeps the current file as a safety copy and swaps;
  then the ledger is re-opened and the same user signed in again (or asked to log in when the
  restored ledger does not know them).
- Import runs in the background (ui.tasks) on its own connection with a progress dialog and
  cancel; it is all-or-nothing in the core, so a cancel or an error writes nothing.
- 导出全部数据 (app.exchange.export_workbook, the workbook the import reads back) runs the same
  way; a cancel or an error leaves no file. The file holds every ID number and phone in full,
  so it needs `unmask_personal_data` (the roles that may see them on screen).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app import __version__, integrity, safekeeping
from app.accounts import User, active_account
from app.errors import LedgerError, PermissionDenied
from app.exchange.export_workbook import ExportCancelled, export_workbook
from app.exchange.workbook import ImportFailed, ImportResult, import_workbook
from app.ledger import Ledger
from app.os_errors import describe
from app.paths import backup_dir_for, is_portable, user_data_dir
from ui import file_dialogs, integrity_watch, messages, session
from ui.dialogs.first_run_wizard import FirstRunWizard
from ui.dialogs.import_dialog import ImportErrorsDialog, ImportSummaryDialog
from ui.dialogs.password_dialog import PasswordDialog
from ui.dialogs.rules_settings_dialog import RulesSettingsDialog
from ui.dialogs.stat_year_dialog import StatYearDialog
from ui.dialogs.units_dialog import UnitsDialog
from ui.dialogs.users_dialog import UsersDialog
from ui.i18n import t
from ui.tasks import Task, run_with_progress

log = logging.getLogger(__name__)



def _ledger_filter() -> str:
    return t("Ledger files (*.db);;All files (*)")


def _workbook_filter() -> str:
    return t("Excel workbooks (*.xlsx *.xlsm);;All files (*)")


class ShellActions:
    ledger: Ledger
    user: User
    _closed: bool = False
    import_task: Task | None = None
    export_task: Task | None = None
    last_dialog: QDialog | QMessageBox | None = None

    # ---- helpers ---------------------------------------------------------------------------
    def _allowed(self, permission: str) -> bool:
        try:
            self.ledger.require(permission, self.user)   # the window's signed-in user
        except PermissionDenied as exc:
            messages.warning(self, str(exc))
            return False
        return True

    def refresh_tabs(self) -> None:
        """Tell every tab that has `refresh()` that the ledger changed under it."""
        for index in range(self.tabs.count()):
            refresh = getattr(self.tabs.widget(index), "refresh", None)
            if callable(refresh):
                refresh()

    def stop_background_tasks(self, wait_ms: int = 30_000) -> None:
        """Drop every ui.tasks.Task under the window and wait for its thread: its ledger is closing."""
        for task in self.findChildren(Task):
            task.drop()
            if not task.done:
                task.wait(wait_ms)

    def close_ledger(self) -> None:
        """Stop background work, close the ledger (releases the lock); safe to call twice."""
        if not self._closed:
            self.stop_background_tasks()
            self._closed = True
            self.ledger.close()

    def install_ledger(self, ledger: Ledger) -> None:
        """Switch the window to another open, signed-in ledger; the previous one is closed."""
        self.stop_background_tasks()
        old = self.ledger
        self.ledger = ledger
        self.user = ledger.user
        self._setup_tabs()  # setCentralWidget deletes the old tabs, which held the old ledger
        self._update_status()
        self._apply_permissions()
        self._update_title()
        if old is not ledger and not self._closed:
            old.close()
        self._closed = False

    # ---- 文件 › 新建台帐 / 打开台帐 -------------------------------------------------------
    def new_ledger(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, t("New ledger"), str(user_data_dir()), _ledger_filter())
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name + ".db")
        if path.exists():
            messages.warning(self, t("{path} already exists. Choose a new file name.").format(path=path))
            return
        self.do_new_ledger(path)

    def do_new_ledger(self, path: Path) -> bool:
        """The first-run wizard (office, statistical year, units, administrator, demo data) for a
        new file; the window switches to the new ledger only when the wizard finishes."""
        wizard = FirstRunWizard(path, actor=session.gui_actor(), parent=self)
        wizard.setWindowTitle(t("New ledger"))
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.ledger is not None:
            self.install_ledger(wizard.ledger)
            return True
        if wizard.ledger is not None:
            wizard.ledger.close()
        return False

    def open_other_ledger(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, t("Open ledger"), str(self.ledger.path.parent),
                                              _ledger_filter())
        if name:
            self.do_open_ledger(Path(name))

    def do_open_ledger(self, path: Path) -> bool:
        """Open `path` and sign in to it; the current ledger stays open if anything fails."""
        if path.resolve() == self.ledger.path:
            messages.info(self, t("This ledger is already open."))
            return False
        ledger = session.open_and_sign_in(path, self)
        if ledger is None:
            return False
        self.install_ledger(ledger)
        return True

    # ---- 文件 › 备份 / 恢复 -----------------------------------------------------------------
    def backup_now(self) -> None:
        if self._allowed("backup_restore"):
            self.do_backup()

    def backup_to_file(self) -> None:
        if not self._allowed("backup_restore"):
            return
        name = file_dialogs.save_file(self, t("Back up to a file"), "", _ledger_filter())
        if name:
            self.do_backup(Path(name) if Path(name).suffix else Path(name + ".db"))

    def do_backup(self, dest: Path | None = None) -> Path | None:
        """Back up (verified; into the rotated backup folder unless `dest`), audit, report."""
        try:
            result = safekeeping.back_up(self.ledger, dest)
        except (LedgerError, OSError) as exc:
            messages.error(self, t("The backup failed: {error}").format(error=exc))
            return None
        self._update_status()
        messages.info(self, t("The ledger was backed up and checked: {path}").format(path=result.path))
        return result.path

    def restore_from_backup(self) -> None:
        if not self._allowed("backup_restore"):
            return
        name, _ = QFileDialog.getOpenFileName(self, t("Restore from a backup"),
                                              str(backup_dir_for(self.ledger.path)), _ledger_filter())
        if not name:
            return
        question = t("Replace the current ledger with the backup {file}?\n\nEverything entered after "
                     "that backup was taken will be gone. The current ledger is kept as a safety "
                     "copy in the backup folder.").format(file=name)
        if messages.confirm(self, question, t("Restore from a backup"), danger=True):
            self.do_restore(Path(name))

    def do_restore(self, backup_file: Path) -> bool:
        """Close, restore, re-open and sign the same user in again; False when it failed."""
        if not self._allowed("backup_restore"):
            return False
        path, username = self.ledger.path, self.user.username
        self.stop_background_tasks()
        self._closed = True
        safety = None
        try:
            safety = safekeeping.restore_open_ledger(self.ledger, backup_file)  # closes the ledger
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc), t("Restore failed"))
        reopened = session.open_ledger(path, self)
        if reopened is None:
            self.close()
            return False
        reopened.user = active_account(reopened.db, username)
        if reopened.user is None:
            messages.info(self, t("The restored ledger has no active account {user}. Please sign in.").format(
                user=username))
            if session.sign_in(reopened, self) is None:
                reopened.close()
                self.close()
                return False
        self.install_ledger(reopened)
        self.refresh_tabs()
        if safety is not None:
            messages.info(self, t("The ledger was restored from {backup}. The previous ledger was kept "
                                  "as {safety}.").format(backup=backup_file, safety=safety))
        return safety is not None

    # ---- 文件 › 导入 -------------------------------------------------------------------------
    def import_workbook_file(self) -> None:
        if not self._allowed("import_workbook"):
            return
        name = file_dialogs.open_file(self, t("Import workbook"), _workbook_filter())
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path) -> Task:
        """Import `path` in the background; the outcome opens a summary or an error table."""
        ledger, made = self.ledger, {}

        def work(progress) -> ImportResult:
            with ledger.worker() as view:
                try:
                    return import_workbook(view, path, progress)
                finally:
                    made["backup"] = view.last_backup

        def succeeded(result: ImportResult) -> None:
            self.ledger.last_backup = made.get("backup") or self.ledger.last_backup
            self._update_status()
            self.refresh_tabs()
            self._show_dialog(ImportSummaryDialog(path, result, self))

        def failed(exc: BaseException) -> None:
            self.ledger.last_backup = made.get("backup") or self.ledger.last_backup
            self._update_status()
            if isinstance(exc, ImportFailed):
                self._show_dialog(ImportErrorsDialog(path, exc.errors, self))
            elif isinstance(exc, (LedgerError, OSError)):
                messages.error(self, str(exc), t("Import"))
            else:
                log.error("import of %s failed", path, exc_info=exc)
                messages.error(self, t("The import stopped because of an unexpected error: {error}. "
                                       "Nothing was written.").format(error=exc), t("Import"))

        self.import_task = run_with_progress(self, t("Importing {name}…").format(name=path.name), work,
                                             on_success=succeeded, on_error=failed)
        return self.import_task

    # ---- 文件 › 导出全部数据 -------------------------------------------------------------------
    def export_all_data(self) -> None:
        if not self._allowed("unmask_personal_data"):
            return
        name = file_dialogs.save_file(self, t("Export all data"), t("{office} all data.xlsx").format(
            office=self.ledger.office_name), t("Excel workbooks (*.xlsx)"))
        if name:
            self.start_export(Path(name) if Path(name).suffix.lower() == ".xlsx" else Path(name + ".xlsx"))

    def start_export(self, path: Path) -> Task:
        """Write the whole ledger to `path` in the background; the outcome is one message."""
        ledger = self.ledger

        def work(progress) -> dict[str, int]:
            with ledger.worker() as view:
                return export_workbook(view, path, progress)

        def succeeded(counts: dict[str, int]) -> None:
            rows = "\n".join(t("{sheet}: {rows} rows").format(sheet=name, rows=f"{n:,}") for name, n in counts.items())
            messages.info(self, t("All data were exported to {path}:\n{rows}").format(path=path, rows=rows),
                          t("Export all data"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ExportCancelled):
                messages.info(self, str(exc), t("Export all data"))
            elif isinstance(exc, LedgerError):
                messages.error(self, str(exc), t("Export all data"))
            elif isinstance(exc, (OSError, sqlite3.Error)):
                messages.error(self, describe(exc), t("Export all data"))
            else:
                log.error("export to %s failed", path, exc_info=exc)
                messages.error(self, t("The export stopped because of an unexpected error: {error}. "
                                       "No file was written.").format(error=exc), t("Export all data"))

        self.export_task = run_with_progress(self, t("Exporting all data to {name}…").format(name=path.name), work,
                                             on_success=succeeded, on_error=failed)
        return self.export_task

    def _show_dialog(self, dialog: QDialog | QMessageBox) -> None:
        """Open a result window without blocking (kept in `last_dialog` for tests)."""
        self.last_dialog = dialog
        dialog.open()

    # ---- 设置 ---------------------------------------------------------------------------------
    def manage_units(self) -> None:
        if self._allowed("manage_units"):
            UnitsDialog(self.ledger, self).exec()
            self.refresh_tabs()

    def manage_users(self) -> None:
        if self._allowed("manage_users"):
            UsersDialog(self.ledger, self).exec()

    def change_own_password(self) -> None:
        if PasswordDialog(self.ledger, self.user, parent=self).exec() == QDialog.DialogCode.Accepted:
            messages.info(self, t("Your password was changed."))

    def set_stat_year(self) -> None:
        if (self._allowed("manage_settings")
                and StatYearDialog(self.ledger, self).exec() == QDialog.DialogCode.Accepted):
            self.refresh_tabs()

    def set_rules(self) -> None:
        """设置 › 统计与孕检设置 (ui.dialogs.rules_settings_dialog)."""
        if (self._allowed("manage_settings")
                and RulesSettingsDialog(self.ledger, self).exec() == QDialog.DialogCode.Accepted):
            self.refresh_tabs()

    # ---- 帮助 › 关于 ---------------------------------------------------------------------------
    def about_text(self) -> str:
        return t("FP Ledger version {version}\n\nOffice: {office}\nLedger file: {path}\n"
                 "Data folder: {data}\nPortable mode: {portable}").format(
            version=__version__, office=self.ledger.office_name, path=self.ledger.path,
            data=user_data_dir(), portable=t("yes") if is_portable() else t("no")) + "\n" \
            + integrity_watch.about_text(integrity.last(self.ledger.db)) + "\n" + t(
            "Backup folder: {backups}\n\nPortable mode: put a file named “portable” beside the program and "
            "the data are kept in the “userdata” folder beside it.").format(backups=backup_dir_for(self.ledger.path))

    def show_audit_log(self) -> None:
        """关于 › 审计日志 (帮助 menu): browse and export the log, masked (局长/主任, 管理员)."""
        from ui.dialogs.audit_log_dialog import AuditLogDialog

        if self._allowed("view_audit_log"):
            self._show_dialog(AuditLogDialog(self.ledger, self))

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, t("About FP Ledger"), self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("aboutBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_dialog(box)

