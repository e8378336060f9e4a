"""The registry's search indexes (0003_search, reshaped by 0009_search_lean), kept in step
with `women` by triggers.

Why these structures (PERFORMANCE-NOTES.md, SQLite 3.40.1): an FTS5 *trigram* index finds
nothing for queries under 3 characters and a `LIKE '%q%'` scan costs 33–56 ms at 300k women.
So, as of 0009:

- `women_search_fts` — a *contentless* FTS5 table (unicode61 tokenizer, `content=''`,
  `columnsize=0`) over the woman's and her husband's names written one character per token
  (`王 丽 芳`). Every CJK character is a token, so a query of any length is a phrase query
  (`"丽 芳"` = the characters 丽芳 next to each other): substring search for 1-, 2- and
  3+-character queries from one index, answered from the inverted index rather than a scan.
  rowid = women.id. Contentless: the names already live in `women`, so the index keeps no copy
  (a 100,000-women import writes 40% less into it); nothing reads its columns back. The price:
  a row leaves the index only through the FTS5 'delete' command given exactly the tokens it was
  indexed with — the triggers below pass `spaced(old.name)`, and the bulk path indexes the same
  tokens (`index_women_after`).
- `women.id_reversed` — the ID number written backwards (its last ID_CHARS characters reversed),
  indexed (`women_id_reversed`), so "the last digits" of an ID is a range query on the reversed
  text (`…1234` → `4321…`). A column of `women` rather than a table of its own (0003): a bulk
  insert writes it with the row and the index is built by one sort, instead of a second table
  filled row by row. Bulk writers supply it (`bulk_insert`); the triggers set it for every
  other write.
- `women_search_exit` — an index on women (exit_reason, unit_id) so the status-line count of
  active cards (the default view) does not scan the wide women table.

The triggers fire on every insert, update and delete of `women`, so the core's card writes and
the all-or-nothing workbook import keep the indexes consistent inside their own transaction;
nothing outside this module needs to know they exist. Names longer than NAME_CHARS characters
are indexed on their first NAME_CHARS characters; IDs on their last ID_CHARS.

The migrations' SQL (0003, then 0009 over it — a new ledger runs both) is frozen literal text
in app/schema/search_migrations.py; the helpers here are run-time code the migrations never
call. `spaced` and `reversed_sql` must keep producing what those triggers write (the bulk path
and the contentless table's 'delete' depend on it; tests/app/test_search.py checks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlite_utils

NAME_CHARS = 24
ID_CHARS = 24


def spaced(expr: str, width: int = NAME_CHARS) -> str:
    """SQL: the characters of `expr` separated by spaces (SQLite has no split function)."""
    return " || ' ' || ".join(f"substr(coalesce({expr}, ''), {i}, 1)" for i in range(1, width + 1))


def reversed_sql(expr: str, width: int = ID_CHARS) -> str:
    """SQL: `expr` written backwards (substr with a negative start counts from the right and
    yields '' beyond the first character)."""
    return " || ".join(f"substr({expr}, -{i}, 1)" for i in range(1, width + 1))


def rebuild(db: sqlite_utils.Database) -> None:
    """Refill the search indexes from `women` (a repair; the schema of 0009). The migrations
    fill their own indexes with their frozen SQL and never call this."""
    db.execute("insert into women_search_fts (women_search_fts) values ('delete-all')")
    db.execute(f"insert into women_search_fts (rowid, name_chars, husband_chars) select id, "
               f"{spaced('name')}, {spaced('husband_name')} from women")
    db.execute(f"update women set id_reversed = {reversed_sql('id_number')}"
               f" where id_reversed is not {reversed_sql('id_number')}")


def id_reversed(number: str | None) -> str | None:
    """What the triggers store in `women.id_reversed` for an ID number (= `reversed_sql`)."""
    return None if number is None else number[::-1][:ID_CHARS]


INSERT_TRIGGER = "women_search_insert"


def index_texts(rows: Iterable[tuple[int, str | None, str | None]]) -> list[tuple[int, str, str]]:
    """(id, name text, husband text) for the FTS table from (id, name, husband_name): token for
    token what the trigger writes (and what the contentless table's 'delete' is later given) —
    the first NAME_CHARS characters one per token; the trigger only adds trailing separators."""
    return [(wid, " ".join((name or "")[:NAME_CHARS]), " ".join((husband or "")[:NAME_CHARS]))
            for wid, name, husband in rows]


def index_women_after(db: sqlite_utils.Database, after_id: int,
                      texts: list[tuple[int, str, str]] | None = None) -> None:
    """Index in the FTS table the women with id > `after_id` (a bulk insert that ran with the
    insert trigger suspended and wrote `id_reversed` itself), in one executemany. `texts` —
    `index_texts` of exactly those women — spares reading them back.

    The text is computed in Python (`index_texts`) — measured 0.37 s instead of 0.83 s for
    100,000 women with the trigger's `substr` calls.
    """
    if texts is None:
        texts = index_texts(db.execute("select id, name, husband_name from women where id > ?", [after_id]).fetchall())
    db.conn.executemany("insert into women_search_fts (rowid, name_chars, husband_chars) values (?, ?, ?)", texts)


@contextmanager
def insert_trigger_suspended(db: sqlite_utils.Database) -> Iterator[dict]:
    """For a bulk insert into `women` inside the caller's transaction: drop the per-row insert
    trigger, let the caller insert, then index the new rows set-based (`index_women_after`)
    and recreate the trigger from its stored SQL. New rows are those with an id above the
    largest id before the insert (rowids of a table without AUTOINCREMENT grow from the max).

    Rules: only for inserts (updates and deletes keep their triggers); the caller's
    transaction makes it all-or-nothing — if anything fails, the rollback restores the trigger
    and the indexes as they were. Without the trigger (search schema not installed) it does
    nothing special. The caller writes `id_reversed` with the rows (`id_reversed()`), as the
    trigger would have. Yields a dict holding `after_id`; the caller may put the new women's
    `index_texts` under "texts" (see `index_women_after`).
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
        index_women_after(db, after_id, batch.get("texts"))
    finally:
        db.execute(row[0])
