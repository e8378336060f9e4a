"""0003_search: the registry's search indexes, kept in step with `women` by triggers.

Why these structures (PERFORMANCE-NOTES.md, SQLite 3.40.1): an FTS5 *trigram* index finds
nothing for queries under 3 characters and a `LIKE '%q%'` scan costs 33–56 ms at 300k women.
So:

- `women_search_fts` — an FTS5 table (unicode61 tokenizer) over the woman's and her husband's
  names written one character per token (`王 丽 芳`). Every CJK character is a token, so a
  query of any length is a phrase query (`"丽 芳"` = the characters 丽芳 next to each other):
  substring search for 1-, 2- and 3+-character queries from one index, answered from the
  inverted index rather than a scan. rowid = women.id. `columnsize = 0`: nothing ranks by
  bm25, and without the per-row size table inserts cost ~40% less (a 100k-women import).
- `women_id_reversed` — each ID number written backwards, primary key, so "the last digits"
  of an ID is a range query on the reversed text (`…1234` → `4321…`).
- `women_search_exit` — an index on women (exit_reason, unit_id) so the status-line count of
  active cards (the default view) does not scan the wide women table.

The triggers below fire on every insert, update and delete of `women`, so the core's card
writes and the all-or-nothing workbook import keep the indexes consistent inside their own
transaction; nothing outside this module needs to know they exist. Names longer than
NAME_CHARS characters are indexed on their first NAME_CHARS characters; IDs up to ID_CHARS.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from app.schema.core import _statements

NAME_CHARS = 24
ID_CHARS = 24


def spaced(expr: str, width: int = NAME_CHARS) -> str:
    """SQL: the characters of `expr` separated by spaces (SQLite has no split function)."""
    return " || ' ' || ".join(f"substr(coalesce({expr}, ''), {i}, 1)" for i in range(1, width + 1))


def reversed_sql(expr: str, width: int = ID_CHARS) -> str:
    """SQL: `expr` written backwards (substr with a negative start counts from the right and
    yields '' beyond the first character)."""
    return " || ".join(f"substr({expr}, -{i}, 1)" for i in range(1, width + 1))


def _sql() -> str:
    name_new, husband_new = spaced("new.name"), spaced("new.husband_name")
    return f"""
create virtual table women_search_fts using fts5(name_chars, husband_chars, tokenize = 'unicode61', columnsize = 0);
create table women_id_reversed (
    id_reversed text primary key,
    woman_id integer not null
) without rowid;
create index women_search_exit on women (exit_reason, unit_id);

create trigger women_search_insert after insert on women
begin
  insert into women_search_fts (rowid, name_chars, husband_chars) values (new.id, {name_new}, {husband_new});
  insert into women_id_reversed (id_reversed, woman_id) values ({reversed_sql("new.id_number")}, new.id);
end;
create trigger women_search_names after update of name, husband_name on women
begin
  delete from women_search_fts where rowid = old.id;
  insert into women_search_fts (rowid, name_chars, husband_chars) values (new.id, {name_new}, {husband_new});
end;
create trigger women_search_id after update of id_number on women
begin
  delete from women_id_reversed where woman_id = old.id and id_reversed = {reversed_sql("old.id_number")};
  insert into women_id_reversed (id_reversed, woman_id) values ({reversed_sql("new.id_number")}, new.id);
end;
create trigger women_search_delete after delete on women
begin
  delete from women_search_fts where rowid = old.id;
  delete from women_id_reversed where woman_id = old.id and id_reversed = {reversed_sql("old.id_number")};
end;
"""


def create(db: sqlite_utils.Database) -> None:
    for statement in _statements(_sql()):
        db.execute(statement)
    rebuild(db)


def rebuild(db: sqlite_utils.Database) -> None:
    """Refill both indexes from `women` (used by the migration on a ledger that has cards)."""
    db.execute("delete from women_search_fts")
    db.execute("delete from women_id_reversed")
    db.execute(f"insert into women_search_fts (rowid, name_chars, husband_chars) select id, "
               f"{spaced('name')}, {spaced('husband_name')} from women")
    db.execute(f"insert into women_id_reversed (id_reversed, woman_id) select "
               f"{reversed_sql('id_number')}, id from women")


INSERT_TRIGGER = "women_search_insert"


def index_women_after(db: sqlite_utils.Database, after_id: int, rows: list[tuple] | None = None) -> None:
    """Fill both indexes for the women with id > `after_id` (a bulk insert that ran with the
    insert trigger suspended), in two executemany calls. `rows` — (id, name, husband_name,
    id_number) of exactly those women — spares reading them back.

    The text is computed in Python — measured 0.37 s instead of 0.83 s for 100,000 women with
    the trigger's 48 `substr` calls per row — and is token-for-token what the trigger writes:
    the first NAME_CHARS characters one per token (the trigger only adds trailing separators),
    and the last ID_CHARS characters of the ID written backwards (exactly `reversed_sql`, so the
    delete trigger still finds the row).
    """
    if rows is None:
        rows = db.execute("select id, name, husband_name, id_number from women where id > ?",
                          [after_id]).fetchall()
    db.conn.executemany(
        "insert into women_search_fts (rowid, name_chars, husband_chars) values (?, ?, ?)",
        [(wid, " ".join((name or "")[:NAME_CHARS]), " ".join((husband or "")[:NAME_CHARS]))
         for wid, name, husband, _number in rows])
    db.conn.executemany(
        "insert into women_id_reversed (id_reversed, woman_id) values (?, ?)",
        sorted((number[::-1][:ID_CHARS], wid) for wid, _name, _husband, number in rows))


@contextmanager
def insert_trigger_suspended(db: sqlite_utils.Database) -> Iterator[dict]:
    """For a bulk insert into `women` inside the caller's transaction: drop the per-row insert
    trigger, let the caller insert, then index the new rows set-based (`index_women_after`)
    and recreate the trigger from its stored SQL. New rows are those with an id above the
    largest id before the insert (rowids of a table without AUTOINCREMENT grow from the max).

    Rules: only for inserts (updates and deletes keep their triggers); the caller's
    transaction makes it all-or-nothing — if anything fails, the rollback restores the trigger
    and the indexes as they were. Without the trigger (search schema not installed) it does
    nothing special. Yields a dict holding `after_id`; the caller may put the new women's
    (id, name, husband_name, id_number) under "rows" (see `index_women_after`).
    """
    row = db.execute("select sql from sqlite_master where type = 'trigger' and name = ?",
                     [INSERT_TRIGGER]).fetchone()
    after_id = db.execute("select coalesce(max(id), 0) from women").fetchone()[0]
    batch = {"after_id": after_id}
    if row is None:
        yield batch
        return
    db.execute(f"drop trigger {INSERT_TRIGGER}")
    try:
        yield batch
        index_women_after(db, after_id, batch.get("rows"))
    finally:
        db.execute(row[0])
