"""The 奖扶/特扶 lists as forms (app/forms/model.py) for Excel and PDF: the 公示 list and the roll.

- 公示名单 (publicity list, posted in the village): the eligible people of each scheme — 序号,
  姓名, 性别, 年龄, 公民身份号码 MASKED (`4302**********1234`, DOMAIN.md §9), 所属村（居）,
  类别 (新增 / 继续). It leaves the office, so it never carries a full number.
- 花名册 (the roll for the county's approval, 报县审批): the same people with full ID numbers
  (the county requires them), birth date, hukou, spouse, the children as counted, and 新增/继续.
Both come from `app.rewards.screen` (the one set of rules) and go through the standard writers
(app/forms/xlsx.write_xlsx, app/forms/pdf.write_pdf): one sheet / one printed form per scheme.
`export` writes `<year>_奖扶特扶公示名单.xlsx/.pdf` (permission export_forms) and, with `roll`,
`<year>_奖扶特扶花名册.xlsx/.pdf` (permission unmask_personal_data: full ID numbers); audited.
"""

from __future__ import annotations

from pathlib import Path

from app import idcard, rewards
from app.forms.model import Column, Form

TITLES = {rewards.REWARD: "农村部分计划生育家庭奖励扶助", rewards.SPECIAL: "计划生育家庭特别扶助"}


def _eligible(result: dict, scheme: str) -> list[dict]:
    return [p for p in result["people"] if p["scheme"] == scheme and p["eligible"]]


def publicity_forms(ledger, result: dict) -> list[Form]:
    """One 公示名单 per scheme (IDs masked)."""
    out = []
    for scheme in rewards.SCHEMES:
        people = _eligible(result, scheme)
        rows = [{"no": str(i), "name": p["name"], "sex": p["sex"] or "", "age": p["age"],
                 "id": idcard.mask_id(p["id_number"]), "unit": p["unit_name"] or "",
                 "kind": "新增" if p["new"] else "继续"} for i, p in enumerate(people, start=1)]
        columns = [Column("序号", "no", "text", 6), Column("姓名", "name", "text", 10),
                   Column("性别", "sex", "text", 5), Column("年龄", "age", "int", 6),
                   Column("公民身份号码", "id", "text", 22), Column("所属村（居）", "unit", "text", 16),
                   Column("类别", "kind", "text", 7)]
        new = sum(1 for p in people if p["new"])
        out.append(Form(f"rewards_publicity_{scheme}", f"{result['year']}年度{TITLES[scheme]}对象公示名单",
                        columns, rows, period_label=f"{result['year']}年度（截至 {result['year_end']}）",
                        filler=ledger.office_name, unit_line="单位：人", landscape=False, number_columns=False,
                        footer=[f"公示单位：{ledger.office_name}", "公示时间：＿＿年＿＿月＿＿日至＿＿月＿＿日"],
                        notes=[f"共 {len(people)} 人，其中新增 {new} 人、继续 {len(people) - new} 人。"
                               "如有异议，请在公示期内向本单位反映。"]))
    return out


def _children_text(result_person: dict, families: dict[int, rewards.Family], year: int) -> str:
    fam = families.get(result_person["card_id"])
    if fam is None:
        return ""
    parts = []
    for c in rewards.counted_children(fam.children, year):
        dead = "（已死亡）" if not rewards.living(c, year) else ("（伤残三级以上）" if c.health == rewards.DISABLED else "")
        parts.append(f"{c.sex}{c.birth_date.year}{dead}")
    return "、".join(parts) or "无"


def roll_forms(ledger, result: dict) -> list[Form]:
    """One 花名册 per scheme (full ID numbers, for the county)."""
    families = {f.card_id: f for f in rewards.families(ledger.db, result["year"])}
    out = []
    for scheme in rewards.SCHEMES:
        people = _eligible(result, scheme)
        rows = [{"no": str(i), "name": p["name"], "sex": p["sex"] or "", "born": p["birth_date"],
                 "id": p["id_number"], "hukou": p["hukou"] or "", "spouse": p["spouse_name"] or "",
                 "unit": p["unit_name"] or "", "children": _children_text(p, families, result["year"]),
                 "kind": "新增" if p["new"] else "继续"} for i, p in enumerate(people, start=1)]
        columns = [Column("序号", "no", "text", 5), Column("姓名", "name", "text", 9), Column("性别", "sex", "text", 5),
                   Column("出生日期", "born", "text", 11), Column("公民身份号码", "id", "text", 21),
                   Column("户口性质", "hukou", "text", 8), Column("配偶姓名", "spouse", "text", 9),
                   Column("所属村（居）", "unit", "text", 14), Column("子女情况", "children", "text", 16),
                   Column("类别", "kind", "text", 6)]
        out.append(Form(f"rewards_roll_{scheme}", f"{result['year']}年度{TITLES[scheme]}对象花名册",
                        columns, rows, period_label=f"{result['year']}年度（截至 {result['year_end']}）",
                        filler=ledger.office_name, unit_line="报县（区）审批", landscape=True, number_columns=False,
                        footer=["单位负责人：", "经办人：", "审核日期："],
                        notes=[f"共 {len(people)} 人。子女情况：亲生及合法收养子女，性别与出生年份。"]))
    return out


def export(ledger, year: int, out_dir: str | Path, roll: bool = False) -> list[Path]:
    """Write the 公示 list (and with `roll` the 花名册) as .xlsx and .pdf into `out_dir`."""
    from app.forms.pdf import write_pdf
    from app.forms.xlsx import write_xlsx

    ledger.require("export_forms")
    if roll:
        ledger.require("unmask_personal_data")
    result = rewards.screen(ledger.db, year)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sets = [("公示名单", publicity_forms(ledger, result))]
    if roll:
        sets.append(("花名册", roll_forms(ledger, result)))
    for label, forms in sets:
        stem = folder / f"{result['year']}_奖扶特扶{label}"
        written.append(write_xlsx(forms, stem.with_suffix(".xlsx")))
        write_pdf(forms, stem.with_suffix(".pdf"))
        written.append(stem.with_suffix(".pdf"))
    ledger.audit("导出奖扶特扶名单", "rewards", result["year"],
                 after={"files": [p.name for p in written], "roll": roll, "summary": result["summary"]})
    return written
