"""人口变动 facts of a period (the monthly 人口变动 report): moves in and out, exits, new cards.

Rules (the counts are facts of the cards; births and first marriages come from births.py and
women.py, as in every other form):
- 流入 in P: cards whose 居住状态 is 流入 and whose 流动日期 is in P, by 流动原因; 流出 in P
  likewise for 流出. The registry keeps a card's current 居住状态 only, so a woman who moved in
  and has since left again is counted by what the card says now.
- 出队 in P by reason: real exits (超龄, 迁出, 死亡) dated in P; 死亡 is the deaths of women
  (育龄妇女死亡). Void cards (录入错误) are never counted.
- 新建卡 in P: cards whose 建卡日期 is in P.
- A 流动原因 outside the code list (an old ledger's free text) or blank counts as 其他.
- With as-of, only cards entered (created_at) by that day.

Counter keys: ("move_in", reason), ("move_out", reason), ("exit", reason), ("new_card",).
Count keys (app/stats/grids.py): `moves_in|<reason>`, `moves_out|<reason>`, `exits|<reason>`,
`new_cards`.
"""

from __future__ import annotations

from collections import Counter

from app.stats.grids import FLOAT_REASONS
from app.stats.scope import NOT_VOID, Scope

# One pass over the cards (none of these dates is indexed; the matching rows are few).
_EVENTS = f"""
select w.unit_id,
       case when w.float_date between :start and :end and trim(w.residence) in ('流入', '流出')
            then trim(w.residence) end,
       coalesce(trim(w.float_reason), ''),
       case when w.exit_date between :start and :end and trim(w.exit_reason) in ('超龄', '迁出', '死亡')
            then trim(w.exit_reason) end,
       w.card_date between :start and :end,
       count(*)
from women w not indexed
where (w.float_date between :start and :end or w.exit_date between :start and :end
       or w.card_date between :start and :end)
  and {NOT_VOID} and substr(w.created_at, 1, 10) <= :as_of
group by 1, 2, 3, 4, 5
"""


def collect(scope: Scope, facts: dict[int, Counter]) -> None:
    params = {"start": scope.start, "end": scope.end, "as_of": scope.as_of_text}
    for unit_id, residence, reason, exit_reason, new_card, count in scope.db.execute(_EVENTS, params):
        counter = facts[unit_id]
        if residence:
            tag = "move_in" if residence == "流入" else "move_out"
            counter[(tag, reason if reason in FLOAT_REASONS else "其他")] += count
        if exit_reason:
            counter[("exit", exit_reason)] += count
        if new_card:
            counter[("new_card",)] += count
