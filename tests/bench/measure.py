"""What every bench prints the same way: ours beside its baseline, alternated in one run.

Rules (issue 16, PERFORMANCE-NOTES.md): the machine is shared and noisy, so
- ours and the baseline are run ALTERNATELY in the same process (ours, baseline, ours, …) after
  one warm-up each, and the medians are compared — never figures from different runs;
- each row prints ours, the baseline, the ratio, the peak memory of each (the growth of this
  process's peak resident set while the call ran: Linux's VmHWM, reset before each call through
  /proc/self/clear_refs) and the load average when it was measured;
- nothing here asserts a time: the figures are printed for the reader.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_STATUS = Path("/proc/self/status")


def _vm(key: str) -> float | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def rss_mb() -> float | None:
    return _vm("VmRSS")


def peak_mb() -> float | None:
    """This process's peak resident memory in MB (VmHWM), None off Linux."""
    return _vm("VmHWM")


def reset_peak() -> bool:
    """Start a new peak (VmHWM := current RSS); False where the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def load() -> str:
    try:
        return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "load ?"


@dataclass
class Timing:
    median: float              # seconds
    runs: list[float]
    peak_growth_mb: float | None  # peak RSS during the call minus RSS before it
    result: object = None


def one(fn: Callable[[], object]) -> tuple[float, float | None, object]:
    before = rss_mb()
    reset_peak()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    peak = peak_mb()
    growth = None if before is None or peak is None else max(0.0, peak - before)
    return elapsed, growth, result


def alternated(ours: Callable[[], object], baseline: Callable[[], object] | None,
               runs: int) -> tuple[Timing, Timing | None]:
    """Median times of `ours` and `baseline`, run alternately `runs` times after one warm-up."""
    ours()
    if baseline is not None:
        baseline()
    mine, theirs, peaks_a, peaks_b = [], [], [], []
    result_a = result_b = None
    for _ in range(runs):
        t, p, result_a = one(ours)
        mine.append(t)
        peaks_a.append(p)
        if baseline is not None:
            t, p, result_b = one(baseline)
            theirs.append(t)
            peaks_b.append(p)
    a = Timing(statistics.median(mine), mine, _max(peaks_a), result_a)
    b = Timing(statistics.median(theirs), theirs, _max(peaks_b), result_b) if baseline is not None else None
    return a, b


def _max(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _mb(value: float | None) -> str:
    return "?" if value is None else f"+{value:.0f} MB"


def row(label: str, ours: Timing, baseline: Timing | None, goal: str, unit: str = "ms",
        baseline_label: str = "baseline") -> str:
    """One printed row: ours, the baseline in the same run, the ratio, peak memory, the goal."""
    scale = 1000 if unit == "ms" else 1
    digits = 1 if unit == "ms" else 2
    text = f"{label}: ours {ours.median * scale:,.{digits}f} {unit} ({_mb(ours.peak_growth_mb)})"
    if baseline is not None:
        ratio = ours.median / baseline.median if baseline.median else float("inf")
        text += (f" | {baseline_label} {baseline.median * scale:,.{digits}f} {unit} ({_mb(baseline.peak_growth_mb)})"
                 f" | ratio {ratio:.2f}×")
    return text + f" | goal {goal} | {load()}"
