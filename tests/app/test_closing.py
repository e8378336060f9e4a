"""Closing a period: the snapshot stays, later edits show as differences and as 补报."""

from __future__ import annotations

import pytest

from app.accounts import DIRECTOR, SECTION_HEAD, STAFF, User
from app.closing import (
    close_period,
    current_closure,
    differences_since_close,
    history,
    reopen_period,
    snapshot,
)
from app.errors import PermissionDenied, UserInputError
from app.stats import report
from tests.builders import child, population, unit, woman


@pytest.fixture
def town(ledger):
    unit(ledger, "430202100", "仙庾镇", "乡镇")
    unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
    population(ledger, "430202100", "2026H1", 10000, 10)
    li = woman(ledger, "李丽", unit="430202100201")
    ledger.test_child = child(ledger, li, 1, born="2026-01-10", sex="女")
    wang = woman(ledger, "王芳", unit="430202100201")
    child(ledger, wang, 1, born="2026-02-10", sex="男")
    return ledger


def test_close_edit_then_snapshot_stays_differences_show_and_next_period_has_the_late_report(town):
    closed = close_period(town, "2026H1", {"2026H1_01_计划生育报表.xlsx": "ab" * 32})
    assert closed["closed_by"] == "test"
    frozen = report(town.db, "2026H1")
    assert frozen["births"] == 2 and frozen["closed"]["closed_at"] == closed["closed_at"]

    # edit a fact of the closed period, and add a birth of it that is reported only now
    with town.write("修改子女", "child", town.test_child):
        town.db.execute("update children set sex = '男' where id = ?", [town.test_child])
    zhao = woman(town, "赵敏", unit="430202100201")
    child(town, zhao, 1, born="2026-03-01", reported="2026-05-10")

    again = report(town.db, "2026H1")
    assert (again["births"], again["births_male"], again["births_female"]) == (2, 1, 1)
    assert again["sex_ratio"] == frozen["sex_ratio"] == 100.0
    live = report(town.db, "2026H1", live=True)
    assert (live["births_male"], live["births_female"], live["closed"]) == (2, 0, None)

    next_year = report(town.db, "2027H1")
    assert next_year["previous_year"]["source"] == "snapshot"
    assert next_year["previous_year"]["births_male"] == 1 and next_year["previous_year"]["sex_ratio"] == 100.0

    diffs = {(d["unit"], d["key"]): (d["snapshot"], d["now"]) for d in differences_since_close(town.db, "2026H1")}
    assert diffs[("*", "births_male")] == (1, 2)
    assert diffs[("*", "births_female")] == (1, 0)
    assert diffs[("430202100201", "births_by_order_sex.1.male")] == (1, 2)
    assert ("*", "births") not in diffs         # the late birth is not a birth of 2026H1

    h2 = report(town.db, "2026H2")
    assert h2["late_reported"]["total"] == 1 and h2["births"] == 0
    assert snapshot(town.db, "2026H1")["units"]["*"]["births"] == 2
    assert current_closure(town.db, "2026H1")["files"] == {"2026H1_01_计划生育报表.xlsx": "ab" * 32}


def test_range_code_with_the_same_dates_is_the_same_closed_period(town):
    close_period(town, "2026H1")
    assert report(town.db, "2025-10-01..2026-03-31")["closed"] is not None
    with pytest.raises(UserInputError, match="已经关账"):
        close_period(town, "2025-10-01..2026-03-31")


def test_reopen_needs_a_director_and_a_reason_and_is_audited(town):
    town.user = User(1, "clerk", "张统计", STAFF)
    with pytest.raises(PermissionDenied):
        close_period(town, "2026H1")
    town.user = User(2, "head", "李科长", SECTION_HEAD)
    close_period(town, "2026H1")
    with pytest.raises(PermissionDenied):
        reopen_period(town, "2026H1", "数据有误")
    town.user = User(3, "boss", "王局长", DIRECTOR)
    with pytest.raises(UserInputError, match="原因"):
        reopen_period(town, "2026H1", "  ")
    reopen_period(town, "2026H1", "补录漏报出生")
    assert current_closure(town.db, "2026H1") is None
    assert report(town.db, "2026H1")["closed"] is None
    [row] = history(town.db, "2026H1")
    assert (row["closed_by"], row["reopened_by"], row["reopen_reason"]) == ("head", "boss", "补录漏报出生")
    actions = [r[0] for r in town.db.execute("select action from audit_log where object_type = 'period'")]
    assert actions == ["关账", "重新打开统计期"]
    close_period(town, "2026H1")                                 # closes again with a new snapshot
    assert len(history(town.db, "2026H1")) == 2
    with pytest.raises(UserInputError, match="没有关账"):
        reopen_period(town, "2025H1", "误操作")


def test_command_line_reopen_is_trusted_but_logged_with_the_reason(town):
    close_period(town, "2026H1")
    assert town.user is None
    reopen_period(town, "2026H1", "区局退回重报")
    after = town.db.execute("select user, after from audit_log where action = '重新打开统计期'").fetchone()
    assert after[0] == "test" and "区局退回重报" in after[1]
