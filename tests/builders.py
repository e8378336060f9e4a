"""Build small ledgers in tests in the office's own words, by direct SQL on the schema.

    township = unit(ledger, "430202001", "仙庾镇", "乡镇")
    village = unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    li = woman(ledger, "李丽", unit="430202001001", born="1990-05-01", married="2012-01-01")
    child(ledger, li, 1, born="2026-01-15", sex="女")
    measure(ledger, li, "宫内节育器", "2026-05-20")
    procedure(ledger, li, "上环", "2026-05-20")

These bypass the registry's validation on purpose (tests of counting rules need exact facts,
including odd ones). Other engineers: ADD functions at the end; do not change these.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import date, datetime

from app import history, late_entry, units
from app.periods import Period
from app.population_base import store_row

_serial = itertools.count(1)
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def make_id(born: str, female: bool = True, area: str = "430202", serial: int | None = None) -> str:
    """A valid 18-digit ID number (GB 11643) for a birth date; unique per call."""
    n = next(_serial) if serial is None else serial
    seq = (n % 500) * 2 + (0 if female else 1)   # 17th digit odd = male, even = female
    if serial is None and n >= 500:  # vary the area's last two digits (50–99): 25,000 IDs per birth date
        area = area[:4] + f"{50 + (n // 500) % 50:02d}"
    body = f"{area}{born.replace('-', '')}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def unit(ledger, code: str, name: str, kind: str = "村", parent: str | None = None,
         since: str | None = None, supervisor: str | None = None) -> int:
    with ledger.write():
        return units.add(ledger.db, code, name, kind, parent, since, supervisor)


def woman(ledger, name: str, unit: str, born: str = "1990-01-01", married: str | None = "2012-01-01",
          hukou: str = "农业", residence: str = "常住", marital: str | None = None,
          id_number: str | None = None, exit_reason: str | None = None, exit_date: str | None = None,
          husband: str | None = None, card_date: str | None = None, **extra) -> int:
    """A woman's card; `married` None makes her 未婚 (unless `marital` says otherwise)."""
    unit_id = units.id_for_code(ledger.db, unit)
    assert unit_id is not None, f"no unit {unit}"
    status = marital or ("初婚" if married else "未婚")
    row = {
        "id_number": id_number or make_id(born), "name": name, "birth_date": born,
        "hukou_type": hukou, "residence": residence, "unit_id": unit_id,
        "marital_status": status, "first_marriage_date": married, "husband_name": husband,
        "exit_reason": exit_reason, "exit_date": exit_date, "card_date": card_date,
        "created_at": _now(), "updated_at": _now(),
    } | extra
    with ledger.write():
        return ledger.db["women"].insert(row).last_pk


def child(ledger, mother_id: int, order: int, born: str, sex: str = "男", policy: str = "政策内",
          kinship: str = "亲生", reported: str | None = None, died: str | None = None,
          name: str | None = None, **extra) -> int:
    """A child; `reported` None means reported on the birth date. Entered after the period of
    its report day was closed, it counts on its entry day, as the real entry does
    (`app.late_entry.counted_on`; a `counted_on=` keyword sets that column as given)."""
    row = {"mother_id": mother_id, "birth_order": order, "birth_date": born, "sex": sex,
           "policy": policy, "kinship": kinship, "reported_date": reported, "death_date": died,
           "name": name, "created_at": _now(), "updated_at": _now()} | extra
    if "counted_on" not in extra:
        closes = late_entry.Closes(ledger.db)
        row["counted_on"] = late_entry.counted_on(closes, born, reported, date.today()) if closes else None
    with ledger.write():
        return ledger.db["children"].insert(row).last_pk


def measure(ledger, woman_id: int, method: str, start: str, end: str | None = None,
            provider: str | None = None) -> int:
    with ledger.write():
        return ledger.db["contraception"].insert(
            {"woman_id": woman_id, "method": method, "start_date": start, "end_date": end,
             "provider": provider}).last_pk


def procedure(ledger, woman_id: int, kind: str, on: str, provider: str | None = None) -> int:
    """A procedure WITH its effect on the contraception history, exactly as the real entry has it
    (`app.history.add_procedure`: 上环 opens an IUD row, 取环 closes it …); only the registry's
    refusals are bypassed. A `measure()` of the same method and day before it is linked, not doubled."""
    with ledger.write():
        return history.add_procedure(ledger.db, woman_id, kind, on, provider, _now())[0]


def population(ledger, unit_code: str, period: str, population: int, deaths: int) -> None:
    """人口基数 for one unit and period (start/end resolved in the ledger's statistical year)."""
    p = Period.parse(period, ledger.stat_year_start)
    with ledger.write():
        store_row(ledger.db, units.id_for_code(ledger.db, unit_code), p, population, deaths)


def today() -> str:
    return date.today().isoformat()


VILLAGE_NAMES = ("仙庾村", "湖塘村", "长塘村", "杨梅村", "新塘村", "马家河村", "桃花村", "枫林村", "石塘村",
                 "金盆村", "大坪村", "荷花村", "樟树村", "黄泥村", "白石村", "双龙村", "高峰村", "东冲村",
                 "西冲村", "龙泉村", "太平村", "和平村", "长岭村")


def township(ledger, villages: int = 23, code: str = "430202100", name: str = "仙庾镇",
             kind: str = "乡镇", born: str = "2026-01-15") -> list[str]:
    """A township (or 街道) with `villages` villages (村; 社区 under a 街道), one birth in each on
    `born` and a 2026H1 人口基数 per village; returns the village codes in order."""
    unit(ledger, code, name, kind)
    codes = []
    for i in range(villages):
        village = f"{code}{201 + i:03d}"
        base = VILLAGE_NAMES[i % len(VILLAGE_NAMES)]
        title = base if i < len(VILLAGE_NAMES) else f"{base[:-1]}{i}{base[-1]}"
        if kind == "街道":
            title = title[:-1] + "社区"
        unit(ledger, village, title, "社区" if kind == "街道" else "村", parent=code)
        mother = woman(ledger, f"李{i}", unit=village, born="1992-01-01", married="2015-01-01")
        child(ledger, mother, 1, born=born, sex="女" if i % 2 else "男")
        population(ledger, village, "2026H1", 3000 + 10 * i, 3)
        codes.append(village)
    return codes


@contextmanager
def as_setup_admin(ledger):
    """Set the test's office up as a 管理员 would (ledger.user stays as it was afterwards): a
    ledger with accounts refuses changes without a signed-in user (app.ledger.Ledger.require)."""
    from app.accounts import ADMIN, User

    before = ledger.user
    if before is None:
        ledger.user = User(0, "setup", "建档管理员", ADMIN)
    try:
        yield ledger
    finally:
        ledger.user = before
