"""The standard forms beyond the first four, each defined ONCE as data (app/forms/model.py):

- `population_change` 人口变动情况（月）报表: one row per direct child unit plus 合计 — births
  (合计/男/女), first marriages (其中23岁以上), 流入 and 流出 in P by 流动原因, 出队 by reason
  (超龄, 迁出, 死亡 = deaths of women) and 新建卡 (app/stats/movement.py).
- `age_structure` 育龄妇女年龄结构: the reported unit's women 15–49 at P's end, one row per
  5-year band plus 合计, by marital status at P's end (app/stats/structure.py).
- `children_methods` 已婚育龄妇女孩次、节育情况: married women 15–49 at P's end by living
  children (无孩, 一孩, 二孩, 三孩及以上) × method in use; its 合计 row is 表2's.
- `reproductive_health` 已婚育龄妇女生殖健康服务情况 (annual: part of a statistical year's
  forms): 应查 / 实查 人次 by roster category from the rounds lying in P, one row per direct
  child unit plus 合计 (app/stats/health_service.py); 服务率 = 实查 / 应查 × 100.

Every cell comes from the integer counts of `PeriodFigures.counts` (app/stats/counts.py) —
the ONE road for a period's figures: a closed period's forms are its snapshot's counts, an
open period's are computed, and a district that sums the townships' counts gets the same forms.
A snapshot taken before these counts existed has none of them: its cells stay blank (None),
never recomputed, and the form says so in its notes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app import units
from app.forms.model import Column, Form
from app.periods import Period
from app.roster.rounds import list_rounds
from app.stats import grids
from app.stats.counts import ORDERS, POLICIES, SEXES
from app.stats.period_figures import PeriodFigures

FORM_IDS = ("population_change", "age_structure", "children_methods")
ANNUAL_FORM_IDS = ("reproductive_health",)
DEFAULT_TABLE_NO = {"population_change": "人口变动表", "age_structure": "育龄妇女年龄结构表",
                    "children_methods": "孩次节育情况表", "reproductive_health": "生殖健康服务表"}
NO_COUNTS = "本期关账快照早于本表，没有冻结本表的数字（空白不是零）；如需数字，请按当前数据重新计算。"


def _text(title: str, key: str, width: float = 14) -> Column:
    return Column(title, key, "text", width)


def _int(title: str, key: str, width: float = 7) -> Column:
    return Column(title, key, "int", width)


def _rate(value_num: int | None, value_den: int | None) -> Decimal | None:
    if value_num is None or not value_den:
        return None
    return Decimal(value_num) * 100 / Decimal(value_den)


class _Counts:
    """A unit's counts; every read is None when the snapshot kept none of these keys."""

    def __init__(self, counts: dict | None, probe: str) -> None:
        self.c = counts if counts is not None and probe in counts else None

    @property
    def missing(self) -> bool:
        return self.c is None

    def get(self, key: str) -> int | None:
        return None if self.c is None else int(self.c.get(key) or 0)

    def total(self, keys: list[str]) -> int | None:
        return None if self.c is None else sum(int(self.c.get(k) or 0) for k in keys)


def forms(ledger, pf: PeriodFigures, unit: units.Unit | None, period: Period, common: dict,
          legal_block) -> list[Form]:
    """The new forms of the period (the annual one for a statistical year only)."""
    out = [_population_change(ledger, pf, unit, period, common, legal_block),
           _age_structure(ledger, pf, unit, common, legal_block),
           _children_methods(ledger, pf, unit, common, legal_block)]
    if period.kind == "year":
        out.append(_reproductive_health(ledger, pf, unit, common, legal_block))
    return out


def _notes(missing: bool, notes: list[str]) -> list[str]:
    return ([NO_COUNTS] if missing else []) + notes


# ---- 人口变动 ------------------------------------------------------------------------------------

def _population_change(ledger, pf, unit, period: Period, common: dict, legal_block) -> Form:
    reasons = grids.FLOAT_REASONS
    columns = [
        _text("单位", "name", 14),
        Column("出生人数", children=[_int("合计", "births", 6), _int("男", "births_m", 5), _int("女", "births_f", 5)]),
        Column("初婚", children=[_int("合计", "marriages", 6), _int("其中23岁以上", "marriages_23", 7)]),
        Column("流入", children=[_int("合计", "in_total", 6)] + [_int(r, f"in_{i}", 6) for i, r in enumerate(reasons)]),
        Column("流出", children=[_int("合计", "out_total", 6)] + [_int(r, f"out_{i}", 6) for i, r in enumerate(reasons)]),
        Column("育龄妇女出队", children=[_int("合计", "exit_total", 6), _int("超龄", "exit_0", 5),
                                   _int("迁出", "exit_1", 5), _int("死亡", "exit_2", 5)]),
        _int("新建卡", "new_cards", 6),
    ]
    missing = [False]

    def row(u, name: str) -> dict[str, Any]:
        c = _Counts(pf.counts(u), "new_cards")
        missing[0] |= c.missing
        births = lambda sex=None: c.total([f"births|{o}|{s}|{p}" for o in ORDERS.values()  # noqa: E731
                                           for s in (SEXES if sex is None else (sex,)) for p in POLICIES])
        out = {"name": name, "births": births(), "births_m": births("男"), "births_f": births("女"),
               "marriages": c.total(["first_marriages|age_23_plus", "first_marriages|under_23"]),
               "marriages_23": c.get("first_marriages|age_23_plus"),
               "in_total": c.total([f"moves_in|{r}" for r in reasons]),
               "out_total": c.total([f"moves_out|{r}" for r in reasons]),
               "exit_total": c.total([f"exits|{r}" for r in grids.EXIT_REASONS]),
               "new_cards": c.get("new_cards")}
        for i, r in enumerate(reasons):
            out[f"in_{i}"], out[f"out_{i}"] = c.get(f"moves_in|{r}"), c.get(f"moves_out|{r}")
        for i, r in enumerate(grids.EXIT_REASONS):
            out[f"exit_{i}"] = c.get(f"exits|{r}")
        return out

    rows = [row(u, u.name) for u in pf.top(unit)]
    total = row(unit, "合计")
    title = "人口变动情况月报表" if period.kind == "month" else "人口变动情况表"
    return Form("population_change", title, columns, rows, legal=legal_block(ledger, "population_change"),
                unit_line="单位：人", total_row=total,
                notes=_notes(missing[0], [
                    "流入、流出按卡片现居住状态及流动日期在本期内统计；出队按出队日期，死亡即育龄妇女死亡；"
                    "出生按本期出生口径（不含补报）。"]), **common)


# ---- 年龄结构 ------------------------------------------------------------------------------------

def _age_structure(ledger, pf, unit, common: dict, legal_block) -> Form:
    columns = [_text("年龄组（岁）", "band", 12), _int("育龄妇女合计", "total", 9), _int("未婚", "s_未婚"),
               Column("已婚", children=[_int("合计", "married"), _int("初婚", "s_初婚"), _int("再婚", "s_再婚")]),
               _int("离婚", "s_离婚"), _int("丧偶", "s_丧偶"), Column("占育龄妇女（%）", "share", "percent", 10)]
    c = _Counts(pf.counts(unit), "age|15-19|未婚")
    grand = c.total([f"age|{b}|{s}" for b in grids.BANDS for s in grids.STATUSES])

    def row(label: str, bands: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {"band": label}
        for s in grids.STATUSES:
            out[f"s_{s}"] = c.total([f"age|{b}|{s}" for b in bands])
        out["married"] = None if c.missing else out["s_初婚"] + out["s_再婚"]
        out["total"] = c.total([f"age|{b}|{s}" for b in bands for s in grids.STATUSES])
        out["share"] = _rate(out["total"], grand)
        return out

    rows = [row(b.replace("-", "–"), (b,)) for b in grids.BANDS]
    return Form("age_structure", "育龄妇女年龄结构", columns, rows, legal=legal_block(ledger, "age_structure"),
                unit_line="单位：人、%", total_row=row("合计", grids.BANDS),
                notes=_notes(c.missing, [
                    f"{pf.name(unit)}期末（{pf.period.end.isoformat()}）在册、常住或流入的15–49岁育龄妇女，"
                    "按期末年龄（周岁）和期末婚姻状况统计；已婚合计即节育情况表的已婚育龄妇女数。"]), **common)


# ---- 孩次、节育情况 ------------------------------------------------------------------------------

_METHODS = (("男扎", "男扎"), ("女扎", "女扎"), ("上环", "宫内节育器"), ("皮埋", "皮下埋植"),
            ("口服及注射药", "口服及注射避孕药"), ("避孕套", "避孕套"), ("外用药", "外用药"), ("其他", "其他"))
_KIDS = (("无孩", "0"), ("一孩", "1"), ("二孩", "2"), ("三孩及以上", "3+"))


def _children_methods(ledger, pf, unit, common: dict, legal_block) -> Form:
    columns = [_text("现有子女数", "kids", 12), _int("已婚育龄妇女数", "married", 10),
               Column("落实节育措施人数", children=[_int("合计", "users")]
                      + [_int(t, f"m_{i}") for i, (t, _m) in enumerate(_METHODS)]),
               _int("未避孕", "none"), Column("综合节育率（%）", "rate", "percent", 9)]
    c = _Counts(pf.counts(unit), "kids_method|0|未避孕")

    def row(label: str, kids: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {"kids": label}
        for i, (_t, method) in enumerate(_METHODS):
            out[f"m_{i}"] = c.total([f"kids_method|{k}|{method}" for k in kids])
        out["none"] = c.total([f"kids_method|{k}|未避孕" for k in kids])
        out["users"] = None if c.missing else sum(out[f"m_{i}"] for i in range(len(_METHODS)))
        out["married"] = None if c.missing else out["users"] + out["none"]
        out["rate"] = _rate(out["users"], out["married"])
        return out

    rows = [row(label, (k,)) for label, k in _KIDS]
    return Form("children_methods", "已婚育龄妇女孩次、节育情况", columns, rows,
                legal=legal_block(ledger, "children_methods"), unit_line="单位：人、%",
                total_row=row("合计", tuple(k for _l, k in _KIDS)),
                notes=_notes(c.missing, [
                    f"{pf.name(unit)}期末已婚、15–49岁、常住或流入的育龄妇女，按期末存活子女数（卡片所登记的子女）"
                    "和期末在用节育措施统计；合计行即节育情况表（表2）的数字。"]), **common)


# ---- 生殖健康服务（年报） --------------------------------------------------------------------------

def _reproductive_health(ledger, pf, unit, common: dict, legal_block) -> Form:
    cats = grids.CHECK_CATEGORIES

    def group(title: str, prefix: str) -> Column:
        return Column(title, children=[_int("合计", f"{prefix}_total")]
                      + [_int(cat, f"{prefix}_{i}", 7 if len(cat) < 5 else 10) for i, cat in enumerate(cats)])

    columns = [_text("单位", "name", 14), group("应查人次", "due"), group("实查人次（含寄回证明）", "done"),
               _int("其中寄回证明", "certificate", 8), Column("服务率（%）", "rate", "percent", 9)]
    missing = [False]

    def row(u, name: str) -> dict[str, Any]:
        c = _Counts(pf.counts(u), f"health_checks|due|{cats[0]}")
        missing[0] |= c.missing
        out: dict[str, Any] = {"name": name}
        for what in ("due", "done"):
            out[f"{what}_total"] = c.total([f"health_checks|{what}|{cat}" for cat in cats])
            for i, cat in enumerate(cats):
                out[f"{what}_{i}"] = c.get(f"health_checks|{what}|{cat}")
        out["certificate"] = c.total([f"health_checks|certificate|{cat}" for cat in cats])
        out["rate"] = _rate(out["done_total"], out["due_total"])
        return out

    rows = [row(u, u.name) for u in pf.top(unit)]
    total = row(unit, "合计")
    codes = [r.code for r in sorted(list_rounds(pf.db), key=lambda r: r.start)
             if r.start >= pf.period.start and r.end <= pf.period.end]
    listed = "、".join(codes) if codes else "（本年度没有孕检轮次）"
    return Form("reproductive_health", "已婚育龄妇女生殖健康服务情况", columns, rows,
                legal=legal_block(ledger, "reproductive_health"), unit_line="单位：人次、%", total_row=total,
                notes=_notes(missing[0], [
                    f"本年度孕检（三查）轮次：{listed}。按轮次计人次：同一妇女每轮应查计一次；实查含寄回证明；"
                    "服务率 = 实查人次 ÷ 应查人次 × 100。"]), **common)

