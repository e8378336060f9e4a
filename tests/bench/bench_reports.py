"""Reports at district scale: the half-year report and the full export vs bare SQL, in one run.

Run by hand (not collected by pytest):

    python tests/bench/bench_reports.py [--runs 3] [--size district]

Setup (not timed): an empty ledger filled by app.demo.generate(ledger, size), then ANALYZE.
Measured (medians of --runs after one warm-up; compare ratios within one run only):
- `report(db, "2026H1")`: every figure of the period for the root, its children's long-acting
  rows and the recomputed 去年同期 (2025H1) — vs the SAME aggregations written as bare SQL for
  the root's subtree (recursive CTE over unit_versions at the period end; births by order/sex/
  policy, 补报, procedures by kind and 户口, long-acting due/done, methods in use, first marriages,
  for both periods; no Python roll-up, no JSON). Target: within 1.5×.
- `standard_forms(...)` (the four forms' figures) and the full export
  (`write_package`: .xlsx + .pdf for each form, manifest, copy and verify). Target: under 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.demo import generate  # noqa: E402
from app.exchange.export_package import write_package  # noqa: E402
from app.forms.standard import standard_forms  # noqa: E402
from app.ledger import Ledger  # noqa: E402
from app.periods import Period  # noqa: E402
from app.stats import report  # noqa: E402

PERIOD = "2026H1"

SUBTREE = """
with recursive tree(id) as (
    select u.id from units u join unit_versions v on v.unit_id = u.id
    where v.parent_id is null and v.valid_from <= :end and (v.valid_to is null or v.valid_to > :end)
    union all
    select v.unit_id from unit_versions v join tree t on v.parent_id = t.id
    where v.valid_from <= :end and (v.valid_to is null or v.valid_to > :end)
)
"""

BARE = {
    "births": SUBTREE + """
select min(c.birth_order, 3), c.sex, c.policy, count(*) from children c join women w on w.id = c.mother_id
where c.birth_date between :start and :end and c.kinship = '亲生' and coalesce(c.reported_date, c.birth_date) <= :end
  and w.residence in ('常住', '流入') and coalesce(w.exit_reason, '') <> '录入错误' and w.unit_id in (select id from tree)
group by 1, 2, 3""",
    "late": SUBTREE + """
select c.policy, count(*) from children c join women w on w.id = c.mother_id
where c.reported_date between :start and :end and c.birth_date < :start and c.kinship = '亲生'
  and w.residence in ('常住', '流入') and coalesce(w.exit_reason, '') <> '录入错误' and w.unit_id in (select id from tree)
group by 1""",
    "procedures": SUBTREE + """
select p.kind, w.hukou_type = '农业', count(*) from procedures p join women w on w.id = p.woman_id
where p.date between :start and :end and coalesce(w.exit_reason, '') <> '录入错误' and w.unit_id in (select id from tree)
group by 1, 2""",
    "long_acting": SUBTREE + """
, youngest as (select mother_id, max(birth_date) as born from children
               where kinship = '亲生' and (death_date is null or death_date > :end) group by mother_id)
select count(*), sum(exists(select 1 from procedures p where p.woman_id = w.id and +p.kind in ('女扎','男扎','上环','皮埋')
                            and p.date between y.born and :end))
from youngest y join women w on w.id = y.mother_id
where date(y.born, '+4 months') between :start and :end
  and w.marital_status in ('初婚', '再婚') and w.hukou_type = '农业' and w.residence in ('常住', '流入')
  and (w.exit_reason is null or w.exit_date > :end) and w.unit_id in (select id from tree)
  and not exists(select 1 from contraception m where m.woman_id = w.id and +m.method in ('女扎','男扎','宫内节育器','皮下埋植')
                 and m.start_date <= y.born and (m.end_date is null or m.end_date > y.born))""",
    "in_use": SUBTREE + """
, current as (select woman_id, method, max(start_date) from contraception
              where start_date <= :end and (end_date is null or end_date > :end) group by woman_id)
select coalesce(current.method, '未避孕'), count(*)
from women w not indexed left join current on current.woman_id = w.id
where w.marital_status in ('初婚', '再婚') and w.residence in ('常住', '流入')
  and (w.exit_reason is null or w.exit_date > :end) and w.birth_date > date(:end, '-50 years')
  and w.birth_date <= date(:end, '-15 years') and w.unit_id in (select id from tree)
group by 1""",
    "marriages": SUBTREE + """
select count(*), sum(first_marriage_date >= date(birth_date, '+23 years')) from women w
where first_marriage_date between :start and :end and residence in ('常住', '流入') and w.unit_id in (select id from tree)""",
    "population": "select sum(population), sum(deaths) from population_base where start_date >= :start and end_date <= :end",
}


def bare_sql(db, stat_year_start: int) -> list:
    out = []
    for code in (PERIOD, Period.parse(PERIOD, stat_year_start).previous_year().code):
        p = Period.parse(code, stat_year_start)
        params = {"start": p.start.isoformat(), "end": p.end.isoformat()}
        for sql in BARE.values():
            out.append(db.execute(sql, params).fetchall())
    return out


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="district")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.create(Path(tmp) / "bench.db", "荷塘区人口计生局", 10, actor="bench")
        t = time.perf_counter()
        counts = generate(ledger, args.size)
        ledger.db.execute("analyze")
        print(f"demo {args.size}: {counts} in {time.perf_counter() - t:.1f} s")
        s = ledger.stat_year_start

        t_report, r = timed(lambda: report(ledger.db, PERIOD), args.runs)
        t_bare, _ = timed(lambda: bare_sql(ledger.db, s), args.runs)
        print(f"report {PERIOD} (+ 2025H1):  {t_report * 1000:8.1f} ms   births {r['births']}, late "
              f"{r['late_reported']['total']}, procedures {r['procedures']['total']}, long-acting due "
              f"{(r['long_acting']['total'] or {}).get('due')}")
        print(f"bare SQL, same aggregations: {t_bare * 1000:8.1f} ms   ratio {t_report / t_bare:.2f}x (target ≤ 1.5x)")

        t_forms, forms = timed(lambda: standard_forms(ledger, PERIOD), args.runs)
        print(f"standard_forms (4 forms):    {t_forms * 1000:8.1f} ms   rows {[len(f.rows) for f in forms]}")
        n = iter(range(1000))
        t_export, result = timed(lambda: write_package(ledger, PERIOD, standard_forms(ledger, PERIOD),
                                                       Path(tmp) / f"out{next(n)}"), args.runs)
        print(f"full export (forms+xlsx+pdf+verify): {t_export:6.2f} s   files {len(result['files'])}"
              f" (target < 3 s)")
        ledger.close()


if __name__ == "__main__":
    main()
