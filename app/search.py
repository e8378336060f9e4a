"""Registry search (台帐查询): search as you type over the women's cards, filters and sort in SQL.

What a search text means — it is split on spaces and every term must match (AND):
- digits, optionally ending in X (`1234`, `43020219900101123X`): the ID number **ends with**
  the term (the clerk's "last four digits") **or begins with** it (typing the whole number);
- Latin letters (`wlf`): one of the pinyin readings of the woman's name begins with them
  (王丽芳 → wlf; 李长青 → lcq or lzq): the primary reading `women.name_initials`, or another
  plausible one in `women_name_readings` (app/schema/name_readings.py) — two index range scans;
- anything else (`王`, `丽芳`, `李秀英`): the characters appear together, in that order, in the
  woman's name or her husband's name — substring semantics for every length, answered from the
  character index of `app/schema/search.py` (no table scans, no 3-character minimum).

Filters (all optional, combined with AND, composed in SQL): unit subtree (on the view date),
居住状态, 婚姻状况, current measure (the open contraception row; `NO_MEASURE` = none open),
age band on the view date, has a child born in [from, to], and card status (在册/已出队/全部).

Sorting is in SQL on the columns of `SORT_KEYS`, with the card id as the tie-breaker so paging
is stable. Pages are LIMIT/OFFSET; `count()` gives the status line's total for the same query.
`first_page` (one keystroke: the count, then the first page) lets a query matching many cards
— a 1-character name matches 14% of a district's cards — read its page in the order of the sort
column's index (`SORT_INDEXES`) instead of fetching and sorting every hit; the rows are the
same either way (tests/app/test_search_walk.py). The window runs it on a worker
(ui/models/women_model.py).
Nothing here writes; the caller passes any sqlite_utils.Database (a worker connection is fine).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

import sqlite_utils

from app import text as text_rule
from app import units

if TYPE_CHECKING:
    from app.ledger import Ledger

ACTIVE, EXITED, ALL = "active", "exited", "all"
NO_MEASURE = "无措施"
PAGE_SIZE = 256

# column key -> SQL expression over `w` (women). Current measure and child counts are per-row
# subqueries and deliberately not sortable: ordering 300k cards by them costs a second or more.
SORT_KEYS: dict[str, str] = {
    "name": "w.name",
    "id_number": "w.id_number",
    "birth_date": "w.birth_date",
    "unit": "w.unit_id",
    "residence": "w.residence",
    "marital_status": "w.marital_status",
    "husband_name": "w.husband_name",
    "phone": "w.phone",
    "card_date": "w.card_date",
    "exit_reason": "w.exit_reason",
}

# The exited cards' ids, from the covering index (exit_reason is NULL exactly for cards on the
# register: the status filters below test `exit_reason is null`).
_EXITED_IDS = "select id from women indexed by women_search_exit where exit_reason is not null"

_ID_TERM = re.compile(r"^[0-9]+[Xx]?$")
_INITIALS_TERM = re.compile(r"^[A-Za-z]+$")

ROW_COLUMNS = ("id", "name", "id_number", "birth_date", "unit_id", "residence", "marital_status",
               "husband_name", "phone", "card_date", "exit_reason", "exit_date", "measure",
               "children")

_SELECT = """select w.id, w.name, w.id_number, w.birth_date, w.unit_id, w.residence,
 w.marital_status, w.husband_name, w.phone, w.card_date, w.exit_reason, w.exit_date,
 (select c.method from contraception c where c.woman_id = w.id and c.end_date is null
  order by c.start_date desc limit 1) as measure,
 (select count(*) from children k where k.mother_id = w.id) as children"""


@dataclass(frozen=True)
class Filters:
    """Everything but the text. `on` is the view date (unit tree and ages); None = today."""

    unit_id: int | None = None
    residence: str | None = None
    marital_statuses: tuple[str, ...] = ()
    measure: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    children_from: str | None = None
    children_to: str | None = None
    status: str = ACTIVE
    on: str | None = None


@dataclass(frozen=True)
class Query:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "name"
    descending: bool = False

    def with_text(self, text: str) -> Query:
        return replace(self, text=text)


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _phrase(term: str) -> str:
    chars = [c for c in term if not c.isspace()]
    return '"' + " ".join(chars).replace('"', '""') + '"'


def _term_source(term: str) -> tuple[str, list]:
    """SQL yielding the ids of women matching one search term, with its parameters."""
    if _ID_TERM.match(term):
        term = term.upper()
        backwards = term[::-1]
        return ("select id from women where id_reversed >= ? and id_reversed < ?"
                " union select id from women where id_number >= ? and id_number < ?",
                [backwards, _next_prefix(backwards), term, _next_prefix(term)])
    if _INITIALS_TERM.match(term):
        low = term.lower()
        # UNION ALL, the other readings of cards the primary one found left out by hand: a UNION
        # would sort the 30,000 ids of a one-letter prefix at 300,000 cards (+10–20 ms).
        high = _next_prefix(low)
        return ("select id from women where name_initials >= ? and name_initials < ?"
                " union all select r.woman_id from women_name_readings r where r.initials >= ? and r.initials < ?"
                " and not exists (select 1 from women p where p.id = r.woman_id"
                " and p.name_initials >= ? and p.name_initials < ?)"
                " group by r.woman_id",
                [low, high, low, high, low, high])
    return "select rowid as id from women_search_fts where women_search_fts match ?", [_phrase(term)]


def terms(text: str) -> list[str]:
    """The search text's terms. Any text may be typed: it is normalised by the text rule and a
    control character (a NUL too) separates terms, like a space (`app.text.search_text`);
    FTS5's syntax characters are only ever inside a quoted phrase (`_phrase`)."""
    return [part for part in text_rule.search_text(text).split() if part]


def _iso(on: str | date | None) -> str:
    if on is None:
        return date.today().isoformat()
    return on if isinstance(on, str) else on.isoformat()


def _years_before(on: str, years: int) -> str:
    """The date `years` years before `on` (29 February falls back to 28 February)."""
    day = date.fromisoformat(on)
    try:
        return day.replace(year=day.year - years).isoformat()
    except ValueError:
        return day.replace(year=day.year - years, day=28).isoformat()


def _from_where(db: sqlite_utils.Database, query: Query, walk: str | None = None) -> tuple[str, list]:
    """`from … where …` of a query and its parameters (shared by the page and the count).

    Normally the matching ids drive (CROSS JOIN: never scan women to test membership). With
    `walk` (an index of the sort column, see `_walk_index`) the women are read in that index's
    order and the matching ids are a membership test (`w.id in (…)`), so a page of a query
    matching tens of thousands of cards reads a page's worth of the index instead of fetching
    and sorting every hit."""
    sources = [_term_source(term) for term in terms(query.text)]
    params: list = []
    where: list[str] = []
    if sources:
        sql = " intersect ".join(f"select id from ({s})" for s, _ in sources)
        for _, p in sources:
            params.extend(p)
        if walk:
            head = f"from women w indexed by {walk}"
            where.append(f"w.id in ({sql})")
        else:
            head = f"from ({sql}) as hit cross join women w on w.id = hit.id"
    else:
        head = "from women w"
    f = query.filters
    on = _iso(f.on)
    if walk and f.status in (ACTIVE, EXITED):
        # Walking the sort index, test the card status from the small set of exited cards
        # (women_search_exit covers it) so no card row is read but the page's own.
        where.append(f"w.id {'not in' if f.status == ACTIVE else 'in'} ({_EXITED_IDS})")
    elif f.status == ACTIVE:
        where.append("w.exit_reason is null")
    elif f.status == EXITED:
        where.append("w.exit_reason is not null")
    if f.unit_id is not None:
        ids = units.subtree_ids(db, f.unit_id, on)
        where.append("w.unit_id in (select value from json_each(?))")
        params.append(json.dumps(ids))
    if f.residence:
        where.append("w.residence = ?")
        params.append(f.residence)
    if f.marital_statuses:
        where.append(f"w.marital_status in ({', '.join('?' for _ in f.marital_statuses)})")
        params.extend(f.marital_statuses)
    if f.measure == NO_MEASURE:
        where.append("not exists (select 1 from contraception c where c.woman_id = w.id and c.end_date is null)")
    elif f.measure:
        where.append("exists (select 1 from contraception c where c.woman_id = w.id"
                     " and c.end_date is null and c.method = ?)")
        params.append(f.measure)
    if f.age_min is not None:   # age >= a  <=>  born on or before the day a years ago
        where.append("w.birth_date <= ?")
        params.append(_years_before(on, f.age_min))
    if f.age_max is not None:   # age <= b  <=>  born after the day b+1 years ago
        where.append("w.birth_date > ?")
        params.append(_years_before(on, f.age_max + 1))
    if f.children_from or f.children_to:
        where.append("exists (select 1 from children k where k.mother_id = w.id"
                     " and k.birth_date >= ? and k.birth_date <= ?)")
        params.extend([f.children_from or "0000-01-01", f.children_to or "9999-12-31"])
    clause = (" where " + " and ".join(where)) if where else ""
    return head + clause, params


def _order(query: Query) -> str:
    expr = SORT_KEYS.get(query.sort, SORT_KEYS["name"])
    direction = "desc" if query.descending else "asc"
    return f" order by {expr} {direction}, w.id {direction}"


# Sort keys whose index lists the cards in exactly the page order (the key, then the rowid —
# an index on one column keeps the rowid as its last column), in either direction.
SORT_INDEXES = {"name": "women_name", "husband_name": "women_husband"}


def _walk_index(db: sqlite_utils.Database, query: Query, total: int | None, offset: int, limit: int) -> str | None:
    """The index to walk for this page, or None to drive from the matching ids.

    Walking the sort index reads about (offset + limit) × cards / total index entries;
    driving from the ids reads and sorts all `total` of them. So walk when total² exceeds
    (offset + limit) × cards: a 1-character name (14% of cards) walks, a full name (a handful
    of hits) drives. `total` is the count of this same query (`count`); unknown → drive."""
    index = SORT_INDEXES.get(query.sort)
    if total is None or index is None or not terms(query.text):
        return None
    cards = db.execute("select coalesce(max(id), 0) from women").fetchone()[0]
    return index if total * total > (offset + limit) * cards else None


def page(db: sqlite_utils.Database, query: Query, offset: int = 0, limit: int = PAGE_SIZE,
         total: int | None = None) -> list[dict]:
    """Rows `offset … offset+limit-1` of the sorted result, as dicts with ROW_COLUMNS keys.
    `total` (this query's `count`, when the caller has it) lets a large result be read in
    index order (`_walk_index`); the rows are the same either way."""
    body, params = _from_where(db, query, _walk_index(db, query, total, offset, limit))
    sql = f"{_SELECT} {body}{_order(query)} limit ? offset ?"
    cursor = db.execute(sql, [*params, limit, offset])
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def first_page(db: sqlite_utils.Database, query: Query, limit: int = PAGE_SIZE) -> tuple[list[dict], int]:
    """What one keystroke needs: the first page and the total (for the status line). The count
    comes first — for a few hits it is nearly free, and for many it chooses the index walk."""
    total = count(db, query)
    return page(db, query, 0, limit, total), total


def ids(db: sqlite_utils.Database, query: Query, limit: int = PAGE_SIZE, offset: int = 0,
        total: int | None = None) -> list[int]:
    """Only the card ids of a page (cheaper than `page`; used by tests and the bench)."""
    body, params = _from_where(db, query, _walk_index(db, query, total, offset, limit))
    sql = f"select w.id {body}{_order(query)} limit ? offset ?"
    return [row[0] for row in db.execute(sql, [*params, limit, offset]).fetchall()]


def _hits_sql(query: Query) -> tuple[str, list] | None:
    """The ids matching the text alone (distinct), or None when there is no text."""
    sources = [_term_source(term) for term in terms(query.text)]
    if not sources:
        return None
    params: list = []
    for _, p in sources:
        params.extend(p)
    return " intersect ".join(f"select id from ({s})" for s, _ in sources), params


def count(db: sqlite_utils.Database, query: Query) -> int:
    """How many cards the query finds (the status line).

    With text and no filter but the card status, counted without reading a card row: the
    matching ids (each term's source yields distinct ids), less — or only — those among the
    exited cards (`women_search_exit` covers exit_reason). A 1-letter pinyin prefix at
    district scale: 10 ms instead of 36–74 ms of row lookups."""
    hits = _hits_sql(query)
    if hits is not None and replace(query.filters, status=ACTIVE, on=None) == Filters():
        sql, params = hits
        status = query.filters.status
        total = db.execute(f"select count(*) from ({sql})", params).fetchone()[0]
        if status == ALL:
            return total
        exited = db.execute(f"select count(*) from ({_EXITED_IDS}) where id in ({sql})", params).fetchone()[0]
        return exited if status == EXITED else total - exited
    body, params = _from_where(db, query)
    return db.execute(f"select count(*) {body}", params).fetchone()[0]


def status_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Whole-registry counts for the status line: active and exited cards."""
    active = db.execute("select count(*) from women where exit_reason is null").fetchone()[0]
    exited = db.execute("select count(*) from women where exit_reason is not null").fetchone()[0]
    return {"active": active, "exited": exited}


def unit_names(db: sqlite_utils.Database, on: str | date | None = None) -> dict[int, str]:
    """Unit id -> its name on `on` (every unit ever, so a card in a dissolved unit still shows)."""
    names = {row[0]: row[1] for row in db.execute(
        "select unit_id, name from unit_versions order by valid_from").fetchall()}
    names.update({u.id: u.name for u in units.units_on(db, _iso(on))})
    return names


def plain_like_ids(db: sqlite_utils.Database, text: str, limit: int = PAGE_SIZE) -> list[int]:
    """The baseline the bench compares against: what a competent engineer writes without a
    search index — one plain scan of the women table with `LIKE '%q%'`, then a sort.

    `not indexed`: with `exit_reason is null` in the WHERE, SQLite 3.40.1 otherwise walks
    `women_search_exit` and reads every active card through it (2026-12: 236 ms instead of a
    39 ms scan for 王 at district scale), and ordering by `name` alone can walk `women_name`
    testing each row (302 ms for a rare 丽芳). Check a baseline's plan before quoting a ratio."""
    pattern = f"%{text}%"
    return [row[0] for row in db.execute(
        "select id from women not indexed where exit_reason is null and (name like ? or husband_name like ?"
        " or id_number like ?) order by name, id limit ?", [pattern, pattern, pattern, limit]).fetchall()]


def plain_like_count(db: sqlite_utils.Database, text: str) -> int:
    """The baseline's count for the status line: the same plain scan."""
    pattern = f"%{text}%"
    return db.execute("select count(*) from women not indexed where exit_reason is null and (name like ?"
                      " or husband_name like ? or id_number like ?)", [pattern, pattern, pattern]).fetchone()[0]


class SearchStop:
    """Lets the next keystroke stop a search running on another thread: `cancel()` marks it and
    interrupts the statement running on its connection (sqlite3 interrupt); the progress
    handler stops the search's next statement too. Thread-safe."""

    def __init__(self) -> None:
        self.cancelled = False
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()      # the connection is never interrupted while it closes

    def cancel(self) -> None:
        self.cancelled = True
        with self._lock:
            if self._conn is not None:
                self._conn.interrupt()

    def attach(self, conn: sqlite3.Connection | None) -> None:
        with self._lock:
            self._conn = conn


def first_page_stoppable(ledger: Ledger, query: Query, stop: SearchStop,
                         page_size: int = PAGE_SIZE) -> tuple | None:
    """The first page, the count and the unit names of `query`, on a read-only connection of its
    own (a background search); None when `stop` was cancelled before or during it."""
    if stop.cancelled:
        return None
    with ledger.reader() as view:
        view.conn.set_progress_handler(lambda: stop.cancelled, 10_000)
        stop.attach(view.conn)
        try:
            if stop.cancelled:
                return None
            today = date.today()
            rows, total = first_page(view.db, query, page_size)
            return rows, total, unit_names(view.db, today), today
        except sqlite3.OperationalError:
            if stop.cancelled:      # interrupted by the next keystroke
                return None
            raise
        finally:
            stop.attach(None)
