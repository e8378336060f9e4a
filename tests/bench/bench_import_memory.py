"""Bench (run by hand): peak memory of importing the district workbook and the bomb cases.

    /work/main/.venv/bin/python tests/bench/bench_import_memory.py [--workbook FILE] [--keep DIR]

Each figure is the peak resident memory (`ru_maxrss` from `os.wait4`) of one child process:
- `fpledger import FILE` into a fresh ledger (the guard, then calamine, then the import);
- the guard alone (`xlsx_guard.inspect` on every sheet the import reads);
- beside them, where it makes sense, a bare python-calamine read of the same file (every sheet,
  `to_python`) — the baseline; for the bombs it runs capped at BASELINE_CAP of address space,
  so "over the cap" is what the unguarded reader would have needed (or its abort).
Cases: the district demo workbook (`demo --size district` + `export-workbook`, built unless
--workbook is given; ~70 s); a 5 KB sheet whose last cell is XFD1048576; a sheet reaching
ZZ200000; one 300-million-character string (written in pieces, never held whole); a zip bomb
of 1 GB declared (blanks inside sheetData, ~1 MB on disk).

Measured (2-core machine shared with other work, one run; peak MB of the child):
- district workbook (36.7 MB, 150,000 women, 616,674 rows): import 1,075 MB / 17.2 s; the guard
  alone 40 MB / 2.5 s (it runs before calamine, so it adds to the import); bare calamine
  461 MB / 4.1 s; since issue 16 item 1 (sheets streamed one at a time, the guard of each sheet
  beside calamine's parse of the previous one) the import peaks at ~655 MB
  (tests/bench/bench_import_district.py) and the guard alone takes ~2.1 s;
- XFD1048576: import refused in 47 MB / 0.2 s; bare calamine aborts (SIGABRT, 512 GiB asked);
- ZZ200000: refused in 45 MB; bare calamine aborts under the 3 GB cap (5.6 GB uncapped);
- 300 M characters (12 MB on disk, compressed 73×, so the ratio check lets it through): refused
  by the text-length check in 87 MB / 0.3 s; bare calamine reached 2.56 GB and failed at the cap;
- 1 GB zip bomb: refused from its declared size in 34 MB before a byte is inflated; bare
  calamine streams the whole gigabyte (1,036 MB peak).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.ledger import Ledger  # noqa: E402
from tests.app import xlsx_craft as craft  # noqa: E402

BASELINE_CAP = 3 * 1024 ** 3
PYTHON = sys.executable
BARE_READ = ("import sys\nfrom python_calamine import CalamineWorkbook\nwb = CalamineWorkbook.from_path(sys.argv[1])\n"
             "print(sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names))")
GUARD_ONLY = ("import sys\nfrom pathlib import Path\nfrom app.exchange import xlsx_guard\n"
              "from app.exchange.workbook import sheet_specs\n"
              "try:\n    xlsx_guard.inspect(Path(sys.argv[1]), {s.name for s in sheet_specs()})\n    print('通过')\n"
              "except Exception as exc:\n    print(exc)\n")


def run(args: list[str], cap: int | None = None) -> tuple[int, float, float, str]:
    """(exit status, peak MB, seconds, last line of output) of one child."""
    def limit() -> None:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = dict(os.environ, PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             preexec_fn=limit)
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return child.returncode, usage.ru_maxrss / 1024, time.perf_counter() - start, (lines[-1] if lines else "")[:110]


def district_workbook(folder: Path) -> Path:
    db, book = folder / "district.db", folder / "district.xlsx"
    Ledger.create(db, "荷塘区人口计生局", 10, actor="bench").close()
    for command in (["demo", "--size", "district"], ["export-workbook", str(book)]):
        subprocess.run([PYTHON, "-m", "app", "--db", str(db), *command], cwd=ROOT, check=True,
                       env=dict(os.environ, PYTHONUTF8="1"), stdout=subprocess.DEVNULL)
    return book


def bombs(folder: Path) -> dict[str, Path]:
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>母亲证件号码</t></is></c></row>'
    return {
        "XFD1048576 (5 KB)": craft.write_xlsx(folder / "xfd.xlsx", {"子女": craft.sheet_xml(
            [head, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])}),
        "ZZ200000 real extent": craft.write_xlsx(folder / "zz.xlsx", {"子女": craft.sheet_xml(
            [head, '<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'])}),
        "one 300M-character string": craft.write_xlsx(folder / "string.xlsx",
                                                      {"子女": craft.long_text_cell(300_000_000, "字", 60)}, level=1),
        "1 GB zip bomb": craft.write_xlsx(folder / "bomb.xlsx", {"子女": craft.sheet_xml(
            " " * (1 << 20) for _ in range(1024))}, level=9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, help="the district workbook (built when not given)")
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    cases = {"district workbook": args.workbook or district_workbook(folder), **bombs(folder)}
    print(f"{'case':28} {'size':>10}  {'what':24} {'exit':>4} {'peak MB':>8} {'s':>6}  output")
    for name, book in cases.items():
        size = f"{book.stat().st_size / 1e6:.1f} MB"
        db = folder / f"fresh-{book.stem}.db"
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        Ledger.create(db, "荷塘区人口计生局", 10, actor="bench").close()
        rows = [("fpledger import", [PYTHON, "-m", "app", "--db", str(db), "import", str(book)], None),
                ("guard alone", [PYTHON, "-c", GUARD_ONLY, str(book)], None),
                ("bare calamine (baseline)", [PYTHON, "-c", BARE_READ, str(book)],
                 None if name == "district workbook" else BASELINE_CAP)]
        for what, command, cap in rows:
            code, peak, seconds, last = run(command, cap)
            note = f" (capped at {BASELINE_CAP // 1024 ** 3} GB)" if cap and code != 0 else ""
            print(f"{name:28} {size:>10}  {what:24} {code:>4} {peak:>8.0f} {seconds:>6.1f}  {last}{note}")
            name, size = "", ""


if __name__ == "__main__":
    main()
