"""The invariant behind every submitted figure (DOMAIN.md §4–§5), tried on random ledgers:

random births with random 上报日期, random closes and reopens of months, edits (sex, 上报日期)
and late entries, all through the real entry path (app.registry, app.closing) — then

- over the months of the statistical years covered, every birth is counted exactly once:
  the sum of (births + 补报) of every month, closed months from their snapshot and open ones
  computed, equals the number of births entered;
- a standing close's snapshot never changes, whatever is entered or edited after it;
- for every closed month, the report, the exported forms and figures.json say the same.

Months are closed only once they have ended (before the current month), as an office does.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import closing, registry
from app.exchange import period_package
from app.ledger import Ledger
from app.periods import Period
from app.stats import report
from tests.builders import unit, woman

TODAY = date.today()
FIRST = date(TODAY.year - 1, 10, 1)        # the statistical year before the current one starts here
STAT_YEAR_START = 10


def _months() -> list[str]:
    out, day = [], FIRST
    while day <= TODAY:
        out.append(f"{day:%Y-%m}")
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


MONTHS = _months()                          # FIRST's month … the current month (open)
CLOSABLE = MONTHS[:-1]                      # months that have ended
SPAN = (TODAY - FIRST).days


def _day(offset: int) -> str:
    return (FIRST + timedelta(days=min(max(offset, 0), SPAN))).isoformat()


birth = st.tuples(st.integers(0, SPAN), st.integers(0, 120), st.sampled_from(["男", "女"]),
                  st.sampled_from(["政策内", "政策外"]))
step = st.one_of(
    st.tuples(st.just("close"), st.integers(0, len(CLOSABLE) - 1)),
    st.tuples(st.just("reopen"), st.integers(0, len(CLOSABLE) - 1)),
    # a birth reported (上报日期) in a given month, entered now — often a month closed already
    st.tuples(st.just("late"), st.integers(0, len(MONTHS) - 1), st.integers(0, 27), st.integers(0, 90),
              st.sampled_from(["男", "女"]), st.sampled_from(["政策内", "政策外"])),
    st.tuples(st.just("sex"), st.integers(0, 10_000)),
    # a child's 上报日期 moved to a day of a given month (not before its birth)
    st.tuples(st.just("reported"), st.integers(0, 10_000), st.integers(0, len(MONTHS) - 1), st.integers(0, 27)),
)


def _in_month(index: int, day: int) -> date:
    return min(date.fromisoformat(f"{MONTHS[index]}-01") + timedelta(days=day), TODAY)


def _counted(ledger: Ledger, month: str) -> int:
    figures = report(ledger.db, month, stat_year_start=STAT_YEAR_START)
    return figures["births"] + figures["late_reported"]["total"]


class Office:
    """One township with two villages; each birth is a new mother's first child."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        unit(ledger, "430202100", "仙庾镇", "乡镇")
        unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
        unit(ledger, "430202100202", "桃花村", "村", parent="430202100")
        self.children: list[int] = []
        self.snapshots: dict[str, str] = {}

    def birth(self, offset: int, delay: int, sex: str, policy: str) -> None:
        born = _day(offset)
        self.add(born, min(date.fromisoformat(born) + timedelta(days=delay), TODAY).isoformat(), sex, policy)

    def add(self, born: str, reported: str, sex: str, policy: str) -> None:
        village = "430202100201" if len(self.children) % 2 else "430202100202"
        mother = woman(self.ledger, f"母亲{len(self.children)}", village, born="1995-06-01", married="2018-01-01")
        saved = registry.add_child(self.ledger, mother, {"birth_order": 1, "sex": sex, "birth_date": born,
                                                         "policy": policy, "reported_date": reported})
        self.children.append(saved.id)

    def apply(self, action: tuple) -> None:
        kind = action[0]
        if kind == "close":
            month = CLOSABLE[action[1]]
            if closing.current_closure(self.ledger.db, month) is None:
                closing.close_period(self.ledger, month)
                self.snapshots[month] = json.dumps(closing.snapshot(self.ledger.db, month), sort_keys=True)
        elif kind == "reopen":
            month = CLOSABLE[action[1]]
            if closing.current_closure(self.ledger.db, month) is not None:
                closing.reopen_period(self.ledger, month, "核对后更正")
                self.snapshots.pop(month)
        elif kind == "late":
            _, month, day, back, sex, policy = action
            reported = _in_month(month, day)
            self.add(max(reported - timedelta(days=back), FIRST).isoformat(), reported.isoformat(), sex, policy)
        elif self.children and kind == "sex":
            child_id = self.children[action[1] % len(self.children)]
            sex = self.ledger.db.execute("select sex from children where id = ?", [child_id]).fetchone()[0]
            registry.update_child(self.ledger, child_id, {"sex": "女" if sex == "男" else "男"})
        elif self.children and kind == "reported":
            child_id = self.children[action[1] % len(self.children)]
            born = self.ledger.db.execute("select birth_date from children where id = ?", [child_id]).fetchone()[0]
            reported = max(_in_month(action[2], action[3]).isoformat(), born)
            registry.update_child(self.ledger, child_id, {"reported_date": reported})


def _check_closed_month(ledger: Ledger, month: str, written: Path | None) -> None:
    """Report == forms == figures.json for a closed month (and the written .xlsx when given)."""
    figures = report(ledger.db, month, stat_year_start=STAT_YEAR_START)
    package = period_package.prepare(ledger, month)
    assert package.source == "snapshot" and not package.warning
    assert package.figures["report"] == figures
    total = next(f for f in package.forms if f.form_id == "monthly").total_row
    assert (total["births"], total["births_m"], total["births_f"], total["late"]) == (
        figures["births"], figures["births_male"], figures["births_female"], figures["late_reported"]["total"])
    if written is None:
        return
    period_package.write(ledger, package, written)
    monthly = next(written.glob("*_01_*.xlsx"))
    sheet = openpyxl.load_workbook(monthly, read_only=True).worksheets[0]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    total_row = next(row for row in rows if row and row[0] == "合计")
    numbers = [v for v in total_row[2:] if isinstance(v, int)]
    assert numbers[:3] == [figures["births"], figures["births_male"], figures["births_female"]]
    on_disk = json.loads((written / period_package.FIGURES).read_text(encoding="utf-8"))
    assert on_disk["report"] == figures


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(birth, min_size=1, max_size=14), st.lists(step, min_size=1, max_size=16))
def test_every_birth_is_counted_once_snapshots_hold_and_closed_months_agree(births, steps):
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger.create(Path(folder) / "ledger.db", "仙庾镇计生办", STAT_YEAR_START, actor="test")
        try:
            office = Office(ledger)
            for one in births:
                office.birth(*one)
            for action in steps:
                office.apply(action)
                for month, frozen in office.snapshots.items():
                    assert json.dumps(closing.snapshot(ledger.db, month), sort_keys=True) == frozen

            assert sum(_counted(ledger, month) for month in MONTHS) == len(office.children)
            closed = sorted(office.snapshots)
            for index, month in enumerate(closed):
                _check_closed_month(ledger, month, Path(folder) / "U盘" / month if index == 0 else None)
        finally:
            ledger.close()


def test_the_invariant_sees_a_birth_that_falls_into_no_period():
    """The check above can fail: a child whose entry bypasses the late-entry rule (a raw insert with
    its 上报日期 inside a closed month, as the old code did) is in no month's count."""
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger.create(Path(folder) / "ledger.db", "仙庾镇计生办", STAT_YEAR_START, actor="test")
        try:
            office = Office(ledger)
            office.birth(10, 5, "男", "政策内")
            month = Period.parse(_day(15)[:7], STAT_YEAR_START).code
            closing.close_period(ledger, month)
            mother = woman(ledger, "后补母亲", "430202100201", born="1995-06-01", married="2018-01-01")
            with ledger.write():
                ledger.db.execute("insert into children (mother_id, birth_order, sex, birth_date, policy, kinship,"
                                  " reported_date, created_at, updated_at) values (?, 1, '女', ?, '政策内', '亲生', ?,"
                                  " datetime('now'), datetime('now'))", [mother, _day(12), _day(14)])
            assert sum(_counted(ledger, m) for m in MONTHS) == len(office.children)   # the raw child: nowhere
        finally:
            ledger.close()
