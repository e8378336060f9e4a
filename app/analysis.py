"""The half-year analysis draft (半年统计分析, the seeds' 篇三): its FIGURES part as Chinese text.

Written from `app.stats.report` (the same rounded figures as the forms, so text and table
agree; both ask app.stats.period_figures, so a closed period's draft quotes its snapshot), in the seed's order: 总人口/出生/死亡/出生率/自然增长率 with 去年同期; 出生情况 (计划内);
孩次构成; 性别比; 补报; 手术 and 农村长效节育手术 per unit; the long-acting table; methods in use
against last year; progress against the annual targets. It ends with the heading of part two
for the clerk to write the problems and measures. Rates print with two decimals (四舍五入).
The normal range of the sex ratio is taken as 103–107. The text speaks of the unit reported on
by its level (`scope_word`): 全镇 (全乡), 全街道, 全区 (全县), …; 全辖区 when the ledger has no one
root unit, never a 全区 guessed for a township.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app.atomic import write_atomic
from app.periods import Period
from app.stats.numbers import round2
from app.stats.report import report
from app.stats.scope import meta

if TYPE_CHECKING:
    from app.ledger import Ledger

SEX_RATIO_NORMAL = (103, 107)
_SCOPE_WORD = {"区县": "全区", "乡镇": "全镇", "街道": "全街道", "村": "全村", "社区": "全社区",
               "公共单位": "全单位", "组": "全组"}
_BY_NAME = {"乡镇": ("乡", "全乡"), "区县": ("县", "全县")}
UNKNOWN_SCOPE = "全辖区"


def scope_word(db: sqlite_utils.Database, unit_code: str | None, name: str = "") -> str:
    """全区 / 全镇 / 全街道 … from the kind of the unit reported on (the ledger's root when it has
    one); a 乡镇 named …乡 says 全乡, a 区县 named …县 全县. 全辖区 when the unit is unknown — a
    ledger whose top level is several units (e.g. a township's villages without the township)."""
    row = db.execute("select kind from units where code = ?", [unit_code]).fetchone() if unit_code else None
    if row is None:
        return UNKNOWN_SCOPE
    ending, word = _BY_NAME.get(row[0], ("", ""))
    if ending and (name or "").endswith(ending):
        return word
    return _SCOPE_WORD.get(row[0], UNKNOWN_SCOPE)


def _f(value: Any) -> str:
    r = round2(None if value is None else _dec(value))
    return "—" if r is None else f"{r:.2f}"


def _dec(value: Any):
    from decimal import Decimal

    return Decimal(str(value))


def _more(diff: int | None, unit: str = "人", up: str = "增加", down: str = "减少") -> str:
    if diff is None:
        return ""
    if diff == 0:
        return "与去年同期持平"
    return f"比去年同期{up if diff > 0 else down}{abs(diff)}{unit}"


def _points(diff: Any, word: str = "个千分点", up: str = "上升了", down: str = "下降了") -> str:
    if diff is None:
        return ""
    d = round2(_dec(diff))
    if d == 0:
        return "与去年同期持平"
    return f"比去年同期{up if d > 0 else down}{abs(d):.2f}{word}"


def _period_word(period: Period) -> str:
    if period.kind == "half":
        return "上半年" if period.code.endswith("1") else "下半年"
    if period.kind == "year":
        return "全年"
    if period.kind == "quarter":
        return f"第{'一二三四'[int(period.code[-1]) - 1]}季度"
    if period.kind == "month":
        return f"{period.start.month}月份"
    return "本期"


def half_year_draft(db: sqlite_utils.Database, period_code: str, unit_code: str | None = None,
                    figures: dict | None = None, targets: bool = True) -> str:
    """The figures part of the analysis as editable Chinese text. `targets=False` leaves out the
    progress against the annual targets (a district's consolidation has no year-to-date
    figures of its own to measure it by)."""
    r = figures or report(db, period_code, unit_code)
    s = int(meta(db, "stat_year_start", "10") or 10)
    period = Period.parse(period_code, s)
    when = _period_word(period)
    scope = scope_word(db, r.get("unit"), r.get("unit_name") or "")
    c = r.get("change", {})
    prev = r.get("previous_year", {})
    p = []

    p.append("一、人口与计划生育指标执行情况：")
    births_diff = c.get("births")
    birth_more = ("与去年同期持平" if births_diff == 0 else
                  f"比去年同期{'多' if (births_diff or 0) > 0 else '少'}出生{abs(births_diff)}人"
                  if births_diff is not None else "")
    parts = [f"{when}，{scope}总人口为{r['population'] if r['population'] is not None else '（未录入）'}人",
             f"{scope}总出生{r['births']}人" + (f"，{birth_more}" if birth_more else "")]
    if r.get("deaths") is not None:
        parts.append(f"死亡{r['deaths']}人，净增长{r['natural_increase']}人")
    parts.append(f"出生率为{_f(r['birth_rate_permille'])}‰"
                 + (f"，{_points(c.get('birth_rate_permille'))}" if c.get("birth_rate_permille") is not None else ""))
    parts.append(f"自然增长率为{_f(r['natural_growth_rate_permille'])}‰"
                 + (f"，{_points(c.get('natural_growth_rate_permille'), up='增长', down='下降')}"
                    if c.get("natural_growth_rate_permille") is not None else ""))
    p.append("，".join(parts) + "。")

    p.append(f"1. 出生情况分析。{when}出生人数为{r['births']}人，其中计划内生育{r['policy_births']}人"
             + (f"，计划外生育{r['non_policy_births']}人" if r["non_policy_births"] else "")
             + f"，计划生育率为{_f(r['policy_birth_rate_percent'])}%。")

    o, share = r["births_by_order"], r["order_share_percent"]
    co, cs = c.get("births_by_order", {}), c.get("order_share_percent", {})
    text = (f"2. 出生孩次构成分析。{when}出生人数中一孩出生{o['1']}人，{_more(co.get('1'))}，"
            f"一孩率为{_f(share['1'])}%，{_points(cs.get('1'), '个百分点')}，"
            f"二孩出生{o['2']}人，{_more(co.get('2'))}，二孩率为{_f(share['2'])}%，"
            f"{_points(cs.get('2'), '个百分点')}，")
    text += (f"多孩出生{o['3+']}人，多孩率为{_f(share['3+'])}%。" if o["3+"] else "无多孩出生。")
    p.append(text.replace("，，", "，"))

    ratio_by = r["sex_ratio_by_order"]
    high = [f"{name}出生性别比" for key, name in (("1", "一孩"), ("2", "二孩"), ("3+", "多孩"))
            if ratio_by.get(key) is not None and ratio_by[key] > SEX_RATIO_NORMAL[1]]
    sex_change = c.get("sex_ratio")
    text = (f"3. 出生性别比分析。{when}出生男孩{r['births_male']}人，女孩{r['births_female']}人，"
            f"出生性别比为{_f(r['sex_ratio'])}")
    if sex_change is not None:
        d = round2(_dec(sex_change))
        text += "，与去年同期持平" if d == 0 else f"，比去年同期{'高' if d > 0 else '低'}{abs(d):.2f}个点"
    text += f"，一孩出生性别比为{_f(ratio_by['1'])}，二孩出生性别比为{_f(ratio_by['2'])}"
    if ratio_by.get("3+") is not None:
        text += f"，多孩出生性别比为{_f(ratio_by['3+'])}"
    text += (f"，{'、'.join(high)}高于正常值（{SEX_RATIO_NORMAL[0]}–{SEX_RATIO_NORMAL[1]}）。" if high else "。")
    p.append(text)

    late, cl = r["late_reported"], c.get("late_reported", {})
    text = (f"4. 补报出生情况分析。{when}补报出生{late['total']}人，其中补报计划内出生{late['policy']}人，"
            f"补报违法生育{late['non_policy']}人")
    if cl.get("non_policy") is not None and prev:
        text += "，补报违法生育" + _more(cl["non_policy"])
    p.append(text + "。")

    pr, cp = r["procedures"], c.get("procedures", {})
    text = (f"5. 农村落实长效节育手术情况分析。{when}施行计划生育手术{pr['total']}例"
            + (f"，{_more(cp.get('total'), '例')}" if cp.get("total") is not None else "")
            + f"，其中：结扎{pr['sterilization']}例、上环{pr['iud_insertion']}例、取环{pr['iud_removal']}例、"
            f"人流引产人数{pr['abortion_and_induction']}例" + (f"、皮埋{pr['implant']}例" if pr["implant"] else "") + "。")
    la = r.get("long_acting") or {}
    rows = la.get("units") or []
    if rows:
        text += "农村落实长效节育手术" + "，".join(
            f"{u['name']}结扎{u['rural_sterilization']}例、上环{u['rural_iud_insertion']}例" for u in rows) + "。"
    total = la.get("total")
    if total:
        clt = (c.get("long_acting") or {}).get("total") or {}
        text += (f"根据报表数据，农村{when}共结扎{total['rural_sterilization']}例"
                 + (f"，{_more(clt.get('rural_sterilization'), '例')}" if clt.get("rural_sterilization") is not None else "")
                 + f"，共上环{total['rural_iud_insertion']}例"
                 + (f"，{_more(clt.get('rural_iud_insertion'), '例')}" if clt.get("rural_iud_insertion") is not None else "")
                 + "。")
    p.append(text)

    if total:
        text = (f"6. 长效节育措施落实情况。期内应落实长效节育措施{total['due']}人，已落实{total['done']}人，"
                f"欠帐{total['owed']}人，期内长效节育措施落实率为{_f(total['rate_percent'])}%")
        if rows:
            text += "。其中" + "；".join(
                f"{u['name']}应落实{u['due']}人、已落实{u['done']}人、欠帐{u['owed']}人、落实率{_f(u['rate_percent'])}%"
                for u in rows)
        p.append(text + "。")
        p.append("农村长效节育措施落实情况对照表\n单位\t应落实数\t已落实数\t欠帐数\t期内长效节育措施落实率\n"
                 + "\n".join(f"{u['name']}\t{u['due']}\t{u['done']}\t{u['owed']}\t{_f(u['rate_percent'])}%"
                             for u in [{"name": r.get("unit_name") or "合计", **total}] + rows))
    elif la.get("enabled") is False:
        p.append("6. 长效节育措施落实情况。长效节育措施落实指标已在规则设置中关闭，本期不统计应落实、已落实和落实率。")

    cc = (c.get("contraception") or {})
    if cc.get("sterilization") is not None and cc.get("by_method"):
        iud = cc["by_method"].get("宫内节育器")
        p.append(f"7. 节育措施情况。期末已婚育龄妇女{r['contraception']['married_women']}人，落实节育措施"
                 f"{r['contraception']['users']}人，综合节育率{_f(r['contraception']['rate_percent'])}%；与去年同期比，"
                 f"结扎人数{'增加' if cc['sterilization'] > 0 else '下降'}了{abs(cc['sterilization'])}人、"
                 f"上环人数{'增加' if (iud or 0) > 0 else '下降'}了{abs(iud or 0)}人。")

    from app.targets import progress

    prog = progress(db, period_code, r.get("unit")) if targets else None
    if prog:
        bits = []
        if prog["target_births"] is not None:
            bits.append(f"年度计划出生{prog['target_births']}人，截至{prog['through']}已出生{prog['births']}人，"
                        f"占计划的{_f(prog['births_share_percent'])}%")
        if prog["target_birth_rate_permille"] is not None:
            bits.append(f"计划出生率{_f(prog['target_birth_rate_permille'])}‰，实际{_f(prog['birth_rate_permille'])}‰")
        if prog["target_natural_growth_rate_permille"] is not None:
            bits.append(f"计划自然增长率{_f(prog['target_natural_growth_rate_permille'])}‰，"
                        f"实际{_f(prog['natural_growth_rate_permille'])}‰")
        if prog["target_policy_rate_percent"] is not None:
            met = prog["policy_target_met"]
            bits.append(f"计划生育率目标{_f(prog['target_policy_rate_percent'])}%以上，实际"
                        f"{_f(prog['policy_birth_rate_percent'])}%，{'已达到' if met else '未达到'}目标")
        if bits:
            p.append(f"8. 人口计划完成情况。{prog['year']}年度：" + "；".join(bits) + "。")

    p.append("二、当前计划生育工作存在的问题和建议\n\n（请在此填写存在的问题和下一步措施。）")
    return "\n\n".join(p)


def save_draft(ledger: Ledger, period_code: str, text: str, path: str | Path) -> list[str]:
    """Save the (possibly edited) draft: a .pdf titled with the office and period, else UTF-8
    text, written safely; returns the PDF's warnings. Needs `export_forms`; audited (导出分析稿)."""
    from app.forms.text_pdf import write_text_pdf

    ledger.require("export_forms")
    period = Period.parse(period_code, int(meta(ledger.db, "stat_year_start", "10") or 10))
    target = Path(path)
    warnings: list[str] = []
    if target.suffix.lower() == ".pdf":
        warnings = write_text_pdf(f"{ledger.office_name}{period.label}人口和计划生育统计分析", text, target)
    else:
        write_atomic(target, text + "\n")
    ledger.audit("导出分析稿", "period", period.code, after={"file": str(target)})
    return warnings
