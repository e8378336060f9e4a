"""Facts about the women's cards: first marriages in P and contraception in use at P's end.

- First marriages (初婚) in P: cards with 初婚日期 in P, 居住状态 常住 or 流入, not void, and not
  dated after a real exit (app.definitions.before_exit_sql, as for births).
  "23岁以上" (the late-marriage figure) = her age in completed years on the first-marriage day
  is 23 or more, i.e. 初婚日期 ≥ her 23rd birthday; a woman born on 29 February reaches that
  age on 1 March of a common year.
- Contraception in use at P's end (节育情况, national 表2): cards of women married at P's end
  (app.stats.scope's rule: married after the end, or divorced before it, is not) and 15–49 then,
  常住 or 流入, on the register at the end (not exited by then), counted by her method in use at
  P's end (app.definitions: rows in effect = start ≤ end and (no end date or end date > end);
  a sterilization in effect wins, else the row that started last, same start → the stronger
  method — the roster's category and the manual ledger read the same); a woman with no row in
  effect counts as 未避孕. With as-of, only cards entered by that day.

Most married women qualify, so the in-use count reads the women table straight through (`not
indexed`): at district scale that is 4–5× faster than going through women_unit.

Counter keys: ("marriage", age_23_plus: bool), ("married_women",), ("method", method).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from app import definitions
from app.stats.scope import ACTIVE_AT_END, MARRIED_AT_END, NOT_VOID, VOID_EXIT, Scope

METHODS = definitions.METHODS

_MARRIAGES = f"""
select w.unit_id, w.birth_date, w.first_marriage_date
from women w
where w.first_marriage_date between :start and :end and {definitions.LIVES_HERE_SQL}
  and {NOT_VOID} and {definitions.before_exit_sql("w.first_marriage_date")}
  and substr(w.created_at, 1, 10) <= :as_of
"""

_IN_USE = f"""
with {definitions.method_in_use_cte(":end", "current")}
select w.unit_id, coalesce(current.method, '未避孕'), count(*)
from women w not indexed left join current on current.woman_id = w.id
where {MARRIED_AT_END}
  and {definitions.LIVES_HERE_SQL} and {ACTIVE_AT_END}
  and w.birth_date > :born_after and w.birth_date <= :born_by
  and substr(w.created_at, 1, 10) <= :as_of
group by 1, 2
"""


birthday = definitions.birthday


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    params = {"start": scope.start, "end": scope.end, "as_of": scope.as_of_text, "void": VOID_EXIT}
    for unit_id, born, married in scope.db.execute(_MARRIAGES, params):
        late = date.fromisoformat(married) >= birthday(date.fromisoformat(born), 23)
        facts[unit_id][("marriage", late)] += 1
    end = scope.period.end
    # 15–49 at P's end (app.definitions.age_bounds).
    params["born_after"], params["born_by"] = definitions.age_bounds(end)
    for unit_id, method, count in scope.db.execute(_IN_USE, params):
        facts[unit_id][("method", method)] += count
        facts[unit_id][("married_women",)] += count


def marriage_figures(c: Counter) -> dict:
    total = c.get(("marriage", True), 0) + c.get(("marriage", False), 0)
    return {"total": total, "age_23_plus": c.get(("marriage", True), 0)}


def contraception_figures(c: Counter) -> dict:
    by_method = {m: c.get(("method", m), 0) for m in METHODS}
    other = sum(v for k, v in c.items() if k[0] == "method" and k[1] not in METHODS)
    by_method["其他"] += other
    married = c.get(("married_women",), 0)
    sterilization = by_method["女扎"] + by_method["男扎"]
    long_acting = sterilization + by_method["宫内节育器"] + by_method["皮下埋植"]
    users = married - by_method["未避孕"]
    return {"married_women": married, "by_method": by_method, "users": users,
            "sterilization": sterilization, "long_acting": long_acting,
            "short_acting": users - long_acting}
