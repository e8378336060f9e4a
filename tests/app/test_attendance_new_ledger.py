"""A new ledger's holiday calendar and the month's guards (DOMAIN.md §8, issue 13 item 3): the
calendar holds every year the bundled calendar knows from creation on; a month of a year without
holiday data is counted with a warning; a month without punches, or of such a year, cannot be
posted (张榜公布) or locked."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.attendance import calendar, month, posting, posting_form, settings
from app.errors import UserInputError
from tests.attendance_builders import add_person, punch

AFTER = datetime(2028, 1, 10, 9, 0)  # "now" for posting: every month below has ended


def test_a_new_ledger_holds_every_year_of_the_bundled_calendar(ledger):
    years = calendar.builtin_years()
    assert years[0] <= 2020 and years[-1] >= 2026
    for year in years:
        assert calendar.year_has_data(ledger.db, year), year
    rows = {r["day"]: (r["kind"], r["source"]) for r in calendar.holiday_rows(ledger.db, 2026)}
    assert rows["2026-10-01"] == (calendar.STATUTORY, calendar.BUILTIN)
    assert rows["2026-02-14"] == (calendar.SWAPPED_WORKDAY, calendar.BUILTIN)
    assert not calendar.year_has_data(ledger.db, years[-1] + 1)
    created = ledger.db.execute("select after from audit_log where action = '创建台帐'").fetchall()
    assert len(created) == 1 and json.loads(created[0][0])["holidays"]["days"] == \
        ledger.db.execute("select count(*) from att_holidays").fetchone()[0]
    assert calendar.source_label(calendar.BUILTIN) == "内置节假日表（国务院办公厅通知）"


@pytest.mark.parametrize(("code", "days"), [("2026-10", 18), ("2026-02", 16), ("2026-05", 19), ("2026-03", 22)])
def test_a_new_ledger_counts_the_statutory_holidays(ledger, code, days):
    add_person(ledger, "011", "张三")
    document = month.live_document(ledger.db, code)
    assert document["working_days"] == days
    assert document["staff"][0]["days_due"] == days


def test_national_day_is_not_absence_on_a_new_ledger(ledger):
    zhang, _ = add_person(ledger, "011", "张三")
    for day in (8, 9):  # the working days of 1–11 October 2026 (the 10th is a swapped Saturday)
        punch(ledger, zhang, f"2026-10-{day:02d} 07:55", f"2026-10-{day:02d} 14:25")
    punch(ledger, zhang, "2026-10-10 07:55", "2026-10-10 14:25")
    sheet = month.compute(ledger.db, "2026-10", staff_ids={zhang.id}).people[0]
    first_eleven = [s.status for d in sheet.days[:11] for s in d.sessions]
    assert "旷工" not in first_eleven


def test_a_month_of_a_year_without_holiday_data_warns_until_the_office_types_it_in(ledger):
    year = calendar.builtin_years()[-1] + 1
    add_person(ledger, "011", "张三")
    document = month.live_document(ledger.db, f"{year}-10")
    assert any(f"{year} 年没有节假日数据" in w for w in document["warnings"])
    assert document["working_days"] == sum(1 for d in range(1, 32) if date(year, 10, d).weekday() < 5)
    calendar.set_day(ledger, date(year, 1, 1), calendar.STATUTORY, "元旦")
    assert not any("节假日数据" in w for w in month.live_document(ledger.db, f"{year}-10")["warnings"])


def test_a_month_without_punches_warns_and_cannot_be_posted(ledger):
    zhang, _ = add_person(ledger, "011", "张三")
    document = month.document(ledger.db, "2026-03")
    assert document["warnings"] == ["2026年3月还没有导入任何打卡记录，每个人每个半天都会算作旷工。"
                                    "请先导入考勤机导出的打卡文件（或在“点名”页签到）。"]
    with pytest.raises(UserInputError, match="不能张榜公布.*没有导入任何打卡记录"):
        posting.post(ledger, "2026-03", now=AFTER)
    assert not posting.status(ledger.db, "2026-03")["locked"]
    punch(ledger, zhang, "2026-03-02 07:55")
    assert month.document(ledger.db, "2026-03")["warnings"] == []
    posted = posting.post(ledger, "2026-03", now=AFTER)
    assert posted["warnings"] == [] and posting.status(ledger.db, "2026-03")["locked"]
    assert month.document(ledger.db, "2026-03")["posted"] is True


def test_a_month_of_a_year_without_holiday_data_cannot_be_posted(ledger):
    year = calendar.builtin_years()[-1] + 1
    zhang, _ = add_person(ledger, "011", "张三")
    punch(ledger, zhang, f"{year}-03-02 07:55")
    with pytest.raises(UserInputError, match=f"{year} 年没有节假日数据"):
        posting.post(ledger, f"{year}-03", now=datetime(year + 1, 1, 10))
    calendar.set_day(ledger, date(year, 1, 1), calendar.STATUTORY, "元旦")
    posting.post(ledger, f"{year}-03", now=datetime(year + 1, 1, 10))
    assert posting.status(ledger.db, f"{year}-03")["locked"]


def test_the_posting_lists_the_directors_filed_leave(ledger):
    from app.attendance import leave
    from app.attendance import staff as staff_mod

    director, _ = add_person(ledger, "001", "王局长", "局领导", staff_mod.DIRECTOR)
    punch(ledger, director, "2026-03-02 07:55")
    filed = leave.request(ledger, director.id, "事假", datetime(2026, 3, 4, 8), datetime(2026, 3, 4, 17, 30), "外出办事")
    assert filed.status == leave.FILED
    document = posting.post(ledger, "2026-03", now=AFTER)
    assert document["filed_leave"][0]["name"] == "王局长"
    form = posting_form.month_form(month.document(ledger.db, "2026-03"), ledger.office_name,
                                   settings.load(ledger.db))
    assert any("报备" in note and "王局长" in note and "事假" in note for note in form.notes)


def test_a_ledger_made_before_the_calendar_was_bundled_gets_its_holidays_at_open(tmp_path):
    """An upgraded ledger with an empty holiday table is filled once at open (audited); a table
    the office has touched is left as it is."""
    from app.ledger import Ledger

    path = tmp_path / "旧台帐.db"
    with Ledger.create(path, "仙庾镇计生办", 10, actor="test") as ledger:
        ledger.db.execute("delete from att_holidays")     # as a ledger from 0.1.0 has it
    with Ledger.open(path, daily_backup=False) as ledger:
        days = ledger.db.execute("select count(*) from att_holidays").fetchone()[0]
        assert days > 700
        actions = [r[0] for r in ledger.db.execute("select action from audit_log order by id")]
        assert actions.count("填充节假日") == 1
        ledger.db.execute("delete from att_holidays where day >= '2026-01-01'")
        kept = ledger.db.execute("select count(*) from att_holidays").fetchone()[0]
    with Ledger.open(path, daily_backup=False) as ledger:
        assert ledger.db.execute("select count(*) from att_holidays").fetchone()[0] == kept
