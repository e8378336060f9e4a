"""0012_received_packages: the townships' export packages a district has received (DOMAIN.md §10).

One row per (period, township): the package last received for it. A resubmission replaces the
row (app/district/consolidate.py), and the audit log keeps what changed. Columns: the district's
period code, the township's unit code and name, the township ledger's id and office, the folder
it was read from, the SHA-256 of its manifest.json and of every file (JSON name → hash), the
township's audit-log head recorded in the manifest (JSON), the package's figures.json as
received (JSON text), whether the township had closed the period and the source of its
figures, when it was exported (the manifest's created_at), when and by whom it was received,
and how many times it has been replaced by a resubmission.

Frozen literal SQL: never edit once shipped; live code shares nothing with it.
"""

from __future__ import annotations

SQL = """
create table received_packages (
    id integer primary key,
    period text not null,
    unit_code text not null,
    unit_name text,
    ledger_id text,
    office text,
    folder text,
    manifest_sha256 text not null,
    files text not null,
    audit_head text,
    figures text not null,
    closed integer,
    source text,
    exported_at text,
    received_at text not null,
    received_by text not null,
    resubmissions integer not null default 0,
    unique (period, unit_code)
);
"""
