"""Column-wise fast path of the registry import and the bulk insert (the hot loops of a
100,000-women workbook).

Rules:
- `ColumnReader.column` converts one column of raw cells to stored values, or to `FAIL` for
  any cell it cannot vouch for. A `FAIL` sends that whole row through the per-cell readers of
  `registry_sheets._Reader` (the `Row` readers), which normalise what can be normalised and
  report every error with its Chinese message. So the fast path only decides the easy,
  clean cases and can never accept what the slow path would refuse, nor convert differently,
  nor word an error.
- A column whose cells are all text is joined with NUL once (the one pass that touches the
  scattered cells calamine returns) and decided by C-speed passes over that text: regex
  fullmatch/search, substring tests, after checking it holds one NUL per gap (no cell holds
  one). A column that passes is the cells themselves (not texts split back from the joined
  one: that kept a second copy of every string of the sheet until the insert, +230 MB for
  150,000 women). A column with anything else (numbers, Excel dates, booleans, None) takes
  the per-value path.
- Text dates and the code-list spellings that map to themselves and that `cells.text` leaves
  alone are stored as typed: a column whose every cell fullmatches its kind's pattern (a real
  `YYYY-MM-DD` date from 1900-01-01 to today; one of those spellings) — or is empty when the
  column is optional (stored None) — is its own value. A text column is its own value when no
  cell holds a character `cells.text` translates or `str.strip` removes and no cell starts or
  ends with a space; blank cells are `FAIL` when required, else None. Full-width characters,
  U+3000, tabs and newlines never pass, nor any cell the text rule (`app.text`) changes or
  refuses (one C-speed test of the joined column: `text.needs_cleaning`).
- ID numbers are validated column-wise (`all_valid_ids`) and stored upper-cased.
- Otherwise kinds with few distinct values (dates, codes, units, integers) are converted once
  per distinct raw value; a column holding booleans is converted cell by cell (`True == 1`
  would share a key).
- `bulk_insert` writes rows inside the caller's one transaction: executemany straight into
  the table with the search index's per-row insert trigger suspended and the new rows
  indexed set-based afterwards (`app.schema.search.insert_trigger_suspended`); when the
  batch is at least as large as the table (and ≥ DEFER_INDEXES_FROM rows), the table's
  secondary indexes are dropped first and rebuilt from their stored SQL afterwards (one
  sort instead of 100,000 random B-tree inserts; measured 0.9 s vs 1.4 s at 100k), and the
  table is analysed so the checks over the new rows get good plans; such a batch is written
  with a larger page cache (`page_cache`).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from itertools import repeat
from typing import Any

import sqlite_utils

from app import codes, idcard, pinyin
from app import text as text_rule
from app.exchange import cells
from app.exchange.import_base import ImportCancelled, ImportContext, Sheet, gc_paused
from app.idcard import IdChecker
from app.schema import search

FAIL = object()
NEEDS_NORMALISING = re.compile("[\u3000\uff01-\uff5e\n\r\t]")
# What makes a text cell unusual: a character `cells.text` translates, or whitespace other than the
# space that `str.strip` removes (every `str.isspace` character).
UNUSUAL_TEXT = re.compile("[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\uff01-\uff5e]")
DEFER_INDEXES_FROM = 10_000
BULK_CACHE_KIB = 32_768   # 32 MiB page cache while a large batch is written (see page_cache)
_MEMO_KINDS = frozenset({"date", "unit", "int"})
# Cells joined a chunk at a time: str.join reads every cell twice (sizes, then copies), and the
# second read of a chunk's scattered cells still finds them in the CPU cache (17 columns of
# 100,000 cells: ~80 ms instead of ~105–135 ms).
_JOIN_CHUNK = 2_000
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# GB 11643, per body position: a table mapping an ASCII digit byte to its weighted value mod 11
# (0–10), so the 17 of a number add up to at most 170 and fit one byte.
_ID_WEIGHTED = [bytes((c - 48) * w % 11 if 48 <= c <= 57 else 0 for c in range(256)) for w in idcard.WEIGHTS]
_ID_CHECK_OF_SUM = bytes(ord(idcard.CHECK_CHARS[s % 11]) for s in range(256))


def _blank(raw: Any) -> bool:
    return raw is None or (raw.__class__ is str and not raw.strip())


def _joined(raws: list[Any]) -> str | None:
    """The cells joined with NUL when every cell is text, else None: one C-speed pass that
    replaces a per-cell type check. A cell may hold a NUL itself, so whatever reads the cells
    back from the joined text first checks that it splits into as many."""
    if not raws:
        return None
    try:
        if len(raws) <= _JOIN_CHUNK:
            return "\x00".join(raws)
        return "\x00".join(["\x00".join(raws[i:i + _JOIN_CHUNK]) for i in range(0, len(raws), _JOIN_CHUNK)])
    except TypeError:   # a number, date, bool or None among the cells
        return None


def _has_blank(joined: str) -> bool:
    """Whether a NUL-joined column (see `_joined`) has an empty cell."""
    return not joined or joined[0] == "\x00" or joined[-1] == "\x00" or "\x00\x00" in joined


def _edge_spaces(joined: str) -> bool:
    """Whether a cell of a NUL-joined column starts or ends with a space."""
    return joined[:1] == " " or joined[-1:] == " " or "\x00 " in joined or " \x00" in joined


def _column_pattern(cell: str, required: bool) -> re.Pattern[str]:
    """Fullmatches a NUL-joined column whose every cell matches `cell` (or is empty when not
    `required`); `cell` must not match a NUL."""
    one = f"(?:{cell})" if required else f"(?:{cell})?"
    return re.compile(f"{one}(?:\x00{one})*+")


def _char_class(chars: list[str]) -> str:
    if len(chars) == 1:
        return re.escape(chars[0])
    points = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in runs) + "]"


def alternation(words: Iterable[str]) -> str:
    """A regex (no groups) matching exactly one of `words` (non-empty), as a trie: the
    alternatives at each point start differently, first characters in the order the words
    come, a longer word is tried before its prefix, and characters followed by the same rest
    share one character class (so 1900 … 2025 reads `19[0-9][0-9]|20(?:[01][0-9]|2[0-5])`)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        rests: dict[str, list[str]] = {}
        for char, child in node.items():
            if char:
                rests.setdefault(render(child), []).append(char)
        options = [_char_class(chars) + rest for rest, chars in rests.items()]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(year: int, sep: str, until: date | None = None) -> Iterator[str]:
    """`MM{sep}DD` of every day of `year` (up to `until`)."""
    for month, days in enumerate(_MONTH_DAYS, start=1):
        for day in range(1, days + (month == 2 and _is_leap(year)) + 1):
            if until is not None and (month, day) > (until.month, until.day):
                return
            yield f"{month:02d}{sep}{day:02d}"


@lru_cache(maxsize=8)
def date_pattern(today: date, sep: str) -> str | None:
    """A regex (no groups) matching exactly the texts `YYYY{sep}MM{sep}DD` of the real dates
    from 1900-01-01 to `today`; None when `today` is before 1905."""
    year = today.year
    if year < 1905:
        return None
    before = alternation(map(str, range(1900, year)))
    leaps = alternation(str(y) for y in range(1904, year) if _is_leap(y))
    return (f"(?:{before}){sep}{alternation(_month_days(1901, sep))}|(?:{leaps}){sep}02{sep}29"
            f"|{year}{sep}{alternation(_month_days(year, sep, today))}")


class ColumnReader:
    """Fast conversion of whole columns (see module rules)."""

    def __init__(self, today: date, units: dict[str, tuple[int, str | None]], women: dict[str, int]) -> None:
        self.today, self.today_iso = today, today.isoformat()
        self.units = units
        self.women = women
        self.ids = IdChecker(today)
        self._memo: dict[str, dict] = {}
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        dated = date_pattern(today, "")
        province = alternation(sorted(idcard.PROVINCES))
        self._id_column = _column_pattern(f"{province}[0-9]{{4}}(?:{dated})[0-9]{{3}}[0-9X]", True) if dated else None
        self.failed_columns = 0   # columns converted so far that hold a FAIL (see `column`)

    def column(self, kind: str, required: bool, max_length: int, raws: list[Any]) -> list[Any]:
        """One column converted; `failed_columns` counts the columns that may hold a `FAIL`
        (decided on the way, so a clean sheet is never scanned for `FAIL` again)."""
        out, clean = self._column(kind, required, max_length, raws)
        if not clean and FAIL in out:
            self.failed_columns += 1
        return out

    def _column(self, kind: str, required: bool, max_length: int, raws: list[Any]) -> tuple[list[Any], bool]:
        """(converted column, True when it surely holds no `FAIL`)."""
        if kind == "text":
            return self._text(raws, required, max_length)
        if kind == "id":
            joined = _joined(raws)
            if joined is not None:
                upper = joined.upper()
                if self._valid_ids(upper, len(raws)):   # = each cell's .upper() (one NUL per gap)
                    return (raws if upper == joined else upper.split("\x00")), True
            return [self._id(r, required) for r in raws], False
        if kind == "mother":
            return [self._mother(r, required) for r in raws], False
        if kind == "bool":
            return [None if _blank(r) and not required else FAIL for r in raws], False
        if kind in _MEMO_KINDS:
            convert = getattr(self, f"_{kind}")
        else:
            mapping = codes.accepted(kind)

            def convert(raw: Any) -> Any:
                return mapping.get(raw, FAIL) if raw.__class__ is str else FAIL
        joined = _joined(raws)
        if joined is not None and joined.count("\x00") == len(raws) - 1:   # (no cell holds a NUL)
            pattern = self._pattern(kind, required)
            if pattern is not None and pattern.fullmatch(joined):   # every cell is its own stored value
                return ([r or None for r in raws] if not required and _has_blank(joined) else raws), True
            raws = joined.split("\x00")   # the same texts, compact: cheaper to hash than the fresh cells
        elif kind == "int" and bool in set(map(type, raws)):   # True == 1 would share 1's entry
            return [FAIL if r.__class__ is bool else self._one(convert, r, required) for r in raws], False
        key = f"{kind}:{required}"
        memo = self._memo.get(key)
        if memo is None:
            blank = FAIL if required else None
            memo = self._memo[key] = {None: blank, "": blank}
            if kind == "unit":
                memo.update((code, self._one(convert, code, required)) for code in self.units)
            elif kind not in _MEMO_KINDS:
                memo.update(mapping)
        # An unseen value reads as FAIL too, so one scan tells "all known and clean" apart.
        out = list(map(memo.get, raws, repeat(FAIL, len(raws))))
        if FAIL not in out:
            return out, True
        distinct = set(raws)
        for raw in distinct.difference(memo):   # values met for the first time: each converted once
            memo[raw] = self._one(convert, raw, required)
        return list(map(memo.__getitem__, raws)), not any(memo[r] is FAIL for r in distinct)

    def _pattern(self, kind: str, required: bool) -> re.Pattern[str] | None:
        """The column pattern of a kind whose clean cells are stored as typed (text dates, and
        the code-list spellings that map to themselves and that `cells.text` leaves alone);
        None for the other kinds."""
        key = f"{kind}:{required}"
        if key not in self._patterns:
            if kind == "date":
                cell = date_pattern(self.today, "-")
            elif kind in _MEMO_KINDS:
                cell = None
            else:
                spellings = [k for k, v in codes.accepted(kind).items()
                             if k == v and k and cells.text(k) == k and "\x00" not in k]
                cell = alternation(spellings) if spellings else None
            self._patterns[key] = _column_pattern(cell, required) if cell else None
        return self._patterns[key]

    @staticmethod
    def _one(convert, raw: Any, required: bool) -> Any:
        return (FAIL if required else None) if _blank(raw) else convert(raw)

    @staticmethod
    def _text(raws: list[Any], required: bool, max_length: int) -> tuple[list[Any], bool]:
        joined = _joined(raws)
        if joined is not None and text_rule.needs_cleaning(joined, len(raws)):
            joined = None   # a cell the text rule changes or refuses: decided cell by cell
        if joined is not None:
            usual = not UNUSUAL_TEXT.search(joined)
            if usual and not _edge_spaces(joined) and joined.count("\x00") == len(raws) - 1:
                stripped = raws   # nothing to strip: the cells themselves
            elif usual or not NEEDS_NORMALISING.search(joined):
                stripped = [r.strip() for r in raws]
            else:
                stripped = None
            if stripped is not None and max(map(len, stripped)) <= max_length:
                if all(stripped):
                    return stripped, True
                if not required:
                    return [v or None for v in stripped], True
        out = []
        for raw in raws:
            if raw.__class__ is str and not NEEDS_NORMALISING.search(raw) \
                    and not text_rule.needs_cleaning(raw, 1):
                value = raw.strip()
                if value:
                    out.append(value if len(value) <= max_length else FAIL)
                    continue
            out.append((FAIL if required else None) if _blank(raw) else FAIL)
        return out, False

    def _date(self, raw: Any) -> Any:
        if raw.__class__ is str:
            if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and "1900-01-01" <= raw <= self.today_iso:
                try:
                    date.fromisoformat(raw)
                except ValueError:
                    return FAIL
                return raw
            return FAIL
        if isinstance(raw, date):
            value = (raw.date() if isinstance(raw, datetime) else raw).isoformat()
            return value if "1900-01-01" <= value <= self.today_iso else FAIL
        return FAIL

    def _unit(self, raw: Any) -> Any:
        found = self.units.get(raw) if raw.__class__ is str and len(raw) <= 40 and cells.text(raw) == raw else None
        if found is not None and (found[1] is None or found[1] > self.today_iso):
            return found[0]
        return FAIL

    @staticmethod
    def _int(raw: Any) -> Any:
        if raw.__class__ in (int, float) and float(raw).is_integer() and raw >= 1:
            return int(raw)
        return FAIL

    def all_valid_ids(self, numbers: list[str]) -> bool:
        """True when every number passes `IdChecker.valid` (18 characters: 17 ASCII digits and a
        digit or upper-case X, a province code, a birth date from 1900 to today, the GB 11643
        check character). False (possibly for valid numbers) when any is not, or for none:
        the caller then checks number by number."""
        return bool(numbers) and self._valid_ids("\x00".join(numbers), len(numbers))

    def _valid_ids(self, joined: str, count: int) -> bool:
        """`all_valid_ids` of `count` numbers joined with NUL, decided column-wise: one regex for
        the shape, province and birth date, then the check characters of all numbers at once —
        each body position is a byte string (every 19th byte), mapped to its weighted digits
        mod 11 and summed as big integers (no carry: a sum is at most 170), so each byte of the
        total is one number's weighted sum."""
        if self._id_column is None or len(joined) != 19 * count - 1 or not self._id_column.fullmatch(joined):
            return False
        data = joined.encode("ascii")
        total = 0
        for position, weighted in enumerate(_ID_WEIGHTED):
            total += int.from_bytes(data[position::19].translate(weighted), "big")
        return total.to_bytes(count, "big").translate(_ID_CHECK_OF_SUM) == data[17::19]

    def _id(self, raw: Any, required: bool) -> Any:
        if raw.__class__ is str:
            number = raw.upper()
            if self.ids.valid(number):
                return number
        return (FAIL if required else None) if _blank(raw) else FAIL

    def _mother(self, raw: Any, required: bool) -> Any:
        if raw.__class__ is str and len(raw) == 18 and raw.isascii() and " " not in raw:
            found = self.women.get(raw.upper())
            if found is not None:
                return found
        return (FAIL if required else None) if _blank(raw) else FAIL


def initials_column(names: list[str | None]) -> tuple[list[str | None], list[tuple[int, str]]]:
    """`pinyin.initials` of every name and the names' other readings as (index, reading) —
    `pinyin.readings_column`: one translation table over the column's distinct characters for
    the plain names, `pinyin.all_initials` (memoised) for the few others."""
    return pinyin.readings_column(names)


def simple_new_women(ctx: ImportContext, sheet: Sheet, reader: Any, names: list[str],
                      columns: list[list[Any]], existing: dict, insert_cols: list[str],
                      fast: ColumnReader | None = None
                      ) -> tuple[list[str], list[tuple], dict[str, str], Callable[[], None],
                                 list[tuple[str, str]]] | None:
    """The common bulk case done column by column: every cell clean (no `FAIL`), every ID new
    to the ledger and unique in the sheet, every card a 身份证 one. Returns (columns, rows,
    constants, check_identities, readings) — for `bulk_insert` the cards
    `registry_sheets._read_women` would build row by row, with `id_reversed` added and the
    values every card shares (身份证, the timestamps) as constants, and the names' other
    pinyin readings as (reading, ID number) for `women_name_readings` — or None when any row
    needs that path.
    `check_identities()` (findings only, no database: the caller runs it while the indexes are
    rebuilt) runs the identity checks (`reader.check_identity_values`) for the rows that can
    have a finding: a typed birth date unlike the ID's, a male sequence digit, or a husband's
    ID that `fast` (or the per-number check) does not find valid."""
    col = dict(zip(names, columns, strict=True))
    ids = col.get("id_number")
    failed = fast.failed_columns if fast is not None else any(FAIL in c for c in columns)
    if ids is None or failed or len(set(ids)) != len(ids) \
            or not existing.keys().isdisjoint(ids):
        return None
    n = len(ids)
    types = col.get("id_type")
    if types is not None and any(t not in (None, "身份证") for t in types):
        return None
    ctx.done_rows += n
    if ctx.progress and ctx.progress(ctx.done_rows, ctx.total_rows, sheet.name) is False:
        raise ImportCancelled()
    today, now, nothing = reader.today_iso, datetime.now().isoformat(timespec="seconds"), [None] * n
    if "exit_reason" in col:
        col["exit_date"] = [d or (today if r else None)
                            for r, d in zip(col["exit_reason"], col.get("exit_date", nothing), strict=True)]
    if "husband_id_number" in col:
        col["husband_id_number"] = [idcard.to_18(h) if h and len(h) == 15 and h.isdigit() else h
                                    for h in col["husband_id_number"]]
    typed = col.get("birth_date", nothing)
    husbands = col.get("husband_id_number", nothing)

    def check_identities() -> None:
        given = [h for h in husbands if h]
        if fast is not None and fast.all_valid_ids(given):
            suspect: set[Any] = set()
        else:
            valid = reader.ids.valid
            suspect = {h for h in set(given) if not valid(h)}
        check = reader.check_identity_values
        for number, born, husband in zip(ids, typed, husbands, strict=True):
            if (born and born.replace("-", "") != number[6:14]) or number[16] in "13579" or husband in suspect:
                check(number, born, husband)

    col["birth_date"] = [b or f"{x[6:10]}-{x[10:12]}-{x[12:14]}" for b, x in zip(typed, ids, strict=True)]
    col["card_date"] = [c or today for c in col.get("card_date", nothing)]
    constants = {"id_type": "身份证", "created_at": now, "updated_at": now}
    varying = [c for c in insert_cols if c not in constants]
    reversed_ids = [x[::-1] for x in ids]   # = search.id_reversed: every ID here has 18 characters
    primaries, others = initials_column(col["name"])
    rows = list(zip(*[col.get(c, nothing) for c in varying], primaries, reversed_ids, strict=True))
    readings = [(reading, ids[i]) for i, reading in others]
    return [*varying, "name_initials", "id_reversed"], rows, constants, check_identities, readings


@contextmanager
def page_cache(db: sqlite_utils.Database, kib: int | None) -> Iterator[None]:
    """A page cache of `kib` KiB for a bulk write (the default 2 MB spills dirty pages of a
    100,000-row table and its indexes to the WAL mid-transaction; measured ~6% of the women
    insert), the connection's own size restored afterwards. None: leave it as it is."""
    if kib is None:
        yield
        return
    before = db.execute("pragma cache_size").fetchone()[0]
    db.execute(f"pragma cache_size = {-int(kib)}")
    try:
        yield
    finally:
        db.execute(f"pragma cache_size = {int(before)}")


@contextmanager
def secondary_indexes_deferred(db: sqlite_utils.Database, table: str, defer: bool,
                               beside: Callable[[], None] | None = None) -> Iterator[None]:
    """Drop `table`'s explicit indexes (not the UNIQUE/PRIMARY KEY ones) and recreate them
    from their stored SQL afterwards, inside the caller's transaction. `beside`: Python work
    run after the caller's block — while the indexes are rebuilt when they were dropped
    (`_beside_statements`), else simply then."""
    if not defer:
        yield
        if beside is not None:
            beside()
        return
    indexes = db.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = ?"
                         " and sql is not null", [table]).fetchall()
    for name, _sql in indexes:
        db.execute(f'drop index "{name}"')
    done = False
    try:
        yield
        done = True
    finally:
        statements = [sql for _name, sql in indexes]
        if done and beside is not None:
            _beside_statements(db, statements, beside)
        else:
            for sql in statements:
                db.execute(sql)


def _beside_statements(db: sqlite_utils.Database, statements: list[str], work: Callable[[], None]) -> None:
    """Run `statements` (each one long, in C: CREATE INDEX sorts and writes without the GIL) on
    a helper thread while `work` (Python that does not touch the database) runs here — the
    two cores of an office PC both busy. The connection is used by one thread at a time (the
    helper's) until it is joined. The GIL switch interval is shortened meanwhile, or the
    helper waits up to 5 ms for the GIL after every statement while `work` holds it. An error
    in either is raised here, after the helper has finished."""
    failed: list[BaseException] = []

    def rebuild() -> None:
        try:
            for sql in statements:
                db.conn.execute(sql)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
            failed.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0005))
    helper = threading.Thread(target=rebuild, name="index-rebuild", daemon=True)
    helper.start()
    try:
        work()
    finally:
        helper.join()
        sys.setswitchinterval(interval)
    if failed:
        raise failed[0]


def _consecutive_ids(db: sqlite_utils.Database, table: str, after_id: int, count: int) -> range | None:
    """The rowids the last `count` inserts received, when provably after_id+1 … after_id+count
    (each insert without an explicit id takes max(rowid)+1, so a maximum of exactly
    after_id+count means the rows got those ids in order); None otherwise."""
    top = db.execute(f"select max(rowid) from {table}").fetchone()[0]
    return range(after_id + 1, after_id + count + 1) if top == after_id + count else None


def bulk_insert(db: sqlite_utils.Database, table: str, cols: list[str], rows: list[tuple],
                analyzed: set[str] | None = None, constants: dict[str, str] | None = None,
                beside: Callable[[range | None], None] | None = None) -> range | None:
    """Insert `rows` into `table` inside the caller's transaction (see module rules). Returns the
    ids the rows received, in order, when they are provably consecutive (else None). Rows of
    `women` get `id_reversed` appended when `cols` lacks it (the suspended trigger's job).
    When the table is analysed afterwards its name is added to `analyzed` (so the import's
    closing ANALYZE can skip it). `constants`: text values every row shares, written into the
    statement as literals instead of being bound 100,000 times. `beside(ids)`: the caller's
    Python work on the new rows that needs no database, run while the indexes are rebuilt
    (see `secondary_indexes_deferred`); the women's search texts are made then too, before
    it. `rows` is not read after `beside` starts, so it may release them (clear the list)."""
    if not rows:
        return None
    if table == "women" and "id_reversed" not in cols:
        number = cols.index("id_number")
        cols = [*cols, "id_reversed"]
        rows = [(*r, search.id_reversed(r[number])) for r in rows]
    present = db.execute(f"select count(*) from {table}").fetchone()[0]
    defer = len(rows) >= max(present, DEFER_INDEXES_FROM)
    literals = [f"'{v.replace(chr(39), chr(39) * 2)}'" for v in (constants or {}).values()]
    sql = (f"insert into main.{table} ({', '.join([*cols, *(constants or {})])})"
           f" values ({', '.join(['?'] * len(cols) + literals)})")
    ids: range | None = None
    batch: dict = {}

    def alongside() -> None:
        if table == "women" and ids is not None:
            where = {c: i for i, c in enumerate(cols)}
            name, husband = where["name"], where.get("husband_name")
            batch["texts"] = search.index_texts(
                (wid, r[name], None if husband is None else r[husband]) for wid, r in zip(ids, rows, strict=True))
        if beside is not None:
            beside(ids)

    with gc_paused(), page_cache(db, BULK_CACHE_KIB if defer else None):
        if table == "women":
            with search.insert_trigger_suspended(db) as batch, \
                    secondary_indexes_deferred(db, table, defer, alongside):
                db.conn.executemany(sql, rows)
                ids = _consecutive_ids(db, table, batch["after_id"], len(rows))
        else:
            after_id = db.execute(f"select coalesce(max(rowid), 0) from {table}").fetchone()[0]
            with secondary_indexes_deferred(db, table, defer, alongside):
                db.conn.executemany(sql, rows)
                ids = _consecutive_ids(db, table, after_id, len(rows))
    if defer:
        # Fresh statistics for the logic checks that run over the new rows next (without them
        # the planner walks an index for `exit_reason is null`: 0.5 s instead of 0.03 s).
        db.execute(f"analyze main.{table}")
        if analyzed is not None:
            analyzed.add(table)
    return ids
