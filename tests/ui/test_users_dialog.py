"""用户管理: add a user with a role, reset a password, deactivate (never the last administrator)."""

from __future__ import annotations

import pytest

from app.accounts import ADMIN, DIRECTOR, authenticate
from app.errors import PermissionDenied, UserInputError
from tests.ui.shell_helpers import (  # noqa: F401 - fixtures
    ADMIN_PASSWORD,
    add_staff,
    admin_ledger,
    chinese,
    drive_next_modal,
    recorded,
)
from ui.dialogs.users_dialog import UsersDialog


def make_dialog(qtbot, ledger) -> UsersDialog:
    dialog = UsersDialog(ledger)
    qtbot.addWidget(dialog)
    return dialog


def test_adding_a_user_with_a_role_lists_them_and_they_can_sign_in(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)

    def director(form):
        form.username.setText("zhang")
        form.display_name.setText("张局长")
        form.role.setCurrentText(DIRECTOR)
        form.password.setText("zhang-2026")
        form.confirm.setText("zhang-2026")

    drive_next_modal(director)
    dialog.findChild(object, "addUserButton").click()
    assert dialog.usernames() == ["admin", "zhang"]
    assert [dialog.table.item(1, c).text() for c in range(4)] == ["zhang", "张局长", DIRECTOR, "在用"]
    assert authenticate(admin_ledger.db, "zhang", "zhang-2026").role == DIRECTOR
    audit = admin_ledger.conn.execute(
        "select action, object_id, after from audit_log where object_type = 'user' order by id desc limit 1"
    ).fetchone()
    assert audit[:2] == ("创建用户", "zhang") and "zhang-2026" not in audit[2]


def test_a_mistyped_second_password_keeps_the_form_open(qtbot, admin_ledger, chinese):  # noqa: F811
    dialog = make_dialog(qtbot, admin_ledger)
    outcome: dict = {}

    def typo(form):
        form.username.setText("zhang")
        form.password.setText("zhang-2026")
        form.confirm.setText("zhang-2027")

    drive_next_modal(typo, outcome)
    dialog.findChild(object, "addUserButton").click()
    assert outcome["error"] == "两次输入的密码不一致。"
    assert dialog.usernames() == ["admin"]


def test_reset_password_makes_the_user_choose_a_new_one(qtbot, admin_ledger, chinese):  # noqa: F811
    add_staff(admin_ledger, "xiaoli", "xiaoli-123")
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.select("xiaoli")

    def reset(form):
        form.password.setText("reset-456")
        form.confirm.setText("reset-456")

    drive_next_modal(reset)
    dialog.findChild(object, "resetPasswordButton").click()
    user = authenticate(admin_ledger.db, "xiaoli", "reset-456")
    assert user.must_change_password


def test_deactivating_a_user_stops_their_login_but_not_your_own(qtbot, admin_ledger, recorded, chinese):  # noqa: F811
    add_staff(admin_ledger, "xiaoli", "xiaoli-123")
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.select("xiaoli")
    dialog.findChild(object, "activeButton").click()
    assert dialog.table.item(1, 3).text() == "已停用"
    with pytest.raises(UserInputError):
        authenticate(admin_ledger.db, "xiaoli", "xiaoli-123")
    dialog.select("admin")
    dialog.findChild(object, "activeButton").click()
    assert recorded.texts("warning") == ["不能停用自己的账户。"]
    assert dialog.table.item(0, 3).text() == "在用"


def test_the_last_administrator_stays_active(qtbot, admin_ledger, chinese):  # noqa: F811
    admin = admin_ledger.user
    dialog = make_dialog(qtbot, admin_ledger)
    dialog.add_user("second", "赵管理", ADMIN, "second-123")
    clerk = add_staff(admin_ledger, "xiaoli", "xiaoli-123")
    admin_ledger.user = clerk
    with pytest.raises(PermissionDenied):  # a clerk may not manage users at all, not even list them
        make_dialog(qtbot, admin_ledger)
    with pytest.raises(PermissionDenied):
        dialog.set_active(dialog.users[0], False)
    admin_ledger.user = authenticate(admin_ledger.db, "second", "second-123")
    dialog.set_active(dialog.users[0], False)            # 'second' deactivates 'admin'
    admin_ledger.user = admin                             # admin's session is still open
    with pytest.raises(UserInputError, match="最后一个"):
        dialog.set_active(dialog.users[1], False)
    admin_ledger.user = authenticate(admin_ledger.db, "second", "second-123")
    dialog.set_active(dialog.users[0], True)
    assert authenticate(admin_ledger.db, "admin", ADMIN_PASSWORD).username == "admin"
