"""Change one's own password (修改密码); also shown after login when the administrator reset it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.accounts import MIN_PASSWORD_LENGTH, User, change_own_password
from app.errors import UserInputError
from app.ledger import Ledger
from ui.dialogs.form import FormDialog
from ui.i18n import t


class PasswordDialog(FormDialog):
    def __init__(self, ledger: Ledger, user: User, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(t("Change password"), parent)
        self.setObjectName("passwordDialog")
        self.ledger = ledger
        self.user = user
        if forced:
            self.set_intro(t("The administrator has reset your password. Please choose a new one."))
        self.old = self.password_field(t("Current password"), "oldPasswordEdit")
        self.new = self.password_field(t("New password"), "newPasswordEdit")
        self.new.setPlaceholderText(t("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.confirm = self.password_field(t("New password again"), "confirmEdit")

    def submit(self) -> None:
        if self.new.text() != self.confirm.text():
            raise UserInputError(t("The two passwords differ."))
        change_own_password(self.ledger, self.old.text(), self.new.text())
