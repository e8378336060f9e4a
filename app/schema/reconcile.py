"""0008_reconcile: sampling surveys (抽样调查), their matching results, review decisions, 手工台帐.

Rules:
- A survey is evidence: `surveys` keeps the original file's bytes and SHA-256, `survey_rows`
  the rows exactly as read (text as typed after cell normalisation). Triggers refuse any
  UPDATE or DELETE of both tables — a survey is never edited, only another one imported.
- `reconcile_results` holds the latest matching run of a survey (replaced on every run).
- `reconcile_decisions` is append-only (trigger-guarded): the clerk's decisions per survey row
  with user and time; the newest decision of a row is in force, and reruns keep them.
- `reconcile_added` lists births (and mothers' cards, 待完善) added from a survey's 漏报.
- `manual_ledger` holds the 手工台帐 counts per unit, period and item.
"""

from __future__ import annotations

SQL = """
create table surveys (
    id integer primary key,
    period text not null,           -- period code as resolved (2026H1, 2026-03, ...)
    period_start text not null,
    period_end text not null,
    file_name text not null,
    file_sha256 text not null,
    file_bytes blob not null,       -- the original .xlsx, byte for byte
    row_count integer not null,
    imported_at text not null,
    imported_by text not null,
    note text
);
create index surveys_period on surveys (period);

create table survey_rows (
    id integer primary key,
    survey_id integer not null references surveys(id),
    row_number integer not null,    -- the sheet's row number (first data row = 2)
    unit_code text not null,
    mother_name text not null,
    mother_id_number text,
    husband_name text,
    child_name text,
    sex text not null,
    birth_date text not null,
    birth_order integer,
    address text,
    policy text,                    -- optional 政策属性 column
    unique (survey_id, row_number)
);

create trigger surveys_no_update before update on surveys
begin select raise(abort, '抽样调查是核对依据，不能修改'); end;
create trigger surveys_no_delete before delete on surveys
begin select raise(abort, '抽样调查是核对依据，不能删除'); end;
create trigger survey_rows_no_update before update on survey_rows
begin select raise(abort, '抽样调查是核对依据，不能修改'); end;
create trigger survey_rows_no_delete before delete on survey_rows
begin select raise(abort, '抽样调查是核对依据，不能删除'); end;

create table reconcile_results (
    survey_id integer not null references surveys(id),
    row_number integer not null,
    outcome text not null,          -- matched/unreported/misreported/duplicated/late/review
    child_id integer references children(id),
    score real,
    differences text not null,      -- JSON list of 孩次/性别/出生日期/政策属性
    detail text not null,           -- JSON: candidates with per-field contributions, notes
    run_at text not null,
    primary key (survey_id, row_number)
);

create table reconcile_decisions (
    id integer primary key,
    survey_id integer not null references surveys(id),
    row_number integer not null,
    decision text not null,         -- accept/reject/not_in_ledger/added/corrected
    child_id integer,
    note text,
    decided_by text not null,
    decided_at text not null
);
create index reconcile_decisions_row on reconcile_decisions (survey_id, row_number, id);
create trigger reconcile_decisions_no_update before update on reconcile_decisions
begin select raise(abort, '核对决定只能追加，不能修改'); end;
create trigger reconcile_decisions_no_delete before delete on reconcile_decisions
begin select raise(abort, '核对决定只能追加，不能删除'); end;

-- Births added to the ledger from a survey's 漏报 (and the mothers' cards created for them).
create table reconcile_added (
    survey_id integer not null references surveys(id),
    row_number integer not null,
    woman_id integer not null references women(id),
    child_id integer not null references children(id),
    new_mother integer not null,
    needs_completion integer not null,  -- 1: the card was built from the survey row (待完善)
    added_at text not null,
    added_by text not null,
    primary key (survey_id, row_number)
);

create table manual_ledger (
    unit_id integer not null references units(id),
    period text not null,
    item text not null,             -- 已婚育龄妇女/上环/结扎/皮埋/药具/未避孕/出生
    count integer not null,
    entered_by text not null,
    entered_at text not null,
    primary key (unit_id, period, item)
);
"""
