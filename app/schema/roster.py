"""0005_roster: pregnancy-check rounds (孕检/三查轮次), frozen due lists, results, pregnancy follow-ups.

Rules (DOMAIN.md §6, app/roster):
- A round is a period code (`check_rounds.code`, unique); it may be created ahead of time.
- While a round is open its due list is computed from the ledger; closing it stores the list
  in `check_due` (one row per due woman, with the unit and category of that moment).
- `check_results` holds ONE result per woman per round (unique); a later entry replaces the
  earlier one and the audit log keeps the before/after.
- `pregnancy_followups` carries a 孕情 已孕 finding to the woman's card (one per woman and round);
  a corrected finding is marked 已撤销, never deleted.
"""

from __future__ import annotations

SQL = """
create table check_rounds (
    id integer primary key,
    code text not null unique,          -- period code, e.g. 2026Q2
    start_date text not null,
    end_date text not null,
    status text not null default '进行中',  -- 进行中 / 已结束 (due list frozen)
    note text,
    created_at text not null,
    created_by text not null,
    closed_at text,
    closed_by text
);

create table check_due (
    round_id integer not null references check_rounds(id),
    woman_id integer not null references women(id),
    unit_id integer not null references units(id),
    category text not null,             -- 上环/皮埋/药具/结扎不足一年/未避孕/应落实未落实
    residence text not null,            -- 常住/流入/流出 at closing
    primary key (round_id, woman_id)
);
create index check_due_unit on check_due (round_id, unit_id);

create table check_results (
    id integer primary key,
    round_id integer not null references check_rounds(id),
    woman_id integer not null references women(id),
    result text not null,               -- 已查/寄回证明/未查
    check_date text,                    -- 已查: date of the check
    place text,                         -- 已查: where
    iud_status text,                    -- 环情: 正常/异常/脱落
    pregnancy text,                     -- 孕情: 未孕/已孕
    pregnancy_weeks integer,            -- 孕周 when 已孕
    illness text,                       -- 病情 (free text)
    certificate_date text,              -- 寄回证明: date the certificate was received
    followup_action text,               -- 未查: follow-up action
    followup_date text,                 -- 未查: planned/done follow-up date
    recorded_at text not null,
    recorded_by text not null,
    unique (round_id, woman_id)
);
create index check_results_woman on check_results (woman_id);

create table pregnancy_followups (
    id integer primary key,
    woman_id integer not null references women(id),
    round_id integer references check_rounds(id),
    found_on text not null,             -- date of the check that found the pregnancy
    weeks integer,                      -- 孕周 on found_on
    source text not null default '孕检',
    status text not null default '跟踪中',  -- 跟踪中 / 已撤销 (the finding was corrected)
    note text,
    created_at text not null,
    created_by text not null,
    unique (woman_id, round_id)
);
create index pregnancy_followups_woman on pregnancy_followups (woman_id, status);
"""
