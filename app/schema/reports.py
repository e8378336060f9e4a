"""0004_reports: period closures (报表期关账) with their frozen snapshots, and annual targets.

- `period_closures`: one row per close. `snapshot` is the JSON of every figure of the period for
  every unit of the tree at the period's end (app/closing.py); `files` maps exported file names to
  their SHA-256. Reopening fills `reopened_*` on that row (the close itself is never erased), so
  the table is the period's close/reopen history; the period is closed while it has a row with
  `reopened_at` null (at most one, enforced by a partial unique index).
- `population_targets`: the annual population-plan targets (人口计划目标, 篇四) per statistical
  year and unit; rates are Decimal text (‰ / %), null when not set.
- Legal-block values of the forms (表号, 制表机关 …) are ledger settings in `meta`
  (keys `form.<form_id>.<field>`), not a table.
"""

from __future__ import annotations

SQL = """
create table period_closures (
    id integer primary key,
    period text not null,           -- the period code as closed (2026H1, 2026-03, ...)
    start_date text not null,
    end_date text not null,
    closed_at text not null,
    closed_by text not null,
    snapshot text not null,         -- JSON: {"units": {code: figures}, "root": code, ...}
    files text,                     -- JSON: {file name: sha256}
    reopened_at text,
    reopened_by text,
    reopen_reason text
);
create unique index period_closures_open on period_closures (start_date, end_date) where reopened_at is null;
create index period_closures_period on period_closures (period);

create table population_targets (
    year text not null,             -- statistical year code (2026)
    unit_id integer not null references units(id),
    births integer,                 -- 出生人数
    birth_rate_permille text,       -- 出生率 ‰
    natural_growth_rate_permille text,  -- 自然增长率 ‰
    policy_rate_percent text,       -- 计划生育率 % (at least)
    population integer,             -- 人口控制数
    updated_at text not null,
    primary key (year, unit_id)
);

-- Covering index for the methods in use at a period's end (app/stats/women.py).
create index contraception_current on contraception (woman_id, start_date, end_date, method);
create index women_first_marriage on women (first_marriage_date, unit_id);
"""
