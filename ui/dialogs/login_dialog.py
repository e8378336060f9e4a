"""Login (登录): user name and password checked by app.accounts.sign_in.

Rules: the reason for a refusal is the core's Chinese message (wrong password with the tries
left, or the five-minute lockout after five failures, which the core enforces). The failed-try
counter the core updates is committed even though the login failed. Successful and failed
logins are audited (user name only, never the password). The user name of the last successful
sign-in is remembered (ui.settings, never the password) and pre-filled; the cursor then starts
in the password field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app import accounts
from app.accounts import User
from app.errors import UserInputError
from app.ledger import Ledger
from ui import settings as ui_settings
from ui.dialogs.form import FormDialog
from ui.i18n import t


def sign_in(ledger: Ledger, username: str, password: str) -> User:
    """Authenticate and set `ledger.user` (app.accounts.sign_in); raises UserInputError with the reason."""
    return accounts.sign_in(ledger, username, password)


class LoginDialog(FormDialog):
    """After accept(): `user` is the signed-in user (also set on the ledger)."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(t("Sign in"), parent)
        self.setObjectName("loginDialog")
        self.ledger = ledger
        self.user: User | None = None
        self.set_intro(t("{office} — ledger {path}").format(office=ledger.office_name, path=ledger.path))
        self.username = self.add_row(t("User name"), QLineEdit(self), "usernameEdit")
        self.password = self.password_field(t("Password"), "passwordEdit")
        self.ok_button().setText(t("Sign in"))
        remembered = ui_settings.last_user()
        if remembered:
            self.username.setText(remembered)
            self.password.setFocus()

    def submit(self) -> None:
        try:
            self.user = sign_in(self.ledger, self.username.text(), self.password.text())
        except UserInputError:
            self.password.clear()
            self.password.setFocus()
            raise
        ui_settings.remember_user(self.user.username)
