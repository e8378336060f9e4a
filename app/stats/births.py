"""Births (本期出生) and late reports (补报 / 往年出生未报) per unit, by DOMAIN.md §5.

- A birth of P: a child with 血缘关系 亲生, 出生日期 in P, whose mother is 常住 or 流入 (births
  count where the mother lives; 流出 women's births are the other place's), and whose 上报日期
  (the birth date when empty) is on or before P's end — and, with as-of, on or before that day.
  A child who died after birth is still a birth. Adopted and step children never count.
- A child entered after the period of its 上报日期 was closed counts as reported on its entry
  day (`counted_on`, app/late_entry.py): the effective report day below is that day.
- A late report (补报) in P: such a child with 上报日期 in P and 出生日期 before P's start. It
  never enters P's births or birth rate. A birth reported after its period's end is therefore
  the late report of the period it was reported in, and every birth is counted exactly once.
- The rule is app.definitions' "birth counted in P" / "补报 in P" (shared with the manual
  ledger, the reconciliation and the veto list).
- The mother's 居住状态 is her card's current one (the registry keeps no history of it).
- A card that exited for a real reason (迁出, 死亡, 超龄) still counts the births up to and
  including its exit date: they happened while she was on this office's register. A child dated
  after her exit is not this office's birth (she had left). 录入错误 cards are void: never counted.
- The effective report day is max(计入上报日 or 上报日期, 出生日期) (both empty → the birth date): a
  上报日期 before the birth date is a typing slip, and with `--as-of` a birth cannot have been
  known before it happened. For P's own births this changes nothing (the birth is in P, so the
  effective day is ≤ P's end exactly when the typed one is); for 补报 it cannot matter either
  (a 补报's 上报日期 is after P's start, so after the birth).

Counter keys: ("birth", order, sex, policy), ("birth_died",), ("late", order, sex, policy).
`order` is 1, 2 or 3 (3 = third and later, 多孩).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from app import definitions
from app.stats.scope import VOID_EXIT, Scope

_BIRTHS = f"""
select w.unit_id, min(c.birth_order, 3), c.sex, c.policy,
       sum(c.death_date is not null and c.death_date <= :end), count(*)
from children c join women w on w.id = c.mother_id
where {definitions.birth_in_sql(":start", ":end", ":as_of")}
group by 1, 2, 3, 4
"""

_LATE = f"""
select w.unit_id, min(c.birth_order, 3), c.sex, c.policy, count(*)
from children c join women w on w.id = c.mother_id
where {definitions.late_report_in_sql(":start", ":end", ":as_of")}
group by 1, 2, 3, 4
"""


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    params = {"start": scope.start, "end": scope.end, "as_of": scope.as_of_text, "void": VOID_EXIT}
    for unit_id, order, sex, policy, died, count in scope.db.execute(_BIRTHS, params):
        facts[unit_id][("birth", order, sex, policy)] += count
        facts[unit_id][("birth_died",)] += died
    for unit_id, order, sex, policy, count in scope.db.execute(_LATE, params):
        facts[unit_id][("late", order, sex, policy)] += count


def new_facts() -> dict[int, Counter]:
    return defaultdict(Counter)


def figures(c: Counter) -> dict:
    """Birth counts from a rolled-up counter (exact ints)."""
    def total(kind: str, order: int | None = None, sex: str | None = None, policy: str | None = None) -> int:
        return sum(v for k, v in c.items() if k[0] == kind and len(k) == 4
                   and (order is None or k[1] == order) and (sex is None or k[2] == sex)
                   and (policy is None or k[3] == policy))

    return {
        "births": total("birth"),
        "male": total("birth", sex="男"), "female": total("birth", sex="女"),
        "by_order": {o: total("birth", o) for o in (1, 2, 3)},
        "by_order_sex": {o: (total("birth", o, "男"), total("birth", o, "女")) for o in (1, 2, 3)},
        "policy": total("birth", policy="政策内"), "non_policy": total("birth", policy="政策外"),
        "died": c.get(("birth_died",), 0),
        "late": total("late"), "late_policy": total("late", policy="政策内"),
        "late_non_policy": total("late", policy="政策外"),
        "late_male": total("late", sex="男"), "late_female": total("late", sex="女"),
        "late_by_order": {o: total("late", o) for o in (1, 2, 3)},
    }
