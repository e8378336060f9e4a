"""The domain's definitions, ONE place (DOMAIN.md §3–7): every figure reads these.

Each notion is given twice, as a Python predicate (for tests, single cards and code that holds
rows) and as an SQL fragment over the aliases `w` (women), `c` (children) and `m`
(contraception). app/stats, app/roster, app/reconcile (incl. manual.py), app/targets.py and the
forms use these and restate none of them. Dates are ISO text `YYYY-MM-DD` (compare as text).

- **Void card**: exit reason 录入错误 (entered by mistake), compared trimmed. A void card never
  counts anywhere — no birth, no married woman, no procedure, no veto, no due woman.
- **Active card at D** (on the register at D): exit reason empty or blanks only (no exit), or a
  real exit (超龄/迁出/死亡, not 录入错误) dated AFTER D. An exit on D itself counts as gone; a
  real reason with no exit date counts as gone (the date is unknown, so it is not "after D").
- **Married at D** (已婚 at D): 初婚日期 empty or on or before D, and
  - 初婚, or
  - 再婚/复婚 (复婚 is 再婚) with 婚变日期 (the remarriage) empty or on or before D — remarried
    after D means she was between marriages at D;
  - 离婚/丧偶 with 婚变日期 AFTER D (still married at D; divorced on D itself is not);
  - 未婚 and anything else: never. Values are compared trimmed (an imported '初婚 ' is 初婚).
- **Lives here** (births, first marriages, methods in use, long-acting, the manual ledger,
  the veto): 居住状态 常住 or 流入 — births count where the mother lives, 流出 women's are the
  other place's. The pregnancy-check roster also takes 流出 women (they answer by 寄回证明):
  `ROSTER_RESIDENCE`.
- **Age at D**: completed years; her birthday in a common year for 29 February is 1 March.
  15–49 at D ⇔ born after D − 50 years and on or before D − 15 years (`age_bounds`).
- **Measure in effect at D**: a contraception row with start ≤ D and (no end date or end > D).
  A row ending ON D is no longer in effect on D (the next measure starts that day).
- **Prior measure on D** (the long-acting due test, §5, on the youngest child's birth date): a
  row in effect on D that started BEFORE D — start < D and (no end or end > D). A measure that
  starts on D itself (sterilized or fitted at delivery) is the take-up, not a prior measure; one
  ending on D (an IUD removed on the birth date) is not in effect on D (`prior_measure_on`).
- **Method in use at D** (one per woman, 表2, the manual ledger, the roster's category): among
  her rows in effect at D, a sterilization (女扎/男扎) if any — sterilization is not undone by a
  later row, only by ending its row — else the row that started last; same start date → the
  stronger method (`METHOD_RANK`). No row in effect → 未避孕.
- **Own birth of this office** (births, 补报, the manual ledger's 出生/补报, reconciliation's
  ledger births, the veto): child 亲生 (adopted and step children never count), mother lives here
  (above), card not void, and — when she exited for a real reason with a date — born on or
  before that exit date (after it she had left). The same holds for her other dated events: a
  first marriage or a procedure dated after a real exit is not this office's (`before_exit_sql`).
- **Effective report day** of a child: max(计入上报日 or 上报日期, 出生日期) — `counted_on`
  (计入上报日, set by app/late_entry.py for a child entered after the period of its 上报日期 was
  closed: it counts as reported on its entry day) when set, else 上报日期; 上报日期 empty → the
  birth date; never before the birth (a birth cannot be known before it happened).
- **Birth counted in P**: an own birth with 出生日期 in P and reported by P's end: its
  effective report day ≤ P's end (and, with as-of, ≤ that day). **补报 in P**: an own birth
  with its effective report day in P (and ≤ as-of) and 出生日期 before P's start (without
  `counted_on` that is 上报日期 in P: born before P's start, a day in P is after the birth).
- **Ever married** (must have a 初婚日期, app/checks.py): married statuses and 离婚/丧偶.
- **Village level** (村级单位): 村, 社区 and 公共单位 — the units a village form row stands for and
  a printed roster page is made for; a 组 counts with its village, a 乡镇/街道 is above them.
- **Code groups**: `MARRIED_STATUSES`, `STERILIZATION`, `LONG_ACTING_*` and `METHODS` (the
  methods in rank order, also 表2's columns) are subsets of the code lists in data/codes.json
  (app/codes.py takes its groups from here; tests/app/test_definitions.py checks they agree).
  The roll-call window and every attendance rule are app/attendance/rules.py's (DOMAIN.md §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

VOID_EXIT = "录入错误"
MARRIED_STATUSES = ("初婚", "再婚", "复婚")     # 复婚 is 再婚 (an alias on input; an old row may hold it)
EX_MARRIED_STATUSES = ("离婚", "丧偶")
EVER_MARRIED_STATUSES = MARRIED_STATUSES + EX_MARRIED_STATUSES
VILLAGE_LEVEL = ("村", "社区", "公共单位")
LIVES_HERE = ("常住", "流入")
ROSTER_RESIDENCE = ("常住", "流入", "流出")
STERILIZATION = ("女扎", "男扎")
LONG_ACTING_METHODS = ("女扎", "男扎", "宫内节育器", "皮下埋植")
LONG_ACTING_PROCEDURES = ("女扎", "男扎", "上环", "皮埋")
# Same start date: the stronger method is the one in use (lower rank wins).
METHOD_RANK = {"女扎": 0, "男扎": 1, "宫内节育器": 2, "皮下埋植": 3, "口服及注射避孕药": 4,
               "避孕套": 5, "外用药": 6, "其他": 7, "未避孕": 8}
NO_METHOD = "未避孕"
METHODS = tuple(METHOD_RANK)


def _iso(day: date | str | None) -> str | None:
    if day is None:
        return None
    return day.isoformat() if isinstance(day, date) else (str(day).strip() or None)


def _day(day: date | str) -> str:
    """A required day as ISO text; a blank one is an error (a rule cannot be asked about no day)."""
    iso = day.isoformat() if isinstance(day, date) else str(day).strip()
    if not iso:
        raise ValueError("日期为空")
    return iso


def _blank(value: str | None) -> bool:
    return value is None or str(value).strip() == ""


# ---- Python predicates -------------------------------------------------------------------------

def is_void(exit_reason: str | None) -> bool:
    """The card was entered by mistake (录入错误, trimmed): it never counts."""
    return not _blank(exit_reason) and str(exit_reason).strip() == VOID_EXIT


def has_exited(exit_reason: str | None) -> bool:
    """A real exit reason is set (blank = no exit)."""
    return not _blank(exit_reason)


def active_at(exit_reason: str | None, exit_date: date | str | None, day: date | str) -> bool:
    """On the register at `day`: no exit, or a real (not 录入错误) exit dated after `day`."""
    if _blank(exit_reason):
        return True
    if is_void(exit_reason):
        return False
    left = _iso(exit_date)
    return left is not None and left > _day(day)


def married_at(status: str | None, first_marriage: date | str | None, change: date | str | None,
               day: date | str) -> bool:
    """已婚 at `day` (see the module rules)."""
    d = _day(day)
    first, changed = _iso(first_marriage), _iso(change)
    if first is not None and first > d:
        return False
    status = (status or "").strip()
    if status == "初婚":
        return True
    if status in MARRIED_STATUSES:      # 再婚/复婚
        return changed is None or changed <= d
    if status in EX_MARRIED_STATUSES:
        return changed is not None and changed > d
    return False


def lives_here(residence: str | None) -> bool:
    return (residence or "").strip() in LIVES_HERE


def on_roster_residence(residence: str | None) -> bool:
    return (residence or "").strip() in ROSTER_RESIDENCE


def shift_years(day: date, years: int) -> date:
    """The same day `years` years later (negative: earlier); 29 Feb → 28 Feb in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def birthday(born: date, years: int) -> date:
    """The day she turns `years` (29 Feb → 1 Mar in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_at(born: date | str, day: date | str) -> int:
    """Age in completed years at `day` (a 29 February birthday falls on 1 March in common years)."""
    b = date.fromisoformat(_day(born)) if not isinstance(born, date) else born
    d = date.fromisoformat(_day(day)) if not isinstance(day, date) else day
    years = d.year - b.year
    return years if d >= birthday(b, years) else years - 1


def age_bounds(day: date) -> tuple[str, str]:
    """(oldest exclusive, youngest inclusive) birth dates for 15–49 at `day`.

    Born after `oldest` and on or before `youngest` ⇔ `15 <= age_at(born, day) <= 49`.
    """
    return shift_years(day, -50).isoformat(), shift_years(day, -15).isoformat()


def aged_15_49_at(born: date | str, day: date | str) -> bool:
    return 15 <= age_at(born, day) <= 49


def in_effect(start: date | str | None, end: date | str | None, day: date | str) -> bool:
    """A measure row is in effect on `day`: start ≤ day and (no end or end > day)."""
    s, e, d = _iso(start), _iso(end), _day(day)
    return s is not None and s <= d and (e is None or e > d)


def prior_measure_on(start: date | str | None, end: date | str | None, day: date | str) -> bool:
    """A measure carried into `day` from before: start < day and (no end or end > day).

    The long-acting due test (DOMAIN.md §5) asks this on the youngest child's birth date: a
    measure in effect that day only because it STARTED that day (女扎 at delivery, an IUD fitted
    at delivery) is the take-up of that birth — she is due, and done by its procedure — not a
    measure she already had. The end follows `in_effect`: a row ending on `day` no longer
    protects on `day`.
    """
    s, d = _iso(start), _day(day)
    return s is not None and s < d and in_effect(start, end, day)


def had_prior_long_acting(rows: Iterable[tuple[str, str | date, str | date | None]], day: date | str) -> bool:
    """Some long-acting (method, start, end) row is a prior measure on `day` (`prior_measure_on`)."""
    return any(method in LONG_ACTING_METHODS and prior_measure_on(start, end, day) for method, start, end in rows)


def method_in_use(rows: Iterable[tuple[str, str | date, str | date | None]], day: date | str) -> str:
    """The one method in use at `day` from (method, start, end) rows (see the module rules)."""
    live = [(method, _day(start)) for method, start, end in rows if in_effect(start, end, day)]
    if not live:
        return NO_METHOD
    return min(live, key=lambda r: (r[0] not in STERILIZATION, _neg(r[1]), METHOD_RANK.get(r[0], 9)))[0]


def _neg(iso: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in iso)


def own_birth(kinship: str | None, residence: str | None, exit_reason: str | None,
              exit_date: date | str | None, born: date | str) -> bool:
    """An own birth of this office (亲生, mother lives here, card not void, born ≤ a real exit)."""
    if (kinship or "").strip() != "亲生" or not lives_here(residence) or is_void(exit_reason):
        return False
    left = _iso(exit_date)
    return _blank(exit_reason) or left is None or _day(born) <= left


def report_day(born: date | str, reported: date | str | None, counted_on: date | str | None = None) -> str:
    """The effective report day: max(计入上报日 or 上报日期, 出生日期); neither → the birth date."""
    b, r = _day(born), _iso(counted_on) or _iso(reported)
    return b if r is None else max(b, r)


def birth_in(born: date | str, reported: date | str | None, start: date | str, end: date | str,
             as_of: date | str | None = None, counted_on: date | str | None = None) -> bool:
    """The birth belongs to P (born in P, effective report day by P's end and by as-of)."""
    b = _day(born)
    limit = min(_day(end), _iso(as_of) or "9999-12-31")
    return _day(start) <= b <= _day(end) and report_day(b, reported, counted_on) <= limit


def late_report_in(born: date | str, reported: date | str | None, start: date | str, end: date | str,
                   as_of: date | str | None = None, counted_on: date | str | None = None) -> bool:
    """A 补报 of P: effective report day in P (and ≤ as-of), born before P's start."""
    limit = min(_day(end), _iso(as_of) or "9999-12-31")
    return _day(born) < _day(start) and _day(start) <= report_day(born, reported, counted_on) <= limit


# ---- SQL fragments ------------------------------------------------------------------------------
# Over `women w`, `children c`, `contraception m`. The day is a bound parameter name (default
# `:end`). `+col IN (...)` keeps IN lists off the index plans SQLite 3.40.1 answers wrongly once
# ANALYZE statistics exist (see app/stats/long_acting.py).

def sql_list(values: tuple[str, ...]) -> str:
    """`('a', 'b')`: an SQL IN list of these constant values."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_in = sql_list


NOT_VOID = f"coalesce(trim(w.exit_reason), '') <> '{VOID_EXIT}'"


def active_at_sql(day: str = ":end") -> str:
    return (f"(coalesce(trim(w.exit_reason), '') = ''"
            f" or (trim(w.exit_reason) <> '{VOID_EXIT}' and w.exit_date > {day}))")


def married_at_sql(day: str = ":end") -> str:
    return (f"(coalesce(w.first_marriage_date, '') = '' or w.first_marriage_date <= {day})\n"
            f"  and ((+trim(w.marital_status) = '初婚')\n"
            f"       or (+trim(w.marital_status) in {_in(MARRIED_STATUSES[1:])}\n"
            f"           and (coalesce(w.marital_change_date, '') = '' or w.marital_change_date <= {day}))\n"
            f"       or (+trim(w.marital_status) in {_in(EX_MARRIED_STATUSES)} and w.marital_change_date > {day}))")


LIVES_HERE_SQL = f"+w.residence in {_in(LIVES_HERE)}"
ROSTER_RESIDENCE_SQL = f"+w.residence in {_in(ROSTER_RESIDENCE)}"


def in_effect_sql(day: str = ":end", alias: str = "m") -> str:
    return f"({alias}.start_date <= {day} and ({alias}.end_date is null or {alias}.end_date > {day}))"


def prior_measure_on_sql(day: str = ":end", alias: str = "m") -> str:
    """`prior_measure_on` over the contraception alias: started before `day`, not ended by it."""
    return f"({alias}.start_date < {day} and ({alias}.end_date is null or {alias}.end_date > {day}))"


def prior_long_acting_sql(day: str, woman: str = "w.id") -> str:
    """EXISTS a long-acting measure of `woman` that is a prior measure on `day` (§5's due test)."""
    return (f"exists(select 1 from contraception m where m.woman_id = {woman}"
            f" and +m.method in {_in(LONG_ACTING_METHODS)} and {prior_measure_on_sql(day)})")


def before_exit_sql(column: str) -> str:
    """The event dated `column` happened while she was on the register: no real exit, an exit
    without a date, or the event on or before the exit date (births, first marriages, procedures)."""
    return (f"(coalesce(trim(w.exit_reason), '') = '' or coalesce(w.exit_date, '') = ''"
            f" or {column} <= w.exit_date)")


# Own birth of this office: children c joined to their mother w.
OWN_BIRTH = f"c.kinship = '亲生' and {LIVES_HERE_SQL} and {NOT_VOID} and {before_exit_sql('c.birth_date')}"
REPORT_DAY = "max(coalesce(c.counted_on, c.reported_date, c.birth_date), c.birth_date)"


def birth_in_sql(start: str = ":start", end: str = ":end", as_of: str | None = None) -> str:
    limit = f"min({end}, {as_of})" if as_of else end
    return f"c.birth_date between {start} and {end} and {REPORT_DAY} <= {limit} and {OWN_BIRTH}"


def late_report_in_sql(start: str = ":start", end: str = ":end", as_of: str | None = None) -> str:
    """`late_report_in` as SQL. Born before P's start, the effective day is in P exactly when
    counted_on is (when set) or else 上报日期 is — written so, each half has an index."""
    limit = f"min({end}, {as_of})" if as_of else end
    return (f"(c.counted_on between {start} and {limit}"
            f" or (c.reported_date between {start} and {limit} and c.counted_on is null))"
            f" and c.birth_date < {start} and {OWN_BIRTH}")


def _rank_case(alias: str) -> str:
    whens = " ".join(f"when '{k}' then {v}" for k, v in METHOD_RANK.items())
    return f"(case {alias}.method {whens} else 9 end)"


def method_in_use_cte(day: str = ":end", name: str = "current") -> str:
    """A CTE `name(woman_id, method)`: the method in use at `day` per woman with a row in effect.

    One grouped pass: the max of a sortable key (sterilization flag, start date, 9 − rank) picks
    the row, and the rank digit names the method back.
    """
    key = (f"max((+m.method in {_in(STERILIZATION)}) || m.start_date || (9 - {_rank_case('m')}))")
    back = " ".join(f"when {9 - v} then '{k}'" for k, v in METHOD_RANK.items())
    return (f"{name} as (select woman_id, case cast(substr(k, -1) as integer) {back} else '其他' end as method"
            f" from (select m.woman_id, {key} as k from contraception m"
            f" where {in_effect_sql(day)} group by m.woman_id))")
