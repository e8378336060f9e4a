"""育龄妇女 at P's end: the age structure (5-year bands × marital status) and the married women
by number of living children × method in use (已婚育龄妇女孩次、节育情况).

Rules (app.definitions' notions at P's end, the population of the national 表2):
- Counted: cards not void, on the register at P's end (app.definitions.active_at), 居住状态 常住
  or 流入, aged 15–49 at P's end (completed years); with as-of, cards entered by that day.
- Age band at P's end: 15–19, 20–24, …, 45–49 (age N or more ⇔ born on or before P's end − N
  years, the same shift as `app.definitions.age_bounds`).
- Marital status at P's end: 未婚 when 初婚日期 is after the end (or the card says 未婚);
  初婚; 再婚 (复婚 is 再婚) when the remarriage (婚变日期) is on or before the end — a 再婚 card
  remarried after the end was between marriages then and counts as 离婚 (how the earlier
  marriage ended is not kept); 离婚/丧偶 when the change is on or before the end — divorced or
  widowed AFTER the end she was still married then, counted as 初婚 (the registry does not say
  whether that marriage was her first). So 初婚 + 再婚 here is exactly the 已婚 of
  app.definitions.married_at — the `married_women` count of 表2.
- Living children at P's end: the card's children (any 血缘关系: the children she is raising)
  born on or before the end and not dead by it (no 死亡日期 or one after the end); grouped
  0, 1, 2, 3+ (三孩及以上).
- Method in use at P's end: app.definitions.method_in_use (no row in effect → 未避孕), as 表2.
  The children × method grid therefore adds up to `married_women`, method by method.

Counter keys: ("age_band", band, status) and ("kids_method", kids, method) with kids "0", "1",
"2", "3+". Count keys (app/stats/grids.py): `age|<band>|<status>`, `kids_method|<kids>|<method>`.
"""

from __future__ import annotations

from collections import Counter

from app import definitions
from app.stats.grids import KIDS
from app.stats.scope import ACTIVE_AT_END, NOT_VOID, Scope

_STATUS_AT_END = """
case
  when coalesce(w.first_marriage_date, '') <> '' and w.first_marriage_date > :end then '未婚'
  when trim(w.marital_status) = '初婚' then '初婚'
  when trim(w.marital_status) in ('再婚', '复婚') then
    case when coalesce(w.marital_change_date, '') = '' or w.marital_change_date <= :end then '再婚' else '离婚' end
  when trim(w.marital_status) in ('离婚', '丧偶') then
    case when w.marital_change_date > :end then '初婚' else trim(w.marital_status) end
  else '未婚'
end"""

_BAND_AT_END = """
case when w.birth_date <= :b45 then '45-49' when w.birth_date <= :b40 then '40-44'
     when w.birth_date <= :b35 then '35-39' when w.birth_date <= :b30 then '30-34'
     when w.birth_date <= :b25 then '25-29' when w.birth_date <= :b20 then '20-24' else '15-19' end"""

_WOMEN = f"""
with {definitions.method_in_use_cte(":end", "current")},
kids as (select c.mother_id, count(*) as n from children c
         where c.birth_date <= :end and (c.death_date is null or c.death_date = '' or c.death_date > :end)
         group by c.mother_id)
select w.unit_id, {_BAND_AT_END}, {_STATUS_AT_END}, min(coalesce(kids.n, 0), 3),
       coalesce(current.method, '未避孕'), count(*)
from women w not indexed
left join current on current.woman_id = w.id
left join kids on kids.mother_id = w.id
where {definitions.LIVES_HERE_SQL} and {ACTIVE_AT_END} and {NOT_VOID}
  and w.birth_date > :born_after and w.birth_date <= :born_by
  and substr(w.created_at, 1, 10) <= :as_of
group by 1, 2, 3, 4, 5
"""


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    end = scope.period.end
    params = {"end": scope.end, "as_of": scope.as_of_text}
    params["born_after"], params["born_by"] = definitions.age_bounds(end)
    for age in (20, 25, 30, 35, 40, 45):
        params[f"b{age}"] = definitions.shift_years(end, -age).isoformat()
    for unit_id, band, status, kids, method, count in scope.db.execute(_WOMEN, params):
        counter = facts[unit_id]
        counter[("age_band", band, status)] += count
        if status in ("初婚", "再婚"):
            counter[("kids_method", KIDS[kids], method)] += count
