"""Matching survey rows to ledger children: staged passes, blocking, scoring, one-to-one ties.

Pure functions over plain values (no database); `app.reconcile.run` loads and stores.

Passes, in order (PERFORMANCE-NOTES: staged passes; never "nearest sibling"):
0. The clerk's decisions: an accepted candidate is tied first; `not_in_ledger`/`added` pin the
   row to 漏报; rejected candidates are never offered to that row again.
1. Exact: mother ID + birth date (twins — several children of that mother on that date — are
   told apart by the full score).
2. Exact: mother ID + 孩次, only when the birth date is still compatible (within 10 days,
   day/month swapped, or the year or the month mistyped). A child of the same mother born on another date is
   a sibling, not this birth: the row goes on to scoring and usually ends as 漏报.
3. Scored: candidates blocked within the survey unit's subtree (at the period's end) by birth
   month (also the months of ±10 days, of the swapped day/month and of the year ±1) and by the
   mother's name (exact or same pinyin), plus every child whose mother's ID matches the row's.
   Each field adds points (similarity.WEIGHTS); pairs are taken greedily by points, one-to-one.

A scored pair is tied automatically only when (a) the birth date is compatible, (b) the mother is
identified (ID, mother's name and husband's name together give ≥ 4 points: e.g. the same name, or
a homophone plus the husband; or ≥ 2 points — a homophone or one-character slip of her name —
when birth date and sex agree exactly; never on names alone when both husbands' names are written
and differ), (c) the row's next candidate (not one that another row takes first: a twin) is ≥ 3
points behind, and (d) no other row, for which this child is its own first choice, wants it within
3 points. A pair failing (c) or (d), or with weaker identity
(≥ 1 point), goes to review (待核实); nothing else ties. Score = points / the most the row's
filled-in fields could earn, clamped to 0..1.

Outcome of a tied row: 重报 (duplicated) when another, untied ledger child is the same birth
entered again (`_same_birth`: on the same card, or on a second card of the same woman anywhere
in the ledger — same or slipped ID, or same name with the same husband or child's name); else
迟报 (late) when the ledger child is a birth of the period or before (ledger 出生日期 ≤ the period's
end) whose 上报日期 is after the period's end — a ledger birth dated after the period, reported in
its own period, was never due in this one; else 错报 (misreported) when 孩次, 性别, 出生日期 or 政策属性 differ; else 一致 (matched).

A surveyor's date slip (DOMAIN.md §7) is no difference: a birth date at most 3 days off, or with
day and month swapped in the same year, leaves the row 一致 (or whatever the other fields make it)
with a note for the clerk to verify (`RowResult.notes`, shown as 待核日期); 错报 on 出生日期 is a
larger difference (4–10 days, a mistyped year or month). A slip beside another difference
(e.g. 性别) is 错报 listing only that field, the slip still a note.

Exact dates first: in the scored pass, a child of the same mother whose date is only a slip is no
rival to a candidate with the exact date (a sibling born 2 days before is not this birth when the
surveyed date names its twin exactly); a rival on another mother's card still is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from app import definitions
from app.reconcile import similarity as sim
from app.reconcile.survey import SurveyRow

AUTO_MARGIN = 3.0
IDENTITY_AUTO = 4.0
IDENTITY_NAME_SLIP = 2.0
IDENTITY_REVIEW = 1.0
COMPATIBLE_DATES = {"same", "near", "swapped", "close", "year", "month"}
SLIP_DAYS = 3                      # at most this many days off: a slip, still 一致 (DOMAIN.md §7)


class Outcome(StrEnum):
    """A survey row's outcome (核对结果); the value is the JSON `outcome` (INTERFACES.md §5)."""

    MATCHED = "matched"           # 一致
    UNREPORTED = "unreported"     # 漏报
    MISREPORTED = "misreported"   # 错报
    DUPLICATED = "duplicated"     # 重报
    LATE = "late"                 # 迟报
    REVIEW = "review"             # 待核实


# How a row was tied (or settled): the clerk's decision, the exact passes, the scored pass.
Stage = Literal["", "decision", "id_date", "id_order", "scored"]
DecisionKind = Literal["accept", "reject", "not_in_ledger", "added", "corrected"]


def date_slip(survey: date, ledger: date) -> str | None:
    """How a surveyed birth date differs from the ledger's by a surveyor's slip: '相差 N 天' (1 to
    SLIP_DAYS days, either way, across a month or year end too) or '日月颠倒' (day and month
    exchanged, same year); None when the dates are equal or differ by more than a slip."""
    if survey == ledger:
        return None
    days = abs((survey - ledger).days)
    if days <= SLIP_DAYS:
        return f"相差 {days} 天"
    if survey.year == ledger.year and survey.month == ledger.day and survey.day == ledger.month:
        return "日月颠倒"
    return None


def date_note(survey: date, ledger: date) -> str | None:
    """The clerk's note for a date slip, e.g. '出生日期：调查 2026-03-12，台帐 2026-03-10（相差 2 天，待核）'."""
    slip = date_slip(survey, ledger)
    if slip is None:
        return None
    return f"出生日期：调查 {survey.isoformat()}，台帐 {ledger.isoformat()}（{slip}，待核）"


@dataclass(frozen=True)
class LedgerChild:
    id: int
    mother_id: int
    mother_id_number: str
    mother_name: str
    husband_name: str | None
    unit_id: int
    residence: str
    order: int
    name: str | None
    sex: str
    birth_date: date
    policy: str
    kinship: str
    reported_date: str | None
    counted_on: str | None = None   # 计入上报日 (app/late_entry.py): the effective report day when set

    def as_json(self) -> dict:
        return {"mother_id_number": self.mother_id_number, "birth_date": self.birth_date.isoformat(),
                "order": self.order, "sex": self.sex}


@dataclass
class Candidate:
    child: LedgerChild
    fields: dict[str, tuple[str, float]]   # field -> (kind, points)
    total: float
    score: float

    @property
    def date_ok(self) -> bool:
        """The birth dates can be one birth. A date a whole year off (same month and day) or a
        month off (same year and day) only when the 孩次 agrees too: otherwise it is far likelier
        an older sibling than a mistyped year or month (never "nearest sibling")."""
        kind = self.fields["birth_date"][0]
        if kind in ("year", "month"):
            return self.fields["birth_order"][0] == "same"
        return kind in COMPATIBLE_DATES

    @property
    def identity(self) -> float:
        return sum(self.fields[f][1] for f in ("mother_id", "mother_name", "husband_name"))

    def as_json(self, row: SurveyRow) -> dict:
        c = self.child
        ledger_values = {"mother_id": c.mother_id_number, "mother_name": c.mother_name,
                         "husband_name": c.husband_name, "child_name": c.name,
                         "birth_date": c.birth_date.isoformat(), "sex": c.sex, "birth_order": c.order}
        return {"child_id": c.id, "mother_woman_id": c.mother_id, "total": round(self.total, 2),
                "score": round(self.score, 4),
                "fields": {f: {"kind": k, "points": p, "ledger": ledger_values[f], "survey": survey_value(row, f)}
                           for f, (k, p) in self.fields.items()},
                "policy": c.policy, "reported_date": c.reported_date}


@dataclass
class Decision:
    decision: DecisionKind
    child_id: int | None
    note: str | None = None


@dataclass
class RowResult:
    row: SurveyRow
    outcome: Outcome = Outcome.UNREPORTED
    child: LedgerChild | None = None
    score: float | None = None
    differences: list[str] = field(default_factory=list)
    stage: Stage = ""
    candidates: list[Candidate] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    mother_woman_id: int | None = None       # 漏报 to a mother already in the ledger
    note: str = ""
    added_child_id: int | None = None
    notes: list[str] = field(default_factory=list)   # date slips for the clerk to verify (待核日期)

    @property
    def date_slip(self) -> str | None:
        """'相差 N 天' / '日月颠倒' when the tied child's birth date differs by a slip, else None."""
        return date_slip(self.row.birth_date, self.child.birth_date) if self.child is not None else None


def survey_value(row: SurveyRow, field_name: str) -> object:
    return {"mother_id": row.mother_id_number, "mother_name": row.mother_name,
            "husband_name": row.husband_name, "child_name": row.child_name,
            "birth_date": row.birth_date.isoformat(), "sex": row.sex, "birth_order": row.birth_order}[field_name]


def row_max_points(row: SurveyRow) -> float:
    present = ["mother_name", "birth_date", "sex"]
    for f, value in (("mother_id", row.mother_id_number), ("husband_name", row.husband_name),
                     ("child_name", row.child_name), ("birth_order", row.birth_order)):
        if value not in (None, ""):
            present.append(f)
    return sum(sim.max_points(f) for f in present)


def score_pair(row: SurveyRow, child: LedgerChild, row_max: float | None = None) -> Candidate:
    kinds = {
        "mother_id": sim.compare_id(row.mother_id_number, child.mother_id_number),
        "mother_name": sim.compare_name(row.mother_name, child.mother_name),
        "husband_name": sim.compare_name(row.husband_name, child.husband_name),
        "child_name": sim.compare_name(row.child_name, child.name),
        "birth_date": sim.compare_date(row.birth_date, child.birth_date),
        "sex": sim.compare_plain(row.sex, child.sex),
        "birth_order": sim.compare_plain(row.birth_order, child.order),
    }
    fields = {f: (k, sim.points(f, k)) for f, k in kinds.items()}
    total = sum(p for _, p in fields.values())
    best = row_max if row_max is not None else row_max_points(row)
    return Candidate(child, fields, total, max(0.0, min(1.0, total / best)))


def worth_scoring(row: SurveyRow, child: LedgerChild) -> bool:
    """Cheap pre-check: a pair that can neither tie nor reach review is not scored.

    Unscored: a different mother's name with an ID that is not the same or one slip away
    (identity ≤ −2 < the review threshold), and an incompatible birth date unless the mother's
    ID is the same (a sibling, kept so the clerk sees the mother was found).
    """
    id_kind = sim.compare_id(row.mother_id_number, child.mother_id_number)
    if id_kind not in ("same", "one_digit", "transposed") and \
            sim.compare_name(row.mother_name, child.mother_name) == "different":
        return False
    return id_kind == "same" or sim.compare_date(row.birth_date, child.birth_date) in COMPATIBLE_DATES


class Pool:
    """The ledger children a survey can tie to, indexed for blocking."""

    def __init__(self, children: list[LedgerChild]) -> None:
        self.by_id = {c.id: c for c in children}
        self.by_month: dict[tuple[int, str], list[LedgerChild]] = defaultdict(list)
        self.by_name: dict[tuple[int, str], list[LedgerChild]] = defaultdict(list)
        self.by_mother_id: dict[str, list[LedgerChild]] = defaultdict(list)
        for c in children:
            self.by_month[(c.unit_id, c.birth_date.strftime("%Y-%m"))].append(c)
            name = sim.clean_name(c.mother_name)
            self.by_name[(c.unit_id, name)].append(c)
            self.by_name[(c.unit_id, sim.pinyin_key(name))].append(c)
            self.by_mother_id[sim.normalize_id(c.mother_id_number)].append(c)

    def blocked(self, row: SurveyRow, unit_ids: list[int]) -> list[LedgerChild]:
        months = _months_for(row.birth_date)
        name = sim.clean_name(row.mother_name)
        names = {name, sim.pinyin_key(name)}
        found: dict[int, LedgerChild] = {}
        for unit_id in unit_ids:
            for month in months:
                for c in self.by_month.get((unit_id, month), ()):
                    found[c.id] = c
            for key in names:
                for c in self.by_name.get((unit_id, key), ()):
                    found[c.id] = c
        if row.mother_id_number:
            for c in self.by_mother_id.get(sim.normalize_id(row.mother_id_number), ()):
                found[c.id] = c
        return list(found.values())


def _months_for(day: date) -> set[str]:
    months = {day.strftime("%Y-%m"), (day - timedelta(days=10)).strftime("%Y-%m"),
              (day + timedelta(days=10)).strftime("%Y-%m")}
    if day.day <= 12:
        try:
            months.add(date(day.year, day.day, day.month).strftime("%Y-%m"))
        except ValueError:
            pass
    for year in (day.year - 1, day.year + 1):
        months.add(f"{year:04d}-{day.month:02d}")
    return months


def match_rows(rows: list[SurveyRow], pool: Pool, unit_scope: dict[str, list[int]], period_end: date,
               decisions: dict[int, list[Decision]] | None = None,
               mother_lookup: Callable[[SurveyRow], int | None] | None = None,
               duplicate_lookup: Callable[[list[LedgerChild]], list[LedgerChild]] | None = None,
               ) -> list[RowResult]:
    """Tie survey rows to ledger children one-to-one; see the module docstring for the rules.

    `unit_scope` maps a survey 单位代码 to the unit ids of its subtree at the period's end;
    `decisions` maps a row number to its decisions, oldest first; `mother_lookup` finds the
    mother's card of a 漏报 row (default: among the row's candidates); `duplicate_lookup` returns
    ledger children that may be second entries of the tied children (default: candidates only).
    The steps below run in this order; each reads and extends the same `_Matching`.
    """
    m = _Matching({r.row_number: RowResult(r) for r in rows})
    _score_candidates(m, rows, pool, unit_scope)
    _apply_decisions(m, decisions or {}, pool)
    _exact_passes(m, rows)
    open_rows = _scored_pass(m)
    _untied_rows(m, open_rows, mother_lookup)
    _decided_mothers(m, mother_lookup)
    _tied_outcomes(m, period_end, duplicate_lookup)
    return [m.results[r.row_number] for r in rows]


@dataclass
class _Matching:
    """The state `match_rows`' steps share."""

    results: dict[int, RowResult]                 # row number -> its result
    taken: dict[int, int] = field(default_factory=dict)   # child id -> row number
    rejected: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    pinned: set[int] = field(default_factory=set)   # rows the clerk's decision settled


def _score_candidates(m: _Matching, rows: list[SurveyRow], pool: Pool, unit_scope: dict[str, list[int]]) -> None:
    """Candidates for every row (scored once), best first."""
    for row in rows:
        best = row_max_points(row)
        found = [c for c in pool.blocked(row, unit_scope.get(row.unit_code, [])) if worth_scoring(row, c)]
        cands = sorted((score_pair(row, c, best) for c in found), key=lambda c: (-c.total, c.child.id))
        m.results[row.row_number].candidates = cands


def _apply_decisions(m: _Matching, decisions: dict[int, list[Decision]], pool: Pool) -> None:
    """Pass 0: the clerk's decisions; rejected candidates leave their row's list."""
    results, taken, rejected, pinned = m.results, m.taken, m.rejected, m.pinned
    for number, items in decisions.items():
        result = results.get(number)
        if result is None:
            continue
        for d in items:
            if d.decision == "reject" and d.child_id is not None:
                rejected[number].add(d.child_id)
        final = _final_decision(items)
        if final is None:
            continue
        if final.decision in ("not_in_ledger", "added"):
            result.outcome, result.stage = Outcome.UNREPORTED, "decision"
            result.note = "已决定：台帐中无此出生" if final.decision == "not_in_ledger" else "已补录入台帐"
            if final.decision == "added" and final.child_id is not None:
                result.added_child_id = final.child_id
                taken[final.child_id] = number
            pinned.add(number)
        elif final.decision in ("accept", "corrected") and final.child_id in pool.by_id:
            child = pool.by_id[final.child_id]
            cand = next((c for c in result.candidates if c.child.id == child.id), None) or score_pair(result.row, child)
            _tie(result, cand, "decision")
            if final.decision == "corrected":
                result.outcome, result.note = Outcome.MISREPORTED, "已按调查更正台帐"
                result.differences = list((final.note or "").split("、")) if final.note else []
            taken[child.id] = number
            pinned.add(number)

    for result in results.values():
        result.candidates = [c for c in result.candidates if c.child.id not in rejected[result.row.row_number]]


def _exact_passes(m: _Matching, rows: list[SurveyRow]) -> None:
    """Pass 1 and 2: exact on the mother's ID, best pairs first (not row order: of two survey rows
    naming one mother and date — twins, one of them missing from the ledger — the row that agrees
    best gets the child, whatever its place in the sheet)."""
    results, taken = m.results, m.taken
    stages: tuple[Stage, Stage] = ("id_date", "id_order")
    for stage in stages:
        exact_pairs = []
        for row in rows:
            result = results[row.row_number]
            if row.row_number in m.pinned or result.child is not None or not row.mother_id_number:
                continue
            exact_pairs += [(c.total, row.row_number, c) for c in result.candidates
                            if c.fields["mother_id"][0] == "same"
                            and (c.fields["birth_date"][0] == "same" if stage == "id_date"
                                 else c.fields["birth_order"][0] == "same" and c.date_ok)]
        for _total, number, cand in sorted(exact_pairs, key=lambda p: (-p[0], p[1], p[2].child.id)):
            result = results[number]
            if result.child is None and cand.child.id not in taken:
                _tie(result, cand, stage)
                taken[cand.child.id] = number


def _scored_pass(m: _Matching) -> list[RowResult]:
    """Pass 3: scored pairs, greedy by points, one-to-one, with margins. Returns the rows that
    were open when it began (tied now, in review, or still untied)."""
    results, taken = m.results, m.taken
    open_rows = [r for r in results.values() if r.child is None and r.row.row_number not in m.pinned]
    viable = {r.row.row_number: [c for c in r.candidates if c.date_ok and c.identity >= IDENTITY_REVIEW]
              for r in open_rows}
    wanted: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for number, cands in viable.items():
        for cand in cands:
            wanted[cand.child.id].append((cand.total, number))
    pairs = sorted(((cand.total, number, cand) for number, cands in viable.items() for cand in cands),
                   key=lambda p: (-p[0], p[1], p[2].child.id))
    decided: set[int] = set()

    def best_open(number: int) -> float:
        return max((c.total for c in viable[number] if c.child.id not in taken), default=float("-inf"))

    def claimed_elsewhere(cand: Candidate, number: int) -> bool:
        """Another open row wants this child more, and it is that row's own first choice."""
        return any(t > cand.total and t >= best_open(n) for t, n in wanted[cand.child.id]
                   if n != number and n not in decided)

    for total, number, cand in pairs:
        if number in decided or cand.child.id in taken:
            continue
        result = results[number]
        others = [c.total for c in viable[number] if c is not cand and c.child.id not in taken
                  and not _same_birth(cand.child, c.child)   # a birth entered twice is 重报, not ambiguity
                  and not _slip_sibling(cand, c)             # the exact date beats its sibling's slip
                  and not claimed_elsewhere(c, number)]      # a twin another row takes is no rival
        rivals = [t for t, n in wanted[cand.child.id] if n != number and n not in decided
                  and t >= best_open(n)]                      # rows that want this child first
        clear = (not others or total - max(others) >= AUTO_MARGIN) and (not rivals or total - max(rivals) >= AUTO_MARGIN)
        if clear and _identified(cand):
            _tie(result, cand, "scored")
            taken[cand.child.id] = number
        else:
            result.outcome, result.stage = Outcome.REVIEW, "scored"
            result.score = cand.score
            result.note = "候选不止一个，分值接近" if not clear else "母亲身份证据不足"
        decided.add(number)
    return open_rows


def _untied_rows(m: _Matching, open_rows: list[RowResult],
                 mother_lookup: Callable[[SurveyRow], int | None] | None) -> None:
    """An open row left untied and not in review: 漏报, or review when its likeliest child went to
    a row that may be the same birth."""
    results, taken = m.results, m.taken
    for result in open_rows:
        if result.child is None and result.outcome != Outcome.REVIEW:
            strong_taken = [c for c in result.candidates if c.child.id in taken and c.date_ok
                            and c.identity >= IDENTITY_AUTO]
            holder = results[taken[strong_taken[0].child.id]] if strong_taken else None
            if holder is not None and not _distinct_births(result.row, holder.row):
                result.outcome, result.stage = Outcome.REVIEW, "scored"
                result.note = f"最可能的台帐子女已与第 {holder.row.row_number} 行对应"
            else:
                # A birth the ledger lacks; when its likeliest child went to a row that is plainly
                # another birth of the same mother (a twin of other sex or 孩次), still 漏报.
                result.outcome = Outcome.UNREPORTED
                result.mother_woman_id = _known_mother(result)
                if result.mother_woman_id is None and mother_lookup is not None:
                    result.mother_woman_id = mother_lookup(result.row)


def _decided_mothers(m: _Matching, mother_lookup: Callable[[SurveyRow], int | None] | None) -> None:
    """A row the clerk marked 台帐中无此出生 still says whether its mother is in the ledger."""
    for result in m.results.values():
        if result.stage == "decision" and result.child is None and result.added_child_id is None:
            result.mother_woman_id = _known_mother(result)
            if result.mother_woman_id is None and mother_lookup is not None:
                result.mother_woman_id = mother_lookup(result.row)


def _tied_outcomes(m: _Matching, period_end: date,
                   duplicate_lookup: Callable[[list[LedgerChild]], list[LedgerChild]] | None) -> None:
    """Outcomes of tied rows. Copies of a tied birth are sought among the row's candidates and,
    through `duplicate_lookup`, anywhere in the ledger (a second card of the mother elsewhere)."""
    results, taken = m.results, m.taken
    tied = [(r, r.child) for r in results.values()
            if r.child is not None and not (r.stage == "decision" and r.note)]
    extra: dict[tuple[str, date], list[LedgerChild]] = defaultdict(list)
    for c in duplicate_lookup([child for _, child in tied]) if duplicate_lookup is not None and tied else []:
        extra[(c.sex, c.birth_date)].append(c)
    for result in results.values():
        if result.child is not None:
            note = date_note(result.row.birth_date, result.child.birth_date)
            result.notes = [note] if note else []
    for result, child in tied:
        near = [c for k in range(-3, 4) for c in extra.get((child.sex, child.birth_date
                                                            + timedelta(days=k)), ())]
        copies = {c.child.id: c.child for c in result.candidates} | {c.id: c for c in near}
        result.duplicates = sorted(cid for cid, c in copies.items()
                                   if cid not in taken and _same_birth(child, c))
        result.differences = _differences(result.row, child)
        if result.duplicates:
            result.outcome = Outcome.DUPLICATED
        elif child.birth_date <= period_end and definitions.report_day(
                child.birth_date, child.reported_date, child.counted_on) > period_end.isoformat():
            result.outcome = Outcome.LATE
        elif result.differences:
            result.outcome = Outcome.MISREPORTED
        else:
            result.outcome = Outcome.MATCHED


def _distinct_births(a: SurveyRow, b: SurveyRow) -> bool:
    """Two survey rows that are two births (twins), not one birth written twice: they differ in sex,
    or both give a 孩次 and they differ, or both name the child and the names differ."""
    if a.sex != b.sex:
        return True
    if a.birth_order is not None and b.birth_order is not None and a.birth_order != b.birth_order:
        return True
    return sim.compare_name(a.child_name, b.child_name) == "different"


def _slip_sibling(leader: Candidate, other: Candidate) -> bool:
    """`other` is a child of the leader's mother (the same card) whose birth date is not the
    surveyed one, while the leader's is exactly: the survey names the leader, the other is a
    sibling only a slip away — no ambiguity."""
    return (other.child.mother_id == leader.child.mother_id and leader.fields["birth_date"][0] == "same"
            and other.fields["birth_date"][0] != "same")


def _identified(cand: Candidate) -> bool:
    """The mother is identified: ≥ 4 identity points, or ≥ 2 (a homophone or one-character slip
    of her name) when the birth date and sex agree exactly. A husband's name that differs outright
    (both written) means another woman of that name unless her ID agrees (same or one slip)."""
    if cand.fields["husband_name"][0] == "different" and \
            cand.fields["mother_id"][0] not in ("same", "one_digit", "transposed"):
        return False
    if cand.identity >= IDENTITY_AUTO:
        return True
    return (cand.identity >= IDENTITY_NAME_SLIP and cand.fields["birth_date"][0] == "same"
            and cand.fields["sex"][0] == "same")


def _final_decision(items: list[Decision]) -> Decision | None:
    """The decision in force: the newest non-reject one, unless a later reject names its child."""
    state: Decision | None = None
    for d in items:
        if d.decision != "reject":
            state = d
        elif state is not None and state.decision == "accept" and state.child_id == d.child_id:
            state = None
    return state


def _tie(result: RowResult, cand: Candidate, stage: Stage) -> None:
    result.child, result.score, result.stage = cand.child, cand.score, stage
    result.outcome = Outcome.MATCHED
    if cand not in result.candidates:
        result.candidates.insert(0, cand)


def _known_mother(result: RowResult) -> int | None:
    """A 漏报 whose mother is already in the ledger: the mother clearly identified by ID or names."""
    for cand in result.candidates:
        if cand.fields["mother_id"][0] == "same" or (cand.identity >= IDENTITY_AUTO + 2
                                                     and cand.fields["mother_id"][0] != "different"):
            return cand.child.mother_id
    return None


def _same_birth(a: LedgerChild, b: LedgerChild) -> bool:
    """Two ledger children that are one birth entered twice (重报), not twins or namesakes' babies.

    Both: same sex, birth dates at most 3 days apart, and not both named with different names
    (on one card even a homophone or one-character difference: twins are often named alike).
    Then one card is enough; on two cards the mothers must be one woman entered twice: IDs the
    same or one slip apart; or the same name or a homophone with (a missing ID, or) the same
    husband or the same child's name, the IDs notwithstanding (a second card under another ID).
    """
    if a.id == b.id or a.sex != b.sex or abs((a.birth_date - b.birth_date).days) > 3:
        return False
    names = sim.compare_name(a.name, b.name)
    if a.mother_id == b.mother_id:
        return names in ("same", "missing")
    if names == "different":
        return False
    ids = sim.compare_id(a.mother_id_number, b.mother_id_number)
    if ids in ("same", "one_digit", "transposed"):
        return True
    if sim.compare_name(a.mother_name, b.mother_name) not in ("same", "homophone"):
        return False
    return ids == "missing" or sim.compare_name(a.husband_name, b.husband_name) in ("same", "homophone") \
        or names in ("same", "homophone")


def _differences(row: SurveyRow, child: LedgerChild) -> list[str]:
    out: list[str] = []
    if row.birth_order is not None and row.birth_order != child.order:
        out.append("孩次")
    if row.sex != child.sex:
        out.append("性别")
    if row.birth_date != child.birth_date and date_slip(row.birth_date, child.birth_date) is None:
        out.append("出生日期")   # a slip (≤ 3 days, day/month swapped) is a note, not a difference
    if row.policy and row.policy != child.policy:
        out.append("政策属性")
    return out
