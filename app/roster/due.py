"""Who is due (应查) in a pregnancy-check round, and in which category (DOMAIN.md §6).

A woman is due in a round ending on E and starting on S when, at E:
- she is married: 婚姻状况 初婚/再婚 (初婚日期, if given, on or before E), or 离婚/丧偶 with the
  婚变日期 after E (she was still married at the round's end). Divorced and widowed women are
  NOT due (no husband: the check is for married women); unmarried women are never due.
- she is 15–49 at E (a woman whose 50th birthday falls on or before E is not due, even if she
  turned 50 inside the round);
- her card is active at E: not exited, or exited AFTER E (she was on the ledger at the round's
  end). A card that exited as 录入错误 (entered by mistake) is never due, whatever the date;
- she lives as 常住, 流入 or 流出 (流出 women are due and answer by mailing a certificate);
- she is not exempt: no 女扎/男扎 measure in effect at E that started MORE than N months
  before S (N = setting `roster.sterilized_exempt_months`, default 12: started exactly 12
  months before S is still due), and no 免查 mark (women.check_exempt_reason).

Her category comes from the measure in effect at E (start ≤ E, no end or end after E); with
several open rows the strongest counts (结扎 > 上环 > 皮埋 > 药具 > 其他 > 未避孕):
女扎/男扎 (not yet exempt) → 结扎不足一年; 宫内节育器 → 上环; 皮下埋植 → 皮埋;
口服及注射避孕药, 避孕套, 外用药 → 药具; 其他 → 药具 (a short-acting method she does use, so she
is not 未避孕); 未避孕 or no measure at all → 未避孕/应落实未落实.

Units: the registry keeps only a woman's current unit, so an open round places her in her
current unit (a woman who moved during the round is due once, in her new unit, and a result
entered while she was in the old one still counts); closing the round freezes unit and category.
The 免查 mark and residence are likewise read as they are now for an open round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.periods import shift_date_months
from app.roster.rounds import Round, exempt_months

UNPROTECTED = "未避孕/应落实未落实"
STERILIZED_RECENT = "结扎不足一年"
CATEGORIES: tuple[str, ...] = ("上环", "皮埋", "药具", STERILIZED_RECENT, UNPROTECTED)
STERILIZATION = ("女扎", "男扎")
METHOD_CATEGORY = {
    "女扎": STERILIZED_RECENT, "男扎": STERILIZED_RECENT, "宫内节育器": "上环", "皮下埋植": "皮埋",
    "口服及注射避孕药": "药具", "避孕套": "药具", "外用药": "药具", "其他": "药具", "未避孕": UNPROTECTED,
}
_PRIORITY = {"女扎": 0, "男扎": 0, "宫内节育器": 1, "皮下埋植": 2, "口服及注射避孕药": 3,
             "避孕套": 4, "外用药": 5, "其他": 6, "未避孕": 7}


@dataclass
class DueWoman:
    woman_id: int
    unit_id: int
    category: str
    residence: str
    name: str
    id_number: str
    husband_name: str | None
    phone: str | None
    birth_date: str
    address: str | None = None


_WOMEN = """
select w.id, w.unit_id, w.residence, w.name, w.id_number, w.husband_name, w.phone, w.birth_date,
       w.address
from women w
where w.birth_date > :oldest and w.birth_date <= :youngest
  and (w.exit_reason is null or (w.exit_reason <> '录入错误' and w.exit_date > :end))
  and w.residence in ('常住', '流入', '流出')
  and ((w.marital_status in ('初婚', '再婚') and (w.first_marriage_date is null or w.first_marriage_date <= :end))
       or (w.marital_status in ('离婚', '丧偶') and w.marital_change_date > :end))
  and w.check_exempt_reason is null
"""

_MEASURES = """
select c.woman_id, c.method, c.start_date from contraception c
where c.start_date <= :end and (c.end_date is null or c.end_date > :end)
"""


def age_bounds(end: date) -> tuple[str, str]:
    """(oldest exclusive, youngest inclusive) birth dates for 15–49 at `end`."""
    oldest = shift_date_months(end, -50 * 12)      # born on or before this: 50 or older at `end`
    youngest = shift_date_months(end, -15 * 12)    # born on or before this: at least 15
    return oldest.isoformat(), youngest.isoformat()


def sterilization_cutoff(ledger, rnd: Round) -> date:
    """Sterilized BEFORE this date (strictly) = more than N months before the round starts."""
    return shift_date_months(rnd.start, -exempt_months(ledger))


def compute(ledger, rnd: Round, unit_ids: Iterable[int] | None = None,
            woman_id: int | None = None) -> list[DueWoman]:
    """The due list computed from the ledger as it is now (see the module rules)."""
    db = ledger.db
    oldest, youngest = age_bounds(rnd.end)
    end = rnd.end.isoformat()
    wanted = set(unit_ids) if unit_ids is not None else None
    params = {"oldest": oldest, "youngest": youngest, "end": end, "wid": woman_id}
    sql = _WOMEN + (" and w.id = :wid" if woman_id is not None else "")
    candidates = []
    for row in db.execute(sql + " order by w.name_initials, w.name, w.id", params):
        if wanted is None or row[1] in wanted:
            candidates.append(row)
    measures: dict[int, tuple[str, str]] = {}
    ids = {row[0] for row in candidates}
    measure_sql = _MEASURES + (" and c.woman_id = :wid" if woman_id is not None else "")
    for wid, method, start in db.execute(measure_sql, params):
        if wid not in ids:
            continue
        current = measures.get(wid)
        if current is None or _PRIORITY.get(method, 9) < _PRIORITY.get(current[0], 9):
            measures[wid] = (method, start)
    cutoff = sterilization_cutoff(ledger, rnd).isoformat()
    out = []
    for wid, unit_id, residence, name, id_number, husband, phone, born, address in candidates:
        method, started = measures.get(wid, ("未避孕", ""))
        if method in STERILIZATION and started < cutoff:
            continue
        out.append(DueWoman(wid, unit_id, METHOD_CATEGORY.get(method, UNPROTECTED), residence,
                            name, id_number, husband, phone, born, address))
    return out


_FROZEN = """
select d.woman_id, d.unit_id, d.category, d.residence, w.name, w.id_number, w.husband_name, w.phone,
       w.birth_date, w.address
from check_due d join women w on w.id = d.woman_id
where d.round_id = ?
order by w.name_initials, w.name, w.id
"""


def due_list(ledger, rnd: Round, unit_ids: Iterable[int] | None = None) -> list[DueWoman]:
    """The round's due list: the frozen rows of a closed round, else computed now."""
    if not rnd.closed or rnd.id is None:
        return compute(ledger, rnd, unit_ids)
    wanted = set(unit_ids) if unit_ids is not None else None
    return [DueWoman(*row) for row in ledger.db.execute(_FROZEN, [rnd.id])
            if wanted is None or row[1] in wanted]


def due_entry(ledger, rnd: Round, woman_id: int) -> DueWoman | None:
    """This woman's row in the round's due list, or None when she is not due."""
    if not rnd.closed or rnd.id is None:
        found = compute(ledger, rnd, woman_id=woman_id)
        return found[0] if found else None
    row = ledger.db.execute(_FROZEN.replace("order by", "and d.woman_id = ? order by"),
                            [rnd.id, woman_id]).fetchone()
    return DueWoman(*row) if row else None
