"""长效节育措施落实 (long-acting measure take-up) per unit, DOMAIN.md §5.

A woman is DUE (应落实) in P when all hold:
- she is married at P's end (app.stats.scope's rule, the pregnancy-check roster's: a woman
  married after P's end or divorced before it is not), 户口性质 农业, 居住状态 常住 or 流入, and on
  the register at P's end (an exit, other than 录入错误, only after it);
- her youngest living own (亲生) child — born on or before P's end and alive then (a child born
  after P's end does not exist for P, so a later baby never hides a due date that fell in P),
  reported by the as-of day (its effective report day, app.definitions, as for births) — has its
  due date (birth date + N months; a day past the end of the target month falls back to its last
  day, 31 Oct + 4 months = 28/29 Feb) in P;
- she had no long-acting measure (女扎, 男扎, 宫内节育器, 皮下埋植; her husband's 男扎 is on her
  card) carried into that child's birth date d — app.definitions.prior_measure_on: start < d
  and (no end or end > d). A measure starting on d itself (sterilized or fitted at delivery) is
  the take-up: she is due, and done by its procedure; a measure without a procedure does not
  make her done. An IUD removed on d no longer protects (ended on d = not in effect on d).
She is DONE (已落实) when she also has a long-acting procedure (女扎, 男扎, 上环, 皮埋) dated from
that birth date to P's end (entered by the as-of day). 欠帐 = due − done.
N is the ledger setting `long_acting_months` (default 4); `long_acting_enabled` = "0" switches
the whole indicator off. The expected measure (上环 after a first child, 结扎 after a second) is
shown by `expected_measure`, never enforced.

SQLite 3.40.1 answers `col IN (...)` on the middle column of an index followed by a range on
the next one wrongly once ANALYZE statistics exist (a row with start 2026-01-18 passed
`start_date <= '2025-06-24'`); the unary `+` on `method`/`kind` keeps those lookups off that
plan. tests/app/test_stats_rules.py checks the figures before and after ANALYZE.

Counter keys: ("la_due", order), ("la_done", order) with order 1, 2, 3 (3 = third and later).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from app import definitions
from app.periods import shift_date_months
from app.stats.scope import ACTIVE_AT_END, MARRIED_AT_END, VOID_EXIT, Scope, meta

# "Her youngest living own child, reported by as-of, born in the window" is read from the
# children born in the window (children_report, a range on birth_date) that have no younger
# such sibling born by P's end — never a pass over every child of the ledger, so a month costs
# a month's births. Twins (same birth date) give one row per mother (DISTINCT).
_YOUNGEST_CHILD = f"""c.kinship = '亲生' and c.birth_date <= :end and (c.death_date is null or c.death_date > :end)
      and {definitions.REPORT_DAY} <= :as_of"""

_CANDIDATES = f"""
with youngest as (
    select distinct c.mother_id, c.birth_date as born
    from children c
    where c.birth_date between :born_from and :born_to and {_YOUNGEST_CHILD}
      and not exists (select 1 from children k where k.mother_id = c.mother_id and k.birth_date > c.birth_date
                      and {_YOUNGEST_CHILD.replace("c.", "k.")})
)
select w.unit_id, y.born,
       (select max(c.birth_order) from children c
         where c.mother_id = w.id and c.kinship = '亲生' and c.birth_date = y.born),
       exists(select 1 from procedures p
              where p.woman_id = w.id and +p.kind in {definitions.sql_list(definitions.LONG_ACTING_PROCEDURES)}
                and p.date between y.born and :end and substr(p.created_at, 1, 10) <= :as_of)
from youngest y join women w on w.id = y.mother_id
where {MARRIED_AT_END}
  and w.hukou_type = '农业' and {definitions.LIVES_HERE_SQL} and {ACTIVE_AT_END}
  and substr(w.created_at, 1, 10) <= :as_of
  and not {definitions.prior_long_acting_sql("y.born")}
"""


def enabled(scope: Scope) -> bool:
    return meta(scope.db, "long_acting_enabled", "1") != "0"


def months(scope: Scope) -> int:
    try:
        return max(0, int(meta(scope.db, "long_acting_months", "4") or 4))
    except ValueError:
        return 4


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    if not enabled(scope):
        return
    n = months(scope)
    start, end = scope.period.start, scope.period.end
    # Widen the birth-date window by a few days; the exact due date is checked below.
    born_from = shift_date_months(start, -n) - timedelta(days=4)
    born_to = shift_date_months(end, -n) + timedelta(days=4)
    params = {"end": scope.end, "as_of": scope.as_of_text, "void": VOID_EXIT,
              "born_from": born_from.isoformat(), "born_to": born_to.isoformat()}
    for unit_id, born, order, done in scope.db.execute(_CANDIDATES, params):
        due = shift_date_months(date.fromisoformat(born), n)
        if not start <= due <= end:
            continue
        bucket = min(order or 1, 3)
        facts[unit_id][("la_due", bucket)] += 1
        if done:
            facts[unit_id][("la_done", bucket)] += 1


def expected_measure(order: int) -> str:
    """The seeds' rule of thumb: 一孩上环为主, 二孩结扎为主 (shown, not enforced)."""
    return "上环" if order <= 1 else "结扎"


def counts(c: Counter) -> tuple[int, int]:
    """(due, done) from a rolled-up counter."""
    due = sum(v for k, v in c.items() if k[0] == "la_due")
    done = sum(v for k, v in c.items() if k[0] == "la_done")
    return due, done
