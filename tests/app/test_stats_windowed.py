"""A period's figures cost the period's work, and say the same as the whole-ledger computation.

The long-acting due list reads the youngest child from the children born in the due window
(not a pass over every child) and the procedures query leaves the as-of test out when there is
no as-of. These tests compute the per-unit facts both ways — the current collectors, and the
formulations they replaced (kept verbatim below) — over a township demo ledger plus families
chosen for the youngest-child rule (twins, a younger child who died, a younger child reported
late, a younger child born after P's end), for months, quarters and half-years, with and
without as-of, before and after ANALYZE (SQLite 3.40.1 plans change with statistics).
"""

from __future__ import annotations

from datetime import date

import pytest

from app import definitions, demo
from app.ledger import Ledger
from app.periods import Period
from app.stats import long_acting, procedures
from app.stats.report import compute_all
from app.stats.scope import ACTIVE_AT_END, MARRIED_AT_END, NOT_VOID
from tests import builders as b

# The formulations before the windowed rewrite (commit b182c19), verbatim.
WHOLE_LEDGER_CANDIDATES = f"""
with youngest as (
    select c.mother_id, max(c.birth_date) as born
    from children c
    where c.kinship = '亲生' and c.birth_date <= :end and (c.death_date is null or c.death_date > :end)
      and {definitions.REPORT_DAY} <= :as_of
    group by c.mother_id
)
select w.unit_id, y.born,
       (select max(c.birth_order) from children c
         where c.mother_id = w.id and c.kinship = '亲生' and c.birth_date = y.born),
       exists(select 1 from procedures p
              where p.woman_id = w.id and +p.kind in ('女扎', '男扎', '上环', '皮埋')
                and p.date between y.born and :end and substr(p.created_at, 1, 10) <= :as_of)
from youngest y join women w on w.id = y.mother_id
where y.born between :born_from and :born_to
  and {MARRIED_AT_END}
  and w.hukou_type = '农业' and {definitions.LIVES_HERE_SQL} and {ACTIVE_AT_END}
  and substr(w.created_at, 1, 10) <= :as_of
  and not {definitions.prior_long_acting_sql("y.born")}
"""

ALWAYS_AS_OF_PROCEDURES = f"""
select w.unit_id, p.kind, w.hukou_type = '农业', count(*),
       sum(p.kind = '上环' and (select max(c.birth_order) from children c
            where c.mother_id = w.id and c.kinship = '亲生' and c.birth_date <= p.date) = 1)
from procedures p join women w on w.id = p.woman_id
where p.date between :start and :end and substr(p.created_at, 1, 10) <= :as_of
  and {NOT_VOID} and {definitions.before_exit_sql("p.date")}
group by 1, 2, 3
"""

PERIODS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2025Q4", "2026Q1", "2026H1",
           "2025H2", "2025"]
AS_OF = [None, date(2026, 1, 15), date(2025, 12, 31)]


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    ledger = Ledger.create(tmp_path_factory.mktemp("windowed") / "t.db", "仙庾镇计生办", actor="test")
    demo.generate(ledger, "township", seed=5)
    village = ledger.db.execute("select code from units where kind = '村' order by code limit 1").fetchone()[0]
    # twins as the youngest, born so that they fall due (N = 4) in 2026-01
    twins = b.woman(ledger, "双胞母", village, born="1994-03-03")
    b.child(ledger, twins, 1, "2023-02-02", sex="女")
    b.child(ledger, twins, 2, "2025-09-10", sex="男", policy="政策外")
    b.child(ledger, twins, 3, "2025-09-10", sex="女", policy="政策外")
    # a younger child who died before P's end: the older one is the youngest living child
    died = b.woman(ledger, "夭折母", village, born="1992-05-05")
    b.child(ledger, died, 1, "2025-08-20", sex="女")
    b.child(ledger, died, 2, "2025-12-01", sex="男", died="2025-12-20")
    # a younger child reported only in 2026-02: before that day the older one is the youngest
    late = b.woman(ledger, "迟报母", village, born="1993-06-06")
    b.child(ledger, late, 1, "2025-09-01", sex="女")
    b.child(ledger, late, 2, "2025-11-30", sex="男", reported="2026-02-10")
    # a younger child born after some periods' end
    after = b.woman(ledger, "后生母", village, born="1991-07-07")
    b.child(ledger, after, 1, "2025-08-01", sex="女")
    b.child(ledger, after, 2, "2026-02-15", sex="男")
    b.procedure(ledger, after, "上环", "2025-10-20")
    yield ledger
    ledger.close()


def _facts(ledger, period: Period, as_of: date | None) -> dict:
    comp = compute_all(ledger.db, period, as_of)
    return {unit: dict(counter) for unit, counter in comp.facts.items() if counter}


@pytest.mark.parametrize("analyzed", [False, True])
def test_windowed_facts_equal_the_whole_ledger_formulation(township, monkeypatch, analyzed):
    if analyzed:
        township.db.execute("analyze")
    for code in PERIODS:
        period = Period.parse(code, township.stat_year_start)
        for as_of in AS_OF:
            now = _facts(township, period, as_of)
            with monkeypatch.context() as m:
                m.setattr(long_acting, "_CANDIDATES", WHOLE_LEDGER_CANDIDATES)
                m.setattr(procedures, "_PROCEDURES", ALWAYS_AS_OF_PROCEDURES)
                before = _facts(township, period, as_of)
            assert now == before, (code, as_of)


def test_the_long_acting_query_reads_no_whole_children_table(township):
    """The due list is driven by a birth-date range of the covering index, not a scan of
    children grouped by mother."""
    period = Period.parse("2026-01", township.stat_year_start)
    params = {"end": period.end.isoformat(), "as_of": "9999-12-31", "void": "录入错误",
              "born_from": "2025-08-27", "born_to": "2025-10-04"}
    plan = " | ".join(row[3] for row in township.db.execute("explain query plan " + long_acting._CANDIDATES, params))
    assert "SCAN c" not in plan, plan
    assert "children_report (birth_date>? AND birth_date<?)" in plan, plan
