"""The four standard forms of a period, each defined ONCE as data (app/forms/model.py).

- `monthly` 计划生育月报表: one row per village/community (units of kind 村/社区/公共单位 in the
  subtree, tree order) plus 合计: births by sex, order and policy, 补报, deaths, procedures,
  long-acting take-up. For a period other than a month it is titled 计划生育报表.
- `population_births` 人口与出生情况 (national 表1 layout): one row per direct child unit plus
  合计: population, births by order and sex, 政策外, deaths, rates, sex ratio (all, 一孩, 二孩),
  计划生育率 and 往年出生未报人数 (补报: 合计, 政策内, 政策外).
- `contraception` 节育情况 (national 表2 layout): married women 15–49 at P's end, methods in use,
  综合节育率, and the procedures of P.
- `long_acting` 长效节育措施落实情况表 (篇三's table): 单位, 应落实数, 已落实数, 欠帐数, 期内落实率,
  农村结扎, 农村上环. With the long-acting indicator switched off (setting
  `long_acting_enabled` = "0") the table is titled （指标已关闭）, says so in its note and leaves
  应落实/已落实/欠帐/落实率 blank (None) — never zeros that read as figures; the monthly form's
  应落实/已落实 columns are likewise blank.
Every figure comes from `app.stats.period_figures.period_figures` — the ONE function that hands
out a period's figures — never from the computation itself: a closed period's forms are its
snapshot (figures, counts and unit tree as closed), an open period's are computed. Both give
the figures as `report()` prints them (counts int, rates rounded half up), the rates turned
into Decimal here, so a form built before and after a close prints the same cells. A closed
period is recomputed only when asked (`live=True`); each such form carries `banner`
(与已报送数不一致 …), which every renderer prints on every page.

Legal block and footer are ledger settings (`Ledger.setting`), with these defaults:
`form.<form_id>.table_no` (表号; defaults below — the monthly form's by the period's kind:
计生月报表, 计生季报表, 计生半年报表, 计生年报表, 计生报表 for a range), `.authority` (制表机关: 国家卫生健康委员会 for
表1/表2, else the office name), `.approved_by` (批准机关: 国家统计局 for 表1/表2, else blank),
`.approval_no` and `.valid_until` (blank: the clerk types the current 文号 — none is invented);
`form.signer.unit_head`, `form.signer.stat_head`, `form.signer.filler` fill the footer names.
填报单位 is the office name (setting `office_name`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app import definitions, units
from app.forms import population_forms
from app.forms.model import Column, Form, LegalBlock
from app.periods import Period
from app.stats.period_figures import PeriodFigures, period_figures

if TYPE_CHECKING:
    from app.ledger import Ledger

FORM_IDS = ("monthly", "population_births", "contraception", "long_acting",
            "population_change", "age_structure", "children_methods")   # + the annual ones below
ANNUAL_FORM_IDS = ("reproductive_health",)   # a statistical year's forms only (population_forms.py)

DEFAULT_TABLE_NO = {"monthly": "计生月报表", "population_births": "人口计生统表1",
                    "contraception": "人口计生统表2", "long_acting": "长效节育落实表",
                    **population_forms.DEFAULT_TABLE_NO}
# The monthly form run over another period is titled 计划生育报表 and numbered by its kind.
MONTHLY_TABLE_NO = {"month": "计生月报表", "quarter": "计生季报表", "half": "计生半年报表",
                    "year": "计生年报表", "range": "计生报表"}
NATIONAL = {"population_births", "contraception"}


def default_table_no(form_id: str, period: Period | None = None) -> str:
    """The 表号 printed when the setting `form.<form_id>.table_no` is blank: the monthly form's
    follows the period's kind (计生月报表 / 计生季报表 / 计生半年报表 / 计生年报表 / 计生报表)."""
    if form_id == "monthly" and period is not None:
        return MONTHLY_TABLE_NO.get(period.kind, "计生报表")
    return DEFAULT_TABLE_NO.get(form_id, "")


def legal_block(ledger: Ledger, form_id: str, period: Period | None = None) -> LegalBlock:
    def get(name: str, default: str = "") -> str:
        return ledger.setting(f"form.{form_id}.{name}", default) or ""

    national = form_id in NATIONAL
    return LegalBlock(
        table_no=get("table_no", default_table_no(form_id, period)),
        authority=get("authority", "国家卫生健康委员会" if national else ledger.office_name),
        approved_by=get("approved_by", "国家统计局" if national else ""),
        approval_no=get("approval_no"), valid_until=get("valid_until"))


def footer(ledger: Ledger) -> list[str]:
    def name(key: str) -> str:
        return ledger.setting(f"form.signer.{key}", "") or ""

    return [f"单位负责人：{name('unit_head')}", f"统计负责人：{name('stat_head')}",
            f"填表人：{name('filler')}", f"报出日期：{date.today():%Y年%m月%d日}"]


def _text(title: str, key: str, width: float = 16) -> Column:
    return Column(title, key, "text", width)


def _int(title: str, key: str, width: float = 7) -> Column:
    return Column(title, key, "int", width)


def _rate(title: str, key: str, kind: str = "permille", width: float = 8) -> Column:
    return Column(title, key, kind, width)


def _sexes(title: str, prefix: str) -> Column:
    return Column(title, children=[_int("合计", f"{prefix}", 6.5), _int("男", f"{prefix}_m", 6),
                                   _int("女", f"{prefix}_f", 6)])


def standard_forms(ledger: Ledger, period_code: str, unit_code: str | None = None,
                   figures: PeriodFigures | None = None, *, live: bool = False) -> list[Form]:
    """The period's forms for `unit_code` (default: the ledger's root): the four above, then
    app/forms/population_forms.py's (人口变动, 年龄结构, 孩次节育; 生殖健康服务 for a year).

    `figures` (from `period_figures`) lets a caller build the forms and figures.json from the
    same figures; without it they are asked for here (`live` recomputes a closed period)."""
    period = Period.parse(period_code, ledger.stat_year_start)
    pf = figures or period_figures(ledger.db, period, live=live)
    unit = pf.resolve(unit_code)
    common = {"period_label": f"{period.label}（{period.span}）", "filler": ledger.office_name,
              "footer": footer(ledger), "banner": pf.warning or ""}
    return [
        _monthly(ledger, pf, unit, period, common),
        _population_births(ledger, pf, unit, common),
        _contraception(ledger, pf, unit, common),
        _long_acting(ledger, pf, unit, common),
        *population_forms.forms(ledger, pf, unit, period, common, legal_block),
    ]


def _dec(value: Any) -> Decimal | None:
    """A printed (rounded) rate as Decimal, so the form holds Decimal as model.py says."""
    return None if value is None else Decimal(str(value))


def _villages(pf: PeriodFigures, unit: units.Unit | None) -> list[tuple[units.Unit, str]]:
    """Villages/communities (and public units) under `unit`, in tree order, with their parent."""
    kids = pf.children()
    by_id = pf.by_id
    out: list[tuple[units.Unit, str]] = []

    def walk(u: units.Unit) -> None:
        if u.kind in definitions.VILLAGE_LEVEL:
            parent = by_id.get(u.parent_id) if u.parent_id else None
            out.append((u, parent.name if parent else ""))
            return
        for child in kids.get(u.id, []):
            walk(child)

    for top in ([unit] if unit else pf.roots()):
        walk(top)
    return out


def _births_row(f: dict) -> dict[str, Any]:
    bos = f["births_by_order_sex"]
    row = {"births": f["births"], "births_m": f["births_male"], "births_f": f["births_female"]}
    for key, label in (("1", "o1"), ("2", "o2"), ("3+", "o3")):
        row[label] = f["births_by_order"][key]
        row[f"{label}_m"] = bos[key]["male"]
        row[f"{label}_f"] = bos[key]["female"]
    return row


def _monthly(ledger: Ledger, pf: PeriodFigures, unit, period: Period, common: dict) -> Form:
    columns = [
        _text("单位", "name", 18), _text("所属乡镇（街道）", "parent", 14),
        _sexes("出生人数", "births"),
        Column("孩次", children=[_int("一孩", "o1"), _int("二孩", "o2"), _int("多孩", "o3")]),
        Column("政策属性", children=[_int("政策内", "policy"), _int("政策外", "non_policy")]),
        Column("补报出生", children=[_int("合计", "late"), _int("其中政策外", "late_non_policy")]),
        Column("计划生育手术", children=[_int("结扎", "ster"), _int("上环", "iud"), _int("取环", "removal"),
                                   _int("皮埋", "implant"), _int("人流引产", "abortion")]),
        Column("长效节育措施", children=[_int("应落实", "la_due"), _int("已落实", "la_done")]),
        _int("初婚", "marriages"),
    ]

    def row(u: units.Unit | None, name: str, parent: str) -> dict[str, Any]:
        f = pf.figures(u, with_units=False)
        p = f["procedures"]
        la = f["long_acting"]["total"] or {"due": None, "done": None}
        return {"name": name, "parent": parent} | _births_row(f) | {
            "policy": f["policy_births"], "non_policy": f["non_policy_births"],
            "late": f["late_reported"]["total"], "late_non_policy": f["late_reported"]["non_policy"],
            "ster": p["sterilization"], "iud": p["iud_insertion"], "removal": p["iud_removal"],
            "implant": p["implant"], "abortion": p["abortion_and_induction"],
            "la_due": la["due"], "la_done": la["done"], "marriages": f["first_marriages"]["total"]}

    rows = [row(v, v.name, parent) for v, parent in _villages(pf, unit)]
    title = "计划生育月报表" if period.kind == "month" else "计划生育报表"
    return Form("monthly", title, columns, rows, legal=legal_block(ledger, "monthly", period),
                unit_line="单位：人、例", total_row=row(unit, "合计", ""), **common)


def _population_births(ledger: Ledger, pf: PeriodFigures, unit, common: dict) -> Form:
    columns = [
        _text("单位", "name", 16), _int("总人口", "population", 10),
        _sexes("出生人数", "births"), _sexes("一孩", "o1"), _sexes("二孩", "o2"), _sexes("多孩", "o3"),
        _int("政策外出生", "non_policy"), _int("死亡人数", "deaths"),
        _rate("出生率（‰）", "birth_rate", width=9), _rate("死亡率（‰）", "death_rate", width=9),
        _rate("自然增长率（‰）", "growth_rate", width=10.5),
        Column("出生性别比", children=[_rate("合计", "sex_ratio", "decimal"), _rate("一孩", "sex_ratio_1", "decimal"),
                                  _rate("二孩", "sex_ratio_2", "decimal")]),
        _rate("计划生育率（%）", "policy_rate", "percent", 9),
        Column("往年出生未报人数", children=[_int("合计", "late"), _int("政策内", "late_policy"),
                                     _int("政策外", "late_non_policy")]),
    ]

    def row(u, name: str) -> dict[str, Any]:
        f = pf.figures(u, with_units=False)
        return {"name": name, "population": f["population"]} | _births_row(f) | {
            "non_policy": f["non_policy_births"], "deaths": f["deaths"],
            "birth_rate": _dec(f["birth_rate_permille"]), "death_rate": _dec(f["death_rate_permille"]),
            "growth_rate": _dec(f["natural_growth_rate_permille"]), "sex_ratio": _dec(f["sex_ratio"]),
            "sex_ratio_1": _dec(f["sex_ratio_by_order"]["1"]), "sex_ratio_2": _dec(f["sex_ratio_by_order"]["2"]),
            "policy_rate": _dec(f["policy_birth_rate_percent"]), "late": f["late_reported"]["total"],
            "late_policy": f["late_reported"]["policy"], "late_non_policy": f["late_reported"]["non_policy"]}

    rows = [row(u, u.name) for u in pf.top(unit)]
    return Form("population_births", "人口与出生情况", columns, rows,
                legal=legal_block(ledger, "population_births"), unit_line="单位：人、‰、%",
                total_row=row(unit, "合计"),
                notes=["出生率等以期初、期末总人口的平均数为分母（期初未知时用期末数）；往年出生未报人数即本期补报的往期出生。"],
                **common)


_METHOD_COLUMNS = (("男扎", "m_male"), ("女扎", "m_female"), ("上环", "m_iud"), ("皮埋", "m_implant"),
                   ("口服及注射药", "m_pill"), ("避孕套", "m_condom"), ("外用药", "m_topical"), ("其他", "m_other"))
_METHOD_KEYS = {"m_male": "男扎", "m_female": "女扎", "m_iud": "宫内节育器", "m_implant": "皮下埋植",
                "m_pill": "口服及注射避孕药", "m_condom": "避孕套", "m_topical": "外用药", "m_other": "其他"}


def _contraception(ledger: Ledger, pf: PeriodFigures, unit, common: dict) -> Form:
    columns = [
        _text("单位", "name", 16), _int("已婚育龄妇女数", "married", 10),
        Column("落实节育措施人数", children=[_int("合计", "users")] + [_int(t, k) for t, k in _METHOD_COLUMNS]),
        _rate("综合节育率（%）", "rate", "percent"),
        Column("本期计划生育手术", children=[
            _int("女扎", "p_female"), _int("男扎", "p_male"), _int("上环", "p_iud"),
            _int("其中一孩上环", "p_iud_first"), _int("取环", "p_removal"), _int("皮埋", "p_implant"),
            _int("人工流产", "p_abortion"), _int("中期引产", "p_induction"), _int("合计", "p_total")]),
    ]

    def row(u, name: str) -> dict[str, Any]:
        f = pf.figures(u, with_units=False)
        c, p = f["contraception"], f["procedures"]
        out = {"name": name, "married": c["married_women"], "users": c["users"], "rate": _dec(c["rate_percent"])}
        out |= {key: c["by_method"][method] for key, method in _METHOD_KEYS.items()}
        return out | {"p_female": p["female_sterilization"], "p_male": p["male_sterilization"],
                      "p_iud": p["iud_insertion"], "p_iud_first": p["iud_insertion_first_child"],
                      "p_removal": p["iud_removal"], "p_implant": p["implant"], "p_abortion": p["abortion"],
                      "p_induction": p["mid_term_induction"], "p_total": p["total"]}

    rows = [row(u, u.name) for u in pf.top(unit)]
    return Form("contraception", "节育情况", columns, rows, legal=legal_block(ledger, "contraception"),
                unit_line="单位：人、例、%", total_row=row(unit, "合计"),
                notes=["节育措施为期末在用措施（期末已婚、15–49 岁、常住或流入的育龄妇女）；手术按手术日期计入本期。"],
                **common)


def _long_acting(ledger: Ledger, pf: PeriodFigures, unit, common: dict) -> Form:
    columns = [_text("单位", "name", 18), _int("应落实数", "due", 10), _int("已落实数", "done", 10),
               _int("欠帐数", "owed", 10), _rate("期内长效节育措施落实率（%）", "rate_percent", "percent", 14),
               Column("农村落实长效节育手术", children=[_int("结扎", "rural_sterilization", 9),
                                               _int("上环", "rural_iud_insertion", 9)])]
    la = pf.figures(unit, with_units=False)["long_acting"]
    on = la.get("enabled", True)

    def row(u) -> dict[str, Any]:
        out = pf.long_acting_row(u)
        out["rate_percent"] = _dec(out["rate_percent"])
        if not on:   # switched off: nothing was counted — blank, never a zero that reads as a figure
            out |= dict.fromkeys(("due", "done", "owed", "rate_percent"))
        return out

    rows = [row(u) for u in pf.top(unit)]
    total = row(unit) | {"name": "合计"}
    n = la.get("months", 4)
    if on:
        notes = [f"应落实：农业户口已婚育龄妇女，最小存活子女出生满 {n} 个月之日在本期内，且其出生时未落实长效措施；"
                 "已落实：自该子女出生之日至期末施行了长效节育手术。一孩以上环为主，二孩以结扎为主。"]
        title = "长效节育措施落实情况表"
    else:
        notes = ["长效节育措施落实指标已在规则设置中关闭：应落实数、已落实数、欠帐数和落实率本期不统计（空白不是零）；"
                 "农村结扎、上环为本期手术数。"]
        title = "长效节育措施落实情况表（指标已关闭）"
    return Form("long_acting", title, columns, rows, legal=legal_block(ledger, "long_acting"),
                unit_line="单位：人、例、%", total_row=total, notes=notes,
                **common)
