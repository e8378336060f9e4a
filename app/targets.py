"""Annual population-plan targets (人口计划目标, 篇四) and the 一票否决 list (篇一).

Targets: per statistical year (its code, e.g. `2026`) and unit — 出生人数, 出生率 ‰, 自然增长率 ‰,
计划生育率 % (a floor: "99%以上"), 人口控制数. Progress compares the figures of the year so far
(statistical-year start to the end of the chosen period; rates not annualised) with them:
births as a share of the planned births; rates side by side; 计划生育率 met when ≥ the target.

一票否决 (one-vote veto) for a statistical year (DOMAIN.md §2 "a public unit with a 政策外 birth
in a year"): every public unit (单位类型 公共单位) under which a woman's card lies that has a
政策外 birth of this office BORN in that year, and, for 连带责任, its supervising unit (主管单位).
"A birth of this office" is app.definitions.OWN_BIRTH, the rule every birth figure uses:
- 亲生 only (adopted and step children never count);
- the mother lives here (常住 or 流入): a 流出 mother's birth is counted, and judged, where she
  lives (DOMAIN.md §5), so it does NOT flag the public unit here;
- her card is not void (录入错误, compared trimmed), and the child was born on or before a real
  exit (after it she had left).
Dated by the BIRTH date in the statistical year, whatever the 上报日期: a violation belongs to
the year it happened, so one reported late (the next year's 补报) still flags that year when the
list is produced after the report. The tree of the year's end decides which public unit a card
belongs to (a woman of a village below a public unit counts for that public unit).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app import definitions, units
from app.errors import UserInputError
from app.periods import Period
from app.stats.numbers import ratio
from app.stats.scope import meta

if TYPE_CHECKING:
    from app.ledger import Ledger

FIELDS = ("births", "birth_rate_permille", "natural_growth_rate_permille", "policy_rate_percent",
          "population")


def _year(db: sqlite_utils.Database, year: str) -> Period:
    period = Period.parse(str(year), int(meta(db, "stat_year_start", "10") or 10))
    if period.kind != "year":
        raise UserInputError(f"“{year}”不是统计年度，应为四位年份，如 2026。")
    return period


def _decimal(value: Any, label: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return str(Decimal(str(value)))
    except InvalidOperation:
        raise UserInputError(f"{label}“{value}”不是有效的数字。") from None


def set_target(ledger: Ledger, year: str, unit_code: str, births: int | None = None,
               birth_rate_permille: Any = None, natural_growth_rate_permille: Any = None,
               policy_rate_percent: Any = None, population: int | None = None) -> dict:
    """Set (replace) a unit's targets for a statistical year; audited, one transaction."""
    ledger.require("manage_settings")
    period = _year(ledger.db, year)
    unit = units.get(ledger.db, unit_code, period.end)
    row = {"year": period.code, "unit_id": unit.id, "births": births,
           "birth_rate_permille": _decimal(birth_rate_permille, "出生率"),
           "natural_growth_rate_permille": _decimal(natural_growth_rate_permille, "自然增长率"),
           "policy_rate_percent": _decimal(policy_rate_percent, "计划生育率"),
           "population": population, "updated_at": datetime.now().isoformat(timespec="seconds")}
    for count in (births, population):
        if count is not None and int(count) < 0:
            raise UserInputError("目标人数不能为负数。")
    before = get_target(ledger.db, period.code, unit_code)
    with ledger.write("设置人口计划目标", "target", f"{period.code}/{unit_code}", before=before,
                      after={k: v for k, v in row.items() if k != "updated_at"}) as db:
        db.execute("insert or replace into population_targets (year, unit_id, births, birth_rate_permille,"
                   " natural_growth_rate_permille, policy_rate_percent, population, updated_at)"
                   " values (:year, :unit_id, :births, :birth_rate_permille, :natural_growth_rate_permille,"
                   " :policy_rate_percent, :population, :updated_at)", row)
    return get_target(ledger.db, period.code, unit_code) or {}


def get_target(db: sqlite_utils.Database, year: str, unit_code: str) -> dict | None:
    rows = list(db.query(
        "select t.year, u.code as unit, t.births, t.birth_rate_permille, t.natural_growth_rate_permille,"
        " t.policy_rate_percent, t.population from population_targets t join units u on u.id = t.unit_id"
        " where t.year = ? and u.code = ?", [str(year), unit_code]))
    return rows[0] if rows else None


def list_targets(db: sqlite_utils.Database, year: str | None = None) -> list[dict]:
    sql = ("select t.year, u.code as unit, t.births, t.birth_rate_permille, t.natural_growth_rate_permille,"
           " t.policy_rate_percent, t.population from population_targets t join units u on u.id = t.unit_id")
    params: list[Any] = []
    if year:
        sql += " where t.year = ?"
        params.append(str(year))
    return [dict(r) for r in db.query(sql + " order by t.year, u.sort_key, u.code", params)]


def progress(db: sqlite_utils.Database, period_code: str, unit_code: str | None = None) -> dict | None:
    """The year-to-date figures against the unit's targets for the year containing P's end.

    None when no target is set. Rates are Decimal: the year-to-date rates as printed (rounded
    half up, from `period_figures`), the targets as entered; 计划生育率 is met when the printed
    rate is at least the target.
    """
    from app.stats.period_figures import period_figures

    s = int(meta(db, "stat_year_start", "10") or 10)
    period = Period.parse(period_code, s)
    year_code = str(period.end.year + (1 if s != 1 and period.end.month >= s else 0))
    year = Period.parse(year_code, s)
    to_date = Period.parse(f"{year.start.isoformat()}..{period.end.isoformat()}", s)
    # the year so far is a period too: when it is itself closed (the year's first month or half),
    # its snapshot answers, as for every other reader of a period's figures
    so_far = period_figures(db, to_date)
    unit = so_far.resolve(unit_code)
    if unit is None:
        return None
    target = get_target(db, year.code, unit.code)
    if target is None:
        return None
    figures = {k: (Decimal(str(v)) if isinstance(v, float) else v)
               for k, v in so_far.figures(unit, with_units=False).items()}
    dec = {k: (Decimal(target[k]) if target[k] is not None else None)
           for k in ("birth_rate_permille", "natural_growth_rate_permille", "policy_rate_percent")}
    policy = figures["policy_birth_rate_percent"]
    return {
        "year": year.code, "through": period.end.isoformat(), "unit": unit.code, "unit_name": unit.name,
        "target": target, "births": figures["births"], "target_births": target["births"],
        "births_share_percent": ratio(figures["births"], target["births"], 100) if target["births"] else None,
        "birth_rate_permille": figures["birth_rate_permille"],
        "target_birth_rate_permille": dec["birth_rate_permille"],
        "natural_growth_rate_permille": figures["natural_growth_rate_permille"],
        "target_natural_growth_rate_permille": dec["natural_growth_rate_permille"],
        "policy_birth_rate_percent": policy,
        "target_policy_rate_percent": dec["policy_rate_percent"],
        "policy_target_met": (None if policy is None or dec["policy_rate_percent"] is None
                              else policy >= dec["policy_rate_percent"]),
    }


_VETO = f"""
select w.unit_id, w.name, c.birth_date, c.birth_order, c.sex, c.reported_date
from children c join women w on w.id = c.mother_id
where trim(c.policy) = '政策外' and c.birth_date between :start and :end and {definitions.OWN_BIRTH}
order by c.birth_date, c.id
"""


def veto_list(db: sqlite_utils.Database, year: str) -> list[dict]:
    """一票否决: public units with a 政策外 birth in the statistical year, with their 主管单位."""
    period = _year(db, year)
    tree = units.units_on(db, period.end)
    by_id = {u.id: u for u in tree}
    public_of: dict[int, units.Unit] = {}

    def public_ancestor(unit_id: int) -> units.Unit | None:
        if unit_id in public_of:
            return public_of[unit_id]
        seen, current = set(), by_id.get(unit_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.kind == "公共单位":
                public_of[unit_id] = current
                return current
            current = by_id.get(current.parent_id) if current.parent_id else None
        return None

    flagged: dict[str, dict] = {}
    for unit_id, mother, born, order, sex, reported in db.execute(
            _VETO, {"start": period.start.isoformat(), "end": period.end.isoformat()}):
        public = public_ancestor(unit_id)
        if public is None:
            continue
        entry = flagged.get(public.code)
        if entry is None:
            supervisor = units.find(db, public.supervisor_code, period.end) if public.supervisor_code else None
            entry = flagged[public.code] = {
                "code": public.code, "name": public.name,
                "supervisor_code": public.supervisor_code,
                "supervisor_name": supervisor.name if supervisor else None,
                "births": []}
        entry["births"].append({"mother": mother, "birth_date": born, "order": order, "sex": sex,
                                "reported_date": reported or born})
    out = list(flagged.values())
    for entry in out:
        entry["count"] = len(entry["births"])
    return out


def today_year(db: sqlite_utils.Database, on: date | None = None) -> str:
    """The code of the statistical year containing `on` (default today)."""
    s = int(meta(db, "stat_year_start", "10") or 10)
    on = on or date.today()
    return str(on.year + (1 if s != 1 and on.month >= s else 0))


def view_veto_list(ledger: Ledger, year: str) -> list[dict]:
    """`veto_list` for a person to read; audited (查看一票否决名单)."""
    rows = veto_list(ledger.db, year)
    ledger.audit("查看一票否决名单", "veto", year, after={"units": len(rows)})
    return rows
