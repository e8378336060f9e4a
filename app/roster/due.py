"""Who is due (应查) in a pregnancy-check round, and in which category (DOMAIN.md §6).

Married, active, lives-here, age, in-effect and method-in-use are app.definitions' rules (one
source shared with the statistics and the manual ledger); restated here for the roster:
A woman is due in a round ending on E and starting on S when, at E:
- she is married (已婚 = 初婚/再婚; 复婚, if stored, is 再婚):
  - 初婚/再婚/复婚 with 初婚日期 empty or on or before E; for 再婚/复婚 also 婚变日期 (the
    remarriage) empty or on or before E — remarried after E means she was between marriages at
    E, so NOT due;
  - 离婚/丧偶 with 婚变日期 AFTER E (she was still married at the round's end) and 初婚日期 empty
    or on or before E. Divorced/widowed on or before E, or with no 婚变日期, is not due;
  - 未婚 (and any other value) is never due.
- she is 15–49 at E, age in completed years from the birth date: born after E − 50 years and on
  or before E − 15 years. Her 50th birthday on or before E (even inside the round, even on E
  itself) → 50 at E → not due; her 50th birthday the day after E → 49 at E → due. Her 15th
  birthday on or before E → due. Born on 29 February: the birthday in a common year is 1 March
  (same rule as app.stats.women).
- her card is active at E: 出队 reason empty, or exited AFTER E (she was on the ledger at the
  round's end; an exit on E itself counts as gone). A card that exited as 录入错误 (entered by
  mistake) is never due, whatever the date. 建卡日期 is not read (cards are often entered late).
- she lives as 常住, 流入 or 流出 (流出 women are due and answer by mailing a certificate);
- she is not exempt:
  - sterilized: a 女扎 or 男扎 row in effect at E (start ≤ E, no end or end after E) that
    started MORE than N months before S, i.e. start < S − N months (N = setting
    `roster.sterilized_exempt_months`, default 12; S − N months keeps the day of month, clamped to
    the month's end). Sterilized exactly N months before S (start = S − N months) is still due,
    as 结扎不足一年. Any such row exempts her, whatever other rows are open;
  - a 免查 mark WITH a reason (women.check_exempt_reason not blank); a blank mark exempts nobody.

Her category comes from the rows in effect at E (start ≤ E, no end date or end date after E):
- a 女扎/男扎 row in effect (not exempting her) → 结扎不足一年 (a 男扎 under a year included),
  whatever else is open: sterilization is not undone by a later row, only by ending its row;
- otherwise the row that started LAST (app.definitions.method_in_use: the method app.stats
  counts in 表2; same start date → the stronger method: 上环 > 皮埋 > 药具 > 其他 > 未避孕);
- 宫内节育器 → 上环; 皮下埋植 → 皮埋; 口服及注射避孕药, 避孕套, 外用药 → 药具 (DOMAIN.md lists
  exactly these three as 药具); 其他, 未避孕 or no row in effect → 未避孕/应落实未落实 (其他 is
  not one of the office's measures, so she still has a measure to put in place).

Units: the registry keeps only a woman's current unit, so an open round places her in her
current unit (a woman who moved during the round is due once, in her new unit, and a result
entered while she was in the old one still counts); closing the round freezes unit and category.
The 免查 mark and residence are likewise read as they are now for an open round.

SQLite 3.40.1 returns wrong rows for `col IN (...)` on a middle index column followed by a range
once ANALYZE statistics exist, so every IN on an indexed column here is written `+col IN (...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app import definitions
from app.periods import shift_date_months
from app.roster.round_model import Round, SettingsReader, exempt_months

UNPROTECTED = "未避孕/应落实未落实"
STERILIZED_RECENT = "结扎不足一年"
CATEGORIES: tuple[str, ...] = ("上环", "皮埋", "药具", STERILIZED_RECENT, UNPROTECTED)
STERILIZATION = definitions.STERILIZATION
METHOD_CATEGORY = {
    "女扎": STERILIZED_RECENT, "男扎": STERILIZED_RECENT, "宫内节育器": "上环", "皮下埋植": "皮埋",
    "口服及注射避孕药": "药具", "避孕套": "药具", "外用药": "药具", "其他": UNPROTECTED, "未避孕": UNPROTECTED,
}


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


_WOMEN = f"""
select w.id, w.unit_id, w.residence, w.name, w.id_number, w.husband_name, w.phone, w.birth_date,
       w.address
from women w
where w.birth_date > :oldest and w.birth_date <= :youngest
  and {definitions.active_at_sql(":end")}
  and {definitions.ROSTER_RESIDENCE_SQL}
  and {definitions.married_at_sql(":end")}
  and coalesce(trim(w.check_exempt_reason), '') = ''
"""

_MEASURES = f"""
select m.woman_id, m.method, m.start_date from contraception m
where {definitions.in_effect_sql(":end")}
"""


def age_bounds(end: date) -> tuple[str, str]:
    """(oldest exclusive, youngest inclusive) birth dates for 15–49 at `end` (app.definitions)."""
    return definitions.age_bounds(end)


def sterilization_cutoff(ledger: SettingsReader, rnd: Round) -> date:
    """Sterilized BEFORE this date (strictly) = more than N months before the round starts."""
    return shift_date_months(rnd.start, -exempt_months(ledger))


def classify(rows: list[tuple[str, str]], cutoff: str) -> str | None:
    """Category from the (method, start) rows in effect at the round's end; None = exempt.

    See the module rules: an old sterilization exempts, a recent one is 结扎不足一年, else the
    row that started last (ties: the stronger method) names the category.
    """
    sterilized = [start for method, start in rows if method in STERILIZATION]
    if any(start < cutoff for start in sterilized):
        return None
    if sterilized:
        return STERILIZED_RECENT
    if not rows:
        return UNPROTECTED
    method = definitions.method_in_use([(m, start, None) for m, start in rows], "9999-12-31")
    return METHOD_CATEGORY.get(method, UNPROTECTED)


def compute(ledger: SettingsReader, rnd: Round, unit_ids: Iterable[int] | None = None,
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
    ids = {row[0] for row in candidates}
    in_effect: dict[int, list[tuple[str, str]]] = {}
    measure_sql = _MEASURES + (" and m.woman_id = :wid" if woman_id is not None else "")
    for wid, method, start in db.execute(measure_sql, params):
        if wid in ids:
            in_effect.setdefault(wid, []).append((method, start))
    cutoff = sterilization_cutoff(ledger, rnd).isoformat()
    out = []
    for wid, unit_id, residence, name, id_number, husband, phone, born, address in candidates:
        category = classify(in_effect.get(wid, []), cutoff)
        if category is None:
            continue
        out.append(DueWoman(wid, unit_id, category, residence, name, id_number, husband, phone, born, address))
    return out


_FROZEN = """
select d.woman_id, d.unit_id, d.category, d.residence, w.name, w.id_number, w.husband_name, w.phone,
       w.birth_date, w.address
from check_due d join women w on w.id = d.woman_id
where d.round_id = ?
order by w.name_initials, w.name, w.id
"""


def due_list(ledger: SettingsReader, rnd: Round, unit_ids: Iterable[int] | None = None) -> list[DueWoman]:
    """The round's due list: the frozen rows of a closed round, else computed now."""
    if not rnd.closed or rnd.id is None:
        return compute(ledger, rnd, unit_ids)
    wanted = set(unit_ids) if unit_ids is not None else None
    return [DueWoman(*row) for row in ledger.db.execute(_FROZEN, [rnd.id])
            if wanted is None or row[1] in wanted]


def due_entry(ledger: SettingsReader, rnd: Round, woman_id: int) -> DueWoman | None:
    """This woman's row in the round's due list, or None when she is not due."""
    if not rnd.closed or rnd.id is None:
        found = compute(ledger, rnd, woman_id=woman_id)
        return found[0] if found else None
    row = ledger.db.execute(_FROZEN.replace("order by", "and d.woman_id = ? order by"),
                            [rnd.id, woman_id]).fetchone()
    return DueWoman(*row) if row else None
