"""手工台帐 vs 电脑台帐 (篇三 point 8): the manual ledger's counts against the computed ones.

Items and how the computer counts each, for a unit (its subtree on the period's end) and period P —
the same rules as the statistics (app/stats: women.py, births.py), so the comparison and the
forms agree:
- 已婚育龄妇女: cards married on P's end by the statistics' own rule (app.stats.scope
  MARRIED_AT_END: 初婚; 再婚/复婚 since before the end; 离婚/丧偶 only after it), aged 15–49 on P's
  end (born after end − 50 years and on or before end − 15 years), 居住状态 常住/流入, not exited
  by P's end (ACTIVE_AT_END: an exit dated after the end still counts; 录入错误 never counts).
- 上环 / 结扎 / 皮埋 / 药具 / 未避孕: those married women by their method in use on P's end
  (app.definitions.method_in_use, the one 表2 counts: rows with start ≤ end and no end date or
  end date after it; a sterilization wins, else the latest start, ties → the stronger method):
  宫内节育器; 女扎 or 男扎; 皮下埋植; 口服及注射避孕药, 避孕套 or 外用药; no row in effect or 未避孕.
  (其他 is in no item.)
- 出生: births of P by app.definitions (the statistics' births.py rule) — 亲生, born in P,
  mother 常住/流入, card not 录入错误, born on or before a real exit, reported (max(上报日期,
  birth date)) by P's end.
- 补报: late reports in P — 上报日期 in P, born before P's start, otherwise as 出生.
The cards behind each computed figure are listed by `cards()` (the drill-down).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app import definitions, units
from app.errors import UserInputError
from app.periods import Period
from app.stats.scope import ACTIVE_AT_END, MARRIED_AT_END

if TYPE_CHECKING:
    from app.ledger import Ledger

ITEMS = ("已婚育龄妇女", "上环", "结扎", "皮埋", "药具", "未避孕", "出生", "补报")
_METHODS = {"上环": ("宫内节育器",), "结扎": ("女扎", "男扎"), "皮埋": ("皮下埋植",),
            "药具": ("口服及注射避孕药", "避孕套", "外用药")}
VOID = definitions.VOID_EXIT


_MARRIED = f"""
with {definitions.method_in_use_cte(":end", "current")}
select w.id, w.name, w.id_number, w.unit_id, coalesce(current.method, '未避孕')
from women w left join current on current.woman_id = w.id
where w.unit_id in (select value from json_each(:units))
  and {MARRIED_AT_END} and {definitions.LIVES_HERE_SQL} and {ACTIVE_AT_END}
  and w.birth_date > :born_after and w.birth_date <= :born_by
order by w.id
"""

_CHILDREN = """
select c.id, w.id, w.name, w.id_number, c.birth_order, c.sex, c.birth_date, c.reported_date
from children c join women w on w.id = c.mother_id
where w.unit_id in (select value from json_each(:units)) and {cond}
order by c.birth_date, c.id
"""


def cards(db, unit_code: str, period: Period, item: str) -> list[dict]:
    """The cards behind the computed figure of `item` for the unit's subtree in `period`."""
    if item not in ITEMS:
        raise UserInputError(f"项目“{item}”无效，应为：{'、'.join(ITEMS)}。")
    end = period.end
    unit = units.get(db, unit_code, end)
    params = {"units": json.dumps(units.subtree_ids(db, unit.id, end)), "end": end.isoformat(),
              "start": period.start.isoformat(), "void": VOID}
    if item in ("出生", "补报"):
        cond = (definitions.birth_in_sql(":start", ":end") if item == "出生"
                else definitions.late_report_in_sql(":start", ":end"))
        return [{"kind": "child", "child_id": r[0], "woman_id": r[1], "name": r[2], "id_number": r[3],
                 "order": r[4], "sex": r[5], "birth_date": r[6], "reported_date": r[7]}
                for r in db.execute(_CHILDREN.format(cond=cond), params).fetchall()]
    params["born_after"], params["born_by"] = definitions.age_bounds(end)
    out = []
    for wid, name, idn, _unit_id, method in db.execute(_MARRIED, params).fetchall():
        if item == "已婚育龄妇女" or method in _METHODS.get(item, ()) or (item == "未避孕" and method == "未避孕"):
            out.append({"kind": "woman", "woman_id": wid, "name": name, "id_number": idn, "method": method})
    return out


def computed(db, unit_code: str, period: Period, item: str) -> int:
    return len(cards(db, unit_code, period, item))


def set_manual(ledger: Ledger, unit_code: str, period_code: str, item: str, count: int) -> None:
    """Enter one manual figure (audited; replaces the earlier one for that unit, period and item)."""
    ledger.require("edit_registry")
    period = Period.parse(period_code, ledger.stat_year_start)
    unit = units.get(ledger.db, unit_code, period.end)
    if item not in ITEMS:
        raise UserInputError(f"项目“{item}”无效，应为：{'、'.join(ITEMS)}。")
    if not isinstance(count, int) or count < 0:
        raise UserInputError("人数应为不小于 0 的整数。")
    old = ledger.db.execute("select count from manual_ledger where unit_id = ? and period = ? and item = ?",
                            [unit.id, period.code, item]).fetchone()
    with ledger.write("录入手工台帐", "manual_ledger", f"{unit_code}:{period.code}:{item}",
                      before=old[0] if old else None, after=count) as db:
        db.execute("insert or replace into manual_ledger (unit_id, period, item, count, entered_by, entered_at)"
                   " values (?, ?, ?, ?, ?, ?)",
                   [unit.id, period.code, item, count, ledger.actor_name, datetime.now().isoformat(timespec="seconds")])


@dataclass
class Comparison:
    unit_code: str
    unit_name: str
    item: str
    manual: int | None
    computed: int

    @property
    def difference(self) -> int | None:
        return None if self.manual is None else self.manual - self.computed


def compare(db, period: Period, unit_codes: list[str] | None = None) -> list[Comparison]:
    """Every item for each unit with manual figures in the period (or each of `unit_codes`)."""
    manual = {(code, item): count for code, item, count in db.execute(
        "select u.code, m.item, m.count from manual_ledger m join units u on u.id = m.unit_id where m.period = ?",
        [period.code]).fetchall()}
    codes = unit_codes or sorted({code for code, _ in manual})
    out = []
    for code in codes:
        unit = units.get(db, code, period.end)
        for item in ITEMS:
            out.append(Comparison(code, unit.name, item, manual.get((code, item)), computed(db, code, period, item)))
    return out


def view_cards(ledger: Ledger, unit_code: str, period: Period, item: str) -> list[dict]:
    """The cards behind one computed figure, for the screen (名单: who and why audited)."""
    found = cards(ledger.db, unit_code, period, item)
    ledger.audit("查看手工台帐核对明细", "manual_ledger", f"{unit_code}:{period.code}:{item}",
                 after={"cards": len(found)})
    return found
