"""`export-workbook` of the whole district ledger vs a bare xlsxwriter `constant_memory` writer.

Run by hand (not collected by pytest), from the repository root:

    python tests/bench/bench_export_workbook.py [--db DISTRICT.db] [--runs 3]

Without --db a district demo ledger (`app.demo.generate(…, 'district')`, 150,000 women) is
built in a temporary folder first (~15 s). Every measured export runs in its own child process,
so each has its own peak memory (`os.wait4` rusage, ru_maxrss of that child alone); ours and
the baseline alternate (ours first in odd runs, the bare writer first in even ones) and the
medians are compared, in the same run, on the same file system. The load average is printed
before and after: the machine is shared.

- ours: `app.exchange.export_workbook.export_workbook(ledger, path)` — every sheet, text cells
  through app.text_cells, dates as Excel dates, written to a temporary file, the streaming
  check (CRC of every member, rows counted), the atomic rename and the audit entry.
- bare: what a competent engineer would write with xlsxwriter alone for the same rows and
  columns: the same six sheets and headers, one plain SELECT per sheet (dates turned into
  Excel serials by SQLite's julianday, as ours does), `write_string` / `write_number` per
  non-empty cell, column widths and a frozen header row, `close()`. No text safety, no check,
  no temporary file, no audit.
The time is the export call inside the child (interpreter start and imports excluded, the
same for both); the peak memory is the child's whole life.

Goal (issue 16): ours ≤ 1.2× the bare writer, ≤ 150 MB peak, with progress and cancel.
Last measured 2026-12-04, district demo seed 0 (646,668 rows, a 36.5 MB file), 3 alternated
runs on the shared 2-core machine:
- load ≈ 2: ours 24.9 s, 42 MB; bare 23.6 s, 34 MB; 1.05× (CPU 24.7 s vs 23.2 s, 1.06×).
- load 4–6: ours 43.6 s, 41 MB; bare 34.3 s, 34 MB; 1.27× (CPU 25.4 s vs 23.4 s, 1.08×) —
  the wall times then follow the neighbours' load more than the code; the CPU times do not.
Before (openpyxl write_only + a calamine re-read of every sheet): 73.9 s, 507 MB, load ≈ 2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _date(expr: str) -> str:
    return f"julianday({expr}) - 2415018.5"


def bare_export(db_path: str, out: str) -> dict[str, int]:
    """The baseline: xlsxwriter constant_memory, the same sheets, rows and cells as ours."""
    import sqlite3

    import xlsxwriter

    from app.exchange.export_workbook import BASE_HEADERS, UNIT_HEADERS
    from app.exchange.registry_sheets import CHILDREN, MEASURES, PROCEDURES, WOMEN

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def cols(spec, alias, refs):
        out = []
        for c in spec:
            expr = refs.get(c.column, f"{alias}.{c.column}")
            out.append(_date(expr) if c.kind == "date" else
                       f"(case when {expr} then '是' end)" if c.kind == "bool" else expr)
        return ", ".join(out)

    today = time.strftime("%Y-%m-%d")
    units_sql = f"""
        select u.code, v.name, u.kind, p.code,
               (select case when min(x.valid_from) > '1900-01-01' then {_date('min(x.valid_from)')} end
                  from unit_versions x where x.unit_id = u.id),
               u.supervisor_code
          from units u join unit_versions v on v.unit_id = u.id
               and v.valid_from <= '{today}' and (v.valid_to is null or v.valid_to > '{today}')
          left join units p on p.id = v.parent_id
         where u.dissolved_on is null or u.dissolved_on > '{today}'
         order by u.sort_key, u.code"""
    sheets = [("单位", UNIT_HEADERS, (False,) * 4 + (True, False), units_sql)]
    if conn.execute("select count(*) from population_base").fetchone()[0]:
        sheets.append(("人口基数", BASE_HEADERS, (False,) * 4,
                       "select u.code, p.period, p.population, p.deaths from population_base p"
                       " join units u on u.id = p.unit_id order by u.sort_key, u.code, p.start_date, p.period"))
    sheets += [
        ("育龄妇女", tuple(c.header for c in WOMEN), tuple(c.kind == "date" for c in WOMEN),
         f"select {cols(WOMEN, 'w', {'unit_id': 'u.code'})} from women w join units u on u.id = w.unit_id order by w.id"),
        ("子女", tuple(c.header for c in CHILDREN), tuple(c.kind == "date" for c in CHILDREN),
         f"select {cols(CHILDREN, 'c', {'mother_id': 'w.id_number'})} from children c"
         " join women w on w.id = c.mother_id order by c.mother_id, c.birth_order"),
        ("节育措施", tuple(c.header for c in MEASURES), tuple(c.kind == "date" for c in MEASURES),
         f"select {cols(MEASURES, 'c', {'woman_id': 'w.id_number'})} from contraception c"
         " join women w on w.id = c.woman_id order by c.woman_id, c.start_date, c.id"),
        ("手术", tuple(c.header for c in PROCEDURES), tuple(c.kind == "date" for c in PROCEDURES),
         f"select {cols(PROCEDURES, 'p', {'woman_id': 'w.id_number'})} from procedures p"
         " join women w on w.id = p.woman_id order by p.woman_id, p.date, p.id"),
    ]
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    counts = {}
    for name, headers, dates, sql in sheets:
        ws = workbook.add_worksheet(name)
        for i, header in enumerate(headers):
            ws.set_column(i, i, 20 if "证件号码" in header else 12)
            ws.write_string(0, i, header)
        ws.freeze_panes(1, 0)
        formats = [date_format if d else None for d in dates]
        write_string, write_number = ws.write_string, ws.write_number
        r = 0
        for r, row in enumerate(conn.execute(sql), start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if v.__class__ is str:
                    write_string(r, c, v)
                else:
                    write_number(r, c, v, formats[c])
        counts[name] = r
    workbook.close()
    conn.close()
    return counts


def ours_export(db_path: str, out: str) -> dict[str, int]:
    from app.exchange.export_workbook import export_workbook
    from app.ledger import Ledger

    with Ledger.open(Path(db_path)) as ledger:
        return export_workbook(ledger, out)


def child(kind: str, db_path: str, out: str) -> None:
    """One measured export in this (child) process; prints a JSON line with the time."""
    import xlsxwriter  # noqa: F401 - imported before the clock for both

    import app.exchange.export_workbook  # noqa: F401
    import app.ledger  # noqa: F401
    fn = ours_export if kind == "ours" else bare_export
    start = time.perf_counter()
    counts = fn(db_path, out)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": sum(counts.values()), "bytes": os.path.getsize(out)}))


def measure(kind: str, db_path: str, out: Path) -> dict:
    out.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, "--db", db_path, "--out", str(out)],
                            stdout=subprocess.PIPE, cwd=ROOT)
    wall = time.perf_counter()
    stdout = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - wall
    if proc.returncode:
        raise SystemExit(f"{kind} failed ({proc.returncode})")
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    return result | {"peak_mb": usage.ru_maxrss / 1024, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("ours", "bare"))
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        db_path = args.db
        if not db_path:
            from app.demo import generate
            from app.ledger import Ledger

            db_path = str(Path(folder) / "district.db")
            with Ledger.create(Path(db_path), "荷塘区人口计生局", 10, actor="bench") as ledger:
                generate(ledger, "district", seed=0)
        print(f"export-workbook, whole ledger {db_path}; load before: {load()}")
        results: dict[str, list[dict]] = {"ours": [], "bare": []}
        for run in range(args.runs):
            order = ("ours", "bare") if run % 2 == 0 else ("bare", "ours")
            for kind in order:
                r = measure(kind, db_path, Path(folder) / f"{kind}.xlsx")
                results[kind].append(r)
                print(f"  run {run + 1} {kind:4}: {r['seconds']:6.1f} s (process {r['wall']:5.1f} s, "
                      f"cpu {r['cpu']:5.1f} s), peak {r['peak_mb']:5.0f} MB, {r['rows']:,} rows, "
                      f"{r['bytes'] / 1e6:.1f} MB file; load {load()}", flush=True)
        med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
        cpu = {k: statistics.median(r["cpu"] for r in v) for k, v in results.items()}
        peak = {k: max(r["peak_mb"] for r in v) for k, v in results.items()}
        print(f"| `export-workbook`, whole district | ours {med['ours']:.1f} s, {peak['ours']:.0f} MB "
              f"| xlsxwriter constant_memory {med['bare']:.1f} s, {peak['bare']:.0f} MB "
              f"| {med['ours'] / med['bare']:.2f}× | goal ≤ 1.2×, ≤ 150 MB |")
        print(f"  CPU time of the child (user+sys, less sensitive to the neighbours' load): ours {cpu['ours']:.1f} s, "
              f"bare {cpu['bare']:.1f} s, {cpu['ours'] / cpu['bare']:.2f}×")
        print(f"load after: {load()}")


if __name__ == "__main__":
    main()
