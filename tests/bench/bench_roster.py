"""Pregnancy-check roster at scale: due list and rates for a district, printed rosters for a township.

Run by hand (not collected by pytest):

    python tests/bench/bench_roster.py [--runs 3] [--skip-district]

What is measured (medians of --runs, after one warm-up; compare ratios in one run only):
- District (app.demo.generate(ledger, 'district'), ~150,000 women): the due list of round
  2026Q2 computed from the ledger (`due.compute`), the rates per unit and category
  (`rates.figures` over that list, and from scratch), the summary form, the 未查 worklist,
  closing the round (freezing the list) and reading the frozen list. About 60% of the due women
  get a result first (setup, not timed, one executemany).
- Township (~15,000 women): the printed rosters, one PDF per village (`printing.write_all`,
  per-page tables, fixed row heights, header/page x of y) vs a BARE reportlab table of the same
  rows (one Table with repeatRows=1 per village, the same font, no decoration) in the same run;
  then the Excel copies; then one 5,000-row roster both ways.
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
from app.ledger import Ledger  # noqa: E402
from app.roster import due, printing, rates, rounds, summary_form  # noqa: E402

ROUND = "2026Q2"


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def seed_results(ledger: Ledger, rnd: rounds.Round, women: list[due.DueWoman]) -> int:
    """Give ~60% of the due women a result (already checked / certificate / missed), untimed."""
    with ledger.write() as db:
        stored = rounds.ensure(db, rounds.parse_code(ledger, rnd.code), "bench")
        rows = []
        for i, w in enumerate(women):
            if i % 5 in (0, 1, 2):
                kind = "寄回证明" if w.residence == "流出" else "已查"
                rows.append((stored.id, w.woman_id, kind, "2026-02-15" if kind == "已查" else None,
                             "2026-04-01" if kind == "寄回证明" else None, "2026-04-01", "bench"))
            elif i % 5 == 3:
                rows.append((stored.id, w.woman_id, "未查", None, None, "2026-04-01", "bench"))
        db.conn.executemany(
            "insert into check_results (round_id, woman_id, result, check_date, certificate_date, recorded_at,"
            " recorded_by) values (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def bench_district(folder: Path, runs: int) -> None:
    path = folder / "district.db"
    ledger = Ledger.create(path, "荷塘区人口计生局", 10, actor="bench")
    start = time.perf_counter()
    counts = generate(ledger, "district", seed=1)
    print(f"district demo ledger: {counts.get('women', '?')} women, built in {time.perf_counter() - start:.1f} s")
    rnd = rounds.resolve(ledger, ROUND)
    t_due, women = timed(lambda: due.compute(ledger, rnd), runs)
    print(f"  due list {ROUND}: {len(women)} due women            {t_due * 1000:8.0f} ms")
    seeded = seed_results(ledger, rnd, women)
    rnd = rounds.resolve(ledger, ROUND)
    print(f"  (setup: {seeded} results stored)")
    t_rates, data = timed(lambda: rates.figures(ledger, rnd, women=women), runs)
    print(f"  rates per unit+category (list given)  {t_rates * 1000:8.0f} ms  "
          f"rate {summary_form.rate_text(data.total.rate)}, units {len(data.units)}")
    t_full, _ = timed(lambda: rates.figures(ledger, rnd), runs)
    print(f"  rates from scratch (due + rates)      {t_full * 1000:8.0f} ms")
    t_form, _ = timed(lambda: summary_form.build(ledger, rnd, data=data), runs)
    print(f"  summary form (from figures)           {t_form * 1000:8.0f} ms")
    t_work, work = timed(lambda: rates.missed_worklist(ledger, rnd), runs)
    print(f"  未查 worklist ({len(work)} women)        {t_work * 1000:8.0f} ms")
    start = time.perf_counter()
    frozen = rounds.close(ledger, ROUND)
    t_close = time.perf_counter() - start
    rnd = rounds.resolve(ledger, ROUND)
    t_frozen, again = timed(lambda: due.due_list(ledger, rnd), runs)
    print(f"  close round (freeze {frozen})           {t_close * 1000:8.0f} ms (once)")
    print(f"  frozen due list read ({len(again)})       {t_frozen * 1000:8.0f} ms")
    ledger.close()


def bare_pdf(path: Path, rows: list[tuple[str, ...]]) -> None:
    """The baseline: one reportlab Table with repeatRows, same font, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from app.forms.fonts import cjk_font

    font = cjk_font()
    table = Table([printing.HEADERS, *rows], colWidths=printing.WIDTHS, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font.name), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([table])


def bench_township(folder: Path, runs: int) -> None:
    path = folder / "township.db"
    ledger = Ledger.create(path, "仙庾镇计生办", 10, actor="bench")
    counts = generate(ledger, "township", seed=2)
    rnd = rounds.resolve(ledger, ROUND)
    villages = printing.village_rosters(ledger, rnd)
    total = sum(len(v.women) for v in villages)
    print(f"township demo ledger: {counts.get('women', '?')} women; {ROUND}: {total} due in {len(villages)} villages")
    out = folder / "print"
    out.mkdir(exist_ok=True)
    office = ledger.office_name

    def printed() -> None:
        for v in villages:
            printing.write_pdf(out / f"{v.unit.code}.pdf", office, rnd, v)

    def bare() -> None:
        for v in villages:
            bare_pdf(out / f"{v.unit.code}-bare.pdf", printing.rows_of(v))

    def excel() -> None:
        for v in villages:
            printing.write_xlsx(out / f"{v.unit.code}.xlsx", office, rnd, v)

    t_printed, _ = timed(printed, runs)
    t_bare, _ = timed(bare, runs)
    t_excel, _ = timed(excel, runs)
    print(f"  printed rosters (PDF, per-page tables)  {t_printed:6.2f} s")
    print(f"  bare reportlab table, same rows         {t_bare:6.2f} s   printed/bare = {t_printed / t_bare:.2f}")
    print(f"  Excel copies                            {t_excel:6.2f} s")
    t_all, outcome = timed(lambda: printing.write_all(ledger, rnd, out / "all", formats=("pdf",)), 1)
    print(f"  write_all PDF (incl. due list, audit)   {t_all:6.2f} s, {len(outcome.files)} files")
    big = printing.VillageRoster(villages[0].unit, [w for v in villages for w in v.women][:5000])
    t_big, _ = timed(lambda: printing.write_pdf(out / "big.pdf", office, rnd, big), runs)
    t_big_bare, _ = timed(lambda: bare_pdf(out / "big-bare.pdf", printing.rows_of(big)), runs)
    print(f"  one 5,000-row roster: printed {t_big:5.2f} s, bare one-table {t_big_bare:5.2f} s, "
          f"printed/bare = {t_big / t_big_bare:.2f}")
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-district", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
        folder = Path(tmp)
        bench_township(folder, args.runs)
        if not args.skip_district:
            bench_district(folder, args.runs)


if __name__ == "__main__":
    main()
