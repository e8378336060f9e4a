"""Traps around every counting rule of DOMAIN.md §8 ("Counting, precisely") and the attendance
files of INTERFACES.md §6 — one test per trap, each named as the rule it pins down.

March 2026: the 1st is a Sunday; 22 working days. Default hours 08:00–12:00 and 14:30–17:30;
window 10 min; absent threshold 30 min. February 2026 (春节): 15–23 off, Saturdays 14 and 28
worked (调休上班) → 16 working days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from app.attendance import importer, month
from app.attendance.calendar import STATUTORY, SWAPPED_WORKDAY
from app.attendance.posting_form import month_form
from app.attendance.rules import (
    ABSENT,
    BUSINESS,
    LATE,
    LEAVE,
    ON_TIME,
    Interval,
    PersonInputs,
    day_sheet,
    session_result,
    summarise,
)
from app.attendance.schedules import AFTERNOON, DEFAULT, MORNING
from app.attendance.settings import AttendanceSettings
from tests.app.test_attendance_import import write_csv, write_xlsx

SETTINGS = AttendanceSettings()
MARCH = [date(2026, 3, d) for d in range(1, 32)]
DAY = date(2026, 3, 2)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def session(which: str, *punches: str, settings: AttendanceSettings = SETTINGS, **kw) -> str:
    inputs = PersonInputs(punches=[at(p) for p in punches], **kw)
    return session_result(DAY, which, DEFAULT, inputs, settings).status


def both(*punches: str, **kw) -> tuple[str, str]:
    return session(MORNING, *punches, **kw), session(AFTERNOON, *punches, **kw)


def on_time_all_month(skip: set[tuple[int, str]] = frozenset()) -> list[datetime]:
    out = []
    for day in MARCH:
        if day.weekday() < 5:
            for which, clock in ((MORNING, time(7, 55)), (AFTERNOON, time(14, 25))):
                if (day.day, which) not in skip:
                    out.append(datetime.combine(day, clock))
    return out


def march(inputs: PersonInputs, holidays=None, settings: AttendanceSettings = SETTINGS):
    return summarise(day_sheet(MARCH, holidays or {}, [], inputs, settings), settings)


# ---- which punch is a session's sign-in -----------------------------------------------------
def test_a_punch_exactly_at_the_end_of_the_morning_signs_in_the_afternoon():
    """'from the end of the previous session … to the end of this session': the end is included."""
    assert both("2026-03-02 07:55", "2026-03-02 12:00:00") == (ON_TIME, ON_TIME)


def test_a_lone_punch_at_the_end_of_the_morning_is_absent_for_the_morning_and_on_time_for_the_afternoon():
    assert both("2026-03-02 12:00:00") == (ABSENT, ON_TIME)


def test_a_punch_in_the_lunch_break_is_the_afternoon_sign_in():
    assert both("2026-03-02 07:59", "2026-03-02 13:10") == (ON_TIME, ON_TIME)
    assert both("2026-03-02 12:00:01") == (ABSENT, ON_TIME)


def test_a_punch_at_midnight_is_the_mornings_sign_in_and_one_before_midnight_is_not():
    assert session(MORNING, "2026-03-02 00:00:00") == ON_TIME
    assert session(MORNING, "2026-03-01 23:59:59") == ABSENT


def test_a_punch_after_the_afternoon_ends_signs_in_nothing():
    assert both("2026-03-02 07:55", "2026-03-02 17:30:01") == (ON_TIME, ABSENT)
    assert session(AFTERNOON, "2026-03-02 17:30:00") == ABSENT  # in range, but 3 h late


def test_the_sign_in_is_the_earliest_punch_not_the_best():
    """A 08:35 punch followed by nothing better: the earliest punch decides (≥ 30 min → 旷工)."""
    assert session(MORNING, "2026-03-02 08:35", "2026-03-02 08:50") == ABSENT
    assert session(AFTERNOON, "2026-03-02 14:40", "2026-03-02 15:20") == LATE


def test_exactly_30_minutes_late_is_absent_in_the_afternoon_too():
    assert session(AFTERNOON, "2026-03-02 14:59:59") == LATE
    assert session(AFTERNOON, "2026-03-02 15:00:00") == ABSENT


def test_the_windows_first_minute_is_on_time_even_when_strict():
    strict = AttendanceSettings(strict_early_punch=True)
    assert session(MORNING, "2026-03-02 07:50:00", settings=strict) == ON_TIME
    assert session(MORNING, "2026-03-02 07:49:59", settings=strict) == ABSENT
    assert session(MORNING, "2026-03-02 05:00", settings=SETTINGS) == ON_TIME


def test_strict_mode_does_not_drag_the_afternoon_range_before_the_mornings_end():
    strict = AttendanceSettings(strict_early_punch=True)
    assert session(AFTERNOON, "2026-03-02 11:50", settings=strict) == ABSENT
    assert session(AFTERNOON, "2026-03-02 14:20", settings=strict) == ON_TIME


# ---- punches decide on time and late; leave and trips only excuse what would be 旷工 ---------
MORNING_LEAVE = Interval(at("2026-03-02 08:00"), at("2026-03-02 12:00"), "事假")
MORNING_TRIP = Interval(at("2026-03-02 08:00"), at("2026-03-02 12:00"), "因公外出")


def test_a_person_on_approved_leave_who_signs_in_on_time_is_present():
    assert session(MORNING, "2026-03-02 07:58", leave=[MORNING_LEAVE]) == ON_TIME


def test_approved_leave_does_not_excuse_a_late_sign_in():
    assert session(MORNING, "2026-03-02 08:10", leave=[MORNING_LEAVE]) == LATE


def test_approved_leave_turns_a_sign_in_past_the_threshold_into_leave():
    result = session_result(DAY, MORNING, DEFAULT, PersonInputs(punches=[at("2026-03-02 08:45")],
                                                                leave=[MORNING_LEAVE]), SETTINGS)
    assert (result.status, result.leave_type) == (LEAVE, "事假")


def test_a_business_trip_does_not_turn_a_late_sign_in_into_present_without_the_fine():
    assert session(MORNING, "2026-03-02 08:10", trips=[MORNING_TRIP]) == LATE
    assert session(MORNING, trips=[MORNING_TRIP]) == BUSINESS


def test_leave_is_taken_before_a_business_trip_when_both_cover_a_missed_roll_call():
    """DOMAIN.md names leave first ("covered by leave … or by 因公外出")."""
    assert session(MORNING, leave=[MORNING_LEAVE], trips=[MORNING_TRIP]) == LEAVE


def test_leave_that_starts_after_the_roll_call_does_not_excuse_missing_it():
    late_leave = Interval(at("2026-03-02 10:00"), at("2026-03-02 12:00"), "事假")
    assert session(MORNING, leave=[late_leave]) == ABSENT


def test_leave_that_ends_exactly_at_the_start_does_not_cover_the_session():
    ends_at_start = Interval(at("2026-03-02 07:00"), at("2026-03-02 08:00"), "事假")
    assert session(MORNING, leave=[ends_at_start]) == ABSENT


def test_leave_days_count_whole_sessions_even_when_the_leave_covers_part_of_one():
    """leave_days[type] = leave sessions / 2: a 08:00–10:00 leave that excuses the morning roll
    call is half a day, not a quarter (the proportional length is only for the approval chain)."""
    partial = Interval(at("2026-03-02 08:00"), at("2026-03-02 10:00"), "病假")
    figures = march(PersonInputs(punches=on_time_all_month({(2, MORNING)}), leave=[partial]))
    assert figures.leave_days == {"病假": Decimal("0.5")}
    assert figures.absent_sessions == 0


def test_a_leave_spanning_a_weekend_counts_only_working_sessions():
    friday_to_monday = Interval(at("2026-03-06 08:00"), at("2026-03-09 17:30"), "年休假")
    skip = {(6, MORNING), (6, AFTERNOON), (9, MORNING), (9, AFTERNOON)}
    figures = march(PersonInputs(punches=on_time_all_month(skip), leave=[friday_to_monday]))
    assert figures.leave_days == {"年休假": Decimal("2")}
    assert figures.days_due == 22
    assert figures.present_sessions == 40


# ---- the bonus: three consecutive 旷工 among the month's working sessions -----------------------
def test_two_consecutive_absences_keep_the_bonus_and_three_forfeit_it():
    two = march(PersonInputs(punches=on_time_all_month({(3, AFTERNOON), (4, MORNING)})))
    assert (two.absent_sessions, two.bonus_forfeited) == (2, False)
    three = march(PersonInputs(punches=on_time_all_month({(3, AFTERNOON), (4, MORNING), (4, AFTERNOON)})))
    assert three.bonus_forfeited is True


def test_three_absences_scattered_over_the_month_keep_the_bonus():
    figures = march(PersonInputs(punches=on_time_all_month({(3, MORNING), (10, MORNING), (17, MORNING)})))
    assert (figures.absent_sessions, figures.bonus_forfeited, figures.fines_yuan) == (3, False, Decimal(30))


def test_a_statutory_holiday_between_absences_does_not_break_the_run():
    holidays = {date(2026, 3, 4): STATUTORY}
    figures = march(PersonInputs(punches=on_time_all_month({(3, AFTERNOON), (5, MORNING), (5, AFTERNOON)})),
                    holidays)
    assert figures.longest_absent_run == 3 and figures.bonus_forfeited is True


def test_a_business_trip_session_breaks_the_run():
    trip = Interval(at("2026-03-04 08:00"), at("2026-03-04 12:00"), "因公外出")
    figures = march(PersonInputs(punches=on_time_all_month({(3, MORNING), (3, AFTERNOON), (4, MORNING),
                                                            (4, AFTERNOON)}), trips=[trip]))
    assert (figures.absent_sessions, figures.longest_absent_run, figures.bonus_forfeited) == (3, 2, False)


def test_absences_on_a_swapped_saturday_join_the_run():
    holidays = {date(2026, 3, 7): SWAPPED_WORKDAY}
    figures = march(PersonInputs(punches=on_time_all_month({(6, AFTERNOON), (9, MORNING)})), holidays)
    # Fri pm, Sat am, Sat pm (nobody punched on the swapped Saturday), Mon am
    assert figures.longest_absent_run == 4 and figures.days_due == 23


# ---- the month's figures ----------------------------------------------------------------------
def test_days_due_counts_working_days_covered_by_leave_too():
    whole_week = Interval(at("2026-03-02 08:00"), at("2026-03-06 17:30"), "病假")
    skip = {(d, s) for d in range(2, 7) for s in (MORNING, AFTERNOON)}
    figures = march(PersonInputs(punches=on_time_all_month(skip), leave=[whole_week]))
    assert figures.days_due == 22
    assert figures.present_sessions == 34
    assert figures.attendance_rate_percent == Decimal("77.27")  # 34 / 44 = 77.2727…


def test_duty_counts_only_on_non_working_days():
    holidays = {date(2026, 3, 4): STATUTORY, date(2026, 3, 7): SWAPPED_WORKDAY}
    duty = frozenset({date(2026, 3, 4), date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)})
    figures = march(PersonInputs(punches=on_time_all_month(), duty_days=duty), holidays)
    assert figures.duty_days == 2  # the holiday and Sunday the 8th; not the swapped Saturday nor Monday


def test_fines_count_late_and_absent_sessions_only():
    skip = {(2, MORNING)}
    inputs = PersonInputs(punches=[*on_time_all_month(skip), at("2026-03-02 08:29:59")],
                          leave=[Interval(at("2026-03-03 08:00"), at("2026-03-03 17:30"), "事假")])
    figures = march(inputs)
    assert (figures.late, figures.absent_sessions, figures.fines_yuan) == (1, 0, Decimal(1))


# ---- through the ledger: files in, `attendance month` document out ------------------------------
PEOPLE = [("工号", "姓名", "科室", "职务", "角色"), ("011", "张三", "办公室", "科员", "工作人员"),
          ("012", "李四", "办公室", "科员", "工作人员")]


def person(ledger, code: str, staff_no: str) -> dict:
    return next(p for p in month.document(ledger.db, code)["staff"] if p["staff_no"] == staff_no)


def punch_rows(days: list[date], skip: set[tuple[date, str]] = frozenset(), staff_no: str = "011") -> list[tuple]:
    rows = []
    for day in days:
        for which, clock in ((MORNING, "07:55"), (AFTERNOON, "14:25")):
            if (day, which) not in skip:
                rows.append((staff_no, f"{day.isoformat()} {clock}"))
    return rows


def march_working_days() -> list[date]:
    return [d for d in MARCH if d.weekday() < 5]


def test_leave_statuses_pending_and_rejected_do_not_count_approved_and_returned_do(ledger, tmp_path):
    skip = {(date(2026, 3, d), s) for d in (2, 3, 4, 5) for s in (MORNING, AFTERNOON)}
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days(), skip)],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "事假", "2026-03-02", "2026-03-02", "已批准"),
               ("011", "病假", "2026-03-03", "2026-03-03", "已销假"),
               ("011", "事假", "2026-03-04", "2026-03-04", "待审批"),
               ("011", "事假", "2026-03-05", "2026-03-05", "已驳回")],
    })
    importer.import_file(ledger, book)
    row = person(ledger, "2026-03", "011")
    assert row["leave_days"] == {"事假": 1, "病假": 1}
    assert row["absent_sessions"] == 4 and row["fines_yuan"] == 40
    assert row["bonus_forfeited"] is True
    assert row["present_sessions"] == 36 and row["attendance_rate_percent"] == 81.82


def test_half_day_leave_written_as_上午_and_下午_counts_the_right_sessions(ledger, tmp_path):
    skip = {(date(2026, 3, 2), AFTERNOON), (date(2026, 3, 3), MORNING)}
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days(), skip)],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "事假", "2026-03-02 下午", "2026-03-03 上午", "已批准")],
    })
    importer.import_file(ledger, book)
    row = person(ledger, "2026-03", "011")
    assert row["leave_days"] == {"事假": 1} and row["absent_sessions"] == 0 and row["present_sessions"] == 42


def test_leave_with_excel_date_cells_covers_the_whole_last_day(ledger, tmp_path):
    skip = {(date(2026, 3, 2), s) for s in (MORNING, AFTERNOON)} | {(date(2026, 3, 3), s) for s in (MORNING, AFTERNOON)}
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days(), skip)],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "病假", datetime(2026, 3, 2), datetime(2026, 3, 3), "已批准")],
    })
    importer.import_file(ledger, book)
    assert person(ledger, "2026-03", "011")["leave_days"] == {"病假": 2}


def test_a_leave_row_of_a_business_type_counts_as_present_not_as_leave(ledger, tmp_path):
    skip = {(date(2026, 3, d), s) for d in (2, 3) for s in (MORNING, AFTERNOON)}
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days(), skip)],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "因公外出", "2026-03-02", "2026-03-02", "已批准"),
               ("011", "出差", "2026-03-03", "2026-03-03", "待审批")],
    })
    importer.import_file(ledger, book)
    row = person(ledger, "2026-03", "011")
    assert row["leave_days"] == {}
    assert row["present_sessions"] == 42 and row["absent_sessions"] == 2  # the pending trip is not registered


def test_leave_types_beyond_the_built_in_list_import_and_count_under_their_own_name(ledger, tmp_path):
    skip = {(date(2026, 3, 2), MORNING), (date(2026, 3, 3), AFTERNOON)}
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days(), skip)],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "年假", "2026-03-02 上午", "2026-03-02 上午", "已批准"),
               ("011", "陪产假", "2026-03-03 下午", "2026-03-03 下午", "已批准")],
    })
    importer.import_file(ledger, book)
    document = month.document(ledger.db, "2026-03")
    assert person(ledger, "2026-03", "011")["leave_days"] == {"年假": 0.5, "陪产假": 0.5}
    form = month_form(document, "测试局", SETTINGS)
    assert {"年假", "陪产假"} <= {c.title for c in _leaves(form)}


def _leaves(form):
    out = []
    for column in form.columns:
        out.extend(column.children or [])
    return out


def test_a_spring_festival_month_has_16_days_due_and_the_rate_rounds_half_up(ledger, tmp_path):
    feb = [date(2026, 2, d) for d in range(1, 29)]
    holidays = [(f"2026-02-{d:02d}", "法定节假日") for d in range(15, 24)] + \
        [("2026-02-14", "调休上班"), ("2026-02-28", "调休上班")]
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "节假日": [("日期", "类型"), *holidays],
        "打卡": [("工号", "打卡时间"), ("011", "2026-02-02 07:59"),
               ("011", "2026-02-17 07:59"),   # a punch on the holiday counts for nothing
               ("011", "2026-02-14 14:31")],  # the swapped Saturday afternoon: late
        "值班": [("工号", "日期"), ("011", "2026-02-17"), ("011", "2026-02-14"), ("011", "2026-02-22")],
    })
    importer.import_file(ledger, book)
    row = person(ledger, "2026-02", "011")
    assert row["days_due"] == 16 and len(feb) == 28
    assert row["present_sessions"] == 2 and row["late"] == 1
    assert row["attendance_rate_percent"] == 6.25
    assert row["duty_days"] == 2  # the 17th (holiday) and the 22nd (Sunday, in the holiday); not the 14th
    other = person(ledger, "2026-02", "012")
    assert other["present_sessions"] == 0 and other["absent_sessions"] == 32
    assert other["attendance_rate_percent"] == 0


def test_the_rate_rounds_half_up_at_the_third_decimal(ledger, tmp_path):
    """1 session present of 32 due: 3.125 % → 3.13 (half up, not half even)."""
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "节假日": [("日期", "类型"), *[(f"2026-02-{d:02d}", "法定节假日") for d in range(15, 24)],
                ("2026-02-14", "调休上班"), ("2026-02-28", "调休上班")],
        "打卡": [("工号", "打卡时间"), ("011", "2026-02-02 07:59")],
    })
    importer.import_file(ledger, book)
    assert person(ledger, "2026-02", "011")["attendance_rate_percent"] == 3.13


def test_a_schedule_change_mid_month_from_the_workbook_moves_the_start(ledger, tmp_path):
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "作息时间": [("开始日期", "上午上班", "上午下班", "下午上班", "下午下班"),
                 ("2026-01-01", "08:00", "12:00", "14:00", "17:00"),
                 ("2026-03-16", "08:30", "12:00", "15:00", "18:00")],
        "打卡": [("工号", "打卡时间"), ("011", "2026-03-13 08:20"), ("011", "2026-03-13 14:31"),
               ("011", "2026-03-16 08:20"), ("011", "2026-03-16 14:55"), ("011", "2026-03-17 09:00")],
    })
    importer.import_file(ledger, book)
    person_month = month.compute(ledger.db, "2026-03").people[0]
    assert [s.status for s in person_month.days[12].sessions] == [LATE, ABSENT]
    assert [s.status for s in person_month.days[15].sessions] == [ON_TIME, ON_TIME]
    assert person_month.days[16].sessions[0].status == ABSENT  # 09:00 is 30 min after 08:30


def test_a_reimported_workbook_changes_no_figure(ledger, tmp_path):
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), *punch_rows(march_working_days()[:5]), ("011", "2026-03-02 07:55")],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"), ("012", "事假", "2026-03-02", "2026-03-02", "已批准")],
        "值班": [("工号", "日期"), ("011", "2026-03-07"), ("011", "2026-03-07")],
    })
    importer.import_file(ledger, book)
    first = month.document(ledger.db, "2026-03")
    again = importer.import_file(ledger, book)
    assert all(s.inserted == 0 and s.updated == 0 for s in again.sheets.values())
    assert month.document(ledger.db, "2026-03") == first
    assert person(ledger, "2026-03", "011")["duty_days"] == 1


def test_a_machine_xlsx_punch_at_exactly_midnight_is_a_punch(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = write_xlsx(tmp_path / "kq.xlsx", {"Sheet1": [("工号", "姓名", "打卡时间"),
                                                         ("011", "张三", datetime(2026, 3, 2, 0, 0, 0))]})
    result = importer.import_file(ledger, path)
    assert result.sheets["Sheet1"].inserted == 1
    assert month.compute(ledger.db, "2026-03").people[0].days[1].sessions[0].status == ON_TIME


def test_a_csv_with_a_title_line_above_the_header_imports(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = write_csv(tmp_path / "kq.csv", [("考勤记录 2026年3月",), ("工号", "姓名", "打卡时间"),
                                           ("011", "张三", "2026-03-02 07:58")], "gbk")
    assert importer.import_file(ledger, path).sheets["kq.csv"].inserted == 1


def test_a_tab_separated_machine_export_imports(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = tmp_path / "kq.txt"
    path.write_bytes("工号\t姓名\t打卡时间\r\n011\t张三\t2026-03-02 07:58\r\n".encode("utf-8-sig"))
    assert importer.import_file(ledger, path).sheets["kq.txt"].inserted == 1


def test_staff_numbers_given_as_numbers_match_text_ones(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": [PEOPLE[0], (12, "李四")]}))
    path = write_csv(tmp_path / "kq.csv", [("工号", "姓名", "打卡时间"), ("012", "李四", "2026-03-02 07:58")], "utf-8")
    assert importer.import_file(ledger, path).sheets["kq.csv"].inserted == 1
    assert person(ledger, "2026-03", "12")["present_sessions"] == 1


def test_punches_later_than_now_import_with_a_warning(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    later = (datetime.now() + timedelta(days=40)).replace(hour=7, minute=58, second=0, microsecond=0)
    path = write_csv(tmp_path / "kq.csv", [("工号", "姓名", "打卡时间"), ("011", "张三", f"{later:%Y-%m-%d %H:%M}")],
                     "utf-8")
    result = importer.import_file(ledger, path)
    assert result.sheets["kq.csv"].inserted == 1
    assert any("晚于当前时间" in str(w) for w in result.warnings)


def test_a_past_month_document_counts_the_whole_month_whatever_now_is(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    whole = person(ledger, "2026-03", "011")
    assert whole["days_due"] == 22 and whole["absent_sessions"] == 44
    so_far = month.document(ledger.db, "2026-03", at("2026-03-04 09:00"))
    assert so_far["staff"][0]["days_due"] == 3  # the live view: the 2nd, the 3rd, the 4th's morning


@pytest.mark.parametrize("status", ["已批准", "已销假"])
def test_counted_leave_with_a_late_punch_past_the_threshold_is_leave_not_absent(ledger, tmp_path, status):
    book = write_xlsx(tmp_path / "考勤.xlsx", {
        "人员": PEOPLE,
        "打卡": [("工号", "打卡时间"), ("011", "2026-03-02 09:30")],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"), ("011", "事假", "2026-03-02 上午", "2026-03-02 上午", status)],
    })
    importer.import_file(ledger, book)
    sessions = month.compute(ledger.db, "2026-03").people[0].days[1].sessions
    assert [s.status for s in sessions] == [LEAVE, ABSENT]


def test_a_machine_xlsx_with_a_title_row_above_the_header_imports(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = write_xlsx(tmp_path / "kq.xlsx", {"考勤记录": [("考勤记录表 2026年3月",), ("工号", "姓名", "打卡时间"),
                                                         ("011", "张三", "2026-03-02 07:58:00")]})
    result = importer.import_file(ledger, path)
    assert result.kind == "考勤机导出" and result.sheets["考勤记录"].inserted == 1


def test_punch_times_with_fractions_of_a_second_keep_the_whole_second(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = write_csv(tmp_path / "kq.csv", [("工号", "姓名", "打卡时间"), ("011", "张三", "2026-03-02 08:00:00.500"),
                                           ("011", "张三", "2026-03-02 08:00:00")], "utf-8")
    assert importer.import_file(ledger, path).sheets["kq.csv"].inserted == 1  # the same second: one punch
    assert month.compute(ledger.db, "2026-03").people[0].days[1].sessions[0].status == ON_TIME


def test_a_machine_export_with_the_date_in_its_own_column_and_only_the_clock_under_打卡时间(ledger, tmp_path):
    importer.import_file(ledger, write_xlsx(tmp_path / "人员.xlsx", {"人员": PEOPLE}))
    path = write_csv(tmp_path / "kq.csv", [("工号", "姓名", "打卡日期", "打卡时间"), ("011", "张三", "2026-03-02", "08:05"),
                                           ("011", "张三", "2026/3/2", "14:29:59")], "gbk")
    result = importer.import_file(ledger, path)
    assert result.sheets["kq.csv"].inserted == 2 and result.warnings == []
    assert [s.status for s in month.compute(ledger.db, "2026-03").people[0].days[1].sessions] == [LATE, ON_TIME]
