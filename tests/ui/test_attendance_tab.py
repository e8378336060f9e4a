"""The attendance tab driven like a clerk, a section head and the director would use it."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from PySide6.QtCore import QDate, Qt

from app import accounts
from app.attendance import calendar, leave, settings
from app.attendance import staff as staff_mod
from tests.attendance_builders import add_person, punch
from tests.builders import as_setup_admin
from ui import messages
from ui.attendance_tab import AttendanceTab


@pytest.fixture(autouse=True)
def chinese(qapp):
    """Run in Chinese like the shipped program (ui.main installs the same translators)."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def office(ledger):
    people = {}
    for key, no, name, section, role, account in [
        ("director", "001", "王建国", "局领导", staff_mod.DIRECTOR, accounts.DIRECTOR),
        ("deputy", "002", "李卫东", "局领导", staff_mod.DEPUTY, accounts.DEPUTY),
        ("head", "010", "陈晓梅", "办公室", staff_mod.SECTION_HEAD, accounts.SECTION_HEAD),
        ("worker", "011", "张丽", "办公室", staff_mod.WORKER, accounts.STAFF),
        ("other", "012", "刘洋", "办公室", staff_mod.WORKER, None),
    ]:
        people[key] = add_person(ledger, no, name, section, role, account)
    with as_setup_admin(ledger):
        calendar.seed_year(ledger, 2026)
    for day in range(2, 13):
        if datetime(2026, 3, day).weekday() < 5:
            for key in ("director", "deputy", "head", "worker", "other"):
                if (key, day) == ("worker", 2):
                    continue
                punch(ledger, people[key][0], f"2026-03-{day:02d} 07:5{day % 10}", f"2026-03-{day:02d} 14:2{day % 10}")
    punch(ledger, people["worker"][0], "2026-03-02 07:58", "2026-03-02 14:41")   # late in the afternoon
    return people


@pytest.fixture
def no_boxes(monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "info", lambda _p, text, title=None: shown.append(("info", text)))
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(("error", text)))
    monkeypatch.setattr(messages, "warning", lambda _p, text, title=None: shown.append(("warning", text)))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return shown


def make_tab(qtbot, ledger, user, now: str) -> AttendanceTab:
    ledger.user = user
    tab = AttendanceTab(ledger, user, None)
    qtbot.addWidget(tab)
    tab.clock = lambda: datetime.fromisoformat(now)
    tab.resize(1366, 768)
    tab.set_month("2026-03")
    tab.refresh()
    return tab


def test_the_month_grid_shows_a_symbol_per_session_and_colours(qtbot, ledger, office, no_boxes, screenshots_dir):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 08:05")
    grid = tab.grid
    names = [grid.table.verticalHeaderItem(r).text() for r in range(grid.table.rowCount())]
    assert names == ["王建国", "李卫东", "陈晓梅", "张丽", "刘洋"]
    zhang = names.index("张丽")
    assert grid.cell_text(zhang, 1) == "✓迟"       # 2 March: on time, then late (14:41 > 14:30)
    assert grid.cell_text(zhang, 0) == "休"        # Sunday 1 March
    assert grid.cell_text(zhang, 15) == "··"       # 16 March at 08:05: both sessions can still change
    assert grid.cell_text(zhang, 12) == "旷旷"     # 13 March: no punch at all
    assert grid.table.item(zhang, 1).background().color().name() == "#ffd27f"
    assert "迟到" in grid.legend.text() and "旷工" in grid.legend.text()
    tab.pages.setCurrentWidget(grid)
    tab.grab().save(str(screenshots_dir / "attendance_grid.png"))


def test_roll_call_ticks_record_now_and_corrections_are_audited(qtbot, ledger, office, no_boxes, screenshots_dir):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 08:05")
    page = tab.roll_call
    assert "上午" in page.heading.text()
    row = page.row_of("012")
    page.table.item(row, 3).setCheckState(Qt.CheckState.Checked)
    row = page.row_of("012")
    assert page.table.item(row, 4).text() == "08:05:00"
    assert page.table.item(row, 6).text() == "迟到"
    page.table.item(row, 3).setCheckState(Qt.CheckState.Unchecked)
    assert page.table.item(page.row_of("012"), 4).text() == ""
    actions = [r[0] for r in ledger.db.execute("select action from audit_log where object_type = 'att_punch'")]
    assert actions == ["点名签到", "更正点名"]
    page.spot_person.setCurrentIndex(page.spot_person.findData(office["other"][0].id))
    page.spot_result.setCurrentText("在岗")
    page.spot_note.setText("在办公室")
    page.spot_button.click()
    assert page.checks.rowCount() == 1 and page.checks.item(0, 2).text() == "在岗"
    page.table.item(page.row_of("011"), 3).setCheckState(Qt.CheckState.Checked)
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "attendance_roll_call.png"))


def test_leave_is_requested_then_approved_from_the_section_heads_queue(qtbot, ledger, office, no_boxes,
                                                                         screenshots_dir):
    worker_tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    page = worker_tab.leave
    page.person.setCurrentIndex(page.person.findData(office["worker"][0].id))
    page.kind.setCurrentText("事假")
    page.start_day.setDate(QDate(2026, 3, 17))
    page.start_part.setCurrentText("上午")
    page.end_day.setDate(QDate(2026, 3, 17))
    page.end_part.setCurrentText("上午")
    assert page.chain.text().endswith("科室负责人")
    page.reason.setText("孩子家长会")
    page.handover.setText("刘洋")
    page.submit.click()
    assert no_boxes == [("info", "请假申请已提交：张丽 事假 2026-03-17 08:00 – 2026-03-17 12:00（0.5 天）。"
                                 "现等待科室负责人审批。")]
    assert page.month_list.rowCount() == 1 and page.month_list.item(0, 5).text() == "待审批"
    assert page.queue.rowCount() == 0          # nobody approves their own leave
    worker_tab.pages.setCurrentWidget(page)
    worker_tab.grab().save(str(screenshots_dir / "attendance_leave_request.png"))

    head_tab = make_tab(qtbot, ledger, office["head"][1], "2026-03-16 09:30")
    queue = head_tab.leave.queue
    assert queue.rowCount() == 1 and queue.item(0, 0).text() == "张丽"
    head_tab.pages.setCurrentWidget(head_tab.leave)
    head_tab.grab().save(str(screenshots_dir / "attendance_leave_queue.png"))
    queue.selectRow(0)
    head_tab.leave.comment.setText("同意")
    head_tab.leave.approve_button.click()
    assert no_boxes[-1] == ("info", "已批准：张丽 事假 2026-03-17 08:00 – 2026-03-17 12:00（0.5 天）。"
                                    "审批已全部完成，计入请假。")
    assert head_tab.leave.month_list.item(0, 5).text() == leave.APPROVED
    assert "陈晓梅批准：同意" in head_tab.leave.month_list.item(0, 6).text()
    zhang = [p.name for p in staff_mod.all_staff(ledger.db)].index("张丽")
    assert head_tab.grid.cell_text(zhang, 16) == "事·"


def test_a_longer_leave_waits_for_the_deputy_after_the_section_head(qtbot, ledger, office, no_boxes):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 09:00")
    page = tab.leave
    page.start_day.setDate(QDate(2026, 3, 18))
    page.end_day.setDate(QDate(2026, 3, 18))
    page.start_part.setCurrentText("上午")
    page.end_part.setCurrentText("下午")
    assert page.chain.text().endswith("局长")   # a whole day goes to the director
    deputy_tab = make_tab(qtbot, ledger, office["deputy"][1], "2026-03-16 09:00")
    deputy_tab.leave.approve_button.click()      # nothing selected and nothing queued
    assert deputy_tab.leave.queue.rowCount() == 0


def test_posting_preview_post_export_and_reopen(qtbot, ledger, office, no_boxes, screenshots_dir, tmp_path,
                                                  monkeypatch):
    tab = make_tab(qtbot, ledger, office["director"][1], "2026-04-02 09:00")
    page = tab.posting
    assert page.preview.form.title == "考勤情况公布表"
    assert [r["name"] for r in page.preview.form.rows] == ["王建国", "李卫东", "陈晓梅", "张丽", "刘洋"]
    assert page.post_button.isEnabled() and not page.reopen_button.isEnabled()
    page.post_button.click()
    assert page.status.text() == "已张榜公布并锁定（2026-04-02 09:00:00）"
    assert page.reopen_button.isEnabled() and not page.post_button.isEnabled()
    monkeypatch.setattr(tab, "choose_folder", lambda _title: str(tmp_path))
    page.export_button.click()
    pdf, xlsx = tab.last_export
    assert pdf.exists() and xlsx.exists()
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "attendance_posting.png"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                    str(screenshots_dir / "attendance_posting_pdf")], check=True)
    monkeypatch.setattr(tab, "ask_text", lambda _t, _l: "补录病假")
    page.reopen_button.click()
    assert page.post_button.isEnabled()
    page.year_choice.setChecked(True)
    assert page.preview.form.title.startswith("年度考勤汇总")
    assert [r["name"] for r in page.preview.form.rows] == []   # no month posted any more


def test_a_worker_cannot_post(qtbot, ledger, office, no_boxes):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-04-02 09:00")
    assert not tab.posting.post_button.isEnabled()


def test_importing_a_machine_file_runs_in_the_background_and_redraws(qtbot, ledger, office, no_boxes, tmp_path):
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-20 18:00")
    path = tmp_path / "考勤机.csv"
    path.write_bytes("工号,姓名,打卡时间\r\n012,刘洋,2026-03-13 07:59\r\n012,刘洋,2026-03-13 14:29\r\n".encode("gbk"))
    liu = [p.name for p in staff_mod.all_staff(ledger.db)].index("刘洋")
    assert tab.grid.cell_text(liu, 12) == "旷旷"
    tab.import_path(str(path))
    qtbot.waitUntil(lambda: bool(no_boxes), timeout=10_000)
    assert no_boxes[0][0] == "info" and "新增 2" in no_boxes[0][1]
    assert tab.grid.cell_text(liu, 12) == "✓✓"
    bad = tmp_path / "坏.csv"
    bad.write_bytes("工号,姓名,打卡时间\r\n999,某人,2026-03-13 07:59\r\n".encode("gbk"))
    tab.import_path(str(bad))
    qtbot.waitUntil(lambda: len(no_boxes) == 2, timeout=10_000)
    assert no_boxes[1][0] == "error" and "坏.csv!2 工号: 工号“999”不在人员名单中" in no_boxes[1][1]


def test_the_office_corrects_the_calendar_hours_and_rules(qtbot, ledger, office, no_boxes, screenshots_dir):
    admin = accounts.User(office["worker"][1].id, "u011", "张丽", accounts.ADMIN)  # may manage settings
    tab = make_tab(qtbot, ledger, admin, "2026-03-20 18:00")
    page = tab.calendar_page
    assert page.holidays.rowCount() > 20            # seeded in the fixture from the built-in calendar
    page.day.setDate(QDate(2026, 3, 19))
    page.kind.setCurrentText("法定节假日")
    page.name.setText("地方节日")
    page.set_button.click()
    zhang = [p.name for p in staff_mod.all_staff(ledger.db)].index("张丽")
    assert tab.grid.cell_text(zhang, 18) == "休"
    page.clear_button.click()
    assert tab.grid.cell_text(zhang, 18) == "旷旷"
    page.valid_from.setDate(QDate(2026, 3, 16))
    page.times[0].setTime(page.times[0].time().fromString("08:30", "HH:mm"))
    page.schedule_button.click()
    assert page.schedules.item(0, 1).text() == "08:30–12:00"
    page.setting_edits["absent_after_minutes"].setText("45")
    page.setting_edits["strict_early_punch"].setText("是")
    page.settings_button.click()
    assert no_boxes == []
    loaded = settings.load(ledger.db)
    assert (loaded.absent_after_minutes, loaded.strict_early_punch) == (45, True)
    page.setting_edits["window_minutes"].setText("15")
    page.setting_edits["late_fine_yuan"].setText("两元")
    page.settings_button.click()
    assert no_boxes[-1][0] == "error" and "应为金额" in no_boxes[-1][1]
    assert settings.load(ledger.db).window_minutes == 10   # one bad value: nothing was saved
    tab.pages.setCurrentWidget(page)
    tab.grab().save(str(screenshots_dir / "attendance_calendar.png"))


def test_the_roll_call_ticks_exactly_the_punches_the_rules_take_as_the_sign_in(qtbot, ledger, office, no_boxes):
    """The page asks app.attendance.roll_call (the rules' sign-in window): a punch at exactly the
    morning's end is the afternoon's sign-in (ticked, 准时); with strict_early_punch it is before
    the window, so it is none (not ticked, 旷工 once the threshold passed)."""
    punch(ledger, office["other"][0], "2026-03-16 12:00")
    tab = make_tab(qtbot, ledger, office["worker"][1], "2026-03-16 15:10")
    page = tab.roll_call
    assert "下午" in page.heading.text()

    def shown():
        row = page.row_of("012")
        return (page.table.item(row, 3).checkState(), page.table.item(row, 4).text(),
                page.table.item(row, 6).text())

    assert shown() == (Qt.CheckState.Checked, "12:00:00", "准时")
    clerk, ledger.user = ledger.user, accounts.User(0, "setup", "管理员", accounts.ADMIN)
    settings.save(ledger, "strict_early_punch", True)    # an administrator changes the rule
    ledger.user = clerk
    tab.refresh()
    assert shown() == (Qt.CheckState.Unchecked, "", "旷工")
