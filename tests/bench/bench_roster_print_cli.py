"""`fpledger roster ROUND --print DIR` of a whole district round, through the real CLI on a
pseudo-terminal: how long it takes and whether the clerk sees it moving.

Run by hand (not collected by pytest; POSIX only, it needs a pseudo-terminal), from the
repository root:

    python tests/bench/bench_roster_print_cli.py [--db DISTRICT.db] [--round 2026Q2]

Without --db a district demo ledger (150,000 women, 145 villages/communities) is built in a
temporary folder first (~15 s). The command runs once (it writes ~290 files, PDF and Excel per
village/community; there is no baseline for it): wall time, the child's CPU time and peak
memory (`os.wait4`), the number of progress redraws seen on the terminal, the longest gap
between two of them (the clerk's "is it still working?"), and the last line drawn. The load
average is printed before and after: the machine is shared.

Goal (issue 16): progress on the CLI and in the window (the window's 打印名册 already runs
through ui.tasks with a progress dialog and cancel; this measures the CLI).
Last measured 2026-12-04, district demo seed 0, round 2026Q2, load ≈ 2–3: 290 files in
56.2 s (CPU 39.1 s, peak 156 MB), 158 redraws of the progress line, the longest gap between
two 3.0 s (the largest village's PDF), last line “打印名册 100%”.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_on_terminal(argv: list[str]) -> dict:
    import pty

    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app", *argv], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, cwd=ROOT, env=dict(os.environ, PYTHONUTF8="1"))
    os.close(slave)
    redraws: list[float] = []
    data = bytearray()
    while True:
        ready, _w, _x = select.select([master], [], [], 600)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        now = time.perf_counter() - start
        # a redraw starts with a bare \r (the terminal turns each \n into \r\n)
        redraws.extend(now for _ in re.finditer(rb"\r(?!\n)", chunk))
        data += chunk
    os.close(master)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    text = data.decode("utf-8", "replace")
    lines = [part for part in re.split(r"[\r\n]", text) if "打印名册" in part and "%" in part]
    gaps = [b - a for a, b in zip([0.0, *redraws], redraws, strict=False)]
    return {"code": os.waitstatus_to_exitcode(status), "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "redraws": len(lines), "longest_gap": max(gaps, default=wall),
            "last": lines[-1].strip() if lines else "", "files": text.count("已生成名册")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--round", default="2026Q2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-roster-print-") as folder:
        db_path = args.db
        if not db_path:
            from app.demo import generate
            from app.ledger import Ledger

            db_path = str(Path(folder) / "district.db")
            with Ledger.create(Path(db_path), "荷塘区人口计生局", 10, actor="bench") as ledger:
                generate(ledger, "district", seed=0)
        print(f"roster {args.round} --print, ledger {db_path}; load before: {load()}", flush=True)
        r = run_on_terminal(["--db", db_path, "roster", args.round, "--print", str(Path(folder) / "名册")])
        if r["code"] != 0:
            raise SystemExit(f"roster --print failed ({r['code']})")
        print(f"| `roster --print` of a district round ({r['files']} files) | {r['wall']:.1f} s "
              f"(cpu {r['cpu']:.1f} s, peak {r['peak_mb']:.0f} MB), {r['redraws']} progress redraws, "
              f"longest gap {r['longest_gap']:.1f} s | — | progress on the CLI: last line “{r['last']}” |")
        print(f"load after: {load()}")


if __name__ == "__main__":
    main()
