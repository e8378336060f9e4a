"""Running a reconciliation: load the ledger side, match, store results, count outcomes and rates.

Definitions (DOMAIN.md §7; the choices where it is silent):
- **Survey births (调查出生)** of a sampled unit: the survey rows with that 单位代码.
- **Ledger births (台帐出生)** of a sampled unit: the ledger's own count of the period's births in
  the unit's subtree (at the period's end), by DOMAIN.md §5 — children 亲生, born in the period,
  mother 常住 or 流入 and her card not voided (录入错误), born on or before a real exit, reported
  (max(上报日期, birth date)) by the period's end — app.definitions.birth_in_sql, the same rule.
  It is what the office's report says for the sampled units, whatever the
  survey found: a birth entered twice counts twice, a 迟报 or a 流出 mother's child not at all, a
  多报 (ledger_only) does count. Overall: the same count over the union of the sampled subtrees.
  So (survey births − ledger births) is the net under-count the formula reads, and 求实率 can pass
  100 when the ledger holds births the survey did not find. Review rows do not change it.
- **求实率 (%)** = 100 − (survey births − ledger births) / survey births × 100; **漏报率 (%)** =
  漏报 / survey births × 100. Exact Decimal; rounded half up to 2 decimals only in the JSON and
  on forms; null when there are no survey births.
- **多报/未核实 (ledger_only)**: the ledger births above (the same §5 rule) tied to no survey row
  and not a copy of a tied birth (重报). A birth reported after the period's end is no ledger
  birth of the period (§5) and is not listed; neither are 流出 mothers', adopted or step
  children, or children on voided cards.
- **Matching pool**: voided cards (exit reason 录入错误) are not the ledger: their children are
  never tied, never 重报 copies and their mothers never a 漏报's known mother. Other exited
  cards (迁出, 死亡, 超龄) still hold real births and stay matchable. A 流出 mother's child, or an
  adopted one, is in the ledger and is tied when the survey names it (一致/错报…), though it is no
  ledger birth of the sampled unit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app import definitions, units
from app.forms.model import rounded
from app.reconcile.match import Decision, LedgerChild, Outcome, Pool, RowResult, match_rows
from app.reconcile.survey import Survey, SurveyRow, get_survey, survey_rows

if TYPE_CHECKING:
    from app.ledger import Ledger

OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.MATCHED: "一致", Outcome.UNREPORTED: "漏报", Outcome.MISREPORTED: "错报",
    Outcome.DUPLICATED: "重报", Outcome.LATE: "迟报", Outcome.REVIEW: "待核实"}

ProgressFn = Callable[[int, int, str], bool]


@dataclass
class Tally:
    code: str
    name: str = ""
    survey_births: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    ledger_births: int = 0

    @property
    def accuracy(self) -> Decimal | None:
        if not self.survey_births:
            return None
        return Decimal(100) - Decimal(self.survey_births - self.ledger_births) * 100 / Decimal(self.survey_births)

    @property
    def unreported_rate(self) -> Decimal | None:
        if not self.survey_births:
            return None
        return Decimal(self.counts[Outcome.UNREPORTED]) * 100 / Decimal(self.survey_births)

    def add(self, outcome: Outcome) -> None:
        self.survey_births += 1
        self.counts[outcome] += 1


@dataclass
class Reconciliation:
    survey: Survey
    results: list[RowResult]
    ledger_only: list[dict]
    units: list[Tally]
    total: Tally

    def accuracy_note(self) -> str | None:
        """Why 求实率 passes 100 % (ledger births above survey births): the 多报/未核实 births the
        survey did not find, listed in the 台帐有而调查未见 list; None when it does not pass 100."""
        accuracy = self.total.accuracy
        if accuracy is None or accuracy <= 100:
            return None
        return f"求实率超过 100%：台帐有而调查未见（多报/未核实）{len(self.ledger_only)} 人，见清单"

    def as_json(self) -> dict:
        """The document of `fpledger reconcile --json` (INTERFACES.md §5, plus extra keys, e.g.
        `accuracy_note`: `accuracy_note()` or null)."""
        t = self.total
        return {
            "period": self.survey.period, "start": self.survey.period_start, "end": self.survey.period_end,
            "survey_id": self.survey.id, "file": self.survey.file_name, "file_sha256": self.survey.file_sha256,
            "survey_births": t.survey_births, **{k: t.counts[k] for k in OUTCOMES},
            "ledger_births": t.ledger_births,
            "accuracy_percent": _num(t.accuracy), "unreported_percent": _num(t.unreported_rate),
            "accuracy_note": self.accuracy_note(),
            "units": [{"code": u.code, "name": u.name, "survey_births": u.survey_births,
                       **{k: u.counts[k] for k in OUTCOMES}, "ledger_births": u.ledger_births,
                       "accuracy_percent": _num(u.accuracy), "unreported_percent": _num(u.unreported_rate)}
                      for u in self.units],
            "rows": [row_json(r) for r in self.results],
            "ledger_only": self.ledger_only,
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(rounded(value))


def row_json(r: RowResult) -> dict:
    """One row of INTERFACES.md §5. `score` is always a number in 0..1: the tied (or, in review, the
    leading) candidate's score; for a 漏报, how near the nearest ledger child came (0.0 for none).
    `notes` (always present, [] when none): the tied child's birth date differing by a surveyor's
    slip — ≤ 3 days or day/month swapped — for the clerk to verify (待核日期); not a difference."""
    score = r.score if r.score is not None else max((c.score for c in r.candidates), default=0.0)
    out: dict = {"row": r.row.row_number, "outcome": r.outcome, "child_id": r.child.id if r.child else None,
                 "differences": r.differences, "notes": list(r.notes), "score": round(score, 4),
                 "unit": r.row.unit_code, "stage": r.stage}
    if r.child is not None:
        out["ledger_child"] = r.child.as_json()
    if r.duplicates:
        out["duplicate_child_ids"] = r.duplicates
    if r.outcome == Outcome.UNREPORTED:
        out["mother_in_ledger"] = r.mother_woman_id is not None
        if r.mother_woman_id is not None:
            out["mother_woman_id"] = r.mother_woman_id
        if r.added_child_id is not None:
            out["added_child_id"] = r.added_child_id
    if r.outcome == Outcome.REVIEW:
        out["candidates"] = [c.child.id for c in r.candidates[:3]]
    if r.note:
        out["note"] = r.note
    return out


_CHILD_SQL = """
select c.id, w.id, w.id_number, w.name, w.husband_name, w.unit_id, w.residence, c.birth_order, c.name,
       c.sex, c.birth_date, c.policy, c.kinship, c.reported_date, c.counted_on
from children c join women w on w.id = c.mother_id
"""
_NOT_VOID = f" and {definitions.NOT_VOID}"   # 录入错误, compared trimmed (app.definitions)

# Ledger births of a period in a set of units: app.definitions' "birth counted in P", the rule
# app/stats/births.py counts.
_BIRTHS_SQL = f"""
select c.id, w.unit_id from children c join women w on w.id = c.mother_id
where {definitions.birth_in_sql(":start", ":end")} and w.unit_id in (select value from json_each(:units))
"""


def _ledger_child(r: tuple) -> LedgerChild:
    return LedgerChild(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], date.fromisoformat(r[10]),
                       r[11], r[12], r[13], r[14])


def load_pool(db, scope_ids: set[int], id_numbers: set[str], window: tuple[str, str],
              child_ids: set[int] | None = None) -> Pool:
    """Children born within `window` whose mothers are in the sampled subtrees or named by ID.

    The window is the period widened by 400 days each side: every date a surveyor's slip can
    reach (a few days, day/month swapped, the year ±1). Older and younger siblings can never tie
    and are left out; a 漏报's mother is found by `mother_lookup` instead.
    """
    children: dict[int, LedgerChild] = {}
    for r in db.execute(_CHILD_SQL + " where c.birth_date between ? and ?"
                        " and w.unit_id in (select value from json_each(?))" + _NOT_VOID,
                        [*window, json.dumps(sorted(scope_ids))]).fetchall():
        children[r[0]] = _ledger_child(r)
    if id_numbers:
        for r in db.execute(_CHILD_SQL + " where c.birth_date between ? and ?"
                            " and w.id_number in (select value from json_each(?))" + _NOT_VOID,
                            [*window, json.dumps(sorted(id_numbers))]).fetchall():
            children.setdefault(r[0], _ledger_child(r))
    if child_ids:   # children the clerk's decisions name stay reachable wherever they are now
        for r in db.execute(_CHILD_SQL + " where c.id in (select value from json_each(?))",
                            [json.dumps(sorted(child_ids))]).fetchall():
            children.setdefault(r[0], _ledger_child(r))
    return Pool(list(children.values()))


def mother_lookup(db, scope: dict[str, list[int]]) -> Callable[[SurveyRow], int | None]:
    """Find a 漏报 row's mother in the ledger: the same ID number (any unit); else, within the
    row's unit subtree, one card whose name is the same or a homophone (same pinyin initials,
    then the same pinyin) and whose husband's name does not differ. Two such cards: not found."""
    from app.pinyin import initials
    from app.reconcile.similarity import compare_id, compare_name, normalize_id

    def lookup(row: SurveyRow) -> int | None:
        if row.mother_id_number:
            found = db.execute("select id from women w where id_number = ?" + _NOT_VOID,
                               [normalize_id(row.mother_id_number)]).fetchone()
            if found:
                return found[0]
        hits = []
        for wid, name, husband, idn in db.execute(
                "select id, name, husband_name, id_number from women w where unit_id in (select value from json_each(?))"
                " and (name = ? or name_initials = ?)" + _NOT_VOID,
                [json.dumps(scope.get(row.unit_code, [])), row.mother_name, initials(row.mother_name)]).fetchall():
            if compare_name(row.mother_name, name) in ("same", "homophone") \
                    and compare_name(row.husband_name, husband) != "different" \
                    and compare_id(row.mother_id_number, idn) in ("missing", "one_digit", "transposed"):
                hits.append(wid)
        return hits[0] if len(hits) == 1 else None

    return lookup


def duplicate_lookup(db) -> Callable[[list[LedgerChild]], list[LedgerChild]]:
    """Ledger children, anywhere in the ledger, that may be second entries of the tied children:
    the same sex, born within 3 days of one of them, on a card (not voided) with the same mother's
    name, name initials or ID number. `match._same_birth` decides which really are. One read of
    the births in the tied children's date range, filtered here (faster than OR-ed subqueries).
    The tied mothers' initials are their cards' stored `name_initials` (app.pinyin.initials of
    the name, kept current by every write and by the name_readings migration), compared with
    the other cards' stored ones."""

    def lookup(tied: list[LedgerChild]) -> list[LedgerChild]:
        start = (min(c.birth_date for c in tied) - timedelta(days=3)).isoformat()
        end = (max(c.birth_date for c in tied) + timedelta(days=3)).isoformat()
        names = {c.mother_name for c in tied if c.mother_name}
        mothers = json.dumps(sorted({c.mother_id for c in tied if c.mother_name}))
        letters = {i for (i,) in db.execute("select name_initials from women where id in (select value from"
                                            " json_each(?))", [mothers]).fetchall() if i}
        numbers = {c.mother_id_number for c in tied if c.mother_id_number}
        days = {(c.sex, c.birth_date + timedelta(days=k)) for c in tied for k in range(-3, 4)}
        out = []
        for r in db.execute(_CHILD_SQL.replace("c.counted_on\n", "c.counted_on, w.name_initials\n")
                            + " where c.birth_date between ? and ?" + _NOT_VOID, [start, end]).fetchall():
            if (r[3] in names or r[15] in letters or r[2] in numbers) \
                    and (r[9], date.fromisoformat(r[10])) in days:
                out.append(_ledger_child(r))
        return out

    return lookup


def ledger_births(db, unit_ids: list[int] | set[int], start: str, end: str) -> dict[int, int]:
    """The period's ledger births (DOMAIN.md §5) in the given units: child id -> the mother's unit id."""
    return dict(db.execute(_BIRTHS_SQL, {"start": start, "end": end,
                                         "units": json.dumps(sorted(unit_ids))}).fetchall())


def load_decisions(db, survey_id: int) -> dict[int, list[Decision]]:
    out: dict[int, list[Decision]] = defaultdict(list)
    for number, decision, child_id, note in db.execute(
            "select row_number, decision, child_id, note from reconcile_decisions where survey_id = ? order by id",
            [survey_id]).fetchall():
        out[number].append(Decision(decision, child_id, note))
    return out


def reconcile(db, survey_id: int, progress: ProgressFn | None = None) -> Reconciliation:
    """Match a stored survey against the ledger as it is now (the decisions applied); no writes."""
    from app.reconcile.similarity import normalize_id

    survey = get_survey(db, survey_id)
    rows = survey_rows(db, survey_id)
    end = survey.period_end
    if progress:
        progress(0, 3, "读取台帐")
    scope: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for code in sorted({r.unit_code for r in rows}):
        unit = units.find(db, code, end)
        scope[code] = units.subtree_ids(db, unit.id, end) if unit else []
        names[code] = unit.name if unit else ""
    scope_ids = {i for ids in scope.values() for i in ids}
    ids = {normalize_id(r.mother_id_number) for r in rows if r.mother_id_number}
    window = ((date.fromisoformat(survey.period_start) - timedelta(days=400)).isoformat(),
              (date.fromisoformat(end) + timedelta(days=400)).isoformat())
    decided = load_decisions(db, survey_id)
    named = {d.child_id for items in decided.values() for d in items
             if d.child_id is not None and d.decision in ("accept", "corrected")}
    pool = load_pool(db, scope_ids, ids, window, named)
    if progress:
        progress(1, 3, "匹配")
    results = match_rows(rows, pool, scope, date.fromisoformat(end), decided, mother_lookup(db, scope),
                         duplicate_lookup(db))
    if progress:
        progress(2, 3, "统计")
    births = ledger_births(db, scope_ids, survey.period_start, end)
    tallies = {code: Tally(code, names[code]) for code in scope}
    total = Tally("合计", "合计", ledger_births=len(births))
    for code, tally in tallies.items():
        inside = set(scope[code])
        tally.ledger_births = sum(1 for unit_id in births.values() if unit_id in inside)
    for r in results:
        tallies[r.row.unit_code].add(r.outcome)
        total.add(r.outcome)
    claimed = {r.child.id for r in results if r.child is not None} | {
        r.added_child_id for r in results if r.added_child_id is not None}
    claimed |= {d for r in results for d in r.duplicates}
    in_review = {c.child.id for r in results if r.outcome == Outcome.REVIEW for c in r.candidates[:3]}
    unit_of: dict[int, str] = {}
    for code, unit_ids in scope.items():
        for unit_id in unit_ids:
            unit_of.setdefault(unit_id, code)
    ledger_only = []
    for c in sorted((pool.by_id[i] for i in births if i in pool.by_id), key=lambda c: (c.birth_date, c.id)):
        if c.id not in claimed:
            ledger_only.append({"child_id": c.id, "unit": unit_of[c.unit_id], "mother_woman_id": c.mother_id,
                                "birth_date": c.birth_date.isoformat(), "in_review": c.id in in_review})
    if progress:
        progress(3, 3, "完成")
    return Reconciliation(survey, results, ledger_only, list(tallies.values()), total)


def save_results(ledger: Ledger, rec: Reconciliation) -> None:
    """Replace the stored results of the survey with this run (one transaction, audited)."""
    ledger.require("import_workbook")
    now = datetime.now().isoformat(timespec="seconds")
    with ledger.write("运行抽样核对", "survey", rec.survey.id,
                      after={k: v for k, v in rec.as_json().items() if k not in ("rows", "ledger_only", "units")}) as db:
        db.execute("delete from reconcile_results where survey_id = ?", [rec.survey.id])
        db.conn.executemany(
            "insert into reconcile_results (survey_id, row_number, outcome, child_id, score, differences, detail,"
            " run_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(rec.survey.id, r.row.row_number, r.outcome, r.child.id if r.child else None, r.score,
              json.dumps(r.differences, ensure_ascii=False), json.dumps(detail_json(r), ensure_ascii=False), now)
             for r in rec.results])


def detail_json(r: RowResult) -> dict:
    """What the review screen shows: the top candidates with each field's kind and points."""
    return {"stage": r.stage, "note": r.note, "notes": r.notes, "duplicates": r.duplicates, "mother_woman_id": r.mother_woman_id,
            "added_child_id": r.added_child_id,
            "candidates": [c.as_json(r.row) for c in r.candidates[:5]]}
