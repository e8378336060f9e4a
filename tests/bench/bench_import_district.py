"""Bench (run by hand): the workbook import at district scale against its floor, and the
incremental import into the populated district ledger (issue 16, item 1).

    /work/main/.venv/bin/python tests/bench/bench_import_district.py [--runs 3] [--keep DIR]
        [--district-db FILE --workbook FILE]

Rows printed (medians of alternated runs; each run of each side is its own child process, whose
peak resident memory is `ru_maxrss` from `os.wait4`; the time is the child's own clock around
the operation only, interpreter start-up and imports excluded on both sides):
- the whole district workbook (150,000 women, 647k rows over 6 sheets) imported into an empty
  ledger — a first import — by `import_workbook` (guard, streaming read, validation, keys,
  initials, search index, history, logic checks, ANALYZE, audit), against THE FLOOR: what a
  competent engineer's minimal import costs — python-calamine reads the same sheets one at a
  time (`get_sheet_by_name(...).to_python()`, freed before the next) and a bare `executemany` of
  the raw rows goes into one plain table per sheet (no indexes, no triggers, no checks), in
  one transaction, with the ledger's own durability (WAL, synchronous=FULL). Goal: ≤ 2.0× the
  floor and ≤ 700 MB;
- a 100,000-woman workbook with all its sheets (the district ledger's first 100,000 cards and
  everything that refers to them, exported), the same two sides. Goal: ≤ 2.0×;
- 2,000 changed or new rows (育龄妇女 400 changed + 400 new, 子女 300 changed + 300 new,
  节育措施 300 new, 手术 300 new) imported into a copy of the populated district ledger, with a
  progress callback (the count of calls is printed). Goal: ≤ 1 s. No baseline.
The load average (1 min) is printed before each run: the machine is shared, so compare the
ratios of one run, not absolute times (PERFORMANCE-NOTES).

Measured 2025-12-04 (branch h19, issue 16 item 1), 3 alternated runs each, medians; a 2-core
machine shared with other engineers. "CPU" is the child's user+system time: the import uses
the second core (guard and calamine beside the handlers), so under load its wall time
approaches its CPU time while the single-threaded floor's does not.
- quiet (load 0.3–1.2): district 11.73 s / 658 MB vs floor 5.83 s / 479 MB = 2.01× (CPU 14.9
  vs 5.9 s); 100,000 women 7.53 s / 481 MB vs 3.62 s / 330 MB = 2.08× (CPU 9.8 vs 3.7 s);
  incremental 2.57 s, of which 1.91 s waiting for the 导入前 backup's integrity_check (the
  import's own work ~0.65 s), 4 progress calls.
- loaded (load 1.2–3.0, the run after the guard's long-text pre-check): district 14.29 s /
  653 MB vs 6.47 s = 2.21×; 100,000 women 11.01 s vs 4.50 s = 2.45×; incremental 3.04 s
  (1.94 s of it the backup's check).
Before (main at 7e96d5c, issue 16's table): district 27.3 s and 1,076 MB; 100,000 women
13.8 s; incremental 2.27 s without progress. What is left over the floor: the ledger's
schema (UNIQUE keys, foreign keys, the indexes rebuilt after each bulk insert, the search
index), the column conversion and per-row keys, the history of 173,000 procedures, the logic
checks over every new card, ANALYZE — and the guard (~2.1 s of CPU, mostly beside calamine,
but the check of the 育龄妇女 sheet must finish before calamine may parse it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
OFFICE = "荷塘区人口计生局"
SUBSET_WOMEN = 100_000


# ---- the children ------------------------------------------------------------------------------
def child_ours(book: str, db: str, incremental: str = "") -> dict:
    """import_workbook into `db` (a fresh ledger, or with `incremental` a ledger to copy first)."""
    from app.exchange.workbook import import_workbook
    from app.ledger import BackupBeside, Ledger

    if incremental:
        shutil.copy(incremental, db)
        ledger = Ledger.open(db, actor="bench", daily_backup=False)
    else:
        ledger = Ledger.create(db, OFFICE, 10, actor="bench")
    calls: list[tuple[float, int, int]] = []
    waited = [0.0]
    wait = BackupBeside.wait

    def timed_wait(self):   # the 导入前 backup's verification, waited for before the commit
        begun = time.perf_counter()
        try:
            return wait(self)
        finally:
            waited[0] += time.perf_counter() - begun

    BackupBeside.wait = timed_wait
    started = time.perf_counter()

    def progress(done: int, total: int, _sheet: str) -> bool:
        calls.append((time.perf_counter() - started, done, total))
        return True

    result = import_workbook(ledger, book, progress)
    seconds = time.perf_counter() - started
    ledger.close()
    counts = {name: [s.inserted, s.updated, s.unchanged] for name, s in result.sheets.items()}
    return {"seconds": seconds, "sheets": counts, "progress_calls": len(calls),
            "first_progress": calls[0][0] if calls else None, "backup_wait": waited[0]}


def child_floor(book: str, db: str) -> dict:
    """The floor: calamine, one sheet at a time, and a bare executemany into plain tables."""
    from python_calamine import CalamineWorkbook

    from app.exchange.workbook import sheet_specs

    wanted = {spec.name for spec in sheet_specs()}
    started = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = full")
    workbook = CalamineWorkbook.from_path(book)
    rows = 0
    conn.execute("begin")
    for index, name in enumerate(workbook.sheet_names):
        if name.strip() not in wanted:
            continue
        data = workbook.get_sheet_by_name(name).to_python()
        width = len(data[0])
        conn.execute(f"create table t{index} ({', '.join(f'c{i}' for i in range(width))})")
        conn.executemany(f"insert into t{index} values ({', '.join('?' * width)})", data[1:])
        rows += len(data) - 1
        del data
    conn.execute("commit")
    conn.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


# ---- the parent --------------------------------------------------------------------------------
def spawn(kind: str, *args: str) -> dict:
    """One child: its result (the JSON it prints), its peak resident MB (`os.wait4`: this child
    alone) and its wall seconds."""
    env = dict(os.environ, PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    out_path = Path(tempfile.mkstemp(prefix="bench-child-", suffix=".json")[1])
    with open(out_path, "wb") as out, open(os.devnull, "wb") as null:
        child = subprocess.Popen([PYTHON, __file__, "--child", kind, *args], cwd=ROOT, env=env,
                                 stdout=out, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text("utf-8")
    out_path.unlink()
    if child.returncode != 0:
        raise SystemExit(f"{kind} {args} failed (exit {child.returncode}); run it alone to see why:\n"
                         f"  {PYTHON} {__file__} --child {kind} {' '.join(args)}")
    result = json.loads(text.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime   # the whole child, start-up included
    result["wall"] = time.perf_counter() - started
    return result


def fresh(path: Path) -> str:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(path.parent / "备份", ignore_errors=True)
    return str(path)


def cli(db: Path, *args: str) -> None:
    subprocess.run([PYTHON, "-m", "app", "--db", str(db), *args], cwd=ROOT, check=True,
                   env=dict(os.environ, PYTHONUTF8="1"), stdout=subprocess.DEVNULL)


def build_district(folder: Path) -> tuple[Path, Path]:
    db, book = folder / "district.db", folder / "district.xlsx"
    if not db.exists():
        cli(db, "init", "--office", OFFICE)
        cli(db, "demo", "--size", "district")
    if not book.exists():
        cli(db, "export-workbook", str(book))
    return db, book


def build_subset(district: Path, folder: Path) -> Path:
    """The first SUBSET_WOMEN cards of the district ledger and every row that refers to them, exported."""
    book = folder / "women-100k-all-sheets.xlsx"
    if book.exists():
        return book
    db = folder / "subset.db"
    fresh(db)
    shutil.copy(district, db)
    conn = sqlite3.connect(db)
    conn.execute("pragma foreign_keys = off")
    keep = conn.execute("select id from women order by id limit 1 offset ?", [SUBSET_WOMEN - 1]).fetchone()[0]
    for table, column in conn.execute(
            "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p"
            " where m.type = 'table' and p.name in ('woman_id', 'mother_id')").fetchall():
        conn.execute(f"delete from {table} where {column} > ?", [keep])
    conn.execute("delete from women where id > ?", [keep])
    conn.commit()
    conn.close()
    cli(db, "export-workbook", str(book))
    fresh(db)
    return book


def build_incremental(district: Path, folder: Path) -> Path:
    """2,000 rows against the district ledger: changed and new women, children, measures, procedures."""
    book = folder / "incremental-2000.xlsx"
    if book.exists():
        return book
    from openpyxl import Workbook

    from tests.builders import make_id

    conn = sqlite3.connect(district)
    women = conn.execute("select w.id_number, w.name, u.code, w.hukou_type, w.residence, w.marital_status,"
                         " w.first_marriage_date from women w join units u on u.id = w.unit_id"
                         " where w.exit_reason is null order by w.id limit 400").fetchall()
    code = women[0][2]
    book_ = Workbook(write_only=True)
    sheet = book_.create_sheet("育龄妇女")
    sheet.append(["证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "初婚日期", "联系电话"])
    for n, (number, name, unit, hukou, residence, marital, married) in enumerate(women):
        sheet.append([number, name, hukou, residence, unit, marital, married, f"139{n:08d}"])   # changed phone
    new_ids = [make_id(f"199{n % 10}-0{n % 9 + 1}-1{n % 9}", area="110101", serial=n + 1) for n in range(400)]
    _, _, _, hukou, residence, marital, _ = women[0]
    for n, number in enumerate(new_ids):
        sheet.append([number, f"新{chr(0x4e00 + n)}芳", hukou, residence, code, marital, "2015-05-01", None])
    sheet = book_.create_sheet("子女")
    sheet.append(["母亲证件号码", "孩次", "性别", "出生日期", "政策属性", "姓名"])
    children = conn.execute("select w.id_number, c.birth_order, c.sex, c.birth_date, c.policy from children c"
                            " join women w on w.id = c.mother_id order by c.id limit 300").fetchall()
    for n, (mother, order, sex, born, policy) in enumerate(children):
        sheet.append([mother, order, sex, born, policy, f"改名{chr(0x4e00 + n)}"])   # changed name
    for n, number in enumerate(new_ids[:300]):
        sheet.append([number, 1, "女" if n % 2 else "男", "2016-03-01", "政策内", None])
    sheet = book_.create_sheet("节育措施")
    sheet.append(["证件号码", "措施", "开始日期"])
    for number in new_ids[:300]:
        sheet.append([number, "避孕套", "2016-06-01"])
    sheet = book_.create_sheet("手术")
    sheet.append(["证件号码", "手术类型", "手术日期"])
    for number in new_ids[100:400]:
        sheet.append([number, "上环", "2017-01-05"])
    book_.save(book)
    conn.close()
    return book


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def pair(label: str, book: Path, folder: Path, runs: int) -> tuple[dict, dict]:
    ours, floor = [], []
    for run in range(runs):
        order = ("ours", "floor") if run % 2 == 0 else ("floor", "ours")
        for side in order:
            before = load()
            if side == "ours":
                ours.append(spawn("ours", str(book), fresh(folder / "ours.db")))
            else:
                floor.append(spawn("floor", str(book), fresh(folder / "floor.db")))
            last = (ours if side == "ours" else floor)[-1]
            print(f"  {label} run {run + 1} {side:5}: {last['seconds']:6.2f} s, peak {last['peak_mb']:5.0f} MB, "
                  f"CPU {last['cpu']:5.1f} s ({before})", flush=True)
    return summary(ours), summary(floor)


def summary(results: list[dict]) -> dict:
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "peak_mb": statistics.median(r["peak_mb"] for r in results),
            "cpu": statistics.median(r["cpu"] for r in results), "last": results[-1],
            "backup_wait": statistics.median(r.get("backup_wait", 0.0) for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder for the ledgers and workbooks (built once, reused)")
    parser.add_argument("--district-db", type=Path, help="a district demo ledger (with --workbook)")
    parser.add_argument("--workbook", type=Path, help="its exported workbook")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        print(json.dumps(child_ours(*rest) if kind == "ours" else child_floor(*rest)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-district-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.district_db and args.workbook:
        district, book = args.district_db, args.workbook
    else:
        district, book = build_district(folder)
    subset = build_subset(district, folder)
    incremental = build_incremental(district, folder)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cores, {load()}")
    rows = []
    for label, file in (("district workbook", book), ("100,000 women, all sheets", subset)):
        ours, floor = pair(label, file, folder, args.runs)
        rows.append((label, ours, floor))
    increments = []
    for run in range(args.runs):
        before = load()
        increments.append(spawn("ours", str(incremental), fresh(folder / "incremental.db"), str(district)))
        last = increments[-1]
        print(f"  incremental run {run + 1}: {last['seconds']:.2f} s, peak {last['peak_mb']:.0f} MB, "
              f"of which waiting for the 导入前 backup's integrity_check {last['backup_wait']:.2f} s, "
              f"progress calls {last['progress_calls']} ({before})", flush=True)
    print(f"\n{'operation':34} {'ours':>16} {'floor':>16} {'ratio':>6}  goal")
    for label, ours, floor in rows:
        goal = "≤ 2.0×, ≤ 700 MB" if label.startswith("district") else "≤ 2.0×"
        print(f"{label:34} {ours['seconds']:6.2f} s {ours['peak_mb']:5.0f} MB {floor['seconds']:6.2f} s "
              f"{floor['peak_mb']:5.0f} MB {ours['seconds'] / floor['seconds']:5.2f}×  {goal}"
              f"  (CPU {ours['cpu']:.1f} s vs {floor['cpu']:.1f} s = {ours['cpu'] / floor['cpu']:.2f}×)")
    inc = summary(increments)
    print(f"{'incremental 2,000 rows (district)':34} {inc['seconds']:6.2f} s {inc['peak_mb']:5.0f} MB "
          f"{'—':>16} {'—':>6}  ≤ 1 s, with progress ({inc['last']['progress_calls']} progress calls; "
          f"{inc['backup_wait']:.2f} s of it waiting for the 导入前 backup's integrity_check; "
          f"counts {inc['last']['sheets']})")
    print(f"medians of {args.runs} alternated runs; {load()}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
