"""Recording check results (孕检结果): one result per woman per round, bulk 已查, 免查 marks.

Rules:
- A result is 已查 (date, place, 环情 正常/异常/脱落, 孕情 未孕/已孕 + 孕周, 病情), 寄回证明 (date the
  certificate was received; it may state the same findings) or 未查 (漏查: follow-up action and
  date). Fields that do not belong to the result are refused, not silently dropped.
- Dates: no date in the future except a planned follow-up date; a check or certificate dated
  before the round starts belongs to an earlier round and is refused.
- One result per woman per round: a later entry replaces the earlier one; the audit entry keeps
  both (before/after). Through the API only due women get results (the workbook import accepts
  results for women outside the due list with a warning; they never enter the rates).
- 孕情 已孕 is carried to the card as a pregnancy follow-up (`pregnancy_followups`, 跟踪中); when
  the finding is later corrected the follow-up is marked 已撤销, never deleted.
- Bulk 已查 (a sign-in sheet): one transaction and one audit entry; women who already have 已查
  or 寄回证明 keep their (more detailed) result and are reported as skipped; 未查 is replaced.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlite_utils

from app.errors import UserInputError
from app.idcard import normalize as normalize_id
from app.roster import due as due_mod
from app.roster.rounds import Round, ensure, parse_code, resolve

if TYPE_CHECKING:
    from app.ledger import Ledger



class RosterResult(StrEnum):
    """A woman's result in a check round (孕检结果); the value is the text stored and printed."""

    CHECKED = "已查"
    CERTIFICATE = "寄回证明"
    MISSED = "未查"


CHECKED, CERTIFICATE, MISSED = RosterResult.CHECKED, RosterResult.CERTIFICATE, RosterResult.MISSED
RESULTS = (CHECKED, CERTIFICATE, MISSED)
IUD_STATUSES = ("正常", "异常", "脱落")
PREGNANT, NOT_PREGNANT = "已孕", "未孕"
PREGNANCY = (NOT_PREGNANT, PREGNANT)
MAX_WEEKS = 45


@dataclass
class CheckResult:
    result: RosterResult | str    # a RosterResult once `problems` finds none (an import may hold other text)
    check_date: date | None = None
    place: str | None = None
    iud_status: str | None = None
    pregnancy: str | None = None
    pregnancy_weeks: int | None = None
    illness: str | None = None
    certificate_date: date | None = None
    followup_action: str | None = None
    followup_date: date | None = None

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        for key in ("check_date", "certificate_date", "followup_date"):
            row[key] = row[key].isoformat() if row[key] else None
        return row

    @property
    def counts_as_checked(self) -> bool:
        return self.result in (CHECKED, CERTIFICATE)

    def describe(self) -> str:
        """One line for lists: 已查 2026-03-02 乡卫生院 环正常 未孕."""
        parts = [self.result]
        if self.result == CHECKED and self.check_date:
            parts.append(self.check_date.isoformat())
        if self.result == CERTIFICATE and self.certificate_date:
            parts.append(f"收到 {self.certificate_date.isoformat()}")
        if self.place:
            parts.append(self.place)
        if self.iud_status:
            parts.append(f"环{self.iud_status}")
        if self.pregnancy:
            parts.append(self.pregnancy + (f"{self.pregnancy_weeks}周" if self.pregnancy_weeks else ""))
        if self.illness:
            parts.append(self.illness)
        if self.result == MISSED:
            if self.followup_action:
                parts.append(self.followup_action)
            if self.followup_date:
                parts.append(self.followup_date.isoformat())
        return " ".join(parts)


_FIELDS = [f.name for f in fields(CheckResult)]
_LABELS = {"result": "结果", "check_date": "检查日期", "place": "检查地点", "iud_status": "环情",
           "pregnancy": "孕情", "pregnancy_weeks": "孕周", "illness": "病情",
           "certificate_date": "收到证明日期", "followup_action": "跟踪措施", "followup_date": "跟踪日期"}


def problems(result: CheckResult, rnd: Round, today: date | None = None) -> list[tuple[str, str]]:
    """Every reason `result` cannot be stored, as (field label, Chinese message)."""
    today = today or date.today()
    out: list[tuple[str, str]] = []
    if result.result not in RESULTS:
        return [("结果", f"“{result.result}”不是有效值，应为：{'、'.join(RESULTS)}")]
    for key in ("check_date", "certificate_date"):
        value = getattr(result, key)
        if value and value > today:
            out.append((_LABELS[key], f"{value.isoformat()} 是将来的日期"))
        elif value and value < rnd.start:
            out.append((_LABELS[key], f"{value.isoformat()} 早于本轮（{rnd.code}）开始日期 {rnd.start.isoformat()}"))
    if result.iud_status is not None and result.iud_status not in IUD_STATUSES:
        out.append(("环情", f"“{result.iud_status}”不是有效值，应为：{'、'.join(IUD_STATUSES)}"))
    if result.pregnancy is not None and result.pregnancy not in PREGNANCY:
        out.append(("孕情", f"“{result.pregnancy}”不是有效值，应为：未孕、已孕（可写“已孕12周”）"))
    if result.pregnancy_weeks is not None:
        if result.pregnancy != PREGNANT:
            out.append(("孕周", "只有孕情为“已孕”时才填写孕周"))
        elif not 1 <= result.pregnancy_weeks <= MAX_WEEKS:
            out.append(("孕周", f"应为 1–{MAX_WEEKS} 周"))
    findings = [k for k in ("check_date", "place", "iud_status", "pregnancy", "pregnancy_weeks", "illness")
                if getattr(result, k) not in (None, "")]
    followup = [k for k in ("followup_action", "followup_date") if getattr(result, k) not in (None, "")]
    if result.result == CHECKED:
        if not result.check_date:
            out.append(("检查日期", "结果为“已查”时必须填写检查日期"))
        if result.certificate_date:
            out.append(("收到证明日期", "结果为“已查”时不填收到证明日期"))
    if result.result == CERTIFICATE and not result.certificate_date:
        out.append(("收到证明日期", "结果为“寄回证明”时必须填写收到证明的日期"))
    if result.result in (CHECKED, CERTIFICATE) and followup:
        out.append((_LABELS[followup[0]], "只有“未查”才填写跟踪措施和日期"))
    if result.result == MISSED:
        if findings:
            out.append((_LABELS[findings[0]], "结果为“未查”时不能填写检查情况"))
        if result.certificate_date:
            out.append(("收到证明日期", "结果为“未查”时不能填写收到证明日期"))
    return out


def parse_pregnancy(text: str | None) -> tuple[str | None, int | None]:
    """`已孕12周` / `已孕 12 周` / `已孕` / `未孕` → (孕情, 孕周); anything else is returned as is."""
    if text is None:
        return None, None
    value = re.sub(r"\s+", "", text)
    match = re.fullmatch(r"已孕(\d{1,2})周?", value)
    if match:
        return PREGNANT, int(match[1])
    return value or None, None


# ---- reading -----------------------------------------------------------------------------------

@dataclass
class StoredResult(CheckResult):
    recorded_at: str = ""
    recorded_by: str = ""


_SELECT = ("select woman_id, " + ", ".join(_FIELDS) + ", recorded_at, recorded_by from check_results"
           " where round_id = ?")


def _stored(row) -> StoredResult:
    values = dict(zip(["woman_id", *_FIELDS, "recorded_at", "recorded_by"], row, strict=True))
    values.pop("woman_id")
    for key in ("check_date", "certificate_date", "followup_date"):
        values[key] = date.fromisoformat(values[key]) if values[key] else None
    return StoredResult(**values)


def results_for(db: sqlite_utils.Database, rnd: Round) -> dict[int, StoredResult]:
    """woman_id → her result in the round (stored rounds only)."""
    if rnd.id is None:
        return {}
    return {row[0]: _stored(row) for row in db.execute(_SELECT, [rnd.id])}


def result_of(db: sqlite_utils.Database, rnd: Round, woman_id: int) -> StoredResult | None:
    if rnd.id is None:
        return None
    row = db.execute(_SELECT + " and woman_id = ?", [rnd.id, woman_id]).fetchone()
    return _stored(row) if row else None


# ---- writing -----------------------------------------------------------------------------------

def store(db: sqlite_utils.Database, rnd: Round, woman_id: int, result: CheckResult, actor: str) -> None:
    """Insert or replace the woman's result and sync the pregnancy follow-up (caller's transaction)."""
    row = result.as_row() | {"round_id": rnd.id, "woman_id": woman_id, "recorded_at": _now(),
                             "recorded_by": actor}
    columns = list(row)
    db.execute(
        f"insert into check_results ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})"
        " on conflict (round_id, woman_id) do update set "
        + ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("round_id", "woman_id")),
        [row[c] for c in columns])
    _sync_followup(db, rnd, woman_id, result, actor)


def _sync_followup(db: sqlite_utils.Database, rnd: Round, woman_id: int, result: CheckResult,
                   actor: str) -> None:
    if result.pregnancy == PREGNANT:
        found_on = result.check_date or result.certificate_date
        db.execute(
            "insert into pregnancy_followups (woman_id, round_id, found_on, weeks, source, status, note,"
            " created_at, created_by) values (?, ?, ?, ?, '孕检', '跟踪中', ?, ?, ?)"
            " on conflict (woman_id, round_id) do update set found_on = excluded.found_on,"
            " weeks = excluded.weeks, status = '跟踪中', note = excluded.note",
            [woman_id, rnd.id, found_on.isoformat() if found_on else rnd.end.isoformat(),
             result.pregnancy_weeks, f"{rnd.code} 孕检{result.result}：{result.describe()}", _now(), actor])
    else:
        db.execute("update pregnancy_followups set status = '已撤销', note = coalesce(note, '') || ?"
                   " where woman_id = ? and round_id = ? and status = '跟踪中'",
                   [f"（{_now()[:10]} 更正为：{result.describe()}）", woman_id, rnd.id])


def record(ledger: Ledger, round_code: str, woman_id: int, result: CheckResult, today: date | None = None) -> StoredResult | None:
    """Record (or replace) one due woman's result; returns the result it replaced, if any."""
    ledger.require("edit_registry")
    rnd = resolve(ledger, round_code)
    entry = due_mod.due_entry(ledger, rnd, woman_id)
    if entry is None:
        raise UserInputError(f"该妇女不在轮次“{rnd.code}”的应查名单中，不能录入孕检结果。")
    found = problems(result, rnd, today)
    if found:
        raise UserInputError("；".join(f"{label}：{message}" for label, message in found))
    before = result_of(ledger.db, rnd, woman_id)
    with ledger.write("录入孕检结果", "check_result", f"{rnd.code}:{woman_id}",
                      before=_audit_view(before), after=result.as_row()) as db:
        stored = ensure(db, parse_code(ledger, rnd.code), ledger.actor_name)
        store(db, stored, woman_id, result, ledger.actor_name)
    return before


@dataclass
class BulkOutcome:
    recorded: list[int]
    skipped: list[int]        # already 已查 / 寄回证明: kept as they were
    not_due: list[int]


def bulk_checked(ledger: Ledger, round_code: str, woman_ids: list[int], check_date: date,
                 place: str | None = None, today: date | None = None) -> BulkOutcome:
    """Mark every woman of a sign-in sheet 已查 on `check_date` at `place` (normal findings unknown)."""
    ledger.require("edit_registry")
    rnd = resolve(ledger, round_code)
    template = CheckResult(CHECKED, check_date=check_date, place=(place or "").strip() or None)
    found = problems(template, rnd, today)
    if found:
        raise UserInputError("；".join(f"{label}：{message}" for label, message in found))
    due_ids = {w.woman_id for w in due_mod.due_list(ledger, rnd)}
    existing = results_for(ledger.db, rnd)
    outcome = BulkOutcome([], [], [])
    replaced = {}
    for woman_id in dict.fromkeys(woman_ids):
        if woman_id not in due_ids:
            outcome.not_due.append(woman_id)
        elif woman_id in existing and existing[woman_id].counts_as_checked:
            outcome.skipped.append(woman_id)
        else:
            outcome.recorded.append(woman_id)
            if woman_id in existing:
                replaced[woman_id] = _audit_view(existing[woman_id])
    if not outcome.recorded:
        return outcome
    with ledger.write("批量录入已查", "check_round", rnd.code,
                      before={"replaced": replaced},
                      after={"result": CHECKED, "check_date": check_date.isoformat(), "place": template.place,
                             "women": outcome.recorded, "skipped": outcome.skipped}) as db:
        stored = ensure(db, parse_code(ledger, rnd.code), ledger.actor_name)
        for woman_id in outcome.recorded:
            store(db, stored, woman_id, template, ledger.actor_name)
    return outcome


def set_exempt(ledger: Ledger, woman_id: int, reason: str | None) -> None:
    """Mark a woman 免查 with a reason, or clear the mark (reason None/blank); audited."""
    ledger.require("edit_registry")
    row = ledger.db.execute("select name, check_exempt_reason from women where id = ?", [woman_id]).fetchone()
    if row is None:
        raise UserInputError("找不到该妇女的卡片。")
    new = (reason or "").strip() or None
    if new is not None and len(new) > 200:
        raise UserInputError("免查原因过长（最多 200 个字）。")
    if new == row[1]:
        return
    action = "设置免查" if new else "取消免查"
    with ledger.write(action, "woman", woman_id, before={"check_exempt_reason": row[1]},
                      after={"check_exempt_reason": new}) as db:
        db.execute("update women set check_exempt_reason = ?, updated_at = ? where id = ?",
                   [new, _now(), woman_id])


def pregnancy_followups(db: sqlite_utils.Database, woman_id: int) -> list[dict]:
    """The woman's pregnancy follow-ups from checks, newest first (for her card in the registry)."""
    return [dict(r) for r in db.query(
        "select f.id, r.code as round, f.found_on, f.weeks, f.source, f.status, f.note, f.created_by"
        " from pregnancy_followups f left join check_rounds r on r.id = f.round_id"
        " where f.woman_id = ? order by f.found_on desc, f.id desc", [woman_id])]


def check_history(db: sqlite_utils.Database, woman_id: int) -> list[tuple[str, StoredResult]]:
    """The woman's results in every round, newest round first: (round code, result), for her card.

    Read-only: rounds where she has no stored result are not listed (a due woman without a
    result is 未查 only in that round's rates, not on her card).
    """
    rows = db.execute(
        "select r.code, cr.woman_id, " + ", ".join(f"cr.{f}" for f in _FIELDS) + ", cr.recorded_at,"
        " cr.recorded_by from check_results cr join check_rounds r on r.id = cr.round_id"
        " where cr.woman_id = ? order by r.end_date desc, r.start_date desc", [woman_id]).fetchall()
    return [(row[0], _stored(row[1:])) for row in rows]


# ---- finding a due woman by what the clerk types or scans -------------------------------------

def match_due(women: list[due_mod.DueWoman], query: str) -> list[due_mod.DueWoman]:
    """Due women matching a full ID, the ID's last digits (≥ 4) or a name (or its start).

    A scanned 18-character ID matches exactly; 4–17 digits (X allowed last) match the end of the
    ID; anything else matches names starting with the text, then names containing it.
    """
    text = normalize_id(query)
    if not text:
        return []
    if re.fullmatch(r"\d{17}[\dX]", text):
        return [w for w in women if w.id_number.upper() == text]
    if re.fullmatch(r"\d{3,16}[\dX]", text):
        return [w for w in women if w.id_number.upper().endswith(text)]
    starts = [w for w in women if w.name.startswith(text)]
    contains = [w for w in women if text in w.name and not w.name.startswith(text)]
    return starts + contains


def _audit_view(result: CheckResult | None) -> dict | None:
    if result is None:
        return None
    return {k: v for k, v in CheckResult(**{f: getattr(result, f) for f in _FIELDS}).as_row().items()
            if v is not None}


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")
