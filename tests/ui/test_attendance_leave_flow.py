"""The leave flow with the accounts a real office has, and the holiday / posting guards, driven
through the attendance tab's widgets (issue 13 items 3 and 4)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate

from app import accounts
from app.attendance import calendar, posting
from app.attendance import staff as staff_mod
from tests.attendance_builders import add_person, punch
from tests.ui.test_attendance_tab import chinese, make_tab  # noqa: F401 - the autouse fixture
from ui import messages


@pytest.fixture
def office(ledger):
    """A township office as it is really set up: the 管理员 login is the director's own account
    (linked to the 局长 staff row); a section head and a worker have their own logins."""
    with ledger.write("新增用户", "user", "admin") as db:
        admin = accounts.create_user(db, "admin", "王建国", accounts.ADMIN, "secret-123")
    ledger.user = admin   # the office is set up by its administrator
    director = staff_mod.add(ledger, "001", "王建国", "局领导", "局长", staff_mod.DIRECTOR, admin.id)
    people = {"director": (director, admin)}
    for key, no, name, section, role, account in [
        ("deputy", "002", "李卫东", "局领导", staff_mod.DEPUTY, accounts.DEPUTY),
        ("head", "010", "陈晓梅", "办公室", staff_mod.SECTION_HEAD, accounts.SECTION_HEAD),
        ("worker", "011", "张丽", "办公室", staff_mod.WORKER, accounts.STAFF),
    ]:
        people[key] = add_person(ledger, no, name, section, role, account)
    for key in people:
        punch(ledger, people[key][0], "2026-03-02 07:55", "2026-03-02 14:25")
    return people


@pytest.fixture
def no_boxes(monkeypatch):
    """Message boxes recorded as (kind, text) instead of shown."""
    shown = []
    for kind in ("info", "error", "warning"):
        monkeypatch.setattr(messages, kind, lambda _p, text, title=None, kind=kind: shown.append((kind, text)))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return shown


def fill_request(page, start: tuple[int, int, int, str], end: tuple[int, int, int, str], reason: str,
                 kind: str = "事假") -> None:
    page.kind.setCurrentText(kind)
    page.start_day.setDate(QDate(*start[:3]))
    page.start_part.setCurrentText(start[3])
    page.end_day.setDate(QDate(*end[:3]))
    page.end_part.setCurrentText(end[3])
    page.reason.setText(reason)


def list_rows(page) -> list[tuple[str, str, str]]:
    return [(page.month_list.item(r, 0).text(), page.month_list.item(r, 2).text(), page.month_list.item(r, 5).text())
            for r in range(page.month_list.rowCount())]


def test_the_administrator_linked_to_the_director_approves_from_the_directors_queue(
        qtbot, ledger, office, no_boxes, screenshots_dir):
    worker_tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    page = worker_tab.leave
    # the month selector shows March; the request is for April, and the list follows the request
    fill_request(page, (2026, 4, 8, "上午"), (2026, 4, 9, "下午"), "回老家办事")
    assert page.chain.text() == "共 2.0 个工作日；审批：局长"
    page.submit.click()
    assert no_boxes[-1] == ("info", "请假申请已提交：张丽 事假 2026-04-08 08:00 – 2026-04-09 17:30（2.0 天）。"
                                    "现等待局长审批。")
    assert worker_tab.month_code() == "2026-03"
    assert list_rows(page) == [("张丽", "04-08 08:00", "待审批")]
    assert page.month_list.selectionModel().selectedRows()[0].row() == 0   # the new request is selected
    worker_tab.pages.setCurrentWidget(page)
    worker_tab.grab().save(str(screenshots_dir / "leave_flow_1_submitted.png"))

    admin_tab = make_tab(qtbot, ledger, office["director"][1], "2026-03-16 09:30")
    queue = admin_tab.leave.queue
    assert queue.rowCount() == 1 and queue.item(0, 0).text() == "张丽" and queue.item(0, 7).text() == "局长"
    assert admin_tab.leave.approve_button.isEnabled()
    admin_tab.pages.setCurrentWidget(admin_tab.leave)
    admin_tab.grab().save(str(screenshots_dir / "leave_flow_2_admin_as_director_queue.png"))
    queue.selectRow(0)
    admin_tab.leave.comment.setText("同意")
    admin_tab.leave.approve_button.click()
    assert no_boxes[-1] == ("info", "已批准：张丽 事假 2026-04-08 08:00 – 2026-04-09 17:30（2.0 天）。"
                                    "审批已全部完成，计入请假。")
    assert admin_tab.leave.queue.rowCount() == 0
    assert list_rows(admin_tab.leave) == [("张丽", "04-08 08:00", "已批准")]
    assert "局长王建国批准：同意" in admin_tab.leave.month_list.item(0, 6).text()

    back_tab = make_tab(qtbot, ledger, office["worker"][1], "2026-04-09 12:10")
    back_tab.leave.month_list.selectRow(0)
    back_tab.leave.back_button.click()
    assert no_boxes[-1] == ("info", "已销假（2026-04-09 12:10）：张丽 事假 2026-04-08 08:00 – 2026-04-09 17:30"
                                    "（2.0 天）。从销假时起不再计请假。")
    assert list_rows(back_tab.leave) == []    # no longer open, and not of March
    back_tab.set_month("2026-04")
    assert list_rows(back_tab.leave) == [("张丽", "04-08 08:00", "已销假")]
    back_tab.pages.setCurrentWidget(back_tab.leave)
    back_tab.grab().save(str(screenshots_dir / "leave_flow_3_reported_back.png"))


def test_a_rejection_is_confirmed_and_frees_the_time(qtbot, ledger, office, no_boxes):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    fill_request(tab.leave, (2026, 3, 17, "上午"), (2026, 3, 17, "上午"), "看病", kind="病假")
    tab.leave.submit.click()
    head_tab = make_tab(qtbot, ledger, office["head"][1], "2026-03-16 09:30")
    head_tab.leave.queue.selectRow(0)
    head_tab.leave.reject_button.click()
    assert no_boxes[-1] == ("error", "驳回时请填写意见。")
    head_tab.leave.comment.setText("当天有检查")
    head_tab.leave.reject_button.click()
    assert no_boxes[-1] == ("info", "已驳回：张丽 病假 2026-03-17 08:00 – 2026-03-17 12:00（0.5 天）。")
    assert list_rows(head_tab.leave) == [("张丽", "03-17 08:00", "已驳回")]


def test_zero_day_and_overlapping_requests_are_refused_on_screen(qtbot, ledger, office, no_boxes, screenshots_dir):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    page = tab.leave
    fill_request(page, (2026, 3, 21, "上午"), (2026, 3, 22, "下午"), "周末")   # Saturday and Sunday
    assert page.chain.text() == "这段时间没有工作时间（0 天），不需要请假。"
    page.submit.click()
    assert no_boxes[-1][0] == "error" and "0 天" in no_boxes[-1][1]
    fill_request(page, (2026, 10, 1, "上午"), (2026, 10, 7, "下午"), "国庆")   # the new ledger knows 国庆
    assert page.chain.text() == "这段时间没有工作时间（0 天），不需要请假。"
    fill_request(page, (2026, 3, 18, "上午"), (2026, 3, 19, "下午"), "探亲")
    page.submit.click()
    fill_request(page, (2026, 3, 19, "上午"), (2026, 3, 19, "上午"), "看病", kind="病假")
    page.submit.click()
    assert no_boxes[-1][0] == "error"
    assert "已有请假：事假 2026-03-18 08:00 至 2026-03-19 17:30（待审批）" in no_boxes[-1][1]
    assert len(list_rows(page)) == 1
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "leave_flow_4_refused_overlap.png"))


def test_the_directors_own_leave_is_filed_and_shown_on_the_posting(qtbot, ledger, office, no_boxes, screenshots_dir):
    tab = make_tab(qtbot, ledger, office["director"][1], "2026-03-16 09:00")
    page = tab.leave
    page.person.setCurrentIndex(page.person.findData(office["director"][0].id))
    fill_request(page, (2026, 3, 3, "上午"), (2026, 3, 3, "下午"), "到市里开会前处理家事")
    assert page.chain.text() == "共 1.0 个工作日；局长本人请假向办公室报备，不经审批"
    page.submit.click()
    assert no_boxes[-1] == ("info", "已报备：王建国 事假 2026-03-03 08:00 – 2026-03-03 17:30（1.0 天）。"
                                    "局长本人请假不经审批，计入请假，并在考勤公布表上列出。")
    assert list_rows(page) == [("王建国", "03-03 08:00", "报备")]
    assert page.queue.rowCount() == 0
    for key in ("deputy", "head"):
        other = make_tab(qtbot, ledger, office[key][1], "2026-03-16 09:00")
        assert other.leave.queue.rowCount() == 0           # nobody's queue holds it
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "leave_flow_5_director_filed.png"))
    zhang = [p.name for p in staff_mod.all_staff(ledger.db)].index("王建国")
    assert tab.grid.cell_text(zhang, 2) == "事事"           # 3 March: leave, not 旷工
    tab.pages.setCurrentWidget(tab.posting)
    notes = tab.posting.preview.notes.text()
    assert "报备（局长本人请假，向办公室登记，不经审批，已计入请假）：王建国 事假 2026-03-03 08:00 至 " \
           "2026-03-03 17:30（1 天）" in notes
    tab.grab().save(str(screenshots_dir / "leave_flow_6_posting_lists_filed.png"))


def test_a_month_without_punches_warns_and_posting_says_why(qtbot, ledger, office, no_boxes):
    tab = make_tab(qtbot, ledger, office["director"][1], "2026-05-06 09:00")
    tab.set_month("2026-04")
    assert not tab.warnings.isHidden()
    assert "2026年4月还没有导入任何打卡记录" in tab.warnings.text()
    tab.posting.post_button.click()
    assert no_boxes[-1][0] == "error" and "2026-04 不能张榜公布" in no_boxes[-1][1] and "打卡" in no_boxes[-1][1]
    assert not posting.status(ledger.db, "2026-04")["locked"]
    tab.set_month("2026-03")
    assert tab.warnings.isHidden()
    tab.posting.post_button.click()
    assert posting.status(ledger.db, "2026-03")["locked"]


def test_the_calendar_page_reads_chinese_and_offers_next_years_days_by_hand(qtbot, ledger, office, no_boxes,
                                                                             screenshots_dir):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    page = tab.calendar_page
    sources = {page.holidays.item(r, 3).text() for r in range(page.holidays.rowCount())}
    assert sources == {"内置节假日表（国务院办公厅通知）"}
    assert page.missing_hint.isHidden()
    next_year = calendar.builtin_years()[-1] + 1
    assert page.by_hand_button.text() == f"手工录入 {next_year} 年放假安排…"
    page.by_hand_button.click()
    assert no_boxes[-1][0] == "info" and f"国务院办公厅关于{next_year}年部分节假日安排的通知" in no_boxes[-1][1]
    assert tab.month_code() == f"{next_year}-01"
    assert page.day.date() == QDate(next_year, 1, 1) and page.kind.currentText() == "法定节假日"
    assert page.name.text() == "元旦"
    assert not page.missing_hint.isHidden() and f"{next_year} 年没有节假日数据" in page.missing_hint.text()
    assert not page.seed_button.isEnabled()     # the built-in table does not know the year
    assert f"{next_year} 年没有节假日数据" in tab.warnings.text()
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "calendar_enter_next_year_by_hand.png"))
    page.set_button.click()
    assert page.holidays.rowCount() == 1
    assert [page.holidays.item(0, c).text() for c in range(4)] == [f"{next_year}-01-01", "法定节假日", "元旦", "手工录入"]
    assert page.missing_hint.isHidden() and "节假日数据" not in tab.warnings.text()
    assert calendar.year_has_data(ledger.db, next_year)
