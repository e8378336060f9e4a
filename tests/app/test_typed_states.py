"""Typed states (issue 17 item 4): outcomes, roles, statuses and results are StrEnums whose
values are the stored / JSON text, handed out as members by the real entry paths."""

from __future__ import annotations

import json

from app import accounts
from app.attendance import leave
from app.periods import Period
from app.reconcile.match import Outcome
from app.reconcile.run import OUTCOMES, reconcile, row_json
from app.roster import results
from tests.app.test_attendance_leave import office, request  # noqa: F401  (the fixture)
from tests.app.test_reconcile_matching import surveyed  # noqa: F401  (the fixture)


def test_reconcile_outcomes_are_members_and_the_json_is_the_plain_text(ledger, surveyed):  # noqa: F811
    rec = reconcile(ledger.db, surveyed["survey"].id)
    assert tuple(Outcome) == OUTCOMES and [o.value for o in OUTCOMES] == [
        "matched", "unreported", "misreported", "duplicated", "late", "review"]
    seen = {r.outcome for r in rec.results}
    assert all(isinstance(o, Outcome) for o in seen) and {Outcome.MATCHED, Outcome.DUPLICATED} <= seen
    document = json.loads(json.dumps(rec.as_json()))
    assert {row["outcome"] for row in document["rows"]} == {o.value for o in seen}
    assert set(document) >= {o.value for o in Outcome}
    assert type(json.loads(json.dumps(row_json(rec.results[0])))["outcome"]) is str


def test_signed_in_users_carry_a_role_member_and_the_table_is_keyed_by_roles(ledger):
    accounts.add_account(ledger, "admin", "王建国", "管理员", "secret-123")   # plain text accepted
    user = accounts.sign_in(ledger, "admin", "secret-123")
    assert user.role is accounts.Role.ADMIN and accounts.ADMIN is accounts.Role.ADMIN
    assert all(isinstance(r, accounts.Role) for roles in accounts.PERMISSIONS.values() for r in roles)
    stored = ledger.db.execute("select role from users where username = 'admin'").fetchone()[0]
    assert stored == "管理员" and type(stored) is str
    assert user.may("manage_users") and not accounts.User(9, "x", "x", "工作人员").may("manage_users")


def test_leave_status_is_a_member_read_back_from_the_ledger(ledger, office):  # noqa: F811
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    assert item.status is leave.LeaveStatus.PENDING and item.status == "待审批"
    done = leave.decide(ledger, item.id, True, "同意", user=office["head"][1])
    assert done.status is leave.LeaveStatus.APPROVED
    assert leave.get(ledger.db, item.id).status is leave.APPROVED


def test_roster_results_and_period_kinds_are_typed():
    assert [r.value for r in results.RosterResult] == ["已查", "寄回证明", "未查"]
    assert results.RESULTS == (results.CHECKED, results.CERTIFICATE, results.MISSED)
    assert results.CheckResult(results.CHECKED).counts_as_checked
    assert not results.CheckResult("未查").counts_as_checked            # the stored text compares equal
    assert [Period.parse(c).kind for c in ("2026-03", "2026", "2026h1", "2026q2", "2026-01-01..2026-01-31")] == [
        "month", "year", "half", "quarter", "range"]
    assert [Period.parse(c).code for c in ("2026-3", "2026h1", "2026q2")] == ["2026-03", "2026H1", "2026Q2"]
