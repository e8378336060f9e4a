"""Start-up: the first start creates the ledger and its administrator; login; opening failures."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog

from app import __version__
from app.accounts import ADMIN
from app.ledger import Ledger
from tests.ui.shell_helpers import (  # noqa: F401 - fixtures
    ADMIN_PASSWORD,
    admin_ledger,
    chinese,
    recorded,
)
from ui import session
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.login_dialog import LoginDialog

ROOT = Path(__file__).resolve().parents[2]


def fill_first_start(dialog: FirstStartDialog, password="huashan-2026", confirm=None) -> None:
    dialog.office.setText("荷塘区人口计生局")
    dialog.month.setValue(10)
    dialog.username.setText("admin")
    dialog.display_name.setText("王主任")
    dialog.password.setText(password)
    dialog.confirm.setText(password if confirm is None else confirm)


def test_first_start_creates_the_ledger_and_signs_the_administrator_in(qtbot, tmp_path, chinese):  # noqa: F811
    path = tmp_path / "new" / "ledger.db"
    dialog = FirstStartDialog(path, actor="gui:test")
    qtbot.addWidget(dialog)
    fill_first_start(dialog)
    dialog.ok_button().click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    ledger = dialog.ledger
    try:
        assert path.exists()
        assert ledger.office_name == "荷塘区人口计生局"
        assert ledger.stat_year_start == 10
        assert ledger.user.username == "admin" and ledger.user.role == ADMIN
        assert ledger.user is dialog.user
        actions = [r["action"] for r in ledger.db.query("select action, user from audit_log order by id")]
        assert actions == ["创建台帐", "创建用户"]
        hashes = [r[0] for r in ledger.conn.execute("select password_hash from users")]
        assert hashes[0].startswith("scrypt$")
    finally:
        ledger.close()
    assert b"huashan-2026" not in path.read_bytes()


def test_first_start_refuses_differing_passwords_and_creates_nothing(qtbot, tmp_path, chinese):  # noqa: F811
    path = tmp_path / "ledger.db"
    dialog = FirstStartDialog(path)
    qtbot.addWidget(dialog)
    fill_first_start(dialog, confirm="something-else")
    dialog.ok_button().click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "两次输入的密码不一致。"
    assert not path.exists()


def test_first_start_asks_for_the_office_name(qtbot, tmp_path, chinese):  # noqa: F811
    dialog = FirstStartDialog(tmp_path / "ledger.db")
    qtbot.addWidget(dialog)
    fill_first_start(dialog)
    dialog.office.setText("  ")
    dialog.ok_button().click()
    assert dialog.error_label.text() == "请输入单位名称。"
    assert not (tmp_path / "ledger.db").exists()


def test_login_with_the_right_password_signs_in_and_is_audited(qtbot, admin_ledger, chinese):  # noqa: F811
    admin_ledger.user = None
    dialog = LoginDialog(admin_ledger)
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.ok_button().click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert admin_ledger.user is not None and admin_ledger.user.username == "admin"
    last = admin_ledger.db.execute("select action, user from audit_log order by id desc limit 1").fetchone()
    assert last == ("登录", "admin")


def test_login_with_a_wrong_password_shows_the_reason_and_keeps_the_count(qtbot, admin_ledger, chinese):  # noqa: F811
    admin_ledger.user = None
    dialog = LoginDialog(admin_ledger)
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    dialog.password.setText("wrong-password")
    dialog.ok_button().click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog)
    assert dialog.error_label.text() == "用户名或密码不正确（还可尝试 4 次）。"
    assert dialog.password.text() == ""
    assert admin_ledger.user is None
    # the failed try was committed, not left in an open transaction: another connection sees it
    probe = sqlite3.connect(admin_ledger.path)
    try:
        assert probe.execute("select failed_logins from users where username = 'admin'").fetchone() == (1,)
    finally:
        probe.close()


def test_five_wrong_passwords_lock_the_account_with_a_chinese_message(qtbot, admin_ledger, chinese):  # noqa: F811
    admin_ledger.user = None
    dialog = LoginDialog(admin_ledger)
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    for _ in range(5):
        dialog.password.setText("wrong-password")
        dialog.ok_button().click()
    assert dialog.error_label.text() == "连续 5 次输错密码，账户已锁定 5 分钟。"
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.ok_button().click()
    assert "账户已锁定" in dialog.error_label.text()
    assert admin_ledger.user is None


def test_a_ledger_held_by_another_program_names_the_holder(qtbot, ledger, recorded, chinese):  # noqa: F811
    assert session.open_ledger(ledger.path) is None
    [(kind, text)] = recorded.shown
    assert kind == "error"
    assert "正被另一个程序使用" in text and "进程" in text


def test_a_damaged_ledger_is_restored_from_its_newest_backup_when_the_clerk_agrees(
        qtbot, tmp_path, recorded, chinese):  # noqa: F811
    path = tmp_path / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        ledger.backup("手动")
    data = bytearray(path.read_bytes())
    data[:16] = b"garbage garbage!"
    path.write_bytes(bytes(data))
    recorded.answer = True
    reopened = session.open_ledger(path)
    assert reopened is not None
    try:
        assert reopened.office_name == "荷塘区人口计生局"
    finally:
        reopened.close()
    kinds = [kind for kind, _ in recorded.shown]
    assert kinds == ["confirm", "info"]
    assert "无法使用" in recorded.shown[0][1]


def test_a_damaged_ledger_stays_closed_when_the_clerk_declines(qtbot, tmp_path, recorded, chinese):  # noqa: F811
    path = tmp_path / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        ledger.backup("手动")
    path.write_bytes(b"not a ledger at all" * 10)
    recorded.answer = False
    assert session.open_ledger(path) is None
    assert path.read_bytes().startswith(b"not a ledger")


def test_a_network_path_is_refused_with_the_reason(qtbot, recorded, chinese):  # noqa: F811
    assert session.open_ledger(Path("//server/share/ledger.db")) is None
    [(kind, text)] = recorded.shown
    assert kind == "error" and "网络" in text


def test_the_program_starts_as_a_module(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ui.main", "--version"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert __version__ in done.stdout


def _when(condition, then) -> None:
    """Poll the event loop until `condition()` returns something, then run `then(it)` once."""
    from PySide6.QtCore import QTimer

    def check() -> None:
        found = condition()
        if found is not None:
            then(found)
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)


def _visible(cls, path: Path):
    """The visible top-level `cls` working on `path` (other tests' windows are ignored)."""
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, cls) and widget.isVisible():
            ledger = getattr(widget, "ledger", None)
            where = getattr(widget, "path", None) or (ledger.path if ledger else None)
            if where is not None and Path(where).resolve() == path.resolve():
                return widget
    return None


def _watchdog(seconds: int) -> None:
    """Fail instead of hanging: after `seconds`, reject every open dialog and end the loop."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    def stop() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        QApplication.exit(99)

    QTimer.singleShot(seconds * 1000, stop)


def test_main_on_a_missing_ledger_opens_the_first_start_and_cancelling_ends_the_program(
        qtbot, tmp_path, chinese):  # noqa: F811
    from PySide6.QtWidgets import QDialog

    from ui.main import main

    path = tmp_path / "办公室" / "ledger.db"
    seen = {}

    def cancel(dialog):
        seen["dialog"] = type(dialog).__name__
        dialog.reject()

    _watchdog(30)
    _when(lambda: _visible(QDialog, path), cancel)
    assert main(["fpledger-gui", "--db", str(path)]) == 1
    assert seen["dialog"] in {"FirstStartDialog", "FirstRunWizard"}
    assert not path.exists()


def test_main_signs_in_and_shows_the_main_window_then_releases_the_ledger(
        qtbot, tmp_path, chinese):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.first_start_dialog import create_administrator
    from ui.main import main
    from ui.main_window import MainWindow

    path = tmp_path / "办公室" / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        create_administrator(ledger, "admin", "王主任", "huashan-2026")
    seen: dict = {}

    def login(dialog):
        dialog.username.setText("admin")
        dialog.password.setText("huashan-2026")
        dialog.ok_button().click()

    def close_window(window):
        seen["tabs"] = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
        seen["user"] = window.user_label.text()
        window.close()  # the program's only window: the event loop ends by itself …
        if any(w.isVisible() for w in QApplication.topLevelWidgets()):  # … unless another test left one
            QApplication.exit(0)

    _watchdog(30)
    _when(lambda: _visible(LoginDialog, path), login)
    _when(lambda: _visible(MainWindow, path), close_window)
    assert main(["fpledger-gui", "--db", str(path)]) == 0
    assert seen["tabs"] == ["registryTab", "rosterTab", "reconcileTab", "attendanceTab", "reportsTab"]
    assert seen["user"] == "用户：王主任（管理员）"
    with Ledger.open(path, daily_backup=False) as ledger:  # the window released the lock
        actions = [r[0] for r in ledger.conn.execute("select action from audit_log order by id")]
    assert actions[-1] == "登录"


def test_a_user_whose_password_was_reset_must_choose_a_new_one_after_login(qtbot, admin_ledger, chinese):  # noqa: F811
    from app.accounts import authenticate, reset_password
    from tests.ui.shell_helpers import drive_next_modal

    with admin_ledger.write("重置密码", "user", "admin") as db:
        reset_password(db, admin_ledger.user.id, "temporary-1")
    admin_ledger.user = None

    def new_password(form):
        form.old.setText("temporary-1")
        form.new.setText("my-own-secret")
        form.confirm.setText("my-own-secret")

    def login(form):
        form.username.setText("admin")
        form.password.setText("temporary-1")
        drive_next_modal(new_password)  # the forced change comes right after

    drive_next_modal(login)
    user = session.sign_in(admin_ledger)
    assert user is not None and user.username == "admin"
    assert not authenticate(admin_ledger.db, "admin", "my-own-secret").must_change_password
