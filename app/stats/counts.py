"""The integer counts (计数) behind every figure of the forms, with stable string keys.

A period's rates are never summed: a district (or anyone re-checking a form) adds these counts
over units and recomputes every rate from the sums. They are the per-unit facts that
`app.stats.report.compute_all` gathers (app/stats/births.py, procedures.py, long_acting.py,
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

from app.stats.population import Base

ORDERS = {1: "1", 2: "2", 3: "3+"}
SEXES = ("男", "女")
POLICIES = ("政策内", "政策外")
PROCEDURE_KINDS = ("女扎", "男扎", "上环", "取环", "皮埋", "人工流产", "中期引产")
METHODS = ("女扎", "男扎", "宫内节育器", "皮下埋植", "口服及注射避孕药", "避孕套", "外用药", "其他", "未避孕")
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
        else:   # a fact kind this module does not know yet: keep it rather than lose a count
            name = "|".join(str(part) for part in key)
        out[name] = (out.get(name) or 0) + value
    out["population"] = base.population
    out["population_start"] = base.start_population
    out["deaths"] = base.deaths
    return out


def rural_procedures(counts: dict) -> tuple[int, int]:
    """(农村结扎, 农村上环) from a counts dict."""
    return (counts.get("procedures|女扎|农业", 0) + counts.get("procedures|男扎|农业", 0),
            counts.get("procedures|上环|农业", 0))


__all__ = ["FORMAT", "from_counter", "rural_procedures"]
