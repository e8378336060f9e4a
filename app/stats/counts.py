"""The integer counts (计数) behind every figure of the forms, with stable string keys.

A period's rates are never summed: a district (or anyone re-checking a form) adds these counts
over units and recomputes every rate from the sums. They are the per-unit facts that
`app.stats.computation.compute_all` gathers (app/stats/births.py, procedures.py, long_acting.py,
women.py) rolled up over a unit's subtree, plus the unit's population base (人口基数). They are
frozen in a closed period's snapshot, so a closed period's counts come from the snapshot too.

Keys (every key of the fixed grids is always present, zero when nothing was counted; a value
outside the grids — an unusual 性别 or 政策属性 typed in an old ledger — adds its own key):
- `births|<order>|<sex>|<policy>` — 本期出生 by 孩次 (`1`, `2`, `3+` = third and later), 性别
  (`男`/`女`) and 政策属性 (`政策内`/`政策外`); `births_died` — of them, died by P's end.
- `late|<order>|<sex>|<policy>` — 补报 (往年出生未报) reported in P, same grid.
- `procedures|<kind>|<hukou>` — 计划生育手术 in P by 手术类型 (女扎, 男扎, 上环, 取环, 皮埋,
  人工流产, 中期引产) and the woman's 户口性质 (`农业`, or `非农业` for every other value);
  `procedures_iud_first_child` — 其中一孩上环.
- `long_acting_due|<order>`, `long_acting_done|<order>` — 长效节育措施 应落实 / 已落实 by the
  孩次 of the youngest child (all zero when the indicator is switched off).
- `first_marriages|age_23_plus`, `first_marriages|under_23` — 初婚 in P (23岁以上 or not).
- `married_women` — 已婚育龄妇女 15–49 at P's end; `contraception|<method>` — of them, by the
  method in use at P's end (女扎, 男扎, 宫内节育器, 皮下埋植, 口服及注射避孕药, 避孕套, 外用药,
  其他, 未避孕); the methods add up to `married_women`.
- `moves_in|<reason>`, `moves_out|<reason>`, `exits|<reason>`, `new_cards` — 人口变动 in P
  (app/stats/movement.py); `age|<band>|<status>` — 育龄妇女 at P's end by 5-year band and
  marital status, `kids_method|<0|1|2|3+>|<method>` — married women by living children and
  method in use (app/stats/structure.py; its methods add up to `married_women`);
  `health_checks|due|done|certificate|<category>` — 应查 / 实查 / 寄回证明 人次 of the rounds
  lying in P (app/stats/health_service.py); their grids are app/stats/grids.py.
- `population`, `population_start`, `deaths` — the 人口基数 resolved for the unit and P
  (app/stats/population.py): end population, start population (None when not known for every
  contributing unit) and deaths; None when not entered. They are the only keys that may be None.

Relations a consumer may rely on (tests/app/test_period_figures.py checks them against the
report): births = Σ births|…; 补报 likewise; procedures by type = Σ over hukou; 农村结扎 =
procedures|女扎|农业 + procedures|男扎|农业, 农村上环 = procedures|上环|农业; 落实节育措施人数 =
married_women − contraception|未避孕.
"""

from __future__ import annotations

from collections import Counter

from app import definitions
from app.stats import grids
from app.stats.population import Base

ORDERS = {1: "1", 2: "2", 3: "3+"}
SEXES = ("男", "女")
POLICIES = ("政策内", "政策外")
PROCEDURE_KINDS = ("女扎", "男扎", "上环", "取环", "皮埋", "人工流产", "中期引产")
METHODS = definitions.METHODS
FORMAT = "fpledger-counts/1"


def _order(value: int | str | None) -> str:
    return ORDERS.get(min(int(value or 1), 3), "3+")


def from_counter(c: Counter, base: Base) -> dict[str, int | None]:
    """The documented counts of one rolled-up counter and its population base."""
    out: dict[str, int | None] = {}
    for kind in ("births", "late"):
        for order in ORDERS.values():
            for sex in SEXES:
                for policy in POLICIES:
                    out[f"{kind}|{order}|{sex}|{policy}"] = 0
    out["births_died"] = 0
    for kind in PROCEDURE_KINDS:
        out[f"procedures|{kind}|农业"] = 0
        out[f"procedures|{kind}|非农业"] = 0
    out["procedures_iud_first_child"] = 0
    for order in ORDERS.values():
        out[f"long_acting_due|{order}"] = 0
        out[f"long_acting_done|{order}"] = 0
    out["first_marriages|age_23_plus"] = 0
    out["first_marriages|under_23"] = 0
    out["married_women"] = 0
    for method in METHODS:
        out[f"contraception|{method}"] = 0
    out.update(dict.fromkeys(grids.count_keys(), 0))

    for key, value in sorted(c.items(), key=lambda item: repr(item[0])):
        tag = key[0]
        if tag in ("birth", "late"):
            name = f"{'births' if tag == 'birth' else 'late'}|{_order(key[1])}|{key[2]}|{key[3]}"
        elif tag == "birth_died":
            name = "births_died"
        elif tag == "proc":
            name = f"procedures|{key[1]}|{'农业' if key[2] else '非农业'}"
        elif tag == "proc_iud_first":
            name = "procedures_iud_first_child"
        elif tag in ("la_due", "la_done"):
            name = f"long_acting_{tag[3:]}|{_order(key[1])}"
        elif tag == "marriage":
            name = f"first_marriages|{'age_23_plus' if key[1] else 'under_23'}"
        elif tag == "married_women":
            name = "married_women"
        elif tag == "method":
            name = f"contraception|{key[1]}"
        else:   # the casework modules' keys; a fact kind nobody knows: keep it rather than lose a count
            name = grids.count_name(key) or "|".join(str(part) for part in key)
        out[name] = (out.get(name) or 0) + value
    out["population"] = base.population
    out["population_start"] = base.start_population
    out["deaths"] = base.deaths
    return out


POPULATION_KEYS = ("population", "population_start", "deaths")
_ORDER_NUMBER = {"1": 1, "2": 2, "3+": 3}


def to_counter(counts: dict[str, int | None]) -> Counter:
    """The facts counter that `from_counter` turns into these counts (the population keys left
    out): the way back, so summed counts go through the very functions that made the figures
    (app/stats/summed.py). Zero counts are dropped; `from_counter(to_counter(c), base)` == c."""
    out: Counter = Counter()
    for name, value in counts.items():
        if name in POPULATION_KEYS or not value:
            continue
        parts = name.split("|")
        tag = parts[0]
        if tag in ("births", "late") and len(parts) == 4:
            key: tuple = ("birth" if tag == "births" else "late", _ORDER_NUMBER.get(parts[1], parts[1]),
                          parts[2], parts[3])
        elif name == "births_died":
            key = ("birth_died",)
        elif tag == "procedures" and len(parts) == 3:
            key = ("proc", parts[1], parts[2] == "农业")
        elif name == "procedures_iud_first_child":
            key = ("proc_iud_first",)
        elif tag in ("long_acting_due", "long_acting_done") and len(parts) == 2:
            key = (f"la_{tag[len('long_acting_'):]}", _ORDER_NUMBER.get(parts[1], parts[1]))
        elif tag == "first_marriages" and len(parts) == 2:
            key = ("marriage", parts[1] == "age_23_plus")
        elif name == "married_women":
            key = ("married_women",)
        elif tag == "contraception" and len(parts) == 2:
            key = ("method", parts[1])
        else:   # a key from_counter kept as it came: keep it the same way
            key = tuple(parts)
        out[key] += int(value)
    return out


def rural_procedures(counts: dict) -> tuple[int, int]:
    """(农村结扎, 农村上环) from a counts dict."""
    return (counts.get("procedures|女扎|农业", 0) + counts.get("procedures|男扎|农业", 0),
            counts.get("procedures|上环|农业", 0))


__all__ = ["FORMAT", "POPULATION_KEYS", "from_counter", "rural_procedures", "to_counter"]
