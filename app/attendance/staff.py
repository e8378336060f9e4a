"""Staff (在编人员) for attendance: 工号, 姓名, 科室, 职务 and an approval role.

Roles (审批角色): 局长 / 分管领导 / 科室负责人 / 工作人员. A staff row may be linked to a user
account (users.id) so that the signed-in user acts as that person when requesting or approving
leave. One user account links to at most one staff row.

Who may change what (checked against the signed-in user, `Ledger.require`):
adding a person or changing 姓名/科室/职务/在职 needs `manage_attendance`; giving a new person a
role other than 工作人员, changing a role, or linking/unlinking a login needs
`assign_staff_roles` (管理员, 局长/主任) — a role decides whose leave one approves, a link
decides who acts as whom. The two are separate: a 局长 may re-link a login without the right
to edit the rest of the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlite_utils

from app import text as text_rule
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger



class StaffRole(StrEnum):
    """A staff member's attendance role (考勤角色: who approves whose leave); stored as the value."""

    DIRECTOR = "局长"
    DEPUTY = "分管领导"
    SECTION_HEAD = "科室负责人"
    WORKER = "工作人员"


DIRECTOR, DEPUTY, SECTION_HEAD, WORKER = StaffRole.DIRECTOR, StaffRole.DEPUTY, StaffRole.SECTION_HEAD, StaffRole.WORKER
ROLES = (DIRECTOR, DEPUTY, SECTION_HEAD, WORKER)
LEADERSHIP = frozenset({DIRECTOR, DEPUTY})
"""班子成员 (the leadership team): 局长 and 分管领导. 科室负责人 head a section but are not 班子成员."""


@dataclass(frozen=True)
class Staff:
    id: int
    staff_no: str
    name: str
    section: str
    title: str
    role: str
    user_id: int | None
    active: bool

    @property
    def label(self) -> str:
        return f"{self.name}（{self.staff_no}）"


_COLUMNS = "id, staff_no, name, section, title, role, user_id, active"


def _row(r: tuple) -> Staff:
    return Staff(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))


def all_staff(db: sqlite_utils.Database, active_only: bool = True) -> list[Staff]:
    sql = f"select {_COLUMNS} from att_staff"
    if active_only:
        sql += " where active = 1"
    return [_row(r) for r in db.execute(sql + " order by staff_no").fetchall()]


def get(db: sqlite_utils.Database, staff_id: int) -> Staff:
    row = db.execute(f"select {_COLUMNS} from att_staff where id = ?", [staff_id]).fetchone()
    if row is None:
        raise UserInputError("没有这个人员。")
    return _row(row)


def by_number(db: sqlite_utils.Database, staff_no: str) -> Staff | None:
    row = db.execute(f"select {_COLUMNS} from att_staff where staff_no = ?", [staff_no]).fetchone()
    return _row(row) if row else None


def for_user(db: sqlite_utils.Database, user_id: int | None) -> Staff | None:
    """The staff row linked to a user account, if any."""
    if user_id is None:
        return None
    row = db.execute(f"select {_COLUMNS} from att_staff where user_id = ? and active = 1",
                     [user_id]).fetchone()
    return _row(row) if row else None


def user_id_for(db: sqlite_utils.Database, username: str) -> int | None:
    """The users.id of a login name (exact, trimmed), or None."""
    row = db.execute("select id from users where username = ?", [username.strip()]).fetchone()
    return row[0] if row else None


def usernames(db: sqlite_utils.Database) -> dict[int, str]:
    """users.id → login name, for every account (for lists and the link combo)."""
    return {r[0]: r[1] for r in db.execute("select id, username from users order by username")}


def _validate(db: sqlite_utils.Database, staff_no: str, name: str, role: str, user_id: int | None,
              own_id: int | None) -> None:
    text_rule.check("工号", staff_no)
    text_rule.check("姓名", name)
    if not staff_no.strip():
        raise UserInputError("工号不能为空。")
    if not name.strip():
        raise UserInputError("姓名不能为空。")
    if role not in ROLES:
        raise UserInputError(f"角色应为 {'、'.join(ROLES)}，而不是“{role}”。")
    if user_id is not None:
        if not db.execute("select 1 from users where id = ?", [user_id]).fetchone():
            raise UserInputError("关联的用户账号不存在。")
        other = db.execute("select name from att_staff where user_id = ? and id is not ?",
                           [user_id, own_id]).fetchone()
        if other:
            raise UserInputError(f"该用户账号已关联到人员“{other[0]}”。")


def add(ledger: Ledger, staff_no: str, name: str, section: str = "", title: str = "", role: str = WORKER,
        user_id: int | None = None) -> Staff:
    """Add a person; audited. 工号 must be new."""
    staff_no, name = staff_no.strip(), name.strip()
    _validate(ledger.db, staff_no, name, role, user_id, None)
    text_rule.check("科室", section)
    text_rule.check("职务", title)
    ledger.require("manage_attendance")
    if role != WORKER or user_id is not None:
        ledger.require("assign_staff_roles")
    if by_number(ledger.db, staff_no):
        raise UserInputError(f"工号“{staff_no}”已存在。")
    after = {"staff_no": staff_no, "name": name, "section": section, "title": title, "role": role,
             "user_id": user_id}
    with ledger.write("新增考勤人员", "att_staff", staff_no, after=after) as db:
        cursor = db.execute("insert into att_staff (staff_no, name, section, title, role, user_id)"
                            " values (?, ?, ?, ?, ?, ?)",
                            [staff_no, name, section.strip(), title.strip(), role, user_id])
    assert cursor.lastrowid is not None  # an INSERT sets it
    return get(ledger.db, cursor.lastrowid)


def update(ledger: Ledger, staff_id: int, **changes: object) -> Staff:
    """Change name/section/title/role/user_id/active of a person; audited with before/after."""
    current = get(ledger.db, staff_id)
    allowed = {"name", "section", "title", "role", "user_id", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise UserInputError(f"不能修改人员的 {', '.join(sorted(unknown))}。")
    merged = {k: getattr(current, k) for k in allowed} | changes
    _validate(ledger.db, current.staff_no, str(merged["name"]), str(merged["role"]),
              merged["user_id"], staff_id)
    text_rule.check("科室", merged["section"])
    text_rule.check("职务", merged["title"])
    differing = {k for k in changes if changes[k] != getattr(current, k)}
    if differing & {"role", "user_id"}:
        ledger.require("assign_staff_roles")
    if differing - {"role", "user_id"}:
        ledger.require("manage_attendance")
    before = {k: getattr(current, k) for k in changes}
    with ledger.write("修改考勤人员", "att_staff", current.staff_no, before=before, after=changes) as db:
        db.execute("update att_staff set name = ?, section = ?, title = ?, role = ?, user_id = ?,"
                   " active = ? where id = ?",
                   [str(merged["name"]).strip(), str(merged["section"]).strip(),
                    str(merged["title"]).strip(), merged["role"], merged["user_id"],
                    int(bool(merged["active"])), staff_id])
    return get(ledger.db, staff_id)
