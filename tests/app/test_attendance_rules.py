"""The attendance rules engine, line by line of DOMAIN.md §8 (pure functions, no ledger).

March 2026: the 1st is a Sunday, so Mon 2 – Fri 6, Mon 9 – Fri 13, … are working days.
Default hours 08:00–12:00 and 14:30–17:30; window 10 min; absent threshold 30 min.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.attendance.calendar import STATUTORY, SWAPPED_WORKDAY, is_working_day
from app.attendance.rules import (
    ABSENT,
    BUSINESS,
    LATE,
    LEAVE,
    ON_TIME,
    PENDING,
    Interval,
    PersonInputs,
    day_sheet,
    leave_length_days,
    session_result,
    summarise,
)
from app.attendance.schedules import AFTERNOON, DEFAULT, MORNING, Schedule
from app.attendance.settings import AttendanceSettings

SETTINGS = AttendanceSettings()
MARCH = [date(2026, 3, d) for d in range(1, 32)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def morning(day: str, *punches: str, settings: AttendanceSettings = SETTINGS, **kw) -> str:
    inputs = PersonInputs(punches=[at(p) for p in punches], **kw)
    return session_result(date.fromisoformat(day), MORNING, DEFAULT, inputs, settings).status


def statuses(sheet, day: int) -> tuple[str, ...]:
    return tuple(s.status for s in sheet[day - 1].sessions)


# ---- the 30-minute boundary ---------------------------------------------------------------
def test_punch_at_the_start_is_on_time():
    assert morning("2026-03-02", "2026-03-02 08:00:00") == ON_TIME


def test_one_second_after_the_start_is_late():
    assert morning("2026-03-02", "2026-03-02 08:00:01") == LATE


def test_29_minutes_59_seconds_after_the_start_is_late():
    assert morning("2026-03-02", "2026-03-02 08:29:59") == LATE


def test_30_minutes_after_the_start_is_absent():
    assert morning("2026-03-02", "2026-03-02 08:30:00") == ABSENT


def test_no_punch_is_absent():
    assert morning("2026-03-02") == ABSENT


def test_the_earliest_punch_of_the_session_is_the_sign_in():
    assert morning("2026-03-02", "2026-03-02 09:10", "2026-03-02 08:05") == LATE


def test_the_afternoon_sign_in_is_looked_for_after_the_morning_ends():
    inputs = PersonInputs(punches=[at("2026-03-02 07:55"), at("2026-03-02 14:20")])
    assert session_result(date(2026, 3, 2), AFTERNOON, DEFAULT, inputs, SETTINGS).status == ON_TIME
    only_morning = PersonInputs(punches=[at("2026-03-02 07:55")])
    assert session_result(date(2026, 3, 2), AFTERNOON, DEFAULT, only_morning, SETTINGS).status == ABSENT


def test_thresholds_are_settings():
    lenient = AttendanceSettings(absent_after_minutes=60)
    assert morning("2026-03-02", "2026-03-02 08:45", settings=lenient) == LATE


# ---- early punches ------------------------------------------------------------------------
def test_a_punch_before_the_window_counts_as_on_time_when_not_strict():
    assert morning("2026-03-02", "2026-03-02 07:40") == ON_TIME


def test_a_punch_before_the_window_is_not_a_sign_in_when_strict():
    strict = AttendanceSettings(strict_early_punch=True)
    assert morning("2026-03-02", "2026-03-02 07:40", settings=strict) == ABSENT


def test_strict_mode_takes_the_next_punch_inside_the_window():
    strict = AttendanceSettings(strict_early_punch=True)
    assert morning("2026-03-02", "2026-03-02 07:40", "2026-03-02 07:50", settings=strict) == ON_TIME
    assert morning("2026-03-02", "2026-03-02 07:40", "2026-03-02 08:10", settings=strict) == LATE


# ---- leave and business trips -------------------------------------------------------------
def test_counted_leave_makes_the_session_leave_by_type():
    leave = Interval(at("2026-03-02 08:00"), at("2026-03-02 12:00"), "病假")
    result = session_result(date(2026, 3, 2), MORNING, DEFAULT, PersonInputs(leave=[leave]), SETTINGS)
    assert (result.status, result.leave_type) == (LEAVE, "病假")
    afternoon = session_result(date(2026, 3, 2), AFTERNOON, DEFAULT, PersonInputs(leave=[leave]), SETTINGS)
    assert afternoon.status == ABSENT


def test_leave_ending_before_the_roll_call_does_not_cover_it():
    """A 已销假 leave is passed truncated at the return moment: back at 14:00 means the 14:30
    roll call is not covered."""
    leave = Interval(at("2026-03-02 08:00"), at("2026-03-02 14:00"), "事假")
    result = session_result(date(2026, 3, 2), AFTERNOON, DEFAULT, PersonInputs(leave=[leave]), SETTINGS)
    assert result.status == ABSENT


def test_a_business_trip_counts_as_present():
    trip = Interval(at("2026-03-02 08:00"), at("2026-03-03 17:30"), "因公外出")
    sheet = day_sheet(MARCH, {}, [], PersonInputs(trips=[trip]), SETTINGS)
    assert statuses(sheet, 2) == (BUSINESS, BUSINESS)
    assert statuses(sheet, 3) == (BUSINESS, BUSINESS)
    figures = summarise(sheet, SETTINGS)
    assert figures.business_sessions == 4
    assert figures.present_sessions == 4


def test_a_spot_check_finding_the_person_away_makes_the_session_absent():
    inputs = PersonInputs(punches=[at("2026-03-02 07:55")], away_checks=[at("2026-03-02 10:15")])
    assert session_result(date(2026, 3, 2), MORNING, DEFAULT, inputs, SETTINGS).status == ABSENT


# ---- consecutive absences and the bonus ---------------------------------------------------
def _all_present_except(absent: set[tuple[int, str]], late: set[tuple[int, str]] = frozenset()) -> list[datetime]:
    """Punches on time for every March working session except the (day, session) in `absent`."""
    moments = []
    for day in MARCH:
        if day.weekday() >= 5:
            continue
        for session, clock in ((MORNING, time(7, 55)), (AFTERNOON, time(14, 25))):
            if (day.day, session) in absent:
                continue
            if (day.day, session) in late:
                clock = (datetime.combine(day, clock) + timedelta(minutes=15)).time()
            moments.append(datetime.combine(day, clock))
    return moments


def test_three_absences_across_a_lunch_break_and_into_the_next_day_forfeit_the_bonus():
    absent = {(3, MORNING), (3, AFTERNOON), (4, MORNING)}
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent)), SETTINGS), SETTINGS)
    assert figures.absent_sessions == 3
    assert figures.longest_absent_run == 3
    assert figures.bonus_forfeited is True


def test_three_absences_across_a_weekend_are_consecutive():
    absent = {(6, AFTERNOON), (9, MORNING), (9, AFTERNOON)}  # Fri pm, Mon am, Mon pm
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent)), SETTINGS), SETTINGS)
    assert figures.bonus_forfeited is True


def test_a_late_session_breaks_the_run():
    absent = {(3, MORNING), (3, AFTERNOON), (4, AFTERNOON), (5, MORNING)}
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent, {(4, MORNING)})),
                                  SETTINGS), SETTINGS)
    assert figures.absent_sessions == 4
    assert figures.late == 1
    assert figures.longest_absent_run == 2
    assert figures.bonus_forfeited is False


def test_a_leave_session_breaks_the_run():
    absent = {(3, MORNING), (3, AFTERNOON), (4, MORNING), (4, AFTERNOON)}
    leave = [Interval(at("2026-03-04 08:00"), at("2026-03-04 12:00"), "事假")]
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent), leave=leave),
                                  SETTINGS), SETTINGS)
    assert figures.absent_sessions == 3
    assert figures.longest_absent_run == 2
    assert figures.bonus_forfeited is False
    assert figures.leave_days == {"事假": Decimal("0.5")}


def test_the_run_length_is_a_setting():
    absent = {(3, MORNING), (3, AFTERNOON)}
    strict = AttendanceSettings(bonus_forfeit_run=2)
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent)), strict), strict)
    assert figures.bonus_forfeited is True


# ---- the month's figures ------------------------------------------------------------------
def test_month_figures_follow_the_counting_rules():
    """22 working days in March 2026; 2 late, 1 absent, one morning of 事假, one day of 病假."""
    absent = {(10, MORNING), (11, MORNING), (12, MORNING), (12, AFTERNOON)}
    leave = [Interval(at("2026-03-11 08:00"), at("2026-03-11 12:00"), "事假"),
             Interval(at("2026-03-12 08:00"), at("2026-03-12 17:30"), "病假")]
    punches = _all_present_except(absent, late={(2, MORNING), (16, AFTERNOON)})
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=punches, leave=leave), SETTINGS), SETTINGS)
    assert figures.days_due == 22
    assert figures.late == 2
    assert figures.absent_sessions == 1
    assert figures.present_sessions == 44 - 1 - 3
    assert figures.leave_days == {"事假": Decimal("0.5"), "病假": Decimal("1")}
    assert figures.fines_yuan == Decimal("12")  # ¥1 × 2 + ¥10 × 1
    assert figures.attendance_rate_percent == Decimal("90.91")  # 40 / 44


def test_fines_are_settings():
    custom = AttendanceSettings(late_fine_yuan=Decimal("2.5"), absent_fine_yuan=Decimal("20"))
    absent = {(10, MORNING)}
    figures = summarise(day_sheet(MARCH, {}, [], PersonInputs(punches=_all_present_except(absent, {(2, MORNING)})),
                                  custom), custom)
    assert figures.fines_yuan == Decimal("22.5")


# ---- calendar: holidays, 调休, schedules --------------------------------------------------
def test_a_statutory_holiday_with_a_punch_is_a_rest_day():
    holidays = {date(2026, 3, 4): STATUTORY}
    inputs = PersonInputs(punches=[at("2026-03-04 08:00")])
    sheet = day_sheet(MARCH, holidays, [], inputs, SETTINGS)
    assert sheet[3].working is False and sheet[3].sessions == () and sheet[3].punched is True
    figures = summarise(sheet, SETTINGS)
    assert figures.days_due == 21
    assert figures.duty_days == 0  # a punch alone is not registered duty


def test_duty_on_a_holiday_is_overtime_and_on_a_weekend_earns_the_day_bonus():
    holidays = {date(2026, 3, 4): STATUTORY}
    settings = AttendanceSettings(duty_bonus_per_day_yuan=Decimal("20"), holiday_overtime_per_day_yuan=Decimal("100"),
                                  monthly_bonus_yuan=Decimal("50"))
    inputs = PersonInputs(punches=_all_present_except(set()),
                          duty_days=frozenset({date(2026, 3, 4), date(2026, 3, 7), date(2026, 3, 10)}))
    figures = summarise(day_sheet(MARCH, holidays, [], inputs, settings), settings)
    assert figures.duty_days == 2          # the 10th is a working day: not duty
    assert figures.holiday_overtime_days == 1
    assert figures.bonus_yuan == Decimal("70")   # month bonus 50 + one weekend duty day 20
    assert figures.overtime_pay_yuan == Decimal("100")


def test_a_swapped_saturday_is_a_working_day():
    holidays = {date(2026, 3, 7): SWAPPED_WORKDAY}
    assert is_working_day(date(2026, 3, 7), holidays) is True
    assert is_working_day(date(2026, 3, 7), {}) is False
    sheet = day_sheet(MARCH, holidays, [], PersonInputs(punches=[at("2026-03-07 07:58")]), SETTINGS)
    assert statuses(sheet, 7) == (ON_TIME, ABSENT)
    assert summarise(sheet, SETTINGS).days_due == 23


def test_a_schedule_change_mid_month_applies_from_its_day():
    winter = Schedule(date(2025, 10, 1), time(8, 0), time(12, 0), time(14, 0), time(17, 0))
    summer = Schedule(date(2026, 3, 16), time(8, 30), time(12, 0), time(15, 0), time(18, 0))
    inputs = PersonInputs(punches=[at("2026-03-13 08:20"), at("2026-03-13 14:20"),
                                   at("2026-03-16 08:20"), at("2026-03-16 14:50")])
    sheet = day_sheet(MARCH, {}, [winter, summer], inputs, SETTINGS)
    assert statuses(sheet, 13) == (LATE, LATE)
    assert statuses(sheet, 16) == (ON_TIME, ON_TIME)


# ---- pending sessions ---------------------------------------------------------------------
def test_sessions_that_can_still_change_are_pending_and_count_nowhere():
    now = at("2026-03-02 08:10")
    sheet = day_sheet(MARCH, {}, [], PersonInputs(), SETTINGS, now=now)
    assert statuses(sheet, 2) == (PENDING, PENDING)
    assert statuses(sheet, 3) == (PENDING, PENDING)
    figures = summarise(sheet, SETTINGS)
    assert (figures.days_due, figures.absent_sessions) == (0, 0)
    signed = day_sheet(MARCH, {}, [], PersonInputs(punches=[at("2026-03-02 08:05")]), SETTINGS, now=now)
    assert statuses(signed, 2) == (LATE, PENDING)


# ---- leave length for the approval chain --------------------------------------------------
def test_leave_length_counts_sessions_as_half_days_and_skips_rest_days():
    assert leave_length_days(at("2026-03-02 08:00"), at("2026-03-02 12:00"), {}, []) == Decimal("0.5")
    assert leave_length_days(at("2026-03-02 08:00"), at("2026-03-02 17:30"), {}, []) == Decimal("1")
    # 08:00–15:30: the morning plus one hour of the three-hour afternoon
    partial = leave_length_days(at("2026-03-02 08:00"), at("2026-03-02 15:30"), {}, [])
    assert Decimal("0.5") < partial < 1
    assert partial.quantize(Decimal("0.0001")) == Decimal("0.6667")
    # Friday afternoon to Monday morning: two sessions
    assert leave_length_days(at("2026-03-06 14:30"), at("2026-03-09 12:00"), {}, []) == Decimal("1")
