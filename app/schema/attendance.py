"""0006_attendance: staff, holiday calendar, schedules, punches, leave and its approval steps,
business trips, duty days, spot checks and the posted (locked) months (DOMAIN.md §8).

Times are stored as ISO text: days `YYYY-MM-DD`, moments `YYYY-MM-DD HH:MM:SS`, clock times
`HH:MM`. Staff rows are never deleted (leave and audit refer to them): `active = 0` retires one.
"""

from __future__ import annotations

SQL = """
create table att_staff (
    id integer primary key,
    staff_no text not null unique,      -- 工号 (as the attendance machine knows it)
    name text not null,
    section text not null default '',   -- 科室
    title text not null default '',     -- 职务
    role text not null default '工作人员', -- 局长/分管领导/科室负责人/工作人员
    user_id integer references users(id),
    active integer not null default 1
);
create index att_staff_user on att_staff (user_id);

-- 节假日: 法定节假日 (a statutory holiday, not worked) or 调休上班 (a weekend worked in exchange).
create table att_holidays (
    day text primary key,
    kind text not null check (kind in ('法定节假日', '调休上班')),
    name text not null default '',
    source text not null default '手工'  -- 手工 / 导入 / chinese-calendar
);

-- 作息时间: the schedule in force from valid_from until the next row's valid_from.
create table att_schedules (
    valid_from text primary key,
    am_start text not null, am_end text not null,
    pm_start text not null, pm_end text not null
);

-- 打卡: one row per distinct (person, moment); the same punch imported twice is one punch.
create table att_punches (
    id integer primary key,
    staff_id integer not null references att_staff(id),
    at text not null,
    source text not null,               -- 考勤机 / 点名 / 工作簿
    recorded_by text not null,
    recorded_at text not null,
    unique (staff_id, at)
);

-- 请假. status: 待审批 / 已批准 / 已驳回 / 已销假 / 已撤回.
create table att_leave (
    id integer primary key,
    staff_id integer not null references att_staff(id),
    leave_type text not null,
    start_at text not null,
    end_at text not null,
    length_days text not null,          -- working-time length in days (Decimal text), fixed at request
    reason text not null default '',
    handover text not null default '',  -- 工作交接人
    status text not null,
    requested_by text not null,
    requested_at text not null,
    returned_at text,                   -- 销假
    note text not null default ''
);
create index att_leave_staff on att_leave (staff_id, start_at);

-- One row per approval step; the chain is fixed when the leave is requested.
create table att_leave_steps (
    id integer primary key,
    leave_id integer not null references att_leave(id),
    seq integer not null,
    approver_role text not null,        -- 科室负责人 / 分管领导 / 局长
    section text not null default '',   -- for 科室负责人: whose section
    decision text,                      -- null (open) / 批准 / 驳回
    decided_by integer references att_staff(id),
    comment text not null default '',
    decided_at text,
    unique (leave_id, seq)
);

-- 因公外出 (business trips), registered with the office.
create table att_trips (
    id integer primary key,
    staff_id integer not null references att_staff(id),
    start_at text not null,
    end_at text not null,
    destination text not null default '',
    reason text not null default '',
    registered_by text not null,
    registered_at text not null
);
create index att_trips_staff on att_trips (staff_id, start_at);

-- 值班: duty on a day (weekend duty, holiday work).
create table att_duty (
    staff_id integer not null references att_staff(id),
    day text not null,
    note text not null default '',
    primary key (staff_id, day)
);

-- 抽查: a spot check during work hours and what it found.
create table att_spot_checks (
    id integer primary key,
    staff_id integer not null references att_staff(id),
    at text not null,
    result text not null,               -- 在岗 / 请假 / 因公外出 / 擅离岗位
    note text not null default '',
    checked_by text not null
);
create index att_spot_checks_at on att_spot_checks (at);

-- 张榜公布: a posted month is locked; its snapshot is what was posted.
create table att_months (
    month text primary key,             -- YYYY-MM
    locked integer not null default 0,
    posted_at text,
    posted_by text,
    snapshot text,                      -- JSON of the month summary as posted
    reopened_at text,
    reopen_reason text
);
"""
