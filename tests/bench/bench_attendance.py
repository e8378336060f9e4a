"""Attendance at a large office's scale (run by hand: python tests/bench/bench_attendance.py).

80 staff, a year of machine punches (4 a day, ~80k rows) imported from a GBK CSV, re-imported
(idempotent), then the month computed and posted. Prints medians and ratios; no assertions.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.attendance import importer, month, staff  # noqa: E402
from app.ledger import Ledger  # noqa: E402

STAFF = 80


def timed(fn, runs: int = 3) -> float:
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        results.append(time.perf_counter() - start)
    return statistics.median(results)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    ledger = Ledger.create(folder / "bench.db", "测试局", 10, actor="bench")
    for n in range(STAFF):
        staff.add(ledger, f"{n:04d}", f"人员{n}", f"科室{n % 6}")
    rng = random.Random(1)
    lines = ["工号,姓名,打卡时间"]
    day = date(2025, 1, 1)
    while day <= date(2025, 12, 31):
        if day.weekday() < 5:
            for n in range(STAFF):
                for base in (7 * 60 + 40, 11 * 60 + 58, 14 * 60 + 15, 17 * 60 + 31):
                    moment = datetime.combine(day, datetime.min.time()) + timedelta(minutes=base + rng.randint(0, 25),
                                                                                   seconds=rng.randint(0, 59))
                    lines.append(f"{n:04d},人员{n},{moment:%Y-%m-%d %H:%M:%S}")
        day += timedelta(days=1)
    path = folder / "punches.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    rows = len(lines) - 1
    start = time.perf_counter()
    importer.import_file(ledger, path)
    first = time.perf_counter() - start
    again = timed(lambda: importer.import_file(ledger, path), runs=1)
    compute = timed(lambda: month.compute(ledger.db, "2025-03"))
    document = timed(lambda: month.live_document(ledger.db, "2025-03"))
    print(f"punch rows: {rows:,}")
    print(f"first import:   {first:.2f} s ({rows / first:,.0f} rows/s)")
    print(f"re-import:      {again:.2f} s (nothing new; ratio {again / first:.2f})")
    print(f"month compute:  {compute * 1000:.0f} ms for {STAFF} staff")
    print(f"month document: {document * 1000:.0f} ms")
    ledger.close()


if __name__ == "__main__":
    main()
