"""Bench: registry search as you type, and start to a painted registry tab, on a district ledger.

Run by hand (not collected by pytest):

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_registry_search.py [--keep DIR]

1. Builds a district demo ledger with `app.demo.generate(ledger, 'district')` (≥300,000 person
   rows: women + children), then ANALYZE.
2. For 1-, 2- and 3-character name queries, pinyin initials and ID suffixes (4 and 6 digits)
   taken from the ledger itself, prints the median time of what one keystroke costs in the tab
   (`search.page` = first 256 rows + `search.count` for the status line), beside a plain
   `LIKE '%q%'` scan (page sorted + count) measured in the same run, and the ratio.
3. In a fresh process (so the generator's memory does not count): opens the ledger, builds
   `RegistryTab`, and reports the time until the table has painted its first rows, and the
   process's peak resident memory.
No timed assertions: the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app import search  # noqa: E402
from app.ledger import Ledger  # noqa: E402

RUNS = 5



os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the tab is timed offscreen by default

def timed(fn, runs: int = RUNS) -> float:
    """Median wall time in ms over `runs` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def keystroke(db, text: str) -> None:
    query = search.Query(text)
    search.page(db, query)
    search.count(db, query)


def like_keystroke(db, text: str) -> None:
    pattern = f"%{text}%"
    search.plain_like_ids(db, text)
    db.execute("select count(*) from women where exit_reason is null and (name like ? or husband_name like ?"
               " or id_number like ?)", [pattern, pattern, pattern]).fetchone()


def samples(db, rng: random.Random) -> dict[str, list[str]]:
    names = [r[0] for r in db.execute("select name from women where exit_reason is null").fetchall()]
    ids = [r[0] for r in db.execute("select id_number from women where exit_reason is null").fetchall()]
    initials = [r[0] for r in db.execute(
        "select name_initials from women where name_initials is not null").fetchall()]
    two = [n for n in names if len(n) == 2]
    three = [n for n in names if len(n) == 3]
    picked = rng.sample(names, 200)
    return {
        "1 char (surname)": [n[0] for n in rng.sample(names, 8)],
        "1 char (given)": [n[-1] for n in rng.sample(names, 8)],
        "2 chars (whole name)": rng.sample(two, 8),
        "2 chars (inside a name)": [n[1:3] for n in picked if len(n) == 3][:8],
        "3 chars (whole name)": rng.sample(three, 8),
        "pinyin initials": rng.sample(initials, 8),
        "ID suffix 4 digits": [i[-4:] for i in rng.sample(ids, 8)],
        "ID suffix 6 digits": [i[-6:] for i in rng.sample(ids, 8)],
    }


def bench_search(db) -> None:
    rng = random.Random(7)
    print(f"{'query kind':26} {'ours ms':>9} {'LIKE ms':>9} {'ratio':>7}  examples")
    for kind, queries in samples(db, rng).items():
        ours = statistics.median(timed(lambda q=q: keystroke(db, q)) for q in queries)
        base = statistics.median(timed(lambda q=q: like_keystroke(db, q), runs=3) for q in queries)
        print(f"{kind:26} {ours:9.2f} {base:9.2f} {base / ours:6.1f}x  {' '.join(queries[:4])}")
    hits = {q: search.count(db, search.Query(q)) for q in ("王", "李", "芳", "丽")}
    print("result sizes:", ", ".join(f"{q} {n:,}" for q, n in hits.items()))


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's peak,
    which Linux carries across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tab_child(path: str) -> None:
    """In a fresh process: open the ledger, build the tab, wait for the first painted rows."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    app = QApplication(sys.argv)
    ledger = Ledger.open(path, actor="bench", daily_backup=False)
    opened = time.perf_counter()
    from ui.registry_tab import RegistryTab

    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    tab = RegistryTab(ledger, None)
    watch = Watch()
    tab.table.viewport().installEventFilter(watch)
    tab.resize(1366, 768)
    tab.show()
    while not painted:
        app.processEvents()
    rows = tab.model.rowCount()
    print(f"start to painted registry tab: {(painted[0] - start) * 1000:.0f} ms, of which opening the "
          f"ledger (integrity check, migrations) {(opened - start) * 1000:.0f} ms and the tab to its first "
          f"paint {(painted[0] - opened) * 1000:.0f} ms (first page {rows} rows of {tab.model.total:,}); "
          f"peak memory {peak_mb():.0f} MB")
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="folder for the ledger (reused when it already exists)")
    parser.add_argument("--tab", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tab:
        tab_child(args.tab)
        return
    folder = Path(args.keep or tempfile.mkdtemp(prefix="fpledger-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "district.db"
    if not path.exists():
        from app import demo

        ledger = Ledger.create(path, "荷塘区人口计生局", 10, actor="bench")
        start = time.perf_counter()
        counts = demo.generate(ledger, "district", 1)
        ledger.conn.execute("analyze")
        print(f"demo district generated in {time.perf_counter() - start:.1f} s: {counts}")
        ledger.close()
    ledger = Ledger.open(path, actor="bench", daily_backup=False)
    db = ledger.db
    women = db.execute("select count(*) from women").fetchone()[0]
    children = db.execute("select count(*) from children").fetchone()[0]
    print(f"ledger: {women:,} women + {children:,} children = {women + children:,} person rows")
    bench_search(db)
    ledger.close()
    subprocess.run([sys.executable, __file__, "--tab", str(path)], check=True)


if __name__ == "__main__":
    main()
