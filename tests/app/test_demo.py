"""Demo data: realistic, valid, consistent, only on an empty ledger."""

from __future__ import annotations

import pytest

from app import checks, demo, idcard
from app.errors import UserInputError
from tests import builders as b


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    from app.ledger import Ledger

    ledger = Ledger.create(tmp_path_factory.mktemp("demo") / "t.db", "仙庾镇计生办", actor="test")
    counts = demo.generate(ledger, "township", seed=11)
    yield ledger, counts
    ledger.close()


def test_township_has_about_15000_women_with_valid_unique_ids(township):
    ledger, counts = township
    assert counts["women"] == 15000
    numbers = [r[0] for r in ledger.db.execute("select id_number from women")]
    assert len(set(numbers)) == len(numbers)
    assert all(idcard.is_valid(n) for n in numbers)
    mismatched = [1 for n, born in ledger.db.execute("select id_number, birth_date from women")
                  if idcard.parse(n).birth_date.isoformat() != born or idcard.parse(n).sex != "女"]
    assert mismatched == []


def test_names_are_plausible_with_about_40_percent_two_characters(township):
    ledger, _ = township
    names = [r[0] for r in ledger.db.execute("select name from women")]
    two = sum(1 for n in names if len(n) == 2) / len(names)
    assert 0.33 < two < 0.47
    assert ledger.db.execute("select count(*) from women where name_initials is null").fetchone()[0] == 0


def test_the_demo_ledger_has_no_logic_errors_only_the_women_turning_50(township):
    ledger, _ = township
    found = checks.run_all(ledger.db)
    assert [f for f in found if f.severity == "error"] == []
    assert {f.check for f in found} <= {"age", "measure_failure", "birth_order_gap"}
    assert any(f.check == "age" for f in found)


def test_births_are_reported_mostly_in_their_month_and_some_late(township):
    ledger, _ = township
    same, late, total = ledger.db.execute("""select sum(substr(reported_date, 1, 7) = substr(birth_date, 1, 7)),
        sum(reported_date > date(birth_date, '+2 months')), count(*) from children""").fetchone()
    assert same / total > 0.7 and 0.02 < late / total < 0.15


def test_floating_women_and_population_base_exist(township):
    ledger, counts = township
    residences = dict(ledger.db.execute("select residence, count(*) from women group by residence").fetchall())
    assert residences["流入"] > 300 and residences["流出"] > 200
    assert counts["population_base"] > 0
    assert ledger.db.execute("select count(distinct period) from population_base").fetchone()[0] >= 13


def test_demo_refuses_a_ledger_that_is_not_empty(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    with pytest.raises(UserInputError, match="只能载入空台帐"):
        demo.generate(ledger, "township")


def test_cancelling_the_demo_writes_nothing(ledger):
    with pytest.raises(UserInputError, match="已取消"):
        demo.generate(ledger, "township", progress=lambda done, total, stage: False)
    assert demo.is_empty(ledger.db)


def _previous_month() -> str:
    from datetime import date

    from app.periods import add_months

    today = date.today()
    year, month = add_months(today.year, today.month, -1)
    return f"{year:04d}-{month:02d}"


@pytest.fixture(scope="module")
def closed_demo(tmp_path_factory):
    """A township demo ledger on disk, closed so that the command line can open it."""
    from app.ledger import Ledger

    path = tmp_path_factory.mktemp("demo_cli") / "d.db"
    with Ledger.create(path, "仙庾镇计生办", actor="test") as ledger:
        counts = demo.generate(ledger, "township", seed=3)
    return path, counts


def test_the_demo_office_has_staff_with_a_month_of_attendance_to_show(closed_demo, capsys):
    """`fpledger attendance month` for last month: 12–20 staff under a 局长, 分管领导 and section
    heads, mostly present, with some lates, leave, a business trip, duty and one person whose
    three consecutive 旷工 sessions forfeit the bonus."""
    import json

    from app.cli import main
    from app.ledger import Ledger

    path, counts = closed_demo
    assert main(["attendance", "month", _previous_month(), "--json", "--db", str(path)]) == 0
    staff = json.loads(capsys.readouterr().out)["staff"]
    assert 12 <= len(staff) == counts["att_staff"] <= 20
    with Ledger.open(path) as ledger:
        roles = dict(ledger.db.execute("select role, count(*) from att_staff group by role").fetchall())
    assert roles["局长"] == 1 and 1 <= roles["分管领导"] <= 2 and roles["科室负责人"] >= 3
    assert len({p["section"] for p in staff}) >= 4
    assert all(p["days_due"] >= 12 for p in staff)
    assert all(p["attendance_rate_percent"] >= 80 for p in staff)
    assert sum(p["late"] for p in staff) >= 5
    assert any(p["leave_days"] for p in staff)
    assert any(p["business_sessions"] > 0 for p in staff)
    assert sum(p["duty_days"] for p in staff) >= 4
    forfeited = [p for p in staff if p["bonus_forfeited"]]
    assert len(forfeited) == 1 and forfeited[0]["longest_absent_run"] >= 3
    assert any(p["fines_yuan"] > 0 for p in staff)


def test_demo_leave_covers_every_status_but_nobody_can_sign_in_to_approve(township):
    """Approved, 已销假, 已驳回 and 待审批 leave; decided steps name the approving staff member;
    no staff row is linked to a login (approving the pending leave needs real accounts)."""
    ledger, _ = township
    statuses = {r[0] for r in ledger.db.execute("select status from att_leave")}
    assert statuses == {"已批准", "已销假", "已驳回", "待审批"}
    assert ledger.db.execute("select count(*) from att_leave_steps where decision is not null"
                             " and decided_by is null").fetchone()[0] == 0
    assert ledger.db.execute("select count(*) from att_staff where user_id is not null").fetchone()[0] == 0
    assert ledger.db.execute("select count(*) from att_schedules").fetchone()[0] >= 2
    assert ledger.db.execute("select count(*) from att_holidays").fetchone()[0] > 0


def test_the_demo_history_is_what_its_procedures_make_of_it(township):
    """The demo writes procedures and measures in bulk; replaying its history in date order — the
    measures no procedure opened as they are, its procedures through app.history, the one history
    effect the card editor and the import use — gives back exactly its contraception history."""
    import sqlite3

    from app import history

    ledger, _ = township
    rows = ledger.db.execute("select woman_id, method, start_date, end_date, procedure_id from contraception").fetchall()
    events = [(r[0], r[2], 0, r) for r in rows if r[4] is None]
    events += [(wid, on, 1, (pid, kind)) for pid, wid, kind, on in ledger.db.execute(
        "select id, woman_id, kind, date from procedures")]
    replay = sqlite3.connect(":memory:")
    replay.execute("create table contraception (id integer primary key, woman_id, method, start_date, end_date,"
                   " provider, procedure_id, created_at)")
    replay.execute("create index c_woman on contraception (woman_id, end_date)")
    for wid, on, is_procedure, what in sorted(events, key=lambda e: (e[0], e[1], e[2], str(e[3]))):
        if is_procedure:
            history.apply_procedure(replay, wid, what[1], on, None, what[0])
        else:
            replay.execute("insert into contraception (woman_id, method, start_date, end_date, procedure_id)"
                           " values (?, ?, ?, ?, ?)", what)
    replayed = replay.execute("select woman_id, method, start_date, end_date, procedure_id from contraception").fetchall()
    assert sorted(replayed, key=str) == sorted(rows, key=str)
