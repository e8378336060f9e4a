"""Start-up time: process start to the painted main window on an empty ledger, vs a bare window.

Run by hand (not collected by pytest):

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_startup.py [--runs 7]
    xvfb-run -a env QT_QPA_PLATFORM=xcb python tests/bench/bench_startup.py   # a real X server

What is measured: wall time from just before the child process is spawned until the first
paint event of the main window has been handled, as seen by the child's clock (both read
`time.time()` on the same machine). Two children alternate in the same run:

- `shell`: the real start-up path of ui.main — make_application (translators), session.open_ledger
  (network check, lock, quick_check, daily backup, migrations), login_dialog.sign_in (the scrypt
  check the login dialog runs; only the typing is skipped), show_main_window (tabs, menus,
  status bar). The ledger and its administrator are created beforehand by this script, so the
  test-only short-cut lives here and not in the program.
- `bare`: QApplication + an empty QMainWindow of the same size.

One warm-up run of each is discarded (file cache, the day's first automatic backup). Prints the
median and minimum of each, the phases inside the shell child, and the ratio of the medians.
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
PASSWORD = "bench-password-1"

CHILD_COMMON = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer

class FirstPaint(QObject):
    def __init__(self, app, phases):
        super().__init__()
        self.app, self.phases, self.seen = app, phases, False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        self.phases["painted"] = time.time()
        print("RESULT " + json.dumps(self.phases), flush=True)
        self.app.quit()
"""

CHILD_SHELL = CHILD_COMMON + r"""
phases = {"python_up": time.time()}
from pathlib import Path
from ui.main import make_application, show_main_window
from ui.session import open_ledger
from ui.dialogs.login_dialog import sign_in
phases["imported"] = time.time()
app = make_application(["fpledger-gui"])
phases["app"] = time.time()
ledger = open_ledger(Path(sys.argv[1]))
phases["opened"] = time.time()
sign_in(ledger, "admin", sys.argv[2])
phases["signed_in"] = time.time()
watch = FirstPaint(app, phases)
from ui.main_window import MainWindow
window = MainWindow(ledger, ledger.user)
window.installEventFilter(watch)
window.resize(1366, 768)
window.show()
phases["shown"] = time.time()
app.exec()
window.close_ledger()
"""

CHILD_BARE = CHILD_COMMON + r"""
phases = {"python_up": time.time()}
from PySide6.QtWidgets import QApplication, QMainWindow
phases["imported"] = time.time()
app = QApplication(["bare"])
phases["app"] = time.time()
watch = FirstPaint(app, phases)
window = QMainWindow()
window.installEventFilter(watch)
window.resize(1366, 768)
window.show()
phases["shown"] = time.time()
app.exec()
"""


def prepare_ledger(home: Path) -> Path:
    """An empty ledger with its administrator, made the way the first-start dialog makes them."""
    os.environ["FPLEDGER_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    from app.ledger import Ledger
    from ui.dialogs.first_start_dialog import create_administrator

    path = home / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="bench") as ledger:
        create_administrator(ledger, "admin", "基准测试", PASSWORD)
    return path


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"child failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    phases = json.loads(lines[-1][len("RESULT "):])
    return {name: (value - start) * 1000 for name, value in phases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="fpledger-bench-") as tmp:
        home = Path(tmp)
        path = prepare_ledger(home)
        env["FPLEDGER_HOME"] = str(home)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        run_child(CHILD_SHELL, [str(path), PASSWORD], env)  # warm-up: file cache, daily backup
        run_child(CHILD_BARE, [], env)
        shell, bare = [], []
        for _ in range(options.runs):
            shell.append(run_child(CHILD_SHELL, [str(path), PASSWORD], env))
            bare.append(run_child(CHILD_BARE, [], env))
    print(f"platform: {env['QT_QPA_PLATFORM']}, python {sys.version.split()[0]}, runs: {options.runs}")
    shell_total = [r["painted"] for r in shell]
    bare_total = [r["painted"] for r in bare]
    print(f"bare PySide6 QMainWindow : median {statistics.median(bare_total):7.1f} ms, "
          f"min {min(bare_total):7.1f} ms")
    print(f"FP Ledger main window    : median {statistics.median(shell_total):7.1f} ms, "
          f"min {min(shell_total):7.1f} ms")
    print(f"ratio (median shell / median bare): "
          f"{statistics.median(shell_total) / statistics.median(bare_total):.2f}")
    print("shell phases, median ms since spawn:")
    for name in shell[0]:
        print(f"  {name:10s} {statistics.median(r[name] for r in shell):7.1f}")


if __name__ == "__main__":
    main()
