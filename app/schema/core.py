"""0001_initial: settings, users, the audit log, organisation units, population base."""

from __future__ import annotations

SQL = """
create table meta (
    key text primary key,
    value text
);

-- Users and roles (app/accounts.py). password_hash is "scrypt$n$r$p$salt$hash" (base64).
create table users (
    id integer primary key,
    username text not null unique collate nocase,
    display_name text not null,
    role text not null,
    password_hash text not null,
    failed_logins integer not null default 0,
    locked_until text,
    active integer not null default 1,
    must_change_password integer not null default 0,
    created_at text not null
);

-- Append-only, hash-chained audit log (app/audit.py).
create table audit_log (
    id integer primary key,
    at text not null,
    user text not null,
    action text not null,
    object_type text,
    object_id text,
    before text,
    after text,
    prev_hash text not null,
    hash text not null
);
create index audit_object on audit_log (object_type, object_id);
create trigger audit_log_no_update before update on audit_log
begin select raise(abort, '审计日志只能追加，不能修改'); end;
create trigger audit_log_no_delete before delete on audit_log
begin select raise(abort, '审计日志只能追加，不能删除'); end;

-- Organisation units (app/units.py). A unit's name and parent change over time: each
-- version is a row of unit_versions valid on [valid_from, valid_to) (valid_to null = open).
create table units (
    id integer primary key,
    code text not null unique,
    kind text not null,             -- 区县/乡镇/街道/村/社区/组/公共单位
    supervisor_code text,           -- 主管单位代码 (public units)
    legal_rep text,                 -- 法定代表人
    fp_contact text,                -- 计生专干
    dissolved_on text,              -- merged away or abolished from this date
    sort_key integer not null default 0
);
create table unit_versions (
    id integer primary key,
    unit_id integer not null references units(id),
    name text not null,
    parent_id integer references units(id),
    valid_from text not null,
    valid_to text,
    note text
);
create index unit_versions_unit on unit_versions (unit_id, valid_from);
create index unit_versions_parent on unit_versions (parent_id);

-- 人口基数: population and deaths entered per unit and period (DOMAIN.md §5).
create table population_base (
    unit_id integer not null references units(id),
    period text not null,           -- a period code as typed (2026-03, 2026H1, ...)
    start_date text not null,
    end_date text not null,
    population integer not null,
    deaths integer not null,
    primary key (unit_id, period)
);
"""
