"""Sample Forms for renderer tests, with the seeds' figures (篇三, 荷塘区 2026 上半年).

These are hand-made Form values (what app/stats + app/forms/standard produce), so the
renderers are tested on layout and exact figures independently of the statistics.
"""

from __future__ import annotations

from decimal import Decimal

from app.forms.model import Column, Form, LegalBlock

LEGAL = LegalBlock(table_no="计生统4表", authority="国家人口计生委", approved_by="国家统计局",
                   approval_no="国统制〔2024〕12号", valid_until="2027年12月")

# (name, 应落实, 已落实, 农村结扎, 农村上环) — the seed's table 20 and paragraph 6.
LONG_ACTING_UNITS = [
    ("仙庾镇", 184, 85, 20, 65),
    ("明照乡", 149, 56, 11, 45),
    ("桂花办事处", 41, 12, 1, 11),
    ("宋家桥办事处", 19, 8, 0, 8),
    ("金山办事处", 37, 21, 1, 21),
]


def _rate(done: int, due: int) -> Decimal | None:
    return Decimal(done) * 100 / Decimal(due) if due else None


def long_acting_form() -> Form:
    """长效节育措施落实情况表: a flat header plus a two-level 农村 group."""
    rows = [
        {"unit": name, "due": due, "done": done, "owed": due - done, "rate": _rate(done, due),
         "rural_sterilization": st, "rural_iud": iud}
        for name, due, done, st, iud in LONG_ACTING_UNITS
    ]
    total = {"unit": "合计"}
    for key in ("due", "done", "owed", "rural_sterilization", "rural_iud"):
        total[key] = sum(r[key] for r in rows)
    total["rate"] = _rate(total["done"], total["due"])
    return Form(
        form_id="long_acting", title="长效节育措施落实情况表",
        columns=[
            Column("单位", key="unit", kind="text", width=16),
            Column("应落实数", key="due"), Column("已落实数", key="done"), Column("欠帐数", key="owed"),
            Column("期内落实率(%)", key="rate", kind="percent", width=12),
            Column("农村长效节育手术", children=[Column("结扎", key="rural_sterilization"),
                                          Column("上环", key="rural_iud")]),
        ],
        rows=rows, total_row=total, period_label="2026年上半年", filler="荷塘区人口和计划生育局",
        unit_line="单位：人、%", legal=LEGAL, notes=["说明：应落实数按末孩出生后4个月到期计算。"],
    )


def births_form(extra_rows: int = 0) -> Form:
    """人口与出生情况: three header levels (出生人数 › 其中 › 男/女), permille rates."""
    units = [("仙庾镇", 62000, 301, 88), ("明照乡", 51000, 247, 70), ("桂花办事处", 40000, 190, 50),
             ("宋家桥办事处", 37444, 180, 52), ("金山办事处", 30000, 152, 47)]
    units += [(f"测试村{i:03d}", 1000 + i, i % 7, i % 3) for i in range(extra_rows)]
    rows = []
    for name, population, births, deaths in units:
        rows.append({
            "unit": name, "population": population, "births": births,
            "first": births * 85 // 100, "second": births - births * 85 // 100,
            "male": (births + 1) // 2, "female": births // 2,
            "late": births // 6, "deaths": deaths,
            "birth_rate": Decimal(births) * 1000 / population,
            "growth_rate": Decimal(births - deaths) * 1000 / population,
        })
    total = {"unit": "合计"}
    for key in ("population", "births", "first", "second", "male", "female", "late", "deaths"):
        total[key] = sum(r[key] for r in rows)
    total["birth_rate"] = Decimal(total["births"]) * 1000 / total["population"]
    total["growth_rate"] = Decimal(total["births"] - total["deaths"]) * 1000 / total["population"]
    return Form(
        form_id="births", title="人口与出生情况",
        columns=[
            Column("单位", key="unit", kind="text", width=14),
            Column("总人口", key="population", width=10),
            Column("出生人数", children=[
                Column("合计", key="births", width=8),
                Column("其中", children=[Column("一孩", key="first", width=7), Column("二孩", key="second", width=7),
                                       Column("男", key="male", width=6), Column("女", key="female", width=6)]),
            ]),
            Column("往年出生未报人数", key="late", width=10),
            Column("死亡人数", key="deaths", width=8),
            Column("出生率(‰)", key="birth_rate", kind="permille", width=9),
            Column("自然增长率(‰)", key="growth_rate", kind="permille", width=10),
        ],
        rows=rows, total_row=total, period_label="2026年上半年", filler="荷塘区人口和计划生育局",
        unit_line="单位：人、‰", legal=LEGAL,
    )
