"""关于 › 审计日志 (帮助 menu): a 局长/管理员 browses and exports the log, masked; others may not."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app import registry
from app.accounts import DIRECTOR, STAFF, add_account, sign_in
from app.errors import PermissionDenied
from tests import builders as b
from tests.ui.shell_helpers import ADMIN_PASSWORD, admin_ledger, chinese, recorded  # noqa: F401 - fixtures
from ui.dialogs.audit_log_dialog import AuditLogDialog
from ui.main_window import MainWindow


@pytest.fixture
def office(admin_ledger):  # noqa: F811
    b.unit(admin_ledger, "430202001", "仙庾镇", "乡镇")
    card = registry.save_woman(admin_ledger, {"name": "李丽", "id_number": "430202199005012401",
                                              "unit_code": "430202001",
                                              "hukou_type": "农业", "residence": "常住", "marital_status": "初婚",
                                              "first_marriage_date": "2012-01-01", "phone": "13912345678"})
    registry.reveal(admin_ledger, card.id)
    add_account(admin_ledger, "zhang", "张局长", DIRECTOR, "zhang-2026")
    add_account(admin_ledger, "xiaoli", "李干事", STAFF, "xiaoli-123")
    return admin_ledger


def test_the_director_browses_the_log_newest_first_with_numbers_masked(qtbot, office, chinese):  # noqa: F811
    sign_in(office, "zhang", "zhang-2026")
    dialog = AuditLogDialog(office)
    qtbot.addWidget(dialog)
    actions = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert actions[0] == "登录" and "查看完整证件号码" in actions and actions[-1] == "创建台帐"
    shown = " ".join(dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(8))
    assert "430202199005012401" not in shown and "13912345678" not in shown
    assert "4302**********2401" in shown
    last = office.db.execute("select user, action from audit_log order by id desc limit 1").fetchone()
    assert last == ("zhang", "查看审计日志")        # looking at the log is itself recorded
    dialog.filter.setText("完整证件")
    dialog.reload()
    assert {dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())} == {"查看完整证件号码"}


def test_the_export_is_masked_and_audited(qtbot, office, chinese, recorded, tmp_path):  # noqa: F811
    dialog = AuditLogDialog(office)
    qtbot.addWidget(dialog)
    target = dialog.export_to(tmp_path / "审计日志.xlsx")
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert rows[0][:4] == ["编号", "时间", "用户", "操作"] and len(rows) > 5
    assert "430202199005012401" not in str(rows) and "13912345678" not in str(rows)
    last = office.db.execute("select action from audit_log order by id desc limit 1").fetchone()
    assert last == ("导出审计日志",)


def test_a_clerk_may_not_read_the_log_and_the_menu_entry_is_disabled(qtbot, office, chinese):  # noqa: F811
    sign_in(office, "xiaoli", "xiaoli-123")
    with pytest.raises(PermissionDenied):
        AuditLogDialog(office)
    window = MainWindow(office, office.user)
    qtbot.addWidget(window)
    assert not window.actions_by_name["auditLogAction"].isEnabled()
    window.close_ledger()
