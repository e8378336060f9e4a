"""Organisation units (单位): 区县 → 乡镇/街道 → 村/社区 (→ 组), plus public units.

Rules:
- A unit's name and parent are versioned: each `unit_versions` row holds them for
  [valid_from, valid_to); reports for a past date use the tree as it was on that date.
- Rename and move close the open version and open a new one on the given date (a change on the
  version's own first day edits it in place). Codes are data and never change.
- Merge moves the sources' child units and women to the target and dissolves the sources;
  split creates new sibling units (the clerk then moves women to them).
- Front ends change the tree only through the ledger-level functions at the end of this module
  (`add_unit`, `add_units`, `rename_unit`, `move_unit`, `merge_unit`, `split_unit`): each needs
  `manage_units` and is ONE audited transaction (before/after). The db-level functions above
  them are their mechanics, and run inside a caller's checked, audited transaction (the import,
  demo data).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlite_utils

from app import text as text_rule
from app.errors import UserInputError

if TYPE_CHECKING:
    from app.ledger import Ledger

KINDS = ("区县", "乡镇", "街道", "村", "社区", "组", "公共单位")
BEGINNING = "1900-01-01"


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    supervisor_code: str | None = None
    dissolved_on: str | None = None


def _iso(on: date | str | None) -> str:
    if on is None:
        return date.today().isoformat()
    return on if isinstance(on, str) else on.isoformat()


_AT = """
select u.id, u.code, v.name, u.kind, v.parent_id, u.supervisor_code, u.dissolved_on
from units u join unit_versions v on v.unit_id = u.id
where v.valid_from <= :on and (v.valid_to is null or v.valid_to > :on)
  and (u.dissolved_on is null or u.dissolved_on > :on)
"""


def units_on(db: sqlite_utils.Database, on: date | str | None = None) -> list[Unit]:
    """Every unit that exists on `on`, with its name and parent of that day, in sort order."""
    rows = db.execute(_AT + " order by u.sort_key, u.code", {"on": _iso(on)}).fetchall()
    return [Unit(*row) for row in rows]


def find(db: sqlite_utils.Database, code: str, on: date | str | None = None) -> Unit | None:
    row = db.execute(_AT + " and u.code = :code", {"on": _iso(on), "code": code}).fetchone()
    return Unit(*row) if row else None


def get(db: sqlite_utils.Database, code: str, on: date | str | None = None) -> Unit:
    unit = find(db, code, on)
    if unit is None:
        raise UserInputError(f"单位代码“{code}”不存在（或在 {_iso(on)} 已撤销）。")
    return unit


def id_for_code(db: sqlite_utils.Database, code: str) -> int | None:
    row = db.execute("select id from units where code = ?", [code]).fetchone()
    return row[0] if row else None


def code_for_id(db: sqlite_utils.Database, unit_id: int) -> str | None:
    row = db.execute("select code from units where id = ?", [unit_id]).fetchone()
    return row[0] if row else None


def children_map(units: list[Unit]) -> dict[int | None, list[Unit]]:
    out: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        out[unit.parent_id].append(unit)
    return out


def roots(db: sqlite_utils.Database, on: date | str | None = None) -> list[Unit]:
    everything = units_on(db, on)
    ids = {u.id for u in everything}
    return [u for u in everything if u.parent_id is None or u.parent_id not in ids]


def subtree_ids(db: sqlite_utils.Database, unit_id: int, on: date | str | None = None) -> list[int]:
    """`unit_id` and every unit below it on `on` (the tree of that day)."""
    kids = children_map(units_on(db, on))
    out, stack = [], [unit_id]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(child.id for child in kids.get(current, []))
    return out


def add(db: sqlite_utils.Database, code: str, name: str, kind: str, parent_code: str | None = None,
        valid_from: date | str | None = None, supervisor_code: str | None = None,
        legal_rep: str | None = None, fp_contact: str | None = None) -> int:
    text_rule.check("单位代码", code)
    text_rule.check("单位名称", name)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise UserInputError("单位代码和单位名称不能为空。")
    if kind not in KINDS:
        raise UserInputError(f"单位类型“{kind}”无效，应为：{'、'.join(KINDS)}。")
    if id_for_code(db, code) is not None:
        raise UserInputError(f"单位代码“{code}”已存在。")
    start = _iso(valid_from) if valid_from else BEGINNING
    parent_id = None
    if parent_code:
        parent_id = get(db, parent_code, start).id
    cursor = db.execute(
        "insert into units (code, kind, supervisor_code, legal_rep, fp_contact, sort_key)"
        " values (?, ?, ?, ?, ?, (select coalesce(max(sort_key), 0) + 1 from units))",
        [code, kind, supervisor_code, legal_rep, fp_contact])
    unit_id = cursor.lastrowid
    assert unit_id is not None  # an INSERT sets it
    db.execute("insert into unit_versions (unit_id, name, parent_id, valid_from) values (?, ?, ?, ?)",
               [unit_id, name, parent_id, start])
    return unit_id


def _change_version(db: sqlite_utils.Database, unit: Unit, on: str, note: str,
                    name: str | None = None, parent_id: int | None | object = ...) -> None:
    row = db.execute(
        "select id, valid_from from unit_versions where unit_id = ? and valid_from <= ?"
        " and (valid_to is null or valid_to > ?)", [unit.id, on, on]).fetchone()
    if row is None:
        raise UserInputError(f"单位“{unit.name}”在 {on} 没有有效记录。")
    later = db.execute("select 1 from unit_versions where unit_id = ? and valid_from > ?",
                       [unit.id, on]).fetchone()
    if later:
        raise UserInputError(f"单位“{unit.name}”在 {on} 之后已有变动，不能在更早的日期再变动。")
    new_name = name if name is not None else unit.name
    new_parent = unit.parent_id if parent_id is ... else parent_id
    version_id, valid_from = row
    if valid_from == on:
        db.execute("update unit_versions set name = ?, parent_id = ?, note = ? where id = ?",
                   [new_name, new_parent, note, version_id])
        return
    db.execute("update unit_versions set valid_to = ? where id = ?", [on, version_id])
    db.execute("insert into unit_versions (unit_id, name, parent_id, valid_from, note) values (?, ?, ?, ?, ?)",
               [unit.id, new_name, new_parent, on, note])


def rename(db: sqlite_utils.Database, code: str, new_name: str, on: date | str) -> None:
    on = _iso(on)
    unit = get(db, code, on)
    text_rule.check("单位名称", new_name)
    if not new_name.strip():
        raise UserInputError("新名称不能为空。")
    _change_version(db, unit, on, f"更名：{unit.name} → {new_name.strip()}", name=new_name.strip())


def move(db: sqlite_utils.Database, code: str, new_parent_code: str, on: date | str) -> None:
    on = _iso(on)
    unit = get(db, code, on)
    parent = get(db, new_parent_code, on)
    if parent.id in subtree_ids(db, unit.id, on):
        raise UserInputError(f"不能把“{unit.name}”划到它自己的下级“{parent.name}”之下。")
    _change_version(db, unit, on, f"划转到：{parent.name}", parent_id=parent.id)


def merge(db: sqlite_utils.Database, source_codes: list[str], target_code: str, on: date | str) -> int:
    """Merge sources into target on `on`; returns how many women were moved to the target."""
    on = _iso(on)
    target = get(db, target_code, on)
    moved_women = 0
    for code in source_codes:
        source = get(db, code, on)
        if source.id == target.id:
            raise UserInputError("不能把单位合并到它自己。")
        for child in [u for u in units_on(db, on) if u.parent_id == source.id]:
            _change_version(db, child, on, f"因“{source.name}”并入“{target.name}”而划转", parent_id=target.id)
        if "women" in db.table_names():
            moved_women += db.execute("update women set unit_id = ? where unit_id = ?",
                                      [target.id, source.id]).rowcount
        db.execute("update unit_versions set valid_to = ? where unit_id = ? and valid_to is null",
                   [on, source.id])
        db.execute("update units set dissolved_on = ? where id = ?", [on, source.id])
    return moved_women


def split(db: sqlite_utils.Database, code: str, new_units: list[tuple[str, str]], on: date | str,
          dissolve_source: bool = False) -> list[int]:
    """Create new units beside `code` (same parent and kind) from `on`; optionally dissolve it."""
    on = _iso(on)
    source = get(db, code, on)
    parent_code = None
    if source.parent_id is not None:
        parent_code = db.execute("select code from units where id = ?", [source.parent_id]).fetchone()[0]
    created = [add(db, new_code, new_name, source.kind, parent_code, on) for new_code, new_name in new_units]
    if dissolve_source:
        women = db.execute("select count(*) from women where unit_id = ? and exit_reason is null",
                           [source.id]).fetchone()[0] if "women" in db.table_names() else 0
        if women:
            raise UserInputError(f"“{source.name}”还有 {women} 名在册妇女，请先把她们划到新单位，再撤销原单位。")
        db.execute("update unit_versions set valid_to = ? where unit_id = ? and valid_to is null", [on, source.id])
        db.execute("update units set dissolved_on = ? where id = ?", [on, source.id])
    return created


def history(db: sqlite_utils.Database, code: str) -> list[dict]:
    unit_id = id_for_code(db, code)
    return [dict(r) for r in db.query(
        "select v.name, p.code as parent_code, v.valid_from, v.valid_to, v.note from unit_versions v"
        " left join units p on p.id = v.parent_id where v.unit_id = ? order by v.valid_from", [unit_id])]


# ---- the ledger-level changes (permission + audit + one transaction) ---------------------------
def add_unit(ledger: Ledger, code: str, name: str, kind: str, parent_code: str | None = None,
             valid_from: date | str | None = None) -> int:
    ledger.require("manage_units")
    after = {"code": code.strip(), "name": name.strip(), "kind": kind, "parent": parent_code,
             "valid_from": _iso(valid_from) if valid_from else BEGINNING}
    with ledger.write("新增单位", "unit", code.strip(), after=after) as db:
        return add(db, code, name, kind, parent_code, valid_from)


def add_units(ledger: Ledger, rows: list[tuple[str, str, str, str | None]]) -> None:
    """Set up a tree at once (code, name, kind, parent code), parents first; one audit entry."""
    ledger.require("manage_units")
    with ledger.write("建立单位", "unit", None, after={"units": [row[0] for row in rows]}) as db:
        for code, name, kind, parent_code in rows:
            add(db, code, name, kind, parent_code or None)


def rename_unit(ledger: Ledger, code: str, new_name: str, on: date | str) -> None:
    ledger.require("manage_units")
    old = get(ledger.db, code, on)
    with ledger.write("单位更名", "unit", code, before={"name": old.name},
                      after={"name": new_name.strip(), "on": _iso(on)}) as db:
        rename(db, code, new_name, on)


def move_unit(ledger: Ledger, code: str, parent_code: str, on: date | str) -> None:
    ledger.require("manage_units")
    old = get(ledger.db, code, on)
    with ledger.write("单位划转", "unit", code, before={"parent_id": old.parent_id},
                      after={"parent": parent_code, "on": _iso(on)}) as db:
        move(db, code, parent_code, on)


def merge_unit(ledger: Ledger, code: str, target_code: str, on: date | str) -> int:
    """Merge one unit into another; returns how many women moved."""
    ledger.require("manage_units")
    with ledger.write("单位合并", "unit", code, before={"code": code},
                      after={"into": target_code, "on": _iso(on)}) as db:
        return merge(db, [code], target_code, on)


def split_unit(ledger: Ledger, code: str, new_units: list[tuple[str, str]], on: date | str,
               dissolve_source: bool = False) -> list[int]:
    ledger.require("manage_units")
    after = {"new_units": [list(pair) for pair in new_units], "on": _iso(on), "dissolve_source": dissolve_source}
    with ledger.write("单位拆分", "unit", code, before={"code": code}, after=after) as db:
        return split(db, code, new_units, on, dissolve_source)
