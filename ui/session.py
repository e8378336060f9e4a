"""Opening a ledger and signing in, with every failure shown as a Chinese message box.

Used at start-up (ui.main) and by 文件 › 新建台帐 / 打开台帐 (ui.main_window).

Rules:
- A missing ledger leads to the first-start dialog (office, statistical year, administrator);
  the administrator who has just chosen the password is signed in without a second prompt.
- LedgerLocked names the holder; NetworkPathRefused gives the reason; LedgerTooNew says to use
  the newer program; LedgerDamaged offers to restore the newest good backup (restore keeps the
  damaged file as a safety copy), then opens the restored ledger. No traceback reaches the clerk.
- A ledger without users (made by `fpledger init`) asks for its administrator first.
- A user whose password the administrator reset must choose a new one before working.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from app import safekeeping
from app.accounts import User, has_users
from app.errors import LedgerDamaged, LedgerError, PermissionDenied
from app.ledger import Ledger
from ui import messages
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.dialogs.password_dialog import PasswordDialog
from ui.i18n import t


def gui_actor() -> str:
    """Who the audit log names before anyone signs in (daily backup, upgrades): `gui:<os user>`."""
    try:
        return f"gui:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - getuser raises several types when no name is set
        return "gui:unknown"


def open_ledger(path: Path, parent: QWidget | None = None) -> Ledger | None:
    """Open `path` (offering to restore a damaged file); None after a message when impossible."""
    try:
        return Ledger.open(path, actor=gui_actor())
    except LedgerDamaged as exc:
        if not exc.backup:
            messages.error(parent, str(exc), t("The ledger is damaged"))
            return None
        question = t("{problem}\n\nRestore the ledger from this backup now? The damaged file is "
                     "kept as a safety copy.").format(problem=exc)
        if not messages.confirm(parent, question, t("The ledger is damaged"), danger=True):
            return None
        try:
            safety = _restore_damaged(path, Path(exc.backup), parent)
        except LedgerError as again:
            messages.error(parent, str(again), t("Restore failed"))
            return None
        messages.info(parent, t("The ledger was restored from {backup}. The damaged file was kept "
                                "as {safety}.").format(backup=exc.backup, safety=safety))
        return open_ledger(path, parent)
    except LedgerError as exc:
        messages.error(parent, str(exc), t("Cannot open the ledger"))
        return None
    except OSError as exc:
        messages.error(parent, t("The file could not be read or written: {error}").format(error=exc),
                       t("Cannot open the ledger"))
        return None


def _restore_damaged(path: Path, backup: Path, parent: QWidget | None) -> Path:
    """The damaged ledger's accounts cannot be read: the backup's decide (app.safekeeping)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    if not safekeeping.backup_has_accounts(backup):
        return safekeeping.restore_unopenable(path, backup, None, lambda: "")
    name, ok = QInputDialog.getText(parent, t("Restore from a backup"),
                                    t("User name of an administrator (as in the backup):"))
    if not ok:
        raise PermissionDenied(t("The restore was cancelled."))
    secret, ok = QInputDialog.getText(parent, t("Restore from a backup"), t("Password:"),
                                      QLineEdit.EchoMode.Password)
    if not ok:
        raise PermissionDenied(t("The restore was cancelled."))
    return safekeeping.restore_unopenable(path, backup, name, lambda: secret)


def first_start(path: Path, parent: QWidget | None = None) -> Ledger | None:
    """Create a new ledger with its administrator (signed in); None when cancelled."""
    from ui.dialogs.first_run_wizard import FirstRunWizard  # first run: the wizard (issue 8)

    dialog = FirstRunWizard(path, actor=gui_actor(), parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        if dialog.ledger is not None:  # created, but the administrator failed and the clerk gave up
            dialog.ledger.close()
        return None
    return dialog.ledger


def sign_in(ledger: Ledger, parent: QWidget | None = None) -> User | None:
    """Ask for the administrator (ledger without users) or a login; None when cancelled."""
    if not has_users(ledger.db):
        dialog: QDialog = FirstStartDialog(ledger.path, ledger=ledger, parent=parent)
    else:
        dialog = LoginDialog(ledger, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    user = dialog.user
    if user.must_change_password:
        change = PasswordDialog(ledger, user, forced=True, parent=parent)
        if change.exec() != QDialog.DialogCode.Accepted:
            ledger.user = None
            return None
    return user


def open_and_sign_in(path: Path, parent: QWidget | None = None) -> Ledger | None:
    """The whole start: first start or open, then sign in; the ledger has `user` set, or None."""
    path = Path(path)
    if not path.exists():
        return first_start(path, parent)
    ledger = open_ledger(path, parent)
    if ledger is None:
        return None
    if ledger.user is None and sign_in(ledger, parent) is None:
        ledger.close()
        return None
    return ledger
