"""Family-planning procedures (计划生育手术) in P per unit, by procedure date.

Every procedure dated in P (both ends included) on a card that is not void counts, whatever the
woman's 居住状态 (the office records the procedures of the women on its register), unless it is
dated after her real exit (app.definitions.before_exit_sql: she had left; as for births). With as-of,
only procedures entered (created_at) on or before that day.
- Report groups: 结扎 = 女扎 + 男扎; 人流引产 = 人工流产 + 中期引产; 上环; 取环; 皮埋.
- 其中一孩上环: 上环 on a woman whose highest 孩次 among her own (亲生) children born on or before
  the procedure date is 1.
- 农村结扎 / 农村上环 (the long-acting table): 结扎 / 上环 on women with 户口性质 农业.

Counter keys: ("proc", kind, rural: bool), ("proc_iud_first",).
"""

from __future__ import annotations

from collections import Counter

from app import definitions
from app.stats.scope import NOT_VOID, VOID_EXIT, Scope

KINDS = {"女扎": "female_sterilization", "男扎": "male_sterilization", "上环": "iud_insertion",
         "取环": "iud_removal", "皮埋": "implant", "人工流产": "abortion", "中期引产": "mid_term_induction"}

# The 一孩上环 subquery is reached for 上环 rows only (CASE). Without as-of the created_at test
# is left out, so procedures_date (date, kind, woman_id) covers the procedures side: no table
# lookup per procedure (a month reads a month of the index).
_PROCEDURES = f"""
select w.unit_id, p.kind, w.hukou_type = '农业', count(*),
       sum(case when p.kind = '上环' then (select max(c.birth_order) from children c
            where c.mother_id = w.id and c.kinship = '亲生' and c.birth_date <= p.date) = 1 else 0 end)
from procedures p join women w on w.id = p.woman_id
where p.date between :start and :end{{as_of}}
  and {NOT_VOID} and {definitions.before_exit_sql("p.date")}
group by 1, 2, 3
"""
_AS_OF = " and substr(p.created_at, 1, 10) <= :as_of"


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    params = {"start": scope.start, "end": scope.end, "as_of": scope.as_of_text, "void": VOID_EXIT}
    sql = _PROCEDURES.replace("{as_of}", _AS_OF if scope.as_of else "")
    for unit_id, kind, rural, count, iud_first in scope.db.execute(sql, params):
        facts[unit_id][("proc", kind, bool(rural))] += count
        facts[unit_id][("proc_iud_first",)] += iud_first or 0


def figures(c: Counter) -> dict:
    def count(kind: str, rural: bool | None = None) -> int:
        if rural is None:
            return c.get(("proc", kind, True), 0) + c.get(("proc", kind, False), 0)
        return c.get(("proc", kind, rural), 0)

    out = {key: count(kind) for kind, key in KINDS.items()}
    out["sterilization"] = out["female_sterilization"] + out["male_sterilization"]
    out["abortion_and_induction"] = out["abortion"] + out["mid_term_induction"]
    out["iud_insertion_first_child"] = c.get(("proc_iud_first",), 0)
    out["total"] = sum(out[key] for key in KINDS.values())
    ordered = ["female_sterilization", "male_sterilization", "sterilization", "iud_insertion",
               "iud_insertion_first_child", "iud_removal", "implant", "abortion",
               "mid_term_induction", "abortion_and_induction", "total"]
    return {key: out[key] for key in ordered}


def rural(c: Counter) -> tuple[int, int]:
    """(农村结扎, 农村上环) from a rolled-up counter."""
    return (c.get(("proc", "女扎", True), 0) + c.get(("proc", "男扎", True), 0),
            c.get(("proc", "上环", True), 0))
