"""奖励扶助 / 特别扶助 screening of a year (DOMAIN.md §11): every rule in this one module.

The year is the CALENDAR year (奖扶 and 特扶 are paid annually by calendar year, whatever the
ledger's statistical year); "at the year's end" is 31 December of it. Ages are completed years
(app.definitions.age_at: a 29 February birthday falls on 1 March in a common year).

Who is screened — over ALL cards, including exited ones (超龄 women are exactly the ones who
reach 60; the ledger keeps their cards), except void cards (录入错误, never a real person):
- each spouse is a separate person: the woman by her card, her husband by his OWN ID number
  (women.husband_id_number: his birth date and sex are read from the number, GB 11643) and his
  hukou (husband_hukou_type). A husband without a readable ID number cannot be screened; his
  card is listed under `unscreened` when its family is screened.
- 奖励扶助 (农村部分计划生育家庭奖励扶助): every person aged 60 or more at the year's end.
- 特别扶助 (计划生育家庭特别扶助): both spouses of every family whose woman is aged 49 or more at the
  year's end and whose card shows a child (亲生 or 收养) who has died or is certified disabled —
  the families the scheme is about; families without such a child are not listed (they would
  all be refused as having no dead or disabled child).
- The same person on two cards (a husband remarried, both cards kept) is listed once per
  scheme: the eligible entry if one is, else the one from the older card.

奖励扶助 — a person qualifies when ALL four hold (each failed one gives its own reason):
1. both spouses 农业 hukou (`rural_hukou`): her 户口性质 and his 丈夫户口性质 are 农业; a woman
   who is not married and has no husband recorded is judged on her own hukou; a husband
   recorded (or a married woman) without his hukou is refused as unknown.
2. no 政策外 birth between 1973-01-01 and 2001-12-31 inclusive (`no_out_of_policy_birth`): any
   child on the card marked 政策外 born in that window (1972 and 2002 births do not count).
3. one living child, or two living daughters, or no living child after a child's death
   (`children_condition`): children counted are 亲生 and 收养 (born or legally adopted; 继子女
   are the spouse's and not counted) born by the year's end; living = no 死亡日期 or one after
   the year's end. Two living children of whom one is a son fail; three or more fail; none
   living and none ever died fails.
4. born on or after 1933-01-01 (`born_since_1933`) and aged 60 or more at the year's end (the
   listing itself: a younger person is not listed).
`new` (新增): the person's 60th birthday falls in the year (reaches the age in the year).

特别扶助 — a person of a listed family qualifies when ALL hold:
1. born on or after 1933-01-01;
2. the woman aged 49 or more at the year's end (the listing itself);
3. one child only, born or legally adopted (`only_child`): exactly one child 亲生 or 收养 born by
   the year's end (a 继子女 is not counted);
4. that child dead (死亡日期 on or before the year's end) or certified disabled, 伤残三级以上:
   recorded as the child's 健康状况 "残疾（三级以上）" (a code value added for this; plain
   "残疾" without the grade does not qualify and says so).
`new`: the woman turns 49 in the year, or the only child died in the year (the first year the
family meets the conditions; a disability carries no date in the registry, so it never makes
a family new by itself).

Reasons are Chinese, one per failed condition, in the order above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from app import definitions, idcard

REWARD = "奖励扶助"
SPECIAL = "特别扶助"
SCHEMES = (REWARD, SPECIAL)
EARLIEST_BIRTH = date(1933, 1, 1)
REWARD_AGE = 60
SPECIAL_MOTHER_AGE = 49
POLICY_WINDOW = (date(1973, 1, 1), date(2001, 12, 31))
RURAL = "农业"
DISABLED = "残疾（三级以上）"
COUNTED_KINSHIP = ("亲生", "收养")
MARRIED = ("初婚", "再婚", "复婚")


@dataclass
class Child:
    order: int
    sex: str
    birth_date: date
    policy: str
    kinship: str
    health: str | None
    death_date: date | None


@dataclass
class Family:
    """One card as the screening reads it (the woman, her husband from his ID, the children)."""

    card_id: int
    name: str
    id_number: str
    birth_date: date
    hukou: str | None
    marital_status: str | None
    unit_code: str | None
    unit_name: str | None
    husband_name: str | None
    husband_id_number: str | None
    husband_hukou: str | None
    husband_birth_date: date | None = None
    husband_sex: str | None = None
    husband_problem: str | None = None
    children: list[Child] = field(default_factory=list)

    @property
    def husband_recorded(self) -> bool:
        return bool((self.husband_name or "").strip() or (self.husband_id_number or "").strip())


def year_end(year: int) -> date:
    return date(year, 12, 31)


def age_at_year_end(born: date, year: int) -> int:
    return definitions.age_at(born, year_end(year))


def turns_in_year(born: date, age: int, year: int) -> bool:
    """The birthday of `age` falls in `year` (29 February → 1 March in a common year)."""
    return definitions.birthday(born, age).year == year


# ---- the conditions: each returns the reasons it fails (empty = it holds) ----------------------

def born_since_1933(born: date) -> list[str]:
    """Born on or after 1933-01-01 (both schemes)."""
    return [] if born >= EARLIEST_BIRTH else [f"出生于1933年1月1日以前（{born.isoformat()}），不在扶助范围"]


def rural_hukou(family: Family) -> list[str]:
    """奖扶 (1): both spouses 农业 hukou (see the module rules for a woman without a husband)."""
    problems = []
    if (family.hukou or "").strip() != RURAL:
        problems.append(f"女方户口性质为“{family.hukou or '未登记'}”")
    needs_husband = family.husband_recorded or (family.marital_status or "").strip() in MARRIED
    if needs_husband and (family.husband_hukou or "").strip() != RURAL:
        problems.append(f"男方户口性质为“{family.husband_hukou or '未登记'}”")
    if not problems:
        return []
    return ["夫妻双方不都是农业户口（" + "，".join(problems) + "）"]


def no_out_of_policy_birth(children: list[Child]) -> list[str]:
    """奖扶 (2): no 政策外 birth between 1973-01-01 and 2001-12-31 inclusive."""
    start, end = POLICY_WINDOW
    found = [c for c in children if (c.policy or "").strip() == "政策外" and start <= c.birth_date <= end]
    if not found:
        return []
    which = "、".join(f"第{c.order}孩 {c.birth_date.isoformat()}" for c in found)
    return [f"1973年1月1日至2001年12月31日期间有政策外生育（{which}）"]


def counted_children(children: list[Child], year: int) -> list[Child]:
    """Children 亲生 or 收养 born by the year's end (继子女 are not counted)."""
    end = year_end(year)
    return [c for c in children if (c.kinship or "亲生").strip() in COUNTED_KINSHIP and c.birth_date <= end]


def living(child: Child, year: int) -> bool:
    return child.death_date is None or child.death_date > year_end(year)


def children_condition(children: list[Child], year: int) -> list[str]:
    """奖扶 (3): one living child, or two living daughters, or none living after a child's death."""
    counted = counted_children(children, year)
    alive = [c for c in counted if living(c, year)]
    died = [c for c in counted if not living(c, year)]
    if len(alive) == 1:
        return []
    if len(alive) == 2 and all(c.sex == "女" for c in alive):
        return []
    if not alive and died:
        return []
    if not alive:
        return ["没有子女（不属于“子女死亡现无子女”）"]
    sons = sum(1 for c in alive if c.sex == "男")
    daughters = len(alive) - sons
    return [f"现有存活子女 {len(alive)} 个（{sons} 男 {daughters} 女），不是“一个子女或两个女孩”"]


def only_child(children: list[Child], year: int) -> list[str]:
    """特扶 (3): exactly one child, born or legally adopted."""
    counted = counted_children(children, year)
    if len(counted) == 1:
        return []
    if not counted:
        return ["没有亲生或合法收养的子女"]
    return [f"共有 {len(counted)} 个亲生或收养子女，不是独生子女家庭"]


def child_dead_or_disabled(children: list[Child], year: int) -> list[str]:
    """特扶 (4): the only child died by the year's end or is certified disabled (三级以上)."""
    counted = counted_children(children, year)
    if len(counted) != 1:
        return []   # the only-child condition already says why
    child = counted[0]
    if not living(child, year) or (child.health or "").strip() == DISABLED:
        return []
    if (child.health or "").strip() == "残疾":
        return ["独生子女登记为“残疾”，未注明伤残三级以上（健康状况应为“残疾（三级以上）”）"]
    return ["独生子女健在，且未登记伤残三级以上"]


def special_candidate(family: Family, year: int) -> bool:
    """A family the 特扶 screening lists: woman 49+ at the year's end and a counted child who
    died by then or is recorded disabled (三级以上 or not: the reason then says what is missing)."""
    if age_at_year_end(family.birth_date, year) < SPECIAL_MOTHER_AGE:
        return False
    return any(not living(c, year) or (c.health or "").strip() in (DISABLED, "残疾")
               for c in counted_children(family.children, year))


# ---- one person ----------------------------------------------------------------------------------

def _person(family: Family, husband: bool, scheme: str, reasons: list[str], new: bool, year: int) -> dict:
    born = family.husband_birth_date if husband else family.birth_date
    assert born is not None, "a person is screened only with a birth date (the unscreened list has the others)"
    return {"id_number": family.husband_id_number if husband else family.id_number,
            "name": (family.husband_name or "（丈夫）") if husband else family.name,
            "sex": family.husband_sex if husband else "女",
            "birth_date": born.isoformat(),
            "unit": family.unit_code, "unit_name": family.unit_name,
            "scheme": scheme, "eligible": not reasons, "new": new, "reasons": reasons,
            "role": "男方" if husband else "女方", "card_id": family.card_id,
            "spouse_name": family.name if husband else family.husband_name,
            "hukou": family.husband_hukou if husband else family.hukou,
            "age": age_at_year_end(born, year)}


def reward_entry(family: Family, husband: bool, year: int) -> dict | None:
    """The 奖扶 entry of one spouse (None when not aged 60+ at the year's end)."""
    born = family.husband_birth_date if husband else family.birth_date
    if born is None or age_at_year_end(born, year) < REWARD_AGE:
        return None
    reasons = (rural_hukou(family) + no_out_of_policy_birth(family.children)
               + children_condition(family.children, year) + born_since_1933(born))
    return _person(family, husband, REWARD, reasons, turns_in_year(born, REWARD_AGE, year), year)


def special_entry(family: Family, husband: bool, year: int) -> dict | None:
    """The 特扶 entry of one spouse of a listed family (None when the family is not listed)."""
    born = family.husband_birth_date if husband else family.birth_date
    if born is None or not special_candidate(family, year):
        return None
    reasons = born_since_1933(born) + only_child(family.children, year) + child_dead_or_disabled(family.children, year)
    counted = counted_children(family.children, year)
    died_this_year = len(counted) == 1 and counted[0].death_date is not None and counted[0].death_date.year == year
    new = turns_in_year(family.birth_date, SPECIAL_MOTHER_AGE, year) or died_this_year
    return _person(family, husband, SPECIAL, reasons, new, year)


# ---- reading the ledger --------------------------------------------------------------------------

def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


_FAMILIES = f"""
select w.id, w.name, w.id_number, w.birth_date, w.hukou_type, w.marital_status, u.code,
       (select v.name from unit_versions v where v.unit_id = w.unit_id
        order by v.valid_to is null desc, v.valid_from desc limit 1),
       w.husband_name, w.husband_id_number, w.husband_hukou_type
from women w left join units u on u.id = w.unit_id
where {definitions.NOT_VOID}
  and (w.birth_date <= :special_born_by or w.husband_id_number is not null)
order by w.id
"""


def families(db: sqlite_utils.Database, year: int) -> list[Family]:
    """The cards that may hold a screened person: every non-void card whose woman is 49+ at the
    year's end or that records a husband's ID number (his age is read from it)."""
    born_by = definitions.shift_years(year_end(year), -SPECIAL_MOTHER_AGE).isoformat()
    out: dict[int, Family] = {}
    for row in db.execute(_FAMILIES, {"void": definitions.VOID_EXIT, "special_born_by": born_by}):
        born = _day(row[3])
        if born is None:
            continue
        fam = Family(row[0], row[1], row[2], born, row[4], row[5], row[6], row[7], row[8], row[9], row[10])
        if fam.husband_id_number:
            try:
                info = idcard.parse(fam.husband_id_number)
                fam.husband_birth_date, fam.husband_sex = info.birth_date, info.sex
            except idcard.IdError as exc:
                fam.husband_problem = f"丈夫证件号码无法识别（{exc}）"
        elif fam.husband_recorded:
            fam.husband_problem = "丈夫证件号码未登记"
        woman_listed = born.isoformat() <= born_by   # 49+ at the year's end (60+ included)
        husband_listed = (fam.husband_birth_date is not None
                          and age_at_year_end(fam.husband_birth_date, year) >= REWARD_AGE)
        if woman_listed or husband_listed:
            out[fam.card_id] = fam
    if out:
        ids = sorted(out)
        for mother, order, sex, born, policy, kinship, health, died in db.execute(
                "select mother_id, birth_order, sex, birth_date, policy, kinship, health, death_date from children"
                " where mother_id in (select value from json_each(?)) order by mother_id, birth_order",
                [_json(ids)]):
            when = _day(born)
            if when is not None:
                out[mother].children.append(Child(order, sex, when, policy, kinship, health, _day(died)))
    return list(out.values())


def _json(values: list[int]) -> str:
    import json

    return json.dumps(values)


def screen(db: sqlite_utils.Database, year: int) -> dict:
    """The screening document (INTERFACES.md §2 `fpledger rewards screen YEAR --json`):
    {"year", "people": [{id_number, name, sex, birth_date, unit, scheme, eligible, new,
    reasons, …}], "unscreened": [...], "summary": {scheme: {listed, eligible, new}}}."""
    if not 1900 <= int(year) <= 2200:
        from app.errors import UserInputError

        raise UserInputError(f"年份“{year}”无效")
    year = int(year)
    chosen: dict[tuple[str, str], dict] = {}
    unscreened = []
    for fam in families(db, year):
        entries = [reward_entry(fam, False, year), special_entry(fam, False, year)]
        if fam.husband_birth_date is not None:
            entries += [reward_entry(fam, True, year), special_entry(fam, True, year)]
        elif fam.husband_problem and (any(entries) or special_candidate(fam, year)):
            unscreened.append({"card_id": fam.card_id, "woman_name": fam.name, "woman_id_number": fam.id_number,
                               "husband_name": fam.husband_name, "unit": fam.unit_code,
                               "reason": fam.husband_problem})
        for entry in filter(None, entries):
            key = (entry["id_number"], entry["scheme"])
            kept = chosen.get(key)
            if kept is None or (entry["eligible"] and not kept["eligible"]):
                chosen[key] = entry
    people = sorted(chosen.values(), key=lambda p: (SCHEMES.index(p["scheme"]), p["unit"] or "", p["card_id"],
                                                      p["role"] != "女方"))
    summary = {s: {"listed": sum(1 for p in people if p["scheme"] == s),
                   "eligible": sum(1 for p in people if p["scheme"] == s and p["eligible"]),
                   "new": sum(1 for p in people if p["scheme"] == s and p["eligible"] and p["new"])}
               for s in SCHEMES}
    return {"year": year, "year_end": year_end(year).isoformat(), "people": people,
            "unscreened": unscreened, "summary": summary}


def view(ledger, year: int) -> dict:
    """`screen` for a person to read (names and full ID numbers): audited (奖扶特扶筛查)."""
    ledger.require("view_registry")
    result = screen(ledger.db, year)
    ledger.audit("奖扶特扶筛查", "rewards", year, after=result["summary"])
    return result
