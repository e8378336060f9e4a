"""Leave (请假) and its approval chain, 销假, and each approver's queue (DOMAIN.md §8, 篇二 三).

The chain, fixed when the leave is requested, by its working-time length L in days
(`rules.leave_length_days`: each session is half a day) and the requester's role:
- 工作人员: L ≤ 0.5 → 科室负责人 of the requester's section; 0.5 < L < 1 → 科室负责人, then
  分管领导; L ≥ 1 → 局长.
- 分管领导 (班子成员; 篇二 "班子成员因事请假由局长批准"): → 局长, whatever the length.
- 局长: nobody approves the director's own leave; it is recorded as **报备** (registered with
  the office, an empty chain) the moment it is filed, counts as leave like 已批准 leave, and is
  listed in the month's posting (`month.live_document` `filed_leave`). 销假 of a 报备 keeps the
  status 报备 and records the moment of return.
- 科室负责人 (heads a section but is not 班子成员): the section step would be their own, so it
  goes one level up: L < 1 → 分管领导; L ≥ 1 → 局长.

Who decides a step: an active staff member linked to the signed-in user account, holding the
step's role (for 科室负责人: of the requester's section), and who is not the requester. The
account must be one that may `approve_leave` (局长/主任, 分管领导, 科室负责人) — or a 管理员
account linked to a staff row with an approving role: in a small office the administrator's
login is often the director's own, and the link (set by someone who may `assign_staff_roles`)
says whom it acts as.

A request is refused when it covers no working time (0 days: a weekend, a holiday, the lunch
break) or overlaps another request of the same person that is still alive (待审批, 已批准, 报备,
or 已销假 up to the return); rejected and withdrawn requests do not block. Steps are decided in order; a rejection ends the chain (已驳回); the
last approval makes the leave 已批准. Only 已批准 and 已销假 leave counts (rules engine).
Every action is one audited transaction; changes to a posted month are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlite_utils

from app import accounts
from app.accounts import User, require
from app.attendance import calendar, schedules
from app.attendance import staff as staff_mod
from app.attendance.month_lock import ensure_open
from app.attendance.rules import leave_length_days
from app.errors import PermissionDenied, UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger

LEAVE_TYPES = ("事假", "病假", "年休假", "婚假", "产假", "丧假", "探亲假", "其他")


class LeaveStatus(StrEnum):
    """A leave request's status (状态); the value is the Chinese text stored in `att_leave.status`."""

    PENDING = "待审批"
    APPROVED = "已批准"
    REJECTED = "已驳回"
    RETURNED = "已销假"
    WITHDRAWN = "已撤回"
    FILED = "报备"
    """A 局长's own leave: registered with the office, approved by no one, counted as leave."""


PENDING, APPROVED, REJECTED = LeaveStatus.PENDING, LeaveStatus.APPROVED, LeaveStatus.REJECTED
RETURNED, WITHDRAWN, FILED = LeaveStatus.RETURNED, LeaveStatus.WITHDRAWN, LeaveStatus.FILED
STATUSES = (PENDING, APPROVED, REJECTED, RETURNED, WITHDRAWN, FILED)
COUNTING = (APPROVED, RETURNED, FILED)
BLOCKING = (PENDING, APPROVED, RETURNED, FILED)
"""Statuses of a request that another request of the same person may not overlap."""
APPROVING_ROLES = frozenset({staff_mod.DIRECTOR, staff_mod.DEPUTY, staff_mod.SECTION_HEAD})
BUSINESS_TYPES = frozenset({"因公外出", "因公出差", "出差", "公出", "公差", "外出公干"})
"""请假 types that are really business trips (因公外出): they count as present, not as leave."""


def is_business(leave_type: str) -> bool:
    return leave_type.strip() in BUSINESS_TYPES


HALF = Decimal("0.5")


def approval_chain(length_days: Decimal, role: str) -> list[str]:
    """The approver roles, in order (pure; see the module docstring). Empty for the 局长: 报备."""
    if role == staff_mod.DIRECTOR:
        return []
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
    status: LeaveStatus
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
                  Decimal(r[7]), r[8], r[9], LeaveStatus(r[10]), datetime.fromisoformat(r[11]) if r[11] else None,
                  tuple(steps.get(r[0], ()))) for r in rows]


def _days(start: datetime, end: datetime) -> list[date]:
    out, day = [], start.date()
    while day <= end.date():
        out.append(day)
        day += timedelta(days=1)
    return out


def _acting_staff(db: sqlite_utils.Database, user: User | None) -> staff_mod.Staff | None:
    return staff_mod.for_user(db, user.id) if user is not None else None


def may_approve(user: User | None, approver: staff_mod.Staff | None) -> bool:
    """Whether this account may approve leave at all (see the module docstring): an approving
    account role, or a 管理员 linked to a staff row with an approving role."""
    if user is None:
        return False
    if user.may("approve_leave"):
        return True
    return user.role == accounts.ADMIN and approver is not None and approver.role in APPROVING_ROLES


def overlapping(db: sqlite_utils.Database, staff_id: int, start: datetime, end: datetime) -> list[Leave]:
    """The person's live requests (BLOCKING) whose counted time overlaps [start, end)."""
    marks = ", ".join("?" for _ in BLOCKING)
    rows = _load(db, f"l.staff_id = ? and l.start_at < ? and l.end_at > ? and l.status in ({marks})",
                 [staff_id, end.isoformat(sep=" "), start.isoformat(sep=" "), *BLOCKING])
    return [item for item in rows if item.counted_end > start]


def length_of(db: sqlite_utils.Database, start: datetime, end: datetime) -> Decimal:
    holidays = calendar.holidays_between(db, start.date(), end.date())
    return leave_length_days(start, end, holidays, schedules.load(db))


def request(ledger: Ledger, staff_id: int, leave_type: str, start: datetime, end: datetime, reason: str = "",
            handover: str = "", user: User | None = None) -> Leave:
    """File a leave request with its chain (待审批; 报备 for the 局长, whose chain is empty); audited.

    A signed-in user files for the staff row linked to them; filing for someone else needs
    `manage_attendance` (the office clerk entering a paper form). Refused: no reason, an end
    not after the start, no working time in between (0 days), an overlap with the person's
    other live requests (`overlapping`), a posted month.
    """
    person = staff_mod.get(ledger.db, staff_id)
    user = user if user is not None else ledger.user
    own = _acting_staff(ledger.db, user)
    if own is None or own.id != staff_id:
        ledger.require("manage_attendance", user)
    if leave_type not in LEAVE_TYPES:
        raise UserInputError(f"请假类型应为 {'、'.join(LEAVE_TYPES)}，而不是“{leave_type}”。")
    if end <= start:
        raise UserInputError("请假结束时间应晚于开始时间。")
    if not reason.strip():
        raise UserInputError("请填写请假事由。")
    length = length_of(ledger.db, start, end)
    if length <= 0:
        raise UserInputError(f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M} 没有工作时间（0 天：休息日、"
                             "节假日或午休），不需要请假。请检查开始和结束日期。")
    clash = overlapping(ledger.db, staff_id, start, end)
    if clash:
        other = clash[0]
        raise UserInputError(f"{person.name}在这段时间已有请假：{other.leave_type} {other.start:%Y-%m-%d %H:%M} 至 "
                             f"{other.end:%Y-%m-%d %H:%M}（{other.status}）。同一时间不能重复请假；"
                             "如需更改，请先撤回或销假那一条。")
    chain = approval_chain(length, person.role)
    status = PENDING if chain else FILED
    after = {"staff_no": person.staff_no, "type": leave_type, "start": start.isoformat(sep=" "),
             "end": end.isoformat(sep=" "), "length_days": str(length), "chain": chain,
             "reason": reason, "handover": handover, "status": status}
    with ledger.write() as db:
        ensure_open(db, _days(start, end))
        cursor = db.execute(
            "insert into att_leave (staff_id, leave_type, start_at, end_at, length_days, reason, handover,"
            " status, requested_by, requested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [staff_id, leave_type, start.isoformat(sep=" "), end.isoformat(sep=" "), str(length),
             reason.strip(), handover.strip(), status, ledger.actor_name, _now()])
        leave_id = cursor.lastrowid
        assert leave_id is not None  # an INSERT sets it
        for seq, role in enumerate(chain, start=1):
            db.execute("insert into att_leave_steps (leave_id, seq, approver_role, section) values (?, ?, ?, ?)",
                       [leave_id, seq, role, person.section if role == staff_mod.SECTION_HEAD else ""])
        from app import audit

        audit.record(db, ledger.actor_name, "请假申请" if chain else "请假报备", "att_leave", leave_id,
                     after=after)
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


def decide(ledger: Ledger, leave_id: int, approve: bool, comment: str = "", user: User | None = None) -> Leave:
    """Approve or reject the open step of a leave as the signed-in user; audited."""
    user = user if user is not None else ledger.user
    if user is None:
        raise PermissionDenied("审批请假需要以本人账号登录。")
    leave = get(ledger.db, leave_id)
    approver = _acting_staff(ledger.db, user)
    if not may_approve(user, approver):
        require(user, "approve_leave")  # raises, naming the account and its role
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


def report_back(ledger: Ledger, leave_id: int, at: datetime, user: User | None = None) -> Leave:
    """销假: the person is back at `at`; the leave stops counting from then. Audited.

    已批准 becomes 已销假; a 报备 stays 报备 with its return recorded (once)."""
    leave = get(ledger.db, leave_id)
    if leave.status == FILED and leave.returned_at is not None:
        raise UserInputError(f"这条报备已于 {leave.returned_at:%Y-%m-%d %H:%M} 销假。")
    if leave.status not in (APPROVED, FILED):
        raise UserInputError(f"只有已批准或报备的请假才能销假（当前：{leave.status}）。")
    user = user if user is not None else ledger.user
    own = _acting_staff(ledger.db, user)
    if own is None or own.id != leave.staff_id:
        ledger.require("manage_attendance", user)
    if at < leave.start:
        raise UserInputError("销假时间早于请假开始时间。")
    status = FILED if leave.status == FILED else RETURNED
    with ledger.write("销假", "att_leave", leave_id, before={"status": leave.status},
                      after={"status": status, "returned_at": at.isoformat(sep=" ")}) as db:
        if at < leave.end:
            ensure_open(db, _days(at, leave.end))
        db.execute("update att_leave set status = ?, returned_at = ? where id = ?",
                   [status, at.isoformat(sep=" "), leave_id])
    return get(ledger.db, leave_id)


def withdraw(ledger: Ledger, leave_id: int, user: User | None = None) -> Leave:
    """The requester (or the clerk) withdraws a leave still 待审批, or a 报备 not yet reported
    back from (filed by mistake); audited."""
    leave = get(ledger.db, leave_id)
    if not (leave.status == PENDING or (leave.status == FILED and leave.returned_at is None)):
        raise UserInputError(f"只有待审批或尚未销假的报备可以撤回（当前：{leave.status}）。")
    user = user if user is not None else ledger.user
    own = _acting_staff(ledger.db, user)
    if own is None or own.id != leave.staff_id:
        ledger.require("manage_attendance", user)
    with ledger.write("撤回请假", "att_leave", leave_id, before={"status": leave.status},
                      after={"status": WITHDRAWN}) as db:
        db.execute("update att_leave set status = ? where id = ?", [WITHDRAWN, leave_id])
    return get(ledger.db, leave_id)


def queue(db: sqlite_utils.Database, user: User | None) -> list[Leave]:
    """The leave waiting for this user's decision (their open steps), oldest first."""
    approver = _acting_staff(db, user)
    if approver is None or not may_approve(user, approver):
        return []
    return [leave for leave in _load(db, "l.status = ?", [PENDING]) if can_decide(db, leave, approver) is None]


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")
