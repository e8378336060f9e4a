"""The registry (育龄妇女台帐): women's cards, children, contraception, procedures, exits.

Rules:
- Every change is ONE `ledger.write()` transaction with its audit entry inside, recorded as
  object_type 'woman', object_id = the woman's id (children, measures and procedures too), so
  a card's 变动记录 is one query (`change_log`).
- Malformed input (missing required field, unknown code or unit, impossible or future date,
  broken or duplicate ID number) raises `RegistryError` before anything is written.
- After the change, the logic checks (`app.checks`) run on the card inside the transaction:
  an error the card did not have before blocks the change (rolled back, `RegistryError`);
  warnings come back in `SaveResult.warnings`. Errors the card already had (an imperfect
  import) do not block unrelated edits; they come back in `SaveResult.remaining_errors`.
- `women.name_initials` (pinyin first letters, `王丽芳` → `wlf`, `app.pinyin.initials`) and the
  name's other readings (`women_name_readings`: 李长青 → `lzq`) are kept on every write.
- Procedures update the contraception history (DOMAIN.md §3) through `app.history` — the one
  function the 手术 sheet import and the test builders use too: 上环 opens a 宫内节育器 row,
  取环 closes it, 女扎/男扎/皮埋 open their rows; each opening closes the open measure.
- Facts after a close (app/late_entry.py): a child created, or its 出生日期/上报日期 changed,
  gets its `counted_on` (计入上报日) by `late_entry.counted_on` inside the write's transaction;
  any fact dated in a standing closed period adds a `closed_period` warning to the SaveResult.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app import audit, checks, codes, history, late_entry
from app.checks import ERROR, Finding
from app.errors import UserInputError
from app.exchange import cells
from app.pinyin import initials
from app.registry_fields import (  # noqa: F401 - re-exported: the card editor reads labels here
    CHILD_CODED,
    CHILD_COLUMNS,
    CHILD_LABELS,
    CHILD_REQUIRED,
    WOMAN_CODED,
    WOMAN_COLUMNS,
    WOMAN_DATES,
    WOMAN_LABELS,
    WOMAN_REQUIRED,
    _code,
    _date,
    _refuse_controls,
    clean_child,
    clean_woman,
)
from app.schema import name_readings

if TYPE_CHECKING:
    from app.ledger import Ledger


class RegistryError(UserInputError):
    """A change refused; `findings` hold every reason (the message lists them in Chinese)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = "\n".join(f"· {f.message}" for f in findings)
        super().__init__(f"不能保存：\n{lines}")


@dataclass
class SaveResult:
    id: int
    warnings: list[Finding] = field(default_factory=list)
    remaining_errors: list[Finding] = field(default_factory=list)  # errors the card already had
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column -> (before, after)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _refuse(messages: Iterable[str], check: str = "input", woman_id: int | None = None,
            child_id: int | None = None) -> None:
    found = [Finding(check, ERROR, woman_id, child_id, m) for m in messages]
    if found:
        raise RegistryError(found)


def _fetch(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    cursor = db.execute(sql, params)
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([d[0] for d in cursor.description], values, strict=True))


def _woman(db: sqlite_utils.Database, woman_id: int) -> dict:
    """The card's women row, without `id_reversed` (search data: the full ID number written
    backwards has no place on a card and must not slip past ID masking)."""
    row = _fetch(db, "select * from women where id = ?", [woman_id])
    if row is None:
        raise UserInputError("这张育龄妇女卡片已不在台帐中（可能刚被删除），请刷新列表后重试。")
    row.pop("id_reversed", None)
    return row


def _child(db: sqlite_utils.Database, child_id: int) -> dict:
    row = _fetch(db, "select * from children where id = ?", [child_id])
    if row is None:
        raise UserInputError("这条子女记录已不在台帐中（可能刚被删除），请重新打开卡片。")
    return row


def _guarded(ledger: Ledger, woman_id: int | None, action: str, change, before: Any = None,
             after_fn=None) -> SaveResult:
    """Run `change(db) -> (woman_id, after)` in one transaction; check the card before and after.

    A new error rolls everything back (RegistryError). One audit entry (object 'woman').
    """
    with ledger.write() as db:
        old = {f.key for f in checks.for_women(db, [woman_id])} if woman_id else set()
        new_id, after = change(db)
        found = checks.for_women(db, [new_id])
        blocking = [f for f in found if f.severity == ERROR and f.key not in old]
        if blocking:
            raise RegistryError(blocking)
        audit.record(db, ledger.actor_name, action, "woman", new_id, before=before, after=after)
    return SaveResult(new_id, [f for f in found if f.severity != ERROR],
                      [f for f in found if f.severity == ERROR])


# ---- women ---------------------------------------------------------------------------------
def save_woman(ledger: Ledger, fields: dict, woman_id: int | None = None) -> SaveResult:
    """Insert (woman_id None) or update a card. Raises RegistryError when refused."""
    ledger.require("edit_registry")
    db = ledger.db
    existing = _woman(db, woman_id) if woman_id is not None else None
    row, problems = clean_woman(db, fields, existing)
    if row["id_number"] and not problems:
        dup = db.execute("select id, name from women where id_number = ? and id != ?",
                         [row["id_number"], woman_id or -1]).fetchone()
        if dup:
            problems.append(f"证件号码：{row['id_number']} 已登记在“{dup[1]}”的卡片上，不能重复")
    _refuse(problems, woman_id=woman_id)
    row["name_initials"] = initials(row["name"])
    now = _now()
    if existing is None:
        row["card_date"] = row["card_date"] or date.today().isoformat()

        def insert(db):
            cols = [*WOMAN_COLUMNS, "name_initials", "created_at", "updated_at"]
            values = [row.get(c) for c in cols[:-2]] + [now, now]
            cursor = db.execute(f"insert into women ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                                values)
            assert cursor.lastrowid is not None  # an INSERT sets it
            name_readings.refresh(db, [cursor.lastrowid])
            return cursor.lastrowid, {c: row[c] for c in WOMAN_COLUMNS if row[c] is not None}

        result = _guarded(ledger, None, "新建卡片", insert)
        return _late_notes(result, _woman_notes(ledger.db, {c: (None, row[c]) for c in row}), result.id)
    assert woman_id is not None  # `existing` is her card
    changed = {c: (existing[c], row[c]) for c in [*WOMAN_COLUMNS, "name_initials"] if existing[c] != row[c]}
    if not changed:
        found = checks.for_women(db, [woman_id])
        return SaveResult(woman_id, [f for f in found if f.severity != ERROR],
                          [f for f in found if f.severity == ERROR])

    def update(db):
        sets = ", ".join(f"{c} = ?" for c in changed)
        db.execute(f"update women set {sets}, updated_at = ? where id = ?",
                   [v[1] for v in changed.values()] + [now, woman_id])
        if "name" in changed or "name_initials" in changed:
            name_readings.refresh(db, [woman_id])
        return woman_id, {c: v[1] for c, v in changed.items()}

    result = _guarded(ledger, woman_id, "修改卡片", update, before={c: v[0] for c, v in changed.items()})
    result.changes = changed
    return _late_notes(result, _woman_notes(ledger.db, changed), woman_id)


def _woman_notes(db: sqlite_utils.Database, changed: dict[str, tuple[Any, Any]]) -> list[str | None]:
    """Warnings for the card's dated facts (初婚日期, 婚变日期, 出队日期) set or cleared in a closed period."""
    dated = {c: v for c, v in changed.items() if c in late_entry.WOMAN_DATED}
    closes = late_entry.Closes(db) if dated else None
    if not closes:
        return []
    out: list[str | None] = []
    for column, (old, new) in dated.items():
        label = late_entry.WOMAN_DATED[column]
        out.append(late_entry.dated_note(closes, label, new) or late_entry.dated_note(closes, f"原{label}", old))
    return out


def _late_notes(result: SaveResult, notes: Sequence[str | None], woman_id: int,
                child_id: int | None = None) -> SaveResult:
    """Add the closed-period warnings (app/late_entry.py) to a save's result."""
    result.warnings.extend(late_entry.findings(notes, woman_id, child_id))
    return result


def exit_card(ledger: Ledger, woman_id: int, reason: str, on: date | str) -> SaveResult:
    """出队/注销: reason in 超龄/迁出/死亡/录入错误; the card stays and can be restored."""
    ledger.require("edit_registry")
    woman = _woman(ledger.db, woman_id)
    problems: list[str] = []
    stored = _code(codes.EXIT_REASON, reason, "出队原因", problems)
    when = _date(on, "出队日期", problems, date.today())
    if stored is None and not problems:
        problems.append("出队原因：必填项为空")
    if when is None and not problems:
        problems.append("出队日期：必填项为空")
    if woman["exit_reason"]:
        problems.append(f"该卡片已于 {woman['exit_date']} 以“{woman['exit_reason']}”出队")
    if when and when < woman["birth_date"]:
        problems.append("出队日期早于出生日期")
    _refuse(problems, woman_id=woman_id)

    def change(db):
        db.execute("update women set exit_reason = ?, exit_date = ?, updated_at = ? where id = ?",
                   [stored, when, _now(), woman_id])
        return woman_id, {"exit_reason": stored, "exit_date": when}

    result = _guarded(ledger, woman_id, "出队", change, before={"exit_reason": None, "exit_date": None})
    return _late_notes(result, [late_entry.dated_note(late_entry.Closes(ledger.db), "出队日期", when)], woman_id)


def restore_card(ledger: Ledger, woman_id: int) -> SaveResult:
    """Undo an exit (the card becomes active again)."""
    ledger.require("edit_registry")
    woman = _woman(ledger.db, woman_id)
    if not woman["exit_reason"]:
        _refuse(["该卡片没有出队，无需恢复"], woman_id=woman_id)
    dup = ledger.db.execute("select 1 from women where id_number = ? and id != ? and exit_reason is null",
                            [woman["id_number"], woman_id]).fetchone()
    if dup:
        _refuse(["已有相同证件号码的在册卡片，不能恢复"], woman_id=woman_id)

    def change(db):
        db.execute("update women set exit_reason = null, exit_date = null, updated_at = ? where id = ?",
                   [_now(), woman_id])
        return woman_id, {"exit_reason": None, "exit_date": None}

    return _guarded(ledger, woman_id, "恢复卡片", change,
                    before={"exit_reason": woman["exit_reason"], "exit_date": woman["exit_date"]})


def due_to_exit_over_age(db: sqlite_utils.Database, as_of: date | str | None = None) -> list[dict]:
    """Active cards whose 50th birthday is on or before `as_of` (超龄, due to exit), oldest first.

    Each dict: id, name, id_number, birth_date, unit_id, fiftieth_birthday (29 Feb → 1 Mar).
    """
    on = as_of.isoformat() if isinstance(as_of, date) else (as_of or date.today().isoformat())
    rows = db.execute("""select id, name, id_number, birth_date, unit_id from women
        where exit_reason is null and birth_date <= date(?, '-50 years') order by birth_date, id""",
                      [on]).fetchall()
    return [{"id": r[0], "name": r[1], "id_number": r[2], "birth_date": r[3], "unit_id": r[4],
             "fiftieth_birthday": checks._add_years(r[3], 50)} for r in rows]


def bulk_exit_over_age(ledger: Ledger, as_of: date | str | None = None) -> int:
    """Exit every card due for 超龄 in one transaction; the exit date is the 50th birthday.

    One audit entry per card (so each card's 变动记录 shows it). Returns how many exited.
    """
    ledger.require("edit_registry")
    due = due_to_exit_over_age(ledger.db, as_of)
    if not due:
        return 0
    now = _now()
    with ledger.write() as db:
        db.conn.executemany("update women set exit_reason = '超龄', exit_date = ?, updated_at = ? where id = ?",
                            [(d["fiftieth_birthday"], now, d["id"]) for d in due])
        for d in due:
            audit.record(db, ledger.actor_name, "超龄出队", "woman", d["id"],
                         before={"exit_reason": None, "exit_date": None},
                         after={"exit_reason": "超龄", "exit_date": d["fiftieth_birthday"]})
    return len(due)


# ---- children ------------------------------------------------------------------------------
def add_child(ledger: Ledger, woman_id: int, fields: dict) -> SaveResult:
    """Add a child to a card; 上报日期 defaults to today. `SaveResult.id` is the child's id."""
    ledger.require("edit_registry")
    _woman(ledger.db, woman_id)
    row, problems = clean_child(fields)
    if row["birth_order"] and ledger.db.execute("select 1 from children where mother_id = ? and birth_order = ?",
                                                [woman_id, row["birth_order"]]).fetchone():
        problems.append(f"孩次：第 {row['birth_order']} 孩已登记")
    _refuse(problems, woman_id=woman_id)
    holder: dict[str, Any] = {}

    def change(db):
        now = _now()
        closes = holder["closes"] = late_entry.Closes(db)
        counted = holder["counted_on"] = late_entry.counted_on(
            closes, row["birth_date"], row["reported_date"], date.today()) if closes else None
        cursor = db.execute(f"insert into children (mother_id, {', '.join(CHILD_COLUMNS)}, counted_on, created_at,"
                            f" updated_at) values ({', '.join('?' * (len(CHILD_COLUMNS) + 4))})",
                            [woman_id, *[row[c] for c in CHILD_COLUMNS], counted, now, now])
        holder["id"] = cursor.lastrowid
        after = {"child_id": cursor.lastrowid} | {c: row[c] for c in CHILD_COLUMNS if row[c] is not None}
        return woman_id, after | ({"counted_on": counted} if counted else {})

    result = _guarded(ledger, woman_id, "新增子女", change)
    result.id = holder["id"]
    return _late_notes(result, late_entry.child_notes(
        holder["closes"], row["birth_date"], row["reported_date"], holder["counted_on"]), woman_id, holder["id"])


def update_child(ledger: Ledger, child_id: int, fields: dict) -> SaveResult:
    """Change a child's fields (a missing 上报日期 stays missing unless given)."""
    ledger.require("edit_registry")
    existing = _child(ledger.db, child_id)
    row, problems = clean_child(fields, existing)
    if row["birth_order"] != existing["birth_order"] and ledger.db.execute(
            "select 1 from children where mother_id = ? and birth_order = ? and id != ?",
            [existing["mother_id"], row["birth_order"], child_id]).fetchone():
        problems.append(f"孩次：第 {row['birth_order']} 孩已登记")
    woman_id = existing["mother_id"]
    _refuse(problems, woman_id=woman_id, child_id=child_id)
    changed = {c: (existing[c], row[c]) for c in CHILD_COLUMNS if existing[c] != row[c]}
    if not changed:
        return SaveResult(child_id)
    before_dates = (existing["birth_date"], existing["reported_date"], existing["counted_on"])
    closes = late_entry.Closes(ledger.db)
    counted = late_entry.counted_on(closes, row["birth_date"], row["reported_date"], date.today(), before_dates)
    if counted != existing["counted_on"]:
        changed["counted_on"] = (existing["counted_on"], counted)
    notes = late_entry.child_notes(closes, row["birth_date"], row["reported_date"], counted, before_dates,
                                   other_change=bool(set(changed) - {"birth_date", "reported_date", "counted_on"}))

    def change(db):
        db.execute(f"update children set {', '.join(f'{c} = ?' for c in changed)}, updated_at = ? where id = ?",
                   [v[1] for v in changed.values()] + [_now(), child_id])
        return woman_id, {"child_id": child_id} | {c: v[1] for c, v in changed.items()}

    result = _guarded(ledger, woman_id, "修改子女", change,
                      before={"child_id": child_id} | {c: v[0] for c, v in changed.items()})
    result.id = child_id
    result.changes = changed
    return _late_notes(result, notes, woman_id, child_id)


# ---- contraception and procedures ----------------------------------------------------------
def current_measure(db: sqlite_utils.Database, woman_id: int) -> dict | None:
    """The open contraception row (终止日期 empty), latest start first."""
    return _fetch(db, "select * from contraception where woman_id = ? and end_date is null"
                      " order by start_date desc limit 1", [woman_id])


def _in_effect(db, woman_id: int, methods: tuple[str, ...], on: str, inclusive_end: bool) -> dict | None:
    op = ">=" if inclusive_end else ">"
    marks = ", ".join("?" * len(methods))
    return _fetch(db, f"""select * from contraception where woman_id = ? and +method in ({marks})
        and start_date <= ? and (end_date is null or end_date {op} ?) order by start_date desc limit 1""",
                  [woman_id, *methods, on, on])


def _open_row(db, woman_id: int, method: str, start: str, end: str | None, provider: str | None,
              procedure_id: int | None) -> tuple[int, dict | None]:
    """Insert a measure row; an open row that started on/before `start` is closed on `start`.

    Back-dated entry: if the open row started after `start`, the new row ends where it begins.
    Returns (new row id, the closed row before the change or None).
    """
    closed = None
    if end is None:
        current = current_measure(db, woman_id)
        if current is not None:
            if current["start_date"] <= start:
                if current["method"] == method and current["start_date"] == start:
                    raise RegistryError([Finding("input", ERROR, woman_id, None,
                                                 f"{method}（{start} 起）已登记")])
                db.execute("update contraception set end_date = ? where id = ?", [start, current["id"]])
                closed = current
            else:
                end = current["start_date"]
    cursor = db.execute("insert into contraception (woman_id, method, start_date, end_date, provider, procedure_id,"
                        " created_at) values (?, ?, ?, ?, ?, ?, ?)",
                        [woman_id, method, start, end, provider, procedure_id, _now()])
    return cursor.lastrowid, closed


def add_measure(ledger: Ledger, woman_id: int, method: str, start_date: date | str, end_date: date | str | None = None,
                provider: str | None = None) -> SaveResult:
    """Add a contraception row; an open one (no end) closes the current measure on its start."""
    ledger.require("edit_registry")
    _woman(ledger.db, woman_id)
    problems: list[str] = []
    stored = _code(codes.METHOD, method, "措施", problems)
    start = _date(start_date, "开始日期", problems, date.today())
    end = _date(end_date, "终止日期", problems, date.today())
    if stored is None and not problems:
        problems.append("措施：必填项为空")
    if start is None and not any(p.startswith("开始日期") for p in problems):
        problems.append("开始日期：必填项为空")
    if start and end and end < start:
        problems.append(f"终止日期 {end} 早于开始日期 {start}")
    if stored and start and ledger.db.execute(
            "select 1 from contraception where woman_id = ? and method = ? and start_date = ?",
            [woman_id, stored, start]).fetchone():
        problems.append(f"{stored}（{start} 起）已登记")
    _refuse_controls({"provider": provider}, {"provider": "施术单位"}, problems)
    _refuse(problems, woman_id=woman_id)
    assert stored is not None and start is not None  # else `problems` said so and _refuse raised
    holder: dict[str, int] = {}

    def change(db):
        new_id, closed = _open_row(db, woman_id, stored, start, end, cells.text(provider), None)
        holder["id"] = new_id
        after: dict[str, Any] = {"measure_id": new_id, "method": stored, "start_date": start, "end_date": end,
                 "provider": cells.text(provider)}
        if closed:
            after["closed"] = {"measure_id": closed["id"], "method": closed["method"], "end_date": start}
        return woman_id, after

    result = _guarded(ledger, woman_id, "新增节育措施", change)
    result.id = holder["id"]
    closes = late_entry.Closes(ledger.db)
    return _late_notes(result, [late_entry.dated_note(closes, f"{stored}开始日期", start),
                                late_entry.dated_note(closes, f"{stored}终止日期", end)], woman_id)


def end_measure(ledger: Ledger, measure_id: int, end_date: date | str) -> SaveResult:
    """Close a contraception row on `end_date` (not before its start, not in the future)."""
    ledger.require("edit_registry")
    row = _fetch(ledger.db, "select * from contraception where id = ?", [measure_id])
    if row is None:
        raise UserInputError("这条节育措施记录已不在台帐中（可能刚被删除），请重新打开卡片。")
    problems: list[str] = []
    end = _date(end_date, "终止日期", problems, date.today())
    if end is None and not problems:
        problems.append("终止日期：必填项为空")
    if end and end < row["start_date"]:
        problems.append(f"终止日期 {end} 早于开始日期 {row['start_date']}")
    _refuse(problems, woman_id=row["woman_id"])

    def change(db):
        db.execute("update contraception set end_date = ? where id = ?", [end, measure_id])
        return row["woman_id"], {"measure_id": measure_id, "method": row["method"], "end_date": end}

    result = _guarded(ledger, row["woman_id"], "终止节育措施", change,
                      before={"measure_id": measure_id, "end_date": row["end_date"]})
    result.id = measure_id
    return _late_notes(result, [late_entry.dated_note(late_entry.Closes(ledger.db), f"{row['method']}终止日期", end)],
                       row["woman_id"])


def record_procedure(ledger: Ledger, woman_id: int, kind: str, on: date | str, provider: str | None = None) -> SaveResult:
    """Record a 计划生育手术 and update the contraception history (DOMAIN.md §3) — the history
    effect is `app.history.add_procedure`'s, shared with the import; this adds the refusals:

    - 上环 opens a 宫内节育器 row (closing the open measure); refused while sterilized
      (女扎/男扎 in effect) or while an IUD is already in.
    - 取环 closes the open IUD row (one with a later end keeps it); refused without an IUD in effect.
    - 女扎/男扎/皮埋 open 女扎/男扎/皮下埋植 rows (closing the open measure); a second
      sterilization is refused.
    - 人工流产/中期引产 are recorded without changing the history.
    `SaveResult.id` is the procedure's id.
    """
    ledger.require("edit_registry")
    _woman(ledger.db, woman_id)
    problems: list[str] = []
    stored = _code(codes.PROCEDURE, kind, "手术类型", problems)
    when = _date(on, "手术日期", problems, date.today())
    if stored is None and not problems:
        problems.append("手术类型：必填项为空")
    if when is None and not any(p.startswith("手术日期") for p in problems):
        problems.append("手术日期：必填项为空")
    db = ledger.db
    if stored and when:
        if db.execute("select 1 from procedures where woman_id = ? and kind = ? and date = ?",
                      [woman_id, stored, when]).fetchone():
            problems.append(f"{when} 的{stored}手术已登记")
        sterilized = _in_effect(db, woman_id, codes.STERILIZATION, when, inclusive_end=False)
        iud = _in_effect(db, woman_id, ("宫内节育器",), when, inclusive_end=True)
        if stored == "上环" and sterilized:
            problems.append(f"{when} 已{sterilized['method']}（{sterilized['start_date']} 起），不能上环")
        elif stored == "上环" and iud and iud["end_date"] is None:
            problems.append(f"已放置宫内节育器（{iud['start_date']} 起），请先登记取环")
        if stored == "取环" and iud is None:
            problems.append(f"{when} 没有在用的宫内节育器，不能取环")
        if stored in codes.STERILIZATION and sterilized:
            problems.append(f"已{sterilized['method']}（{sterilized['start_date']} 起），不能再次结扎")
        if stored == "皮埋" and sterilized:
            problems.append(f"已{sterilized['method']}（{sterilized['start_date']} 起），无需皮埋")
    _refuse_controls({"provider": provider}, {"provider": "手术单位"}, problems)
    _refuse(problems, woman_id=woman_id)
    provider = cells.text(provider)
    assert stored is not None and when is not None  # else `problems` said so and _refuse raised
    holder: dict[str, int] = {}

    def change(db):
        procedure_id, effect = history.add_procedure(db, woman_id, stored, when, provider, _now())
        holder["id"] = procedure_id
        after: dict[str, Any] = {"procedure_id": procedure_id, "kind": stored, "date": when, "provider": provider}
        return woman_id, after | effect

    result = _guarded(ledger, woman_id, f"登记手术：{stored}", change)
    result.id = holder["id"]
    return _late_notes(result, [late_entry.dated_note(late_entry.Closes(ledger.db), f"{stored}手术日期", when)],
                       woman_id)


class _DryRun(Exception):
    """Raised to roll back a trial run."""


def dry_run(ledger: Ledger, change: Callable[[], SaveResult]) -> SaveResult:
    """Run `change` (a function of this module: it checks and audits itself) in a transaction
    that is always rolled back, its audit entry too; returns its result, so the clerk sees the
    warnings before anything is written."""
    holder: dict[str, SaveResult] = {}
    try:
        with ledger.db.atomic():
            holder["result"] = change()
            raise _DryRun
    except _DryRun:
        pass
    return holder["result"]


# ---- reading -------------------------------------------------------------------------------
def get_card(db: sqlite_utils.Database, woman_id: int) -> dict:
    """The whole card: the women row plus unit_code/unit_name, `children`, `contraception`
    (oldest first), `current_measure` (method or None) and `procedures` (by date)."""
    card = _woman(db, woman_id)
    unit = db.execute("""select u.code, v.name from units u join unit_versions v on v.unit_id = u.id
        where u.id = ? order by v.valid_to is null desc, v.valid_from desc limit 1""", [card["unit_id"]]).fetchone()
    card["unit_code"], card["unit_name"] = unit if unit else (None, None)

    def rows(sql: str) -> list[dict]:
        cursor = db.execute(sql, [woman_id])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    card["children"] = rows("select * from children where mother_id = ? order by birth_order, birth_date")
    card["contraception"] = rows("select * from contraception where woman_id = ? order by start_date, id")
    card["procedures"] = rows("select * from procedures where woman_id = ? order by date, id")
    current = [m for m in card["contraception"] if m["end_date"] is None]
    card["current_measure"] = current[-1]["method"] if current else None
    return card


def change_log(db: sqlite_utils.Database, woman_id: int) -> list[dict]:
    """The card's 变动记录: its audit entries, oldest first (at, user, action, before, after)."""
    out = []
    for at, user, action, before, after in db.execute(
            "select at, user, action, before, after from audit_log where object_type = 'woman'"
            " and object_id = ? order by id", [str(woman_id)]):
        out.append({"at": at, "user": user, "action": action,
                    "before": json.loads(before) if before else None,
                    "after": json.loads(after) if after else None})
    return out


def reveal(ledger: Ledger, woman_id: int, purpose: str = "在卡片上查看") -> dict:
    """Full ID and phone of a card for the screen; requires `unmask_personal_data`; audited
    with who and why (`purpose`: where the full number was shown)."""
    ledger.require("unmask_personal_data")
    card = _woman(ledger.db, woman_id)
    ledger.audit("查看完整证件号码", "woman", woman_id, after={"purpose": purpose})
    return {"id_number": card["id_number"], "phone": card["phone"],
            "husband_id_number": card["husband_id_number"]}


def refresh_initials(db: sqlite_utils.Database, woman_ids: Iterable[int] | None = None) -> int:
    """Recompute `name_initials` and the other readings (for rows written by other means);
    returns the rows whose `name_initials` changed."""
    return name_readings.refresh(db, woman_ids)
