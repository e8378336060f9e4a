"""Build the Windows/Linux one-folder package: `python build_scripts/build.py`.

Steps: a clean build venv with pinned tool versions → the test suite (skip with --skip-tests)
→ PyInstaller with build_scripts/fpledger.spec into dist/FPLedger/ → the frozen smoke test,
also from a copy in a folder whose path has Chinese characters → a zip named with the version.
Prints the folder's size and the frozen vs unfrozen start-up times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_VENV = ROOT / "build" / "venv"
DIST = ROOT / "dist" / "FPLedger"
# Versions that work together (PySide6 hooks live in pyinstaller-hooks-contrib).
PINS = ["PySide6-Essentials==6.11.3", "pyinstaller==6.22.3", "pyinstaller-hooks-contrib==2026.9"]
WINDOWS = os.name == "nt"


def _python(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts/python.exe" if WINDOWS else "bin/python")


def _run(cmd: list, **kw) -> None:
    print("»", " ".join(str(c) for c in cmd), flush=True)
    subprocess.check_call([str(c) for c in cmd], **kw)


def build_venv() -> Path:
    python = _python(BUILD_VENV)
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(BUILD_VENV)
    _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *PINS])
    _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)])
    return python


def version() -> str:
    namespace: dict = {}
    exec((ROOT / "app" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def cli_executable(folder: Path) -> Path:
    return folder / ("fpledger-cli.exe" if WINDOWS else "fpledger")


def smoke(folder: Path, label: str) -> dict:
    out = Path(tempfile.mkdtemp()) / "smoke.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    subprocess.run([cli_executable(folder), "--smoke-test", str(out)], env=env, timeout=600, check=False)
    elapsed = time.perf_counter() - started
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"ok": False, "error": "no result file"}
    print(f"冒烟测试（{label}）：{'通过' if result.get('ok') else '失败'}，{elapsed:.1f} 秒", flush=True)
    if not result.get("ok"):
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def startup_seconds(cmd: list, runs: int = 3) -> float:
    """Median wall time from spawn to exit of a command that starts and stops at once."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(c) for c in cmd], capture_output=True, timeout=120, check=False, env=env, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description="打包计生台帐（PyInstaller 单文件夹）")
    parser.add_argument("--skip-tests", action="store_true")
    args = parser.parse_args()
    if not args.skip_tests:
        _run([sys.executable, ROOT / "build_scripts" / "dev.py", "test"])
    python = build_venv()
    _run([python, "-c", "from ui.i18n import compile_all; compile_all()"], cwd=ROOT)
    _run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", ROOT / "dist",
          "--workpath", ROOT / "build" / "pyinstaller", ROOT / "build_scripts" / "fpledger.spec"])
    results = [smoke(DIST, "dist/FPLedger")]
    chinese = Path(tempfile.mkdtemp()) / "计生台帐 测试" / "FPLedger"
    shutil.copytree(DIST, chinese)
    results.append(smoke(chinese, str(chinese)))
    archive = shutil.make_archive(str(ROOT / "dist" / f"FPLedger-{version()}-{sys.platform}"), "zip",
                                  DIST.parent, DIST.name)
    frozen = startup_seconds([str(cli_executable(DIST)), "--version"])
    unfrozen = startup_seconds([python, "-m", "app", "--version"])
    gui_name = "FPLedger.exe" if WINDOWS else "FPLedger"
    frozen_gui = startup_seconds([str(DIST / gui_name), "--startup-only"])
    unfrozen_gui = startup_seconds([python, ROOT / "build_scripts" / "entry_gui.py", "--startup-only"])
    print(f"文件夹大小：{folder_size(DIST) / 1e6:.0f} MB；压缩包：{archive}")
    print(f"命令行启动（--version，中位数）：打包后 {frozen:.2f} 秒，未打包 {unfrozen:.2f} 秒，比值 {frozen / unfrozen:.2f}")
    print(f"图形界面启动到主窗口画出（空台帐，中位数）：打包后 {frozen_gui:.2f} 秒，未打包 {unfrozen_gui:.2f} 秒，"
          f"比值 {frozen_gui / unfrozen_gui:.2f}")
    return 0 if all(r.get("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
