"""Logic checks (逻辑校核) of DOMAIN.md §3: plain functions returning findings, never raising.

Every check has the signature `check_x(db, as_of, women=None) -> list[Finding]`: `women`
restricts it to those card ids (the save path checks one card), None checks the whole ledger
with set-based SQL (fast at 300k cards). Severity:
- 'error': the card contradicts a rule (ID check digit, 孩次 out of birth order, 上报日期 before
  the birth…). On save through `app.registry` a NEW error blocks the change.
- 'warning': a fact worth a look that is not wrong in itself (a birth while a long-acting
  measure was in effect — 措施失败; a woman turning 50 — due to exit; a married woman with no
  current measure). Warnings never block.
Malformed input (missing required field, unknown code, future date, broken ID) is refused
before it reaches the ledger (registry and import); these checks then find inconsistencies
between well-formed facts, which an import reports after success and never refuses.

Future dates are judged against today; ages against `as_of` (default today).

"Before the 15th birthday" is written `d < birth + 16 and d < date(birth, '+15 years')`: the
first test (the ISO date text against the birth year + 16, compared as text — a year at most
birth year + 15) is a cheap necessary condition that spares the `date()` call on almost every
row of a whole-ledger run.

SQLite 3.40.1 returns wrong rows for `method IN (...) AND start_date <= ?` when it uses the
(woman_id, method, start_date) index; such IN lists are written `+method IN (...)` here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlite_utils

from app import definitions, idcard
from app.definitions import sql_list as _in

ERROR, WARNING = "error", "warning"


class Finding(NamedTuple):
    """One finding. A named tuple (immutable, hashable) rather than a frozen dataclass: a
    whole-ledger run builds tens of thousands of them (a 100,000-women import lists ~68,000
    married women without a measure) and a tuple is built ~2.5× faster."""

    check: str            # key of CHECKS
    severity: str         # 'error' | 'warning'
    woman_id: int | None
    child_id: int | None
    message: str          # Chinese, names the record's facts

    @property
    def title(self) -> str:
        return TITLES.get(self.check, self.check)

    @property
    def key(self) -> tuple:
        return (self.check, self.woman_id, self.child_id, self.message)

    def as_dict(self) -> dict:
        return self._asdict() | {"title": self.title}

    def __str__(self) -> str:
        return f"{self.title}：{self.message}"


Check = Callable[[sqlite_utils.Database, date, "Iterable[int] | _Selected | None"], list[Finding]]


def _iso(value: date | str | None) -> str:
    if value is None:
        return date.today().isoformat()
    return value if isinstance(value, str) else value.isoformat()


def _women_filter(column: str, women: Iterable[int] | _Selected | None) -> tuple[str, list]:
    """An SQL condition restricting `column` to the given card ids (json_each: any size)."""
    if women is None:
        return "1", []
    if isinstance(women, _Selected):
        return f"{column} in (select id from temp.{women.table})", []
    return f"{column} in (select value from json_each(?))", [json.dumps([int(w) for w in women])]


def _women_named(column: str, women: Iterable[int] | None) -> tuple[str, dict]:
    """`_women_filter` with a named parameter (:women), beside app.definitions' fragments."""
    cond, params = _women_filter(column, women)
    return cond.replace("json_each(?)", "json_each(:women)"), ({"women": params[0]} if params else {})


def _band(on: str) -> dict[str, str]:
    """:oldest/:youngest — aged 15–49 on `on` ⇔ oldest < birth_date <= youngest (app.definitions)."""
    oldest, youngest = definitions.age_bounds(date.fromisoformat(on))
    return {"on": on, "oldest": oldest, "youngest": youngest}


@dataclass(frozen=True)
class _Selected:
    """A large set of card ids held in a TEMP table (set-based filtering for an import)."""

    table: str


def _id_checker() -> Callable[[str], bool]:
    """A fast yes for clean, valid 18-character 身份证 numbers (anything else is then judged and
    worded by `idcard.problems`)."""
    return idcard.IdChecker(date.today()).valid


def _query(db: sqlite_utils.Database, sql: str, params: list | dict) -> list[tuple]:
    return db.execute(sql, params).fetchall()


# ---- identity ------------------------------------------------------------------------------
def check_id_number(db, as_of, women=None) -> list[Finding]:
    """身份证 numbers: format, province, birth date and GB 11643 check digit (also the husband's)."""
    cond, params = _women_filter("id", women)
    valid = _id_checker()
    out = []
    for wid, id_type, number, husband_id in _query(
            db, f"select id, id_type, id_number, husband_id_number from women where {cond}", params):
        if id_type == "身份证" and not valid(number):
            for reason in idcard.problems(number):
                out.append(Finding("id_number", ERROR, wid, None, f"证件号码 {number}：{reason}"))
        if husband_id and not valid(husband_id):
            for reason in idcard.problems(husband_id):
                out.append(Finding("id_number", WARNING, wid, None, f"丈夫证件号码 {husband_id}：{reason}"))
    return out


def check_id_birth_sex(db, as_of, women=None) -> list[Finding]:
    """The birth date and sex derived from a valid 身份证 must agree with the card (a woman)."""
    cond, params = _women_filter("id", women)
    valid = _id_checker()
    out: list[Finding] = []
    for wid, number, birth in _query(
            db, f"select id, id_number, birth_date from women where id_type = '身份证' and {cond}", params):
        if (valid(number) and birth is not None and birth[:4] == number[6:10] and birth[5:7] == number[10:12]
                and birth[8:10] == number[12:14] and len(birth) == 10 and number[16] in "02468"):
            continue  # agrees (the common case, decided without parsing)
        try:
            reasons = idcard.mismatches(number, birth, "女")
        except idcard.IdError:
            continue  # reported by check_id_number
        out.extend(Finding("id_birth_sex", ERROR, wid, None, r) for r in reasons)
    return out


def check_age(db, as_of, women=None) -> list[Finding]:
    """An active card is for a woman aged 15–49 on `as_of`; from her 50th birthday she is due to exit."""
    cond, params = _women_named("w.id", women)
    on = _iso(as_of)
    young, old = [], []
    # One scan for both ends of the age band (the under-15 errors are listed first).
    for wid, birth, under_15 in _query(db, f"""select w.id, w.birth_date, w.birth_date > :youngest
            from women w where {definitions.active_at_sql(':on')}
            and (w.birth_date > :youngest or w.birth_date <= :oldest) and {cond}""",
                                       _band(on) | params):
        if under_15:
            young.append(Finding("age", ERROR, wid, None, f"出生日期 {birth}，到 {on} 未满 15 岁，不是育龄妇女"))
        else:
            old.append(Finding("age", WARNING, wid, None, f"出生日期 {birth}，到 {on} 已满 50 岁，应按超龄出队"))
    return young + old


def check_marriage(db, as_of, women=None) -> list[Finding]:
    """Ever married (初婚/再婚/离婚/丧偶, app.definitions) requires 初婚日期, after the 15th birthday
    and not in the future; 婚变日期 not before 初婚日期; 未婚 with a 初婚日期 is a warning."""
    cond, params = _women_filter("id", women)
    today = _iso(None)
    out = []
    rows = _query(db, f"""select id, marital_status, first_marriage_date, marital_change_date, birth_date
                         from women where {cond} and (
          (marital_status in {_in(definitions.EVER_MARRIED_STATUSES)} and first_marriage_date is null)
          or (first_marriage_date < birth_date + 16 and first_marriage_date < date(birth_date, '+15 years'))
          or first_marriage_date > ?
          or (marital_status = '未婚' and first_marriage_date is not null)
          or marital_change_date < first_marriage_date)""", [*params, today])
    for wid, status, married, changed, birth in rows:
        if status != "未婚" and married is None:
            out.append(Finding("marriage", ERROR, wid, None, f"婚姻状况为{status}，缺少初婚日期"))
        if married is not None:
            if married < _add_years(birth, 15):
                out.append(Finding("marriage", ERROR, wid, None, f"初婚日期 {married} 早于 15 周岁生日"))
            if married > today:
                out.append(Finding("marriage", ERROR, wid, None, f"初婚日期 {married} 在将来"))
            if status == "未婚":
                out.append(Finding("marriage", WARNING, wid, None, f"婚姻状况为未婚，却填有初婚日期 {married}"))
            if changed is not None and changed < married:
                out.append(Finding("marriage", ERROR, wid, None, f"婚变日期 {changed} 早于初婚日期 {married}"))
    return out


def check_contraception_recorded(db, as_of, women=None) -> list[Finding]:
    """A woman married at `as_of`, aged 15–49 then, whose card is active then (app.definitions:
    married_at, aged_15_49_at, active_at) has a contraception row in effect on `as_of`
    (未避孕 is a value)."""
    cond, params = _women_named("w.id", women)
    on = _iso(as_of)
    rows = _query(db, f"""select w.id from women w where {definitions.active_at_sql(':on')}
        and {definitions.married_at_sql(':on')} and w.birth_date > :oldest and w.birth_date <= :youngest
        and {cond} and not exists (select 1 from contraception m where m.woman_id = w.id
                                   and {definitions.in_effect_sql(':on')})""", _band(on) | params)
    return [Finding("contraception", WARNING, wid, None, f"已婚育龄妇女在 {on} 没有节育措施记录（未避孕也应登记）")
            for (wid,) in rows]


def check_floating(db, as_of, women=None) -> list[Finding]:
    """流入/流出 women carry a 流动原因 and 流动日期."""
    cond, params = _women_filter("id", women)
    rows = _query(db, f"""select id, residence, float_reason, float_date from women where exit_reason is null
        and residence in ('流入','流出') and (float_reason is null or float_date is null) and {cond}""", params)
    out = []
    for wid, residence, reason, when in rows:
        missing = "、".join(n for n, v in (("流动原因", reason), ("流动日期", when)) if v is None)
        out.append(Finding("floating", WARNING, wid, None, f"居住状态为{residence}，缺少{missing}"))
    return out


def check_exit(db, as_of, women=None) -> list[Finding]:
    """An exited card has both an exit reason and an exit date."""
    cond, params = _women_filter("id", women)
    rows = _query(db, f"""select id, exit_reason, exit_date from women where {cond}
        and ((exit_reason is null) != (exit_date is null))""", params)
    return [Finding("exit", ERROR, wid, None, "出队原因和出队日期应同时填写") for wid, _r, _d in rows]


# ---- children ------------------------------------------------------------------------------
def check_child_dates(db, as_of, women=None) -> list[Finding]:
    """A child is born after the mother's 15th birthday and not in the future; 上报日期 is not
    before the birth nor in the future; 死亡日期 is not before the birth."""
    cond, params = _women_filter("c.mother_id", women)
    today = _iso(None)
    rows = _query(db, f"""select c.id, c.mother_id, c.birth_order, c.birth_date, c.reported_date,
            c.death_date, w.birth_date from children c join women w on w.id = c.mother_id
        where {cond} and ((c.birth_date < w.birth_date + 16 and c.birth_date < date(w.birth_date, '+15 years'))
            or c.birth_date > ?
            or c.reported_date < c.birth_date or c.reported_date > ? or c.death_date < c.birth_date)""",
                  [*params, today, today])
    out = []
    for cid, wid, order, born, reported, died, mother_born in rows:
        who = f"第 {order} 孩（{born}）"
        if born < _add_years(mother_born, 15):
            out.append(Finding("child_dates", ERROR, wid, cid, f"{who}出生时母亲未满 15 岁（母亲生于 {mother_born}）"))
        if born > today:
            out.append(Finding("child_dates", ERROR, wid, cid, f"{who}出生日期在将来"))
        if reported is not None and reported < born:
            out.append(Finding("child_dates", ERROR, wid, cid, f"{who}上报日期 {reported} 早于出生日期"))
        if reported is not None and reported > today:
            out.append(Finding("child_dates", ERROR, wid, cid, f"{who}上报日期 {reported} 在将来"))
        if died is not None and died < born:
            out.append(Finding("child_dates", ERROR, wid, cid, f"{who}死亡日期 {died} 早于出生日期"))
    return out


def check_child_marriage(db, as_of, women=None) -> list[Finding]:
    """An own child (亲生) is not born before the mother's first marriage (or to a 未婚 mother)
    unless flagged 非婚生育 (out_of_wedlock)."""
    cond, params = _women_filter("c.mother_id", women)
    rows = _query(db, f"""select c.id, c.mother_id, c.birth_order, c.birth_date, w.first_marriage_date
        from children c join women w on w.id = c.mother_id
        where {cond} and c.kinship = '亲生' and c.out_of_wedlock = 0
          and (w.first_marriage_date is null or c.birth_date < w.first_marriage_date)""", params)
    out = []
    for cid, wid, order, born, married in rows:
        reason = f"早于母亲初婚日期 {married}" if married else "母亲没有初婚日期"
        out.append(Finding("child_marriage", ERROR, wid, cid,
                           f"第 {order} 孩出生于 {born}，{reason}；如属非婚生育请标记“非婚生育”"))
    return out


def check_birth_order(db, as_of, women=None) -> list[Finding]:
    """孩次 follows the order of birth dates: an earlier-born child has a smaller 孩次, and
    children born the same day (twins) take consecutive 孩次."""
    cond, params = _women_filter("a.mother_id", women)
    out = []
    for cid, wid, order, born, other_order, other_born in _query(db, f"""
            select a.id, a.mother_id, a.birth_order, a.birth_date, b.birth_order, b.birth_date
            from children a join children b on b.mother_id = a.mother_id
             and b.birth_date < a.birth_date and b.birth_order > a.birth_order
            where {cond}""", params):
        out.append(Finding("birth_order", ERROR, wid, cid,
                           f"第 {order} 孩（{born}）比第 {other_order} 孩（{other_born}）出生晚，孩次顺序不符"))
    cond, params = _women_filter("mother_id", women)
    for wid, born, low, high, count in _query(db, f"""select mother_id, birth_date, min(birth_order),
            max(birth_order), count(*) from children where {cond} group by mother_id, birth_date
            having count(*) > 1 and max(birth_order) - min(birth_order) != count(*) - 1""", params):
        out.append(Finding("birth_order", ERROR, wid, None,
                           f"{count} 个子女同日（{born}）出生，孩次应相连（现为 {low}–{high}）"))
    return out


def check_birth_order_gaps(db, as_of, women=None) -> list[Finding]:
    """孩次 run 1..n without gaps (a missing child is usually an unreported birth)."""
    cond, params = _women_filter("mother_id", women)
    rows = _query(db, f"""select mother_id, count(*), max(birth_order) from children where {cond}
        group by mother_id having max(birth_order) != count(*)""", params)
    return [Finding("birth_order_gap", WARNING, wid, None, f"登记了 {n} 个子女，最大孩次却是 {top}，孩次不连续")
            for wid, n, top in rows]


def check_measure_failure(db, as_of, women=None) -> list[Finding]:
    """A birth while a long-acting measure was in effect (措施失败) — a fact, listed as a warning."""
    cond, params = _women_filter("c.mother_id", women)
    rows = _query(db, f"""select c.id, c.mother_id, c.birth_order, c.birth_date, m.method, m.start_date
        from children c join contraception m on m.woman_id = c.mother_id
        where {cond} and c.kinship = '亲生' and +m.method in {_in(definitions.LONG_ACTING_METHODS)}
          and {definitions.prior_measure_on_sql('c.birth_date')}""", params)
    return [Finding("measure_failure", WARNING, wid, cid,
                    f"第 {order} 孩出生于 {born}，当时在用{method}（{start} 起），属措施失败")
            for cid, wid, order, born, method, start in rows]


# ---- contraception and procedures -----------------------------------------------------------
def check_measures(db, as_of, women=None) -> list[Finding]:
    """Contraception rows: 终止日期 not before 开始日期; at most one current (open) row."""
    cond, params = _women_filter("woman_id", women)
    out = [Finding("measures", ERROR, wid, None, f"{method}（{start} 起）终止日期 {end} 早于开始日期")
           for wid, method, start, end in _query(db, f"""select woman_id, method, start_date, end_date
               from contraception where end_date < start_date and {cond}""", params)]
    out += [Finding("measures", ERROR, wid, None, f"同时有 {n} 项未终止的节育措施，只应有一项")
            for wid, n in _query(db, f"""select woman_id, count(*) from contraception where end_date is null
                and {cond} group by woman_id having count(*) > 1""", params)]
    return out


def check_procedures(db, as_of, women=None) -> list[Finding]:
    """Procedures agree with the history: no 取环 without an IUD in effect on that day; no 上环
    while sterilized (女扎/男扎 in effect)."""
    cond, params = _women_filter("p.woman_id", women)
    out = [Finding("procedures", ERROR, wid, None, f"{when} 取环，但当时没有宫内节育器记录")
           for wid, when in _query(db, f"""select p.woman_id, p.date from procedures p
               where p.kind = '取环' and {cond} and not exists (select 1 from contraception c
                 where c.woman_id = p.woman_id and c.method = '宫内节育器' and c.start_date <= p.date
                   and (c.end_date is null or c.end_date >= p.date))""", params)]
    out += [Finding("procedures", ERROR, wid, None, f"{when} 上环，但当时已{method}（{start} 起）")
            for wid, when, method, start in _query(db, f"""select p.woman_id, p.date, c.method, c.start_date
                from procedures p join contraception c on c.woman_id = p.woman_id
                where p.kind = '上环' and {cond} and +c.method in {_in(definitions.STERILIZATION)}
                  and {definitions.in_effect_sql('p.date', 'c')}""", params)]
    return out


def _add_years(iso: str, years: int) -> str:
    """ISO date + whole years; 29 February becomes 1 March in a common year (SQLite's rule)."""
    y, m, d = int(iso[:4]) + years, int(iso[5:7]), int(iso[8:10])
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return date(y, 3, 1).isoformat()


CHECKS: dict[str, tuple[str, Check]] = {
    "id_number": ("证件号码", check_id_number),
    "id_birth_sex": ("证件号码与出生日期/性别", check_id_birth_sex),
    "age": ("年龄", check_age),
    "marriage": ("婚姻", check_marriage),
    "contraception": ("节育措施登记", check_contraception_recorded),
    "floating": ("流动人口信息", check_floating),
    "exit": ("出队", check_exit),
    "child_dates": ("子女日期", check_child_dates),
    "child_marriage": ("婚前生育", check_child_marriage),
    "birth_order": ("孩次顺序", check_birth_order),
    "birth_order_gap": ("孩次连续", check_birth_order_gaps),
    "measure_failure": ("措施失败", check_measure_failure),
    "measures": ("节育措施记录", check_measures),
    "procedures": ("手术与措施", check_procedures),
}
TITLES = {key: title for key, (title, _fn) in CHECKS.items()}
# Not a check of the ledger: the entry-time warning of app/late_entry.py (a fact dated in a closed period).
TITLES["closed_period"] = "已关账统计期"


LARGE_SET = 20000


def for_women(db: sqlite_utils.Database, women: Iterable[int], as_of: date | str | None = None,
              skip: Iterable[str] = ()) -> list[Finding]:
    """Every check (but those in `skip`) restricted to the given cards.

    For a large set (an import) the ids go into a TEMP table the checks join set-based; when
    the set is at least half the ledger, the checks run over the whole ledger and the findings
    are filtered (one scan each, no join).
    """
    ids = set(women)
    if not ids:
        return []
    on = date.fromisoformat(_iso(as_of))
    wanted = [fn for key, (_title, fn) in CHECKS.items() if key not in set(skip)]
    if len(ids) <= LARGE_SET:
        return [f for fn in wanted for f in fn(db, on, sorted(ids))]
    total = db.execute("select count(*) from women").fetchone()[0]
    if len(ids) * 2 >= total:
        return [f for fn in wanted for f in fn(db, on, None) if f.woman_id in ids]
    selected = _Selected("_checked_women")
    db.execute(f"create temp table {selected.table} (id integer primary key)")
    try:
        db.conn.executemany(f"insert into temp.{selected.table} values (?)", [(i,) for i in sorted(ids)])
        return [f for fn in wanted for f in fn(db, on, selected)]
    finally:
        db.execute(f"drop table temp.{selected.table}")


def run_all(db: sqlite_utils.Database, as_of: date | str | None = None,
            only: Iterable[str] | None = None,
            progress: Callable[[int, int, str], object] | None = None) -> list[Finding]:
    """Every check over the whole ledger (or the checks named in `only`), errors first per check.
    `progress(done, total, title)` is told before each check and at the end (its answer is
    ignored: the checks only read)."""
    on = date.fromisoformat(_iso(as_of))
    wanted = set(only) if only is not None else set(CHECKS)
    chosen = [(title, fn) for key, (title, fn) in CHECKS.items() if key in wanted]
    out: list[Finding] = []
    for done, (title, fn) in enumerate(chosen):
        if progress is not None:
            progress(done, len(chosen), title)
        out.extend(sorted(fn(db, on, None), key=lambda f: (f.severity != ERROR, f.woman_id or 0, f.child_id or 0)))
    if progress is not None:
        progress(len(chosen), len(chosen), "")
    return out


def group(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings by check title, in CHECKS order."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        out[f.title].append(f)
    return dict(out)


def names_of(db: sqlite_utils.Database) -> dict[int, tuple[str, str]]:
    """Each card's (name, ID number) by woman id, for listing findings."""
    return {r[0]: (r[1], r[2]) for r in db.execute("select id, name, id_number from women")}
