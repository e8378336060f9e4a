"""用户管理 (administrator): list the accounts, add one with a role, reset a password, deactivate.

Rules: the dialog asks, the core decides — each change is one app.accounts function
(`add_account`, `reset_account_password`, `set_account_active`) that checks `manage_users`,
keeps the rules (a reset password is changed at the next login; accounts are deactivated, never
deleted; nobody deactivates their own account; the last active administrator stays active) and
writes its audit entry (user name and role, never a password) in the same transaction.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.accounts import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    account_rows,
    add_account,
    reset_account_password,
    set_account_active,
)
from app.errors import UserInputError
from app.ledger import Ledger
from ui import messages
from ui.dialogs.form import FormDialog
from ui.i18n import t
from ui.table_habits import equip_tables


class UsersDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(t("Manage users"))
        self.resize(760, 440)
        self.ledger = ledger
        self.users: list[dict] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([t("User name"), t("Full name"), t("Role"), t("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        for name, text, slot in [("addUserButton", t("Add user…"), self.ask_add),
                                 ("resetPasswordButton", t("Reset password…"), self.ask_reset),
                                 ("activeButton", t("Deactivate / reactivate"), self.toggle_selected)]:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()
        equip_tables(self)  # Ctrl+C, right-click menu, remembered widths

    def reload(self) -> None:
        self.users = account_rows(self.ledger)
        self.table.setRowCount(len(self.users))
        for r, user in enumerate(self.users):
            if not user["active"]:
                status = t("deactivated")
            elif user["locked_until"]:
                status = t("locked until {when}").format(when=user["locked_until"].replace("T", " "))
            else:
                status = t("active")
            for c, value in enumerate([user["username"], user["display_name"], user["role"], status]):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def usernames(self) -> list[str]:
        return [u["username"] for u in self.users]

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select(self, username: str) -> None:
        self.table.selectRow(self.usernames().index(username))

    # ---- changing ------------------------------------------------------------------------------
    def add_user(self, username: str, display_name: str, role: str, password: str) -> None:
        add_account(self.ledger, username, display_name, role, password)
        self.reload()
        self.select(username.strip())

    def reset_user_password(self, user: dict, new_password: str) -> None:
        reset_account_password(self.ledger, user["username"], new_password)
        self.reload()

    def set_active(self, user: dict, active: bool) -> None:
        set_account_active(self.ledger, user["username"], active)
        self.reload()
        self.select(user["username"])

    # ---- asking --------------------------------------------------------------------------------
    def ask_add(self) -> None:
        self.current_form = AddUserForm(self)
        self.current_form.exec()

    def ask_reset(self) -> None:
        user = self.selected()
        if user is None:
            messages.info(self, t("First choose a user in the list."))
            return
        self.current_form = ResetPasswordForm(self, user)
        self.current_form.exec()

    def toggle_selected(self) -> None:
        user = self.selected()
        if user is None:
            messages.info(self, t("First choose a user in the list."))
            return
        try:
            self.set_active(user, not user["active"])
        except UserInputError as exc:
            messages.warning(self, str(exc))


class AddUserForm(FormDialog):
    def __init__(self, owner: UsersDialog) -> None:
        super().__init__(t("Add user"), owner)
        self.setObjectName("addUserForm")
        self.owner = owner
        self.username = self.add_row(t("User name"), QLineEdit(self), "usernameEdit")
        self.display_name = self.add_row(t("Full name"), QLineEdit(self), "displayNameEdit")
        self.role = self.add_row(t("Role"), QComboBox(self), "roleCombo")
        self.role.addItems(ROLES)
        self.role.setCurrentText(ROLES[-1])
        self.password = self.password_field(t("Initial password"), "passwordEdit")
        self.password.setPlaceholderText(t("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.confirm = self.password_field(t("Password again"), "confirmEdit")

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            raise UserInputError(t("The two passwords differ."))
        self.owner.add_user(self.username.text(), self.display_name.text(), self.role.currentText(),
                            self.password.text())


class ResetPasswordForm(FormDialog):
    def __init__(self, owner: UsersDialog, user: dict) -> None:
        super().__init__(t("Reset password"), owner)
        self.setObjectName("resetPasswordForm")
        self.owner = owner
        self.user = user
        self.set_intro(t("New password for {name} ({username}); they must change it at their next "
                         "sign-in.").format(name=user["display_name"], username=user["username"]))
        self.password = self.password_field(t("New password"), "passwordEdit")
        self.confirm = self.password_field(t("Password again"), "confirmEdit")

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            raise UserInputError(t("The two passwords differ."))
        self.owner.reset_user_password(self.user, self.password.text())
