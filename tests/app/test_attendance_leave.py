"""Leave approval (篇二 三, DOMAIN.md §8): the chain by length and role, who may decide, 销假,
and how pending / approved / 已销假 leave counts in the month."""

from __future__ import annotations

from datetime import datetime

import pytest

from app import accounts
from app.attendance import leave, month
from app.attendance import staff as staff_mod
from app.errors import PermissionDenied, UserInputError
from tests.attendance_builders import add_person, punch
from tests.builders import as_setup_admin


@pytest.fixture
def office(ledger):
    """An office: 局长, two 分管领导, the heads of 办公室 and 统计科, two workers."""
    people = {}
    for key, no, name, section, role, account in [
        ("director", "001", "王局长", "局领导", staff_mod.DIRECTOR, accounts.DIRECTOR),
        ("deputy", "002", "李副局长", "局领导", staff_mod.DEPUTY, accounts.DEPUTY),
        ("deputy2", "003", "赵副局长", "局领导", staff_mod.DEPUTY, accounts.DEPUTY),
        ("head", "010", "陈主任", "办公室", staff_mod.SECTION_HEAD, accounts.SECTION_HEAD),
        ("other_head", "020", "周科长", "统计科", staff_mod.SECTION_HEAD, accounts.SECTION_HEAD),
        ("worker", "011", "张三", "办公室", staff_mod.WORKER, accounts.STAFF),
        ("colleague", "012", "李四", "办公室", staff_mod.WORKER, accounts.STAFF),
    ]:
        people[key] = add_person(ledger, no, name, section, role, account)
    return people


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def request(ledger, office, who: str, start: str, end: str, kind: str = "事假") -> leave.Leave:
    person, user = office[who]
    return leave.request(ledger, person.id, kind, at(start), at(end), "家中有事", "李四", user=user)


def roles(item: leave.Leave) -> list[str]:
    return [s.approver_role for s in item.steps]


# ---- the chain ----------------------------------------------------------------------------
def test_half_a_day_is_approved_by_the_section_head(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    assert roles(item) == ["科室负责人"]
    assert leave.queue(ledger.db, office["head"][1]) == [item]
    done = leave.decide(ledger, item.id, True, "同意", user=office["head"][1])
    assert done.status == leave.APPROVED


def test_more_than_half_a_day_goes_to_the_section_head_then_the_deputy(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 15:30")
    assert roles(item) == ["科室负责人", "分管领导"]
    assert leave.queue(ledger.db, office["deputy"][1]) == []  # not their turn yet
    with pytest.raises(PermissionDenied, match="不是您的审批步骤"):
        leave.decide(ledger, item.id, True, "", user=office["deputy"][1])
    step1 = leave.decide(ledger, item.id, True, "同意", user=office["head"][1])
    assert step1.status == leave.PENDING
    assert [i.id for i in leave.queue(ledger.db, office["deputy"][1])] == [item.id]
    final = leave.decide(ledger, item.id, True, "准假", user=office["deputy"][1])
    assert final.status == leave.APPROVED
    assert [s.decided_by_name for s in final.steps] == ["陈主任", "李副局长"]


def test_a_day_or_more_is_approved_by_the_director(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 17:30")
    assert roles(item) == ["局长"]
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=office["head"][1])
    assert leave.decide(ledger, item.id, True, "同意", user=office["director"][1]).status == leave.APPROVED


def test_a_leaders_leave_is_approved_by_the_director_whatever_its_length(ledger, office):
    item = request(ledger, office, "deputy", "2026-03-02 08:00", "2026-03-02 12:00")
    assert roles(item) == ["局长"]
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=office["deputy2"][1])
    assert leave.decide(ledger, item.id, True, "同意", user=office["director"][1]).status == leave.APPROVED


def test_a_section_heads_short_leave_goes_to_the_deputy(ledger, office):
    item = request(ledger, office, "head", "2026-03-02 08:00", "2026-03-02 12:00")
    assert roles(item) == ["分管领导"]
    long_item = request(ledger, office, "head", "2026-03-03 08:00", "2026-03-04 17:30")
    assert roles(long_item) == ["局长"]


def test_nobody_approves_their_own_leave(ledger, office):
    item = request(ledger, office, "deputy", "2026-03-02 08:00", "2026-03-02 17:30")
    assert roles(item) == ["局长"]
    with pytest.raises(PermissionDenied, match="不能审批本人的请假"):
        leave.decide(ledger, item.id, True, "", user=office["deputy"][1])


def test_the_directors_own_leave_is_filed_approved_by_no_one_and_counts(ledger, office):
    """DOMAIN.md §8: the 局长's own leave is 报备 — registered, in nobody's queue, counted as leave."""
    item = request(ledger, office, "director", "2026-03-02 08:00", "2026-03-03 17:30")
    assert item.status == leave.FILED and roles(item) == []
    assert all(leave.queue(ledger.db, office[k][1]) == [] for k in ("director", "deputy", "head"))
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=office["deputy"][1])
    doc = month.live_document(ledger.db, "2026-03")
    row = next(p for p in doc["staff"] if p["staff_no"] == "001")
    assert row["leave_days"] == {"事假": 2} and row["absent_sessions"] == 2 * 22 - 4
    assert [(f["name"], f["leave_type"], f["length_days"]) for f in doc["filed_leave"]] == [("王局长", "事假", 2)]
    actions = [r[0] for r in ledger.db.execute(
        "select action from audit_log where object_type = 'att_leave' and object_id = ?", [str(item.id)])]
    assert actions == ["请假报备"]
    back = leave.report_back(ledger, item.id, at("2026-03-03 07:50"), user=office["director"][1])
    assert back.status == leave.FILED and back.returned_at == at("2026-03-03 07:50")
    assert next(p for p in month.live_document(ledger.db, "2026-03")["staff"]
                if p["staff_no"] == "001")["leave_days"] == {"事假": 1}
    with pytest.raises(UserInputError, match="已于"):
        leave.report_back(ledger, item.id, at("2026-03-03 08:00"), user=office["director"][1])


def test_an_administrator_linked_to_the_director_acts_as_the_director(ledger, office):
    """The office's 管理员 login is the director's own: linked to the 局长 row, it sees and decides
    the 局长's queue; linked to a worker, or to nobody, it sees nothing and may not decide."""
    with ledger.write("新增用户", "user", "admin") as db:
        admin = accounts.create_user(db, "admin", "王局长", accounts.ADMIN, "secret-123")
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 17:30")   # one day → 局长
    assert leave.queue(ledger.db, admin) == []
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=admin)
    clerk, _ = add_person(ledger, "098", "孙文员", "办公室")
    with as_setup_admin(ledger):
        staff_mod.update(ledger, clerk.id, user_id=admin.id)
    assert leave.queue(ledger.db, admin) == []                     # a 管理员 linked to a worker approves nothing
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=admin)
    with as_setup_admin(ledger):
        staff_mod.update(ledger, clerk.id, user_id=None)
    director = office["director"][0]
    with as_setup_admin(ledger):
        staff_mod.update(ledger, director.id, user_id=admin.id)
    assert [q.id for q in leave.queue(ledger.db, admin)] == [item.id]
    decided = leave.decide(ledger, item.id, True, "同意", user=admin)
    assert decided.status == leave.APPROVED and decided.steps[0].decided_by_name == "王局长"


def test_a_request_without_working_time_is_refused(ledger, office):
    with pytest.raises(UserInputError, match="0 天"):
        request(ledger, office, "worker", "2026-03-07 08:00", "2026-03-08 17:30")   # Saturday and Sunday
    with pytest.raises(UserInputError, match="晚于开始"):
        request(ledger, office, "worker", "2026-03-02 12:00", "2026-03-02 12:00")
    with pytest.raises(UserInputError, match="0 天"):
        request(ledger, office, "worker", "2026-10-01 08:00", "2026-10-07 17:30")  # 国庆, filled at creation
    assert ledger.db.execute("select count(*) from att_leave").fetchone()[0] == 0


def test_overlapping_requests_of_the_same_person_are_refused(ledger, office):
    first = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-03 17:30")
    with pytest.raises(UserInputError, match="已有请假"):
        request(ledger, office, "worker", "2026-03-03 08:00", "2026-03-03 12:00", kind="病假")
    request(ledger, office, "colleague", "2026-03-03 08:00", "2026-03-03 12:00")     # someone else: fine
    request(ledger, office, "worker", "2026-03-04 08:00", "2026-03-04 12:00")        # touching: fine
    leave.decide(ledger, first.id, False, "不批", user=office["director"][1])
    again = request(ledger, office, "worker", "2026-03-03 08:00", "2026-03-03 12:00", kind="病假")
    assert again.status == leave.PENDING                                              # a rejection frees the time
    with pytest.raises(UserInputError, match="已有请假"):
        request(ledger, office, "worker", "2026-03-04 08:00", "2026-03-04 17:30")  # the pending half day
    whole = request(ledger, office, "worker", "2026-03-05 08:00", "2026-03-05 17:30")
    leave.decide(ledger, whole.id, True, "同意", user=office["director"][1])
    with pytest.raises(UserInputError, match="已批准"):
        request(ledger, office, "worker", "2026-03-05 14:30", "2026-03-05 17:30")
    leave.report_back(ledger, whole.id, at("2026-03-05 12:00"), user=office["worker"][1])
    later = request(ledger, office, "worker", "2026-03-05 14:30", "2026-03-05 17:30", kind="病假")
    assert later.status == leave.PENDING                                              # 销假 freed the afternoon


def test_a_section_head_of_another_section_cannot_approve(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    with pytest.raises(PermissionDenied, match="办公室"):
        leave.decide(ledger, item.id, True, "", user=office["other_head"][1])
    assert leave.queue(ledger.db, office["other_head"][1]) == []


def test_a_worker_cannot_approve(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    with pytest.raises(PermissionDenied):
        leave.decide(ledger, item.id, True, "", user=office["colleague"][1])


def test_a_rejection_ends_the_chain_and_needs_a_comment(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 15:30")
    with pytest.raises(Exception, match="驳回时请填写意见"):
        leave.decide(ledger, item.id, False, "", user=office["head"][1])
    rejected = leave.decide(ledger, item.id, False, "工作太忙", user=office["head"][1])
    assert rejected.status == leave.REJECTED
    assert leave.queue(ledger.db, office["deputy"][1]) == []


def test_every_leave_action_is_audited(ledger, office):
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    leave.decide(ledger, item.id, True, "同意", user=office["head"][1])
    leave.report_back(ledger, item.id, at("2026-03-02 12:00"), user=office["worker"][1])
    actions = [r[0] for r in ledger.db.execute(
        "select action from audit_log where object_type = 'att_leave' and object_id = ? order by id",
        [str(item.id)]).fetchall()]
    assert actions == ["请假申请", "批准请假", "销假"]


# ---- how leave counts ---------------------------------------------------------------------
def _morning_of_the_2nd(ledger, person) -> str:
    sheet = month.compute(ledger.db, "2026-03", staff_ids={person.id})
    return sheet.people[0].days[1].sessions[0].status


def test_pending_leave_does_not_count_approved_and_returned_leave_do(ledger, office):
    worker = office["worker"][0]
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    assert _morning_of_the_2nd(ledger, worker) == "旷工"
    leave.decide(ledger, item.id, True, "同意", user=office["head"][1])
    assert _morning_of_the_2nd(ledger, worker) == "请假"
    leave.report_back(ledger, item.id, at("2026-03-02 12:00"), user=office["worker"][1])
    assert _morning_of_the_2nd(ledger, worker) == "请假"
    doc = month.live_document(ledger.db, "2026-03")
    row = next(p for p in doc["staff"] if p["staff_no"] == "011")
    assert row["leave_days"] == {"事假": 0.5}


def test_reporting_back_early_ends_the_leave(ledger, office):
    worker = office["worker"][0]
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-03 17:30")
    leave.decide(ledger, item.id, True, "同意", user=office["director"][1])
    leave.report_back(ledger, item.id, at("2026-03-03 07:50"), user=office["worker"][1])
    punch(ledger, worker, "2026-03-03 07:50", "2026-03-03 14:20")
    sheet = month.compute(ledger.db, "2026-03", staff_ids={worker.id}).people[0]
    assert [s.status for s in sheet.days[1].sessions] == ["请假", "请假"]
    assert [s.status for s in sheet.days[2].sessions] == ["准时", "准时"]


def test_a_rejected_leave_leaves_the_absence(ledger, office):
    worker = office["worker"][0]
    item = request(ledger, office, "worker", "2026-03-02 08:00", "2026-03-02 12:00")
    leave.decide(ledger, item.id, False, "不批", user=office["head"][1])
    assert _morning_of_the_2nd(ledger, worker) == "旷工"


def test_filing_for_someone_else_needs_the_clerks_permission(ledger, office):
    """A 分管领导 account may not manage attendance, so may not file a worker's leave; the clerk may."""
    with pytest.raises(PermissionDenied):
        leave.request(ledger, office["worker"][0].id, "事假", at("2026-03-02 08:00"), at("2026-03-02 12:00"),
                      "代请", user=office["deputy"][1])
    colleague = office["colleague"][1]  # 工作人员 accounts may manage attendance (the office clerk)
    filed = leave.request(ledger, office["worker"][0].id, "事假", at("2026-03-02 08:00"),
                          at("2026-03-02 12:00"), "代请", user=colleague)
    assert filed.status == leave.PENDING
