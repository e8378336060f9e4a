"""Fixtures for the desktop-shell tests: Chinese translators, a signed-in ledger, recorded messages.

Import the fixtures into a test module with `from tests.ui.shell_helpers import *  # noqa`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from openpyxl import Workbook

from app.accounts import STAFF, create_user
from ui import messages

ADMIN_PASSWORD = "huashan-2026"


@pytest.fixture
def chinese(qapp):
    """Install the shipped translators (ours + qtbase_zh_CN) once, as ui.main does."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def admin_ledger(ledger):
    """The empty ledger with its administrator `admin` signed in."""
    from ui.dialogs.first_start_dialog import create_administrator

    ledger.user = create_administrator(ledger, "admin", "王主任", ADMIN_PASSWORD)
    return ledger


def add_staff(ledger, username: str = "xiaoli", password: str = "xiaoli-123"):
    with ledger.write("创建用户", "user", username) as db:
        return create_user(db, username, "李干事", STAFF, password)


@dataclass
class Recorded:
    """Message boxes the code showed instead of blocking: (kind, text) in order."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    answer: bool = True

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.shown if kind is None or k == kind]


@pytest.fixture
def recorded(monkeypatch) -> Recorded:
    record = Recorded()
    for kind in ("error", "warning", "info"):
        monkeypatch.setattr(messages, kind,
                            lambda parent, text, title=None, kind=kind: record.shown.append((kind, text)))

    def confirm(parent, text, title=None, danger=False):
        record.shown.append(("confirm", text))
        return record.answer

    monkeypatch.setattr(messages, "confirm", confirm)
    return record


def units_workbook(path, rows) -> None:
    """A standard import workbook with one `单位` sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位代码*", "单位名称*", "单位类型*", "上级单位代码", "生效日期"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def drive_next_modal(configure, outcome: dict | None = None) -> None:
    """Fill the next modal form once its exec() loop runs, then press 确定.

    If the form stays open (it refused the input), its error text goes to `outcome["error"]`
    and it is rejected, so a test never hangs in a modal loop.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def act() -> None:
        form = QApplication.activeModalWidget()
        if form is None:
            QTimer.singleShot(10, act)
            return
        configure(form)
        form.ok_button().click()
        if form.isVisible():
            if outcome is not None:
                outcome["error"] = form.error_label.text()
            form.reject()

    QTimer.singleShot(0, act)
