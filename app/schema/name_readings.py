"""0011_name_readings: the other plausible pinyin readings of the women's names, for search.

`women.name_initials` keeps the primary reading (`app.pinyin.initials`: the roster order and
the initials search); a polyphonic name's other readings (`app.pinyin.all_initials` after the
first: 李长青 → `lzq`) are rows of `women_name_readings (initials, woman_id)`, a WITHOUT ROWID
table whose primary key is the search index. Why a side table: a prefix search stays two
index range scans (`name_initials` and this key; `app.search`) — measured on the district demo
(150,000 cards, 1,298 rows here): the ids of a one-letter prefix in 1–2 ms (0.3–0.6 ms with
`name_initials` alone), three letters in 0.01 ms; the keystroke itself is dominated, as
before, by sorting a one-letter prefix's 12,000–30,000 hits by name. One column of
space-separated alternatives would need a LIKE scan of every card (PERFORMANCE-NOTES: 33–56 ms
at 300,000), and a row per reading for every card would write 100,000 more rows per import
where only the polyphonic names need one (0.9% of the demo's women; 2.9% of 100,000 demo
names of women and men).

Rules:
- Only names with other readings have rows; the primary reading is never repeated here.
- Triggers drop a card's rows when its name changes or the card is deleted; whoever writes a
  name writes its new rows (`add`) after the write — the registry core, the import (fast and
  per-row paths), the demo generator, `refresh`. The triggers cannot compute pinyin, so a
  writer that forgets leaves only the primary reading searchable, never a stale one.
- The migration recomputes `name_initials` of every card (the table's readings changed: 长 is
  now `c`, 重阳 `cy`) and fills the table (`refresh`).

The SQL below is frozen (migrations are append-only); after it the migration runs `refresh`,
its one data step (pinyin is Python, not SQL; app/migrations.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from app import pinyin

SQL = """
create table women_name_readings (
    initials text not null,
    woman_id integer not null,
    primary key (initials, woman_id)
) without rowid;
create index women_name_readings_woman on women_name_readings (woman_id);
create trigger women_name_readings_rename after update of name on women
when new.name is not old.name
begin
  delete from women_name_readings where woman_id = old.id;
end;
create trigger women_name_readings_delete after delete on women
begin
  delete from women_name_readings where woman_id = old.id;
end;
"""


def add(db: sqlite_utils.Database, rows: Iterable[tuple[str, int]]) -> None:
    """Store (reading, woman id) rows — the readings after the first of `all_initials`."""
    db.conn.executemany("insert or ignore into women_name_readings (initials, woman_id) values (?, ?)", rows)


def add_names(db: sqlite_utils.Database, women: Iterable[tuple[int, str | None]]) -> None:
    """Store the other readings of the named cards (id, name) written just now."""
    add(db, ((reading, wid) for wid, name in women for reading in pinyin.all_initials(name)[1:]))


def refresh(db: sqlite_utils.Database, woman_ids: Iterable[int] | None = None) -> int:
    """Recompute `name_initials` and the other readings of the given cards (all: None);
    returns the number of cards whose `name_initials` changed."""
    cond = "" if woman_ids is None else " where id in (select value from json_each(?))"
    params = [] if woman_ids is None else [json.dumps(sorted(set(woman_ids)))]
    rows = db.execute(f"select id, name, name_initials from women{cond}", params).fetchall()
    ids = [r[0] for r in rows]
    primaries, others = pinyin.readings_column([r[1] for r in rows])
    todo = [(new, wid) for (wid, _name, old), new in zip(rows, primaries, strict=True) if new != old]
    db.conn.executemany("update women set name_initials = ? where id = ?", todo)
    if woman_ids is None:
        db.execute("delete from women_name_readings")
    else:
        db.execute("delete from women_name_readings where woman_id in (select value from json_each(?))", params)
    add(db, ((reading, ids[i]) for i, reading in others))
    return len(todo)


def refresh_all(db: sqlite_utils.Database) -> None:
    """0011's data step: every card's readings (pinyin cannot be computed in SQL)."""
    refresh(db)
