"""Bench: survey matching — 2,000 survey rows against a district demo ledger, beside Splink (DuckDB).

Run by hand (not collected by pytest; ≈ 1–2 minutes with --ledger):
    python tests/bench/bench_reconcile.py [--ledger district.db] [--period 2026H1] [--repeat 5]
        [--splink-python /tmp/h17-splink-venv/bin/python]

Splink is not a dependency of the app: install it into a SEPARATE virtual environment
(`python -m venv /tmp/splink-venv && /tmp/splink-venv/bin/pip install splink`) and name its
interpreter with --splink-python (or $SPLINK_PYTHON); when none has it the Splink figure is
printed as unavailable, with the reason.

Steps: a district demo ledger (a copy of --ledger, or app.demo.generate), a survey of the
sampled villages' births in one half-year with surveyor noise and ~1.25% births not in the
ledger (new and existing mothers; tests/reconcile_synth.py). Measured:
1. in-process, app.reconcile alone (load + match + counts), medians of --repeat runs;
2. whole processes ALTERNATED: `fpledger --json reconcile SURVEY --period P` (start, open and
   check the ledger, match, store the results, print the document) vs a Splink 5 process
   (start, import, read both tables from JSON, EM-trained Fellegi–Sunter with the same
   blocking, predict, one-to-one by best probability ≥ 0.9, write the ties) — medians, each
   child's peak RSS, the ratio, and precision / recall of both. Precision = correct ties /
   ties; recall = correct ties / rows that are ledger births (review rows count as no tie); a
   重报 tie to either copy of the birth counts as correct.
No timed assertions: the machine is noisy; compare the ratio printed in one run.

Both children run with their byte code cached (`child_env`: PYTHONPYCACHEPREFIX in the temp
folder), as an installed program has it; a source checkout with PYTHONDONTWRITEBYTECODE set
would otherwise compile the app's modules in every run (≈ 0.12 s).

Last measured (2026-12-04, session h23, district demo, 2-core machine shared, load 5.2–5.7):
    app.reconcile in-process 0.72 s; P 1.0000, R 0.9965 (0 wrong ties, 7 to review)
    whole process: fpledger reconcile 1.57 s (104 MB; runs 1.02–1.85) vs Splink 5.0.0 9.06 s
    (192 MB; runs 6.49–12.08) = 5.8×; Splink P 1.0000, R 0.9959. (Before h23 in this run's
    conditions: 2.03 s / 154 MB vs 10.29 s = 5.1×; h17 measured 1.78 vs 6.75 s = 3.8× at load 3.7.)
    CPU of one process (user + sys, same hour): 0.87 s now, 1.15 s before h23.
The goal (≥ 10× as a process) does NOT hold: it needs ≈ 0.65 s at light load. Done in h23:
pypinyin is no longer imported (readings from data/pinyin_tables.json, app.pinyin_tables; the
duplicate lookup uses the cards' stored name_initials), nor rapidfuzz (similarity.one_edit).
Where the ≈ 0.87 s CPU still go (cProfile, -X importtime): imports ≈ 0.15 s (sqlite_utils
≈ 0.09 s of it: click, dateutil, pluggy and its entry-point scan — the Ledger's db is a
sqlite_utils Database); the ledger's quick_check on open ≈ 0.15–0.25 s (reads the whole
160 MB file; kept: it is already the cheap check, and weakening damage detection at open for
a bench was not done); loading the pool ≈ 0.1–0.18 s (10,729 children, each a women-row
lookup); matching ≈ 0.3 s; storing the results ≈ 0.1 s; printing the indented JSON ≈ 0.05 s
(the indented dump runs json's Python encoder).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

if TYPE_CHECKING:
    from tests import reconcile_synth as synth

# The app's modules are imported where used: the Splink child process (`--splink-child`) runs
# in Splink's own virtual environment, which has neither the app's dependencies nor needs them.


def pick_villages(db, period, wanted: int, rng: random.Random) -> list[str]:
    """Villages/communities (shuffled) until their births in the period reach `wanted`."""
    from app import units

    end = period.end.isoformat()
    rows = db.execute(
        "select u.code, count(*) from children c join women w on w.id = c.mother_id join units u on u.id = w.unit_id"
        " where c.birth_date between ? and ? and c.kinship = '亲生' and w.residence != '流出'"
        " and u.kind in ('村', '社区') group by u.code", [period.start.isoformat(), end]).fetchall()
    rng.shuffle(rows)
    out, total = [], 0
    for code, n in rows:
        if total >= wanted:
            break
        if units.find(db, code, end):
            out.append(code)
            total += n
    return out


def score(truth: list[synth.TruthRow], ties: dict[int, int | None]) -> tuple[float, float, int]:
    """(precision, recall, wrong ties) of row number -> tied child id."""
    tied = correct = wrong = 0
    positives = sum(1 for t in truth if t.child_id is not None)
    for number, t in enumerate(truth, start=2):
        got = ties.get(number)
        if got is None:
            continue
        tied += 1
        if got in ({t.child_id} | t.alternatives) and t.child_id is not None:
            correct += 1
        else:
            wrong += 1
    return (correct / tied if tied else 1.0), (correct / positives if positives else 1.0), wrong


def run_ours(db, survey_id: int) -> tuple[dict[int, int | None], dict]:
    from app.reconcile.run import reconcile

    rec = reconcile(db, survey_id)
    ties = {r.row.row_number: (r.child.id if r.child else None) for r in rec.results}
    return ties, rec.as_json()


def splink_tables(db, survey_rows: list[synth.TruthRow], villages: list[str], end: str,
                  window: tuple[str, str]) -> tuple[list, list]:
    """Survey rows and the same ledger universe app.reconcile loads (the period ± 400 days)."""
    from app import units

    unit_of: dict[int, str] = {}
    for code in villages:
        for unit_id in units.subtree_ids(db, units.get(db, code, end).id, end):
            unit_of[unit_id] = code
    left = []
    for number, t in enumerate(survey_rows, start=2):
        v = t.values
        born: date = v["出生日期"]
        left.append({"unique_id": f"s{number}", "unit": v["单位代码"], "mother_name": v["母亲姓名"],
                     "mother_id": v["母亲证件号码"], "husband_name": v["丈夫姓名"], "child_name": v["子女姓名"],
                     "sex": v["性别"], "birth_date": born.isoformat(), "birth_month": born.strftime("%Y-%m"),
                     "birth_order": None if v["孩次"] is None else str(v["孩次"])})
    right = []
    for cid, idn, mname, husband, unit_id, order, cname, sex, born in db.execute(
            "select c.id, w.id_number, w.name, w.husband_name, w.unit_id, c.birth_order, c.name, c.sex, c.birth_date"
            " from children c join women w on w.id = c.mother_id where w.unit_id in (select value from json_each(?))"
            " and c.birth_date between ? and ?",
            ["[" + ",".join(str(i) for i in unit_of) + "]", *window]).fetchall():
        right.append({"unique_id": f"c{cid}", "unit": unit_of[unit_id], "mother_name": mname, "mother_id": idn,
                      "husband_name": husband, "child_name": cname, "sex": sex, "birth_date": born,
                      "birth_month": born[:7], "birth_order": str(order)})
    return left, right


def run_splink(left: list[dict], right: list[dict]) -> dict[int, int | None]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.internals.duckdb.database_api import DuckDBAPI

    db_api = DuckDBAPI()
    sdf_left = db_api.register(left, table_name="survey")
    sdf_right = db_api.register(right, table_name="ledger")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("mother_name", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("mother_id", [1, 2]),
            cl.JaroWinklerAtThresholds("husband_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("child_name", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_order"),
        ],
        blocking_rules_to_generate_predictions=[block_on("unit", "birth_month"), block_on("unit", "mother_name"),
                                                block_on("mother_id")],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([sdf_left, sdf_right], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match([block_on("mother_id", "birth_date")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("unit", "birth_month"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("unit", "mother_name"))
    predictions = linker.inference.predict(threshold_match_probability=0.9).as_record_list()
    best: list[tuple[float, str, str]] = []
    for p in predictions:
        a, b = p["unique_id_l"], p["unique_id_r"]
        s, c = (a, b) if a.startswith("s") else (b, a)
        best.append((p["match_probability"], s, c))
    best.sort(key=lambda x: -x[0])
    ties: dict[int, int | None] = {}
    used: set[str] = set()
    for _prob, s, c in best:                 # one-to-one by best probability
        number = int(s[1:])
        if number in ties or c in used:
            continue
        ties[number] = int(c[1:])
        used.add(c)
    return ties


def child_env(folder: Path) -> dict[str, str]:
    """The children's environment: byte-code cached (in `folder`, not the source tree), as an
    installed program has it (pip and PyInstaller compile it) — with PYTHONDONTWRITEBYTECODE set
    every run of a source checkout would compile the app's ~60 modules again (≈ 0.12 s)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def run_process(cmd: list[str], out_path: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak resident MB of the child, exit code) of one whole process."""
    start = time.perf_counter()
    with out_path.open("wb") as out:
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} … exited {child.returncode}: {err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def splink_child(inp: str, out: str) -> None:
    """In Splink's environment: read the two tables, link, write the ties (the timed process)."""
    data = json.loads(Path(inp).read_text(encoding="utf-8"))
    ties = run_splink(data["left"], data["right"])
    Path(out).write_text(json.dumps({str(k): v for k, v in ties.items()}), encoding="utf-8")


def splink_python(explicit: str | None) -> tuple[str | None, str]:
    """The interpreter that has Splink, and why not when none has."""
    candidates = [explicit] if explicit else [sys.executable, os.environ.get("SPLINK_PYTHON"),
                                              "/tmp/h17-splink-venv/bin/python"]
    reasons = []
    for python in [c for c in candidates if c]:
        if not Path(python).exists():
            reasons.append(f"{python}: not found")
            continue
        probe = subprocess.run([python, "-c", "import splink, duckdb; print(splink.__version__)"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            return python, probe.stdout.strip()
        reasons.append(f"{python}: {probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else 'no splink'}")
    return None, "; ".join(reasons)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default=None, help="default: the last half-year that has ended")
    parser.add_argument("--ledger", default=None, help="a district demo ledger (copied; the copy is used)")
    parser.add_argument("--splink-python", default=None,
                        help="a Python with Splink 5 (a separate venv; default: this one, $SPLINK_PYTHON, "
                             "/tmp/h17-splink-venv/bin/python)")
    parser.add_argument("--splink-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_child:
        splink_child(*args.splink_child)
        return

    from app.ledger import Ledger
    from app.periods import Period
    from app.reconcile.survey import import_survey
    from tests import reconcile_synth as synth

    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench_reconcile_"))
    path = folder / "district.db"
    if args.ledger:
        shutil.copy(args.ledger, path)
        ledger = Ledger.open(path, actor="bench", daily_backup=False)
        print(f"a copy of {args.ledger}")
    else:
        ledger = Ledger.create(path, "荷塘区人口计生局", 10, actor="bench")
        from app.demo import generate

        t0 = time.perf_counter()
        counts = generate(ledger, "district", args.seed)
        print(f"demo district ledger: {counts.get('women', '?')} women, "
              f"{counts.get('children', '?')} children in {time.perf_counter() - t0:.1f} s")
    ledger.db.execute("analyze")
    today = date.today()
    period = Period.parse(args.period, 10) if args.period else next(
        p for p in (Period.parse(f"{y}{h}", 10) for y in (today.year + 1, today.year, today.year - 1)
                    for h in ("H2", "H1")) if p.end < today)
    unreported = max(1, args.rows // 80)
    villages = pick_villages(ledger.db, period, args.rows - unreported, rng)
    truth = synth.make_survey(ledger.db, period, villages, rng, new_mothers=unreported // 2,
                              existing_mothers=unreported - unreported // 2)
    ledger_rows = [t for t in truth if t.child_id is not None][: args.rows - unreported]
    truth = ledger_rows + [t for t in truth if t.child_id is None]
    rng.shuffle(truth)
    survey_path = synth.write_survey(folder / "survey.xlsx", truth)
    print(f"period {period.code} ({period.span}); {len(villages)} sampled villages/communities; survey rows "
          f"{len(truth)} ({sum(t.child_id is None for t in truth)} not in the ledger); {measure.load()}")

    # 1. In-process: app.reconcile alone (load + match + counts), the survey stored first.
    survey, _ = import_survey(ledger, survey_path, period.code)
    ours, _ = measure.alternated(lambda: run_ours(ledger.db, survey.id), None, args.repeat)
    ties, document = ours.result
    p, r, wrong = score(truth, ties)
    print(measure.row("app.reconcile in-process (load + match + counts)", ours, None, "—", unit="s")
          + f" | precision {p:.4f}, recall {r:.4f}, wrong ties {wrong}, review {document['review']}")
    window = ((period.start - timedelta(days=400)).isoformat(), (period.end + timedelta(days=400)).isoformat())
    left, right = splink_tables(ledger.db, truth, villages, period.end.isoformat(), window)
    (folder / "splink_in.json").write_text(json.dumps({"left": left, "right": right}, ensure_ascii=False),
                                           encoding="utf-8")
    ledger.close()

    # 2. Whole processes, alternated: `fpledger reconcile` (open, store, match, save, print) vs a
    # Splink process (start, import, read both tables, train, predict, one-to-one, write).
    cli = [sys.executable, "-m", "app", "--db", str(path), "--json", "reconcile", str(survey_path),
           "--period", period.code]
    python, why = splink_python(args.splink_python)
    splink_cmd = [python, str(Path(__file__).resolve()), "--splink-child", str(folder / "splink_in.json"),
                  str(folder / "splink_out.json")] if python else None
    env = child_env(folder)
    first, first_peak, _ = run_process(cli, folder / "ours.json", env)   # warm-up (file cache, byte code)
    if splink_cmd:
        run_process(splink_cmd, folder / "splink.log", env)
    mine, theirs, peaks_a, peaks_b = [], [], [], []
    for _ in range(args.repeat):
        t, peak, _ = run_process(cli, folder / "ours.json", env)
        mine.append(t)
        peaks_a.append(peak)
        if splink_cmd:
            t, peak, _ = run_process(splink_cmd, folder / "splink.log", env)
            theirs.append(t)
            peaks_b.append(peak)
    doc = json.loads((folder / "ours.json").read_text(encoding="utf-8"))
    p, r, wrong = score(truth, {row["row"]: row["child_id"] for row in doc["rows"]})
    ours_t = measure.Timing(statistics.median(mine), mine, max(peaks_a))
    if not splink_cmd:
        print(measure.row("fpledger reconcile, whole process", ours_t, None, "≥ 10× faster than Splink", unit="s")
              + f" (peak RSS {max(peaks_a):.0f} MB) | precision {p:.4f}, recall {r:.4f}"
              + f" | Splink unavailable: {why}")
        return
    splink_t = measure.Timing(statistics.median(theirs), theirs, max(peaks_b))
    sties = {int(k): v for k, v in json.loads((folder / "splink_out.json").read_text(encoding="utf-8")).items()}
    sp, sr, swrong = score(truth, sties)
    print(f"fpledger reconcile, whole process: ours {ours_t.median:.2f} s (peak RSS {max(peaks_a):.0f} MB; "
          f"runs {'/'.join(f'{x:.2f}' for x in mine)}; first run, storing the survey, {first:.2f} s) | "
          f"Splink {why} process {splink_t.median:.2f} s (peak RSS {max(peaks_b):.0f} MB; runs "
          f"{'/'.join(f'{x:.2f}' for x in theirs)}) | Splink / ours {splink_t.median / ours_t.median:.1f}× | "
          f"goal ≥ 10× | {measure.load()}")
    print(f"    ours: precision {p:.4f}, recall {r:.4f}, wrong ties {wrong}, review {doc['review']} | Splink: "
          f"precision {sp:.4f}, recall {sr:.4f}, wrong ties {swrong} (goal P/R ≥ 0.995)")


if __name__ == "__main__":
    main()
