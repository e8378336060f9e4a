"""Posting (张榜公布) locks the month; reopening needs a reason; roll call, spot checks,
calendar and settings are audited and respect the lock."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app import accounts
from app.attendance import calendar, leave, month, posting, punches, schedules, settings, trips
from app.errors import PermissionDenied, UserInputError
from tests.attendance_builders import add_person, punch


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def zhang(ledger):
    person, _ = add_person(ledger, "011", "张三")
    punch(ledger, person, "2026-03-02 07:58", "2026-03-02 14:40")
    return person


def test_posting_locks_the_month_and_keeps_the_posted_figures(ledger, zhang):
    posted = posting.post(ledger, "2026-03", now=at("2026-04-03 09:00"))
    assert posted["posted"] is True
    settings.save(ledger, "late_fine_yuan", "5")  # a later change of rates does not alter the posting
    assert month.document(ledger.db, "2026-03")["staff"] == posted["staff"]
    assert month.live_document(ledger.db, "2026-03")["staff"] != posted["staff"]


def test_writers_refuse_changes_to_a_posted_month(ledger, zhang):
    posting.post(ledger, "2026-03", now=at("2026-04-03 09:00"))
    refused = [
        lambda: punches.roll_call_mark(ledger, zhang.id, at("2026-03-03 08:00")),
        lambda: punches.record_spot_check(ledger, zhang.id, "在岗", at=at("2026-03-03 10:00")),
        lambda: trips.register(ledger, zhang.id, at("2026-03-31 08:00"), at("2026-04-01 17:30"), "市局"),
        lambda: trips.set_duty(ledger, zhang.id, date(2026, 3, 7), True),
        lambda: calendar.set_day(ledger, date(2026, 3, 9), calendar.STATUTORY),
        lambda: schedules.set_schedule(ledger, schedules.Schedule(date(2026, 2, 1), time(8), time(12),
                                                                  time(14), time(17))),
        lambda: leave.request(ledger, zhang.id, "事假", at("2026-03-05 08:00"), at("2026-03-05 12:00"), "事"),
    ]
    for attempt in refused:
        with pytest.raises(UserInputError, match="2026-03 的考勤已张榜公布并锁定"):
            attempt()
    # April is open
    punches.roll_call_mark(ledger, zhang.id, at("2026-04-01 08:00"))


def test_reopening_needs_a_reason_and_the_permission_and_is_audited(ledger, zhang):
    posting.post(ledger, "2026-03", now=at("2026-04-03 09:00"))
    with pytest.raises(UserInputError, match="必须填写原因"):
        posting.reopen(ledger, "2026-03", " ")
    clerk = accounts.User(5, "clerk", "文员", accounts.STAFF)
    with pytest.raises(PermissionDenied):
        posting.reopen(ledger, "2026-03", "补录请假", user=clerk)
    posting.reopen(ledger, "2026-03", "补录病假条")
    assert posting.status(ledger.db, "2026-03")["locked"] is False
    entry = ledger.db.execute("select after from audit_log where action = '重新打开考勤月份'").fetchone()
    assert "补录病假条" in entry[0]
    punches.roll_call_mark(ledger, zhang.id, at("2026-03-03 08:00"))  # writable again


def test_posting_a_future_month_is_refused(ledger, zhang):
    with pytest.raises(UserInputError, match="尚未开始"):
        posting.post(ledger, "2026-05", now=at("2026-04-03 09:00"))


def test_roll_call_records_now_and_corrections_are_audited(ledger, zhang):
    assert punches.roll_call_mark(ledger, zhang.id, at("2026-03-03 07:59")) is True
    assert punches.roll_call_mark(ledger, zhang.id, at("2026-03-03 07:59")) is False  # same punch
    removed = punches.roll_call_unmark(ledger, zhang.id, at("2026-03-03 00:00"), at("2026-03-03 12:00"))
    assert removed == 1
    actions = [r[0] for r in ledger.db.execute("select action from audit_log where object_type = 'att_punch'")]
    assert actions == ["点名签到", "点名签到", "更正点名"]
    # machine punches are never removed by a roll-call correction
    assert punches.roll_call_unmark(ledger, zhang.id, at("2026-03-02 00:00"), at("2026-03-02 23:59")) == 0


def test_spot_checks_are_recorded_and_an_away_finding_counts_as_absent(ledger, zhang):
    punches.record_spot_check(ledger, zhang.id, "擅离岗位", "电话不通", at=at("2026-03-02 15:30"))
    checks = punches.spot_checks_between(ledger.db, date(2026, 3, 1), date(2026, 3, 31))
    assert [(c["name"], c["result"], c["note"]) for c in checks] == [("张三", "擅离岗位", "电话不通")]
    sheet = month.compute(ledger.db, "2026-03").people[0]
    assert [s.status for s in sheet.days[1].sessions] == ["准时", "旷工"]
    with pytest.raises(UserInputError):
        punches.record_spot_check(ledger, zhang.id, "睡觉", at=at("2026-03-02 15:30"))


def test_the_calendar_is_seeded_from_the_package_and_corrected_by_hand(ledger):
    calendar.set_day(ledger, date(2026, 10, 8), calendar.STATUTORY, "本地补假")
    added = calendar.seed_year(ledger, 2026)
    assert added > 20
    rows = {r["day"]: (r["kind"], r["source"]) for r in calendar.holiday_rows(ledger.db, 2026)}
    assert rows["2026-10-01"] == ("法定节假日", "chinese-calendar")
    assert rows["2026-02-14"] == ("调休上班", "chinese-calendar")   # a Saturday worked
    assert rows["2026-10-08"] == ("法定节假日", "手工")              # kept as typed
    calendar.clear_day(ledger, date(2026, 10, 1))
    assert calendar.is_working_day(date(2026, 10, 1), calendar.holidays_between(
        ledger.db, date(2026, 10, 1), date(2026, 10, 1))) is True
    with pytest.raises(UserInputError, match="没有 2099 年"):
        calendar.seed_year(ledger, 2099)


def test_settings_are_stored_in_the_ledger_validated_and_audited(ledger):
    assert settings.load(ledger.db).absent_after_minutes == 30
    settings.save(ledger, "absent_after_minutes", 45)
    settings.save(ledger, "strict_early_punch", True)
    loaded = settings.load(ledger.db)
    assert (loaded.absent_after_minutes, loaded.strict_early_punch) == (45, True)
    with pytest.raises(UserInputError):
        settings.save(ledger, "late_fine_yuan", "-1")
    assert ledger.db.execute("select count(*) from audit_log where action = '修改设置'").fetchone()[0] == 2


def test_the_year_ranking_sums_the_posted_months_by_attendance_rate(ledger):
    good, _ = add_person(ledger, "021", "好同志")
    poor, _ = add_person(ledger, "022", "常迟到")
    for day in range(2, 10):
        if date(2026, 3, day).weekday() < 5:
            punch(ledger, good, f"2026-03-{day:02d} 07:55", f"2026-03-{day:02d} 14:20")
            punch(ledger, poor, f"2026-03-{day:02d} 07:55")
    posting.post(ledger, "2026-03", now=at("2026-03-09 18:00"))
    ranking, months = month.year_ranking(ledger.db, 2026)
    assert months == ["2026-03"]
    assert [r.name for r in ranking] == ["好同志", "常迟到"]
    assert [str(r.rate_percent) for r in ranking] == ["100.00", "50.00"]


def test_a_registered_business_trip_counts_as_present_in_the_month(ledger, zhang):
    trips.register(ledger, zhang.id, at("2026-03-03 08:00"), at("2026-03-04 17:30"), "市卫健委", "培训")
    person = month.compute(ledger.db, "2026-03").people[0]
    assert [s.status for s in person.days[2].sessions] == ["因公", "因公"]
    assert [s.status for s in person.days[3].sessions] == ["因公", "因公"]
    assert person.figures.business_sessions == 4
    assert person.figures.present_sessions == 2 + 4   # the 2nd signed in twice, plus the trip
    audited = ledger.db.execute("select count(*) from audit_log where action = '登记因公外出'").fetchone()[0]
    assert audited == 1
