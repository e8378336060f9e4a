"""First start (首次使用): the office name, the statistical-year start month and the administrator.

Rules:
- With no ledger file yet, 确定 creates the ledger (Ledger.create) and then the administrator
  account (role 管理员) in one audited transaction; with a ledger that has no users yet (made
  by `fpledger init`), only the administrator is created.
- Everything is checked before the file is created, so a typo never leaves a half-made ledger.
  Should the account still fail, the ledger exists without users and the next start asks again.
- The password is passed to app.accounts.add_account (scrypt hash) and never logged or audited.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from app.accounts import ADMIN, MIN_PASSWORD_LENGTH, User, add_account
from app.errors import UserInputError
from app.ledger import DEFAULT_STAT_YEAR_START, Ledger
from ui.dialogs.form import FormDialog
from ui.i18n import t


def create_administrator(ledger: Ledger, username: str, display_name: str, password: str) -> User:
    """Create the ledger's first account, its administrator (app.accounts.add_account: one
    audited transaction; the first account needs no login)."""
    return add_account(ledger, username, display_name, ADMIN, password)


class FirstStartDialog(FormDialog):
    """After accept(): `ledger` is the open ledger and `user` the signed-in administrator."""

    def __init__(self, path: Path, ledger: Ledger | None = None, actor: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(t("First start"), parent)
        self.setObjectName("firstStartDialog")
        self.path = Path(path)
        self.ledger = ledger
        self.actor = actor
        self.user: User | None = None
        if ledger is None:
            self.set_intro(t("No ledger exists yet at {path}. Enter your office and create the "
                             "administrator account to start.").format(path=self.path))
            self.office = self.add_row(t("Office name"), QLineEdit(self), "officeEdit")
            self.office.setPlaceholderText(t("e.g. {example}").format(example="荷塘区人口计生局"))
            self.month = self.add_row(t("Statistical year starts in month"), QSpinBox(self), "monthSpin")
            self.month.setRange(1, 12)
            self.month.setValue(DEFAULT_STAT_YEAR_START)
            self.month.setSuffix(t(" (month)"))
        else:
            self.set_intro(t("The ledger {office} has no user accounts yet. Create the "
                             "administrator account.").format(office=ledger.office_name))
        self.username = self.add_row(t("Administrator user name"), QLineEdit("admin", self), "usernameEdit")
        self.display_name = self.add_row(t("Full name"), QLineEdit(self), "displayNameEdit")
        self.password = self.password_field(t("Password"), "passwordEdit")
        self.password.setPlaceholderText(t("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.confirm = self.password_field(t("Password again"), "confirmEdit")

    def submit(self) -> None:
        if not self.username.text().strip():
            raise UserInputError(t("Please enter a user name."))
        if len(self.password.text()) < MIN_PASSWORD_LENGTH:
            raise UserInputError(t("The password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH))
        if self.password.text() != self.confirm.text():
            raise UserInputError(t("The two passwords differ."))
        if self.ledger is None:
            if not self.office.text().strip():
                raise UserInputError(t("Please enter the office name."))
            self.ledger = Ledger.create(self.path, self.office.text(), self.month.value(), actor=self.actor)
        self.user = create_administrator(self.ledger, self.username.text(), self.display_name.text(),
                                         self.password.text())
        self.ledger.user = self.user
