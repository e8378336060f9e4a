"""Leave (请假) and its approval chain, 销假, and each approver's queue (DOMAIN.md §8, 篇二 三).

The chain, fixed when the leave is requested, by its working-time length L in days
(`rules.leave_length_days`: each session is half a day) and the requester's role:
- 工作人员: L ≤ 0.5 → 科室负责人 of the requester's section; 0.5 < L < 1 → 科室负责人, then
  分管领导; L ≥ 1 → 局长.
- 班子成员 (局长 and 分管领导; 篇二 "班子成员因事请假由局长批准"): → 局长, whatever the length.
  A 局长's own leave needs another person with the 局长 role (e.g. 书记/主任), since nobody
  approves their own leave.
- 科室负责人 (heads a section but is not 班子成员): the section step would be their own, so it
  goes one level up: L < 1 → 分管领导; L ≥ 1 → 局长.

Who decides a step: an active staff member linked to the signed-in user account, holding the
step's role (for 科室负责人: of the requester's section), whose account may `approve_leave`, and
who is not the requester. Steps are decided in order; a rejection ends the chain (已驳回); the
last approval makes the leave 已批准. Only 已批准 and 已销假 leave counts (rules engine).
Every action is one audited transaction; changes to a posted month are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlite_utils

from app.accounts import User, require
from app.attendance import calendar, schedules
from app.attendance import staff as staff_mod
from app.attendance.month_lock import ensure_open
from app.attendance.rules import leave_length_days
from app.errors import PermissionDenied, UserInputError

LEAVE_TYPES = ("事假", "病假", "年休假", "婚假", "产假", "丧假", "探亲假", "其他")
PENDING, APPROVED, REJECTED, RETURNED, WITHDRAWN = "待审批", "已批准", "已驳回", "已销假", "已撤回"
STATUSES = (PENDING, APPROVED, REJECTED, RETURNED, WITHDRAWN)
COUNTING = (APPROVED, RETURNED)
BUSINESS_TYPES = frozenset({"因公外出", "因公出差", "出差", "公出", "公差", "外出公干"})
"""请假 types that are really business trips (因公外出): they count as present, not as leave."""


def is_business(leave_type: str) -> bool:
    return leave_type.strip() in BUSINESS_TYPES
HALF = Decimal("0.5")


def approval_chain(length_days: Decimal, role: str) -> list[str]:
    """The approver roles, in order (pure; see the module docstring)."""
    if role in staff_mod.LEADERSHIP:
        return [staff_mod.DIRECTOR]
    if role == staff_mod.SECTION_HEAD:
        return [staff_mod.DEPUTY] if length_days < 1 else [staff_mod.DIRECTOR]
    if length_days <= HALF:
        return [staff_mod.SECTION_HEAD]
    if length_days < 1:
        return [staff_mod.SECTION_HEAD, staff_mod.DEPUTY]
    return [staff_mod.DIRECTOR]


@dataclass(frozen=True)
class Step:
    seq: int
    approver_role: str
    section: str
    decision: str | None
    decided_by: int | None
    decided_by_name: str | None
    comment: str
    decided_at: str | None


@dataclass(frozen=True)
class Leave:
    id: int
    staff_id: int
    staff_name: str
    section: str
    leave_type: str
    start: datetime
    end: datetime
    length_days: Decimal
    reason: str
    handover: str
    status: str
    returned_at: datetime | None
    steps: tuple[Step, ...]

    @property
    def open_step(self) -> Step | None:
        if self.status != PENDING:
            return None
        return next((s for s in self.steps if s.decision is None), None)

    @property
    def counted_end(self) -> datetime:
        """Where the leave stops counting: the 销假 moment when reported back early."""
        if self.returned_at is not None and self.returned_at < self.end:
            return max(self.returned_at, self.start)
        return self.end


def session_moment(day: date, session: str, at_end: bool, db: sqlite_utils.Database) -> datetime:
    """A half-day boundary as a moment, by the schedule in force that day (form presets)."""
    schedule = schedules.schedule_on(schedules.load(db), day)
    start, end = schedules.session_span(schedule, day, session)
    return end if at_end else start


def get(db: sqlite_utils.Database, leave_id: int) -> Leave:
    rows = _load(db, "l.id = ?", [leave_id])
    if not rows:
        raise UserInputError("没有这条请假记录。")
    return rows[0]


def between(db: sqlite_utils.Database, start: date, end: date, statuses: tuple[str, ...] = STATUSES) -> list[Leave]:
    """Leave overlapping the days [start, end]."""
    marks = ", ".join("?" for _ in statuses)
    return _load(db, f"l.start_at < ? and l.end_at > ? and l.status in ({marks})",
                 [(end + timedelta(days=1)).isoformat(), start.isoformat(), *statuses])


def of_staff(db: sqlite_utils.Database, staff_id: int) -> list[Leave]:
    return _load(db, "l.staff_id = ?", [staff_id])


def _load(db: sqlite_utils.Database, where: str, params: list) -> list[Leave]:
    rows = db.execute(
        "select l.id, l.staff_id, s.name, s.section, l.leave_type, l.start_at, l.end_at, l.length_days,"
        " l.reason, l.handover, l.status, l.returned_at from att_leave l join att_staff s on s.id = l.staff_id"
        f" where {where} order by l.start_at, l.id", params).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    steps: dict[int, list[Step]] = {}
    for r in db.execute(
            "select st.leave_id, st.seq, st.approver_role, st.section, st.decision, st.decided_by, s.name,"
            " st.comment, st.decided_at from att_leave_steps st left join att_staff s on s.id = st.decided_by"
            f" where st.leave_id in ({', '.join('?' for _ in ids)}) order by st.leave_id, st.seq", ids).fetchall():
        steps.setdefault(r[0], []).append(Step(*r[1:]))
    return [Leave(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), datetime.fromisoformat(r[6]),
                  Decimal(r[7]), r[8], r[9], r[10], datetime.fromisoformat(r[11]) if r[11] else None,
                  tuple(steps.get(r[0], ()))) for r in rows]


def _days(start: datetime, end: datetime) -> list[date]:
    out, day = [], start.date()
    while day <= end.date():
        out.append(day)
        day += timedelta(days=1)
    return out


def _acting_staff(db: sqlite_utils.Database, user: User | None) -> staff_mod.Staff | None:
    return staff_mod.for_user(db, user.id) if user is not None else None


def length_of(db: sqlite_utils.Database, start: datetime, end: datetime) -> Decimal:
    holidays = calendar.holidays_between(db, start.date(), end.date())
    return leave_length_days(start, end, holidays, schedules.load(db))


def request(ledger, staff_id: int, leave_type: str, start: datetime, end: datetime, reason: str = "",
            handover: str = "", user: User | None = None) -> Leave:
    """File a leave request (待审批) with its chain; audited.

    A signed-in user files for the staff row linked to them; filing for someone else needs
    `manage_attendance` (the office clerk entering a paper form).
    """
    person = staff_mod.get(ledger.db, staff_id)
    own = _acting_staff(ledger.db, user)
    if user is not None and (own is None or own.id != staff_id):
        require(user, "manage_attendance")
    if leave_type not in LEAVE_TYPES:
        raise UserInputError(f"请假类型应为 {'、'.join(LEAVE_TYPES)}，而不是“{leave_type}”。")
    if end <= start:
        raise UserInputError("请假结束时间应晚于开始时间。")
    if not reason.strip():
        raise UserInputError("请填写请假事由。")
    length = length_of(ledger.db, start, end)
    chain = approval_chain(length, person.role)
    after = {"staff_no": person.staff_no, "type": leave_type, "start": start.isoformat(sep=" "),
             "end": end.isoformat(sep=" "), "length_days": str(length), "chain": chain,
             "reason": reason, "handover": handover}
    with ledger.write() as db:
        ensure_open(db, _days(start, end))
        cursor = db.execute(
            "insert into att_leave (staff_id, leave_type, start_at, end_at, length_days, reason, handover,"
            " status, requested_by, requested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [staff_id, leave_type, start.isoformat(sep=" "), end.isoformat(sep=" "), str(length),
             reason.strip(), handover.strip(), PENDING, ledger.actor_name, _now()])
        leave_id = cursor.lastrowid
        for seq, role in enumerate(chain, start=1):
            db.execute("insert into att_leave_steps (leave_id, seq, approver_role, section) values (?, ?, ?, ?)",
                       [leave_id, seq, role, person.section if role == staff_mod.SECTION_HEAD else ""])
        from app import audit

        audit.record(db, ledger.actor_name, "请假申请", "att_leave", leave_id, after=after)
    return get(ledger.db, leave_id)


def can_decide(db: sqlite_utils.Database, leave: Leave, approver: staff_mod.Staff | None) -> str | None:
    """Why `approver` may not decide the leave's open step (None = they may)."""
    step = leave.open_step
    if step is None:
        return f"这条请假当前状态为“{leave.status}”，没有待审批的步骤。"
    if approver is None:
        return "当前用户没有关联考勤人员，不能审批请假。"
    if approver.id == leave.staff_id:
        return "不能审批本人的请假。"
    if approver.role != step.approver_role:
        return f"这一步应由{step.approver_role}审批，不是您的审批步骤。"
    if step.approver_role == staff_mod.SECTION_HEAD and approver.section != step.section:
        return f"这一步应由“{step.section}”的科室负责人审批，不是您的审批步骤。"
    return None


def decide(ledger, leave_id: int, approve: bool, comment: str = "", user: User | None = None) -> Leave:
    """Approve or reject the open step of a leave as the signed-in user; audited."""
    if user is None:
        raise PermissionDenied("审批请假需要以本人账号登录。")
    require(user, "approve_leave")
    leave = get(ledger.db, leave_id)
    approver = _acting_staff(ledger.db, user)
    why_not = can_decide(ledger.db, leave, approver)
    if why_not:
        raise PermissionDenied(why_not)
    if not approve and not comment.strip():
        raise UserInputError("驳回时请填写意见。")
    step = leave.open_step
    if step is None or approver is None:  # can_decide has already refused these
        raise PermissionDenied("这条请假没有可由您审批的步骤。")
    last = step.seq == max(s.seq for s in leave.steps)
    status = PENDING if approve and not last else (APPROVED if approve else REJECTED)
    action = "批准请假" if approve else "驳回请假"
    with ledger.write(action, "att_leave", leave_id, before={"status": leave.status},
                      after={"step": step.seq, "role": step.approver_role, "by": approver.staff_no,
                             "comment": comment, "status": status}) as db:
        ensure_open(db, _days(leave.start, leave.end))
        db.execute("update att_leave_steps set decision = ?, decided_by = ?, comment = ?, decided_at = ?"
                   " where leave_id = ? and seq = ?",
                   ["批准" if approve else "驳回", approver.id, comment.strip(), _now(), leave_id, step.seq])
        db.execute("update att_leave set status = ? where id = ?", [status, leave_id])
    return get(ledger.db, leave_id)


def report_back(ledger, leave_id: int, at: datetime, user: User | None = None) -> Leave:
    """销假: the person is back at `at`; the leave stops counting from then. Audited."""
    leave = get(ledger.db, leave_id)
    if leave.status != APPROVED:
        raise UserInputError(f"只有已批准的请假才能销假（当前：{leave.status}）。")
    own = _acting_staff(ledger.db, user)
    if user is not None and (own is None or own.id != leave.staff_id):
        require(user, "manage_attendance")
    if at < leave.start:
        raise UserInputError("销假时间早于请假开始时间。")
    with ledger.write("销假", "att_leave", leave_id, before={"status": leave.status},
                      after={"status": RETURNED, "returned_at": at.isoformat(sep=" ")}) as db:
        if at < leave.end:
            ensure_open(db, _days(at, leave.end))
        db.execute("update att_leave set status = ?, returned_at = ? where id = ?",
                   [RETURNED, at.isoformat(sep=" "), leave_id])
    return get(ledger.db, leave_id)


def withdraw(ledger, leave_id: int, user: User | None = None) -> Leave:
    """The requester (or the clerk) withdraws a leave still 待审批; audited."""
    leave = get(ledger.db, leave_id)
    if leave.status != PENDING:
        raise UserInputError(f"只有待审批的请假可以撤回（当前：{leave.status}）。")
    own = _acting_staff(ledger.db, user)
    if user is not None and (own is None or own.id != leave.staff_id):
        require(user, "manage_attendance")
    with ledger.write("撤回请假", "att_leave", leave_id, before={"status": leave.status},
                      after={"status": WITHDRAWN}) as db:
        db.execute("update att_leave set status = ? where id = ?", [WITHDRAWN, leave_id])
    return get(ledger.db, leave_id)


def queue(db: sqlite_utils.Database, user: User | None) -> list[Leave]:
    """The leave waiting for this user's decision (their open steps), oldest first."""
    approver = _acting_staff(db, user)
    if approver is None or user is None or not user.may("approve_leave"):
        return []
    return [leave for leave in _load(db, "l.status = ?", [PENDING]) if can_decide(db, leave, approver) is None]


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")
