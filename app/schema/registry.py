"""0002_registry: women's cards (育龄妇女), children, contraception, procedures.

Dates are ISO text `YYYY-MM-DD`. Coded values are stored as their Chinese names from the code
lists in `data/codes.json` (GB/T 18848-style), so the file is readable without the program.
Rows are never deleted by users: a card exits (exit_reason/exit_date) and can come back.
"""

from __future__ import annotations

SQL = """
create table women (
    id integer primary key,
    id_type text not null default '身份证',
    id_number text not null unique,
    name text not null,
    birth_date text not null,
    ethnicity text,                 -- 民族
    education text,                 -- 文化程度
    hukou_type text not null,       -- 户口性质: 农业/非农业
    hukou_place text,               -- 户籍地
    address text,                   -- 现居住地
    phone text,
    employer text,                  -- 工作单位
    unit_id integer not null references units(id),
    residence text not null,        -- 居住状态: 常住/流入/流出
    float_reason text,              -- 流动原因
    float_date text,                -- 流动日期
    float_cert_no text,             -- 婚育证明编号
    float_cert_date text,
    marital_status text not null,   -- 未婚/初婚/再婚/离婚/丧偶
    first_marriage_date text,
    marital_change_date text,       -- 婚变日期
    husband_name text,
    husband_id_number text,
    husband_hukou_type text,
    husband_employer text,
    card_date text,                 -- 建卡日期
    exit_reason text,               -- 超龄/迁出/死亡/录入错误; null = active card
    exit_date text,
    check_exempt_reason text,       -- 免查 reason for the pregnancy-check roster
    name_initials text,             -- pinyin initials for search (王丽芳 -> wlf)
    created_at text not null,
    updated_at text not null
);
create index women_unit on women (unit_id, residence, marital_status);
create index women_name on women (name);
create index women_initials on women (name_initials);
create index women_husband on women (husband_name);

create table children (
    id integer primary key,
    mother_id integer not null references women(id),
    birth_order integer not null,   -- 孩次
    name text,
    sex text not null,              -- 男/女
    birth_date text not null,
    policy text not null,           -- 政策内/政策外
    kinship text not null default '亲生',  -- 亲生/收养/继子女
    health text,
    reported_date text,             -- 上报日期; null = reported on the birth date
    death_date text,
    out_of_wedlock integer not null default 0,  -- 非婚生育 flag (check exemption)
    created_at text not null,
    updated_at text not null,
    unique (mother_id, birth_order)
);
-- Covering index for the period reports (PERFORMANCE-NOTES: covering beats a plain index).
create index children_report on children (birth_date, kinship, mother_id, sex, birth_order, policy, reported_date);
create index children_reported on children (reported_date);

create table contraception (
    id integer primary key,
    woman_id integer not null references women(id),
    method text not null,           -- 女扎/男扎/宫内节育器/皮下埋植/口服及注射避孕药/避孕套/外用药/其他/未避孕
    start_date text not null,
    end_date text,                  -- null = the current measure
    provider text,                  -- 施术单位
    procedure_id integer references procedures(id),
    unique (woman_id, method, start_date)
);
create index contraception_woman on contraception (woman_id, end_date);

create table procedures (
    id integer primary key,
    woman_id integer not null references women(id),
    kind text not null,             -- 女扎/男扎/上环/取环/皮埋/人工流产/中期引产
    date text not null,
    provider text,
    created_at text not null,
    unique (woman_id, kind, date)
);
create index procedures_date on procedures (date, kind, woman_id);
"""
