"""The attendance tab's 人员 page: the office links a person to a login, and from then on that
login sees the leave waiting for that person's approval (issue 7)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from app import accounts
from app.accounts import create_user
from app.attendance import calendar, leave
from app.attendance import staff as staff_mod
from tests.attendance_builders import add_person
from ui import messages
from ui.attendance_tab import AttendanceTab


@pytest.fixture(autouse=True)
def chinese(qapp):
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def shown(monkeypatch):
    boxes = []
    for kind in ("info", "error", "warning"):
        monkeypatch.setattr(messages, kind, lambda _p, text, title=None, kind=kind: boxes.append((kind, text)))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return boxes


def login(ledger, username: str, role: str) -> accounts.User:
    with ledger.write("新增用户", "user", username) as db:
        return create_user(db, username, username, role, "secret-123")


@pytest.fixture
def office(ledger):
    """A section head without a login yet, a worker signed up with hers, one pending half day."""
    calendar.seed_year(ledger, 2026)
    head, _ = add_person(ledger, "010", "陈晓梅", "办公室", staff_mod.SECTION_HEAD)
    worker, worker_login = add_person(ledger, "011", "张丽", "办公室", staff_mod.WORKER, accounts.STAFF)
    add_person(ledger, "001", "王建国", "局领导", staff_mod.DIRECTOR)
    users = {"head": login(ledger, "chenxm", accounts.SECTION_HEAD),
             "admin": login(ledger, "admin", accounts.ADMIN),
             "clerk": login(ledger, "clerk", accounts.STAFF), "worker": worker_login}
    ledger.user = worker_login
    leave.request(ledger, worker.id, "事假", datetime(2026, 3, 17, 8), datetime(2026, 3, 17, 12), "看病",
                  user=worker_login)
    ledger.user = None
    return {"head": head, "worker": worker, **users}


def open_tab(qtbot, ledger, user) -> AttendanceTab:
    ledger.user = user
    tab = AttendanceTab(ledger, user, None)
    qtbot.addWidget(tab)
    tab.clock = lambda: datetime(2026, 3, 16, 9)
    tab.resize(1366, 768)
    tab.set_month("2026-03")
    tab.refresh()
    return tab


def cell(page, staff_no: str, column: int) -> str:
    return page.table.item(page.row_of(staff_no), column).text()


def test_linking_the_section_head_to_a_login_puts_the_request_in_her_queue(qtbot, ledger, office, shown,
                                                                           screenshots_dir):
    before = open_tab(qtbot, ledger, office["head"])
    assert before.leave.queue.rowCount() == 0          # nobody is 陈晓梅 yet
    assert not before.staff_page.login.isEnabled()     # a section head may not link logins

    tab = open_tab(qtbot, ledger, office["admin"])
    page = tab.staff_page
    tab.pages.setCurrentWidget(page)
    assert [page.table.horizontalHeaderItem(c).text() for c in range(7)] == [
        "工号", "姓名", "科室", "职务", "角色", "登录账户", "在职"]
    page.table.selectRow(page.row_of("010"))
    assert page.staff_no.text() == "010" and page.staff_no.isReadOnly()
    assert page.login.currentData() is None
    page.login.setCurrentIndex(page.login.findData(office["head"].id))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert shown == []
    assert cell(page, "010", 5) == "chenxm"
    assert staff_mod.for_user(ledger.db, office["head"].id).name == "陈晓梅"
    audit = ledger.db.execute("select user, object_id, after from audit_log where action = '修改考勤人员'").fetchall()
    assert len(audit) == 1 and audit[0][:2] == (ledger.actor_name, "010")
    assert f'"user_id": {office["head"].id}' in audit[0][2]
    page.table.selectRow(page.row_of("010"))
    tab.grab().save(str(screenshots_dir / "attendance_staff.png"))

    head_tab = open_tab(qtbot, ledger, office["head"])
    queue = head_tab.leave.queue
    assert queue.rowCount() == 1 and queue.item(0, 0).text() == "张丽"
    queue.selectRow(0)
    head_tab.leave.approve_button.click()
    assert leave.between(ledger.db, datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())[0].status == leave.APPROVED


def test_a_login_already_linked_is_named_in_the_combo_and_refused(qtbot, ledger, office, shown):
    page = open_tab(qtbot, ledger, office["admin"]).staff_page
    page.table.selectRow(page.row_of("010"))
    index = page.login.findData(office["worker"].id)
    assert "已关联 张丽（011）" in page.login.itemText(index)
    page.login.setCurrentIndex(index)
    page.save_button.click()
    assert shown == [("error", "该用户账号已关联到人员“张丽”。")]
    assert staff_mod.by_number(ledger.db, "010").user_id is None


def test_unlinking_and_changing_a_role_are_audited(qtbot, ledger, office, shown):
    page = open_tab(qtbot, ledger, office["admin"]).staff_page
    page.table.selectRow(page.row_of("011"))
    page.login.setCurrentIndex(page.login.findData(None))
    page.role.setCurrentText(staff_mod.SECTION_HEAD)
    page.save_button.click()
    assert (cell(page, "011", 4), cell(page, "011", 5)) == ("科室负责人", "")
    actions = [r[0] for r in ledger.db.execute("select action from audit_log where object_type = 'att_staff'")]
    assert actions[-1] == "修改考勤人员"


def test_the_clerk_adds_and_edits_people_but_not_roles_or_logins(qtbot, ledger, office, shown):
    page = open_tab(qtbot, ledger, office["clerk"]).staff_page
    page.new_button.click()
    assert page.name.isEnabled() and not page.role.isEnabled() and not page.login.isEnabled()
    page.staff_no.setText("012")
    page.name.setText("刘洋")
    page.section.setCurrentText("统计科")
    page.title.setText("统计员")
    page.save_button.click()
    assert shown == []
    assert [cell(page, "012", c) for c in range(7)] == ["012", "刘洋", "统计科", "统计员", "工作人员", "", "在职"]
    page.table.selectRow(page.row_of("012"))
    page.active.setChecked(False)
    page.save_button.click()
    assert cell(page, "012", 6) == "已离职"
    assert staff_mod.by_number(ledger.db, "012").active is False


def test_a_director_only_views_the_list_but_may_link(qtbot, ledger, office, shown):
    director = login(ledger, "wangjg", accounts.DIRECTOR)
    page = open_tab(qtbot, ledger, director).staff_page
    assert not page.new_button.isEnabled()
    page.table.selectRow(page.row_of("001"))
    assert page.login.isEnabled() and not page.name.isEnabled()
    page.login.setCurrentIndex(page.login.findData(director.id))
    page.save_button.click()
    assert shown == [] and cell(page, "001", 5) == "wangjg"
