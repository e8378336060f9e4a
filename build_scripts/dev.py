"""Developer bootstrap: `python build_scripts/dev.py run` or `... test`.

Both create `.venv` beside the project if it is missing, install the project into it
(editable, so `resources/` and `data/` are read from the source tree), compile the Qt
translations, then start the GUI or run the whole test suite with Qt offscreen.
Works on Windows and Linux with nothing but a Python 3.11+ on the PATH.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".fpledger-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _requirements_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("setup.cfg", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _installed_ok(extras: str) -> bool:
    """Installed from these setup files with (at least) these extras: `run` after `test` is free."""
    if not STAMP.exists():
        return False
    fingerprint, _, installed = STAMP.read_text().partition(":")
    return fingerprint == _requirements_fingerprint() and (not extras or extras in installed.split(","))


def ensure_venv(extras: str) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"创建虚拟环境 {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    if not _installed_ok(extras):
        print("安装依赖 …", flush=True)
        subprocess.check_call(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--upgrade", "pip"]
        )
        target = f".[{extras}]" if extras else "."
        subprocess.check_call(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target],
            cwd=ROOT,
        )
        STAMP.write_text(f"{_requirements_fingerprint()}:{extras}")
    compile_translations(python)
    return python


def compile_translations(python: Path) -> None:
    """Compile resources/i18n/*.ts to .qm with the lrelease shipped in PySide6."""
    subprocess.check_call(
        [str(python), "-c", "from ui.i18n import compile_all; compile_all()"], cwd=ROOT
    )


def run(args: list[str]) -> int:
    python = ensure_venv("")
    return subprocess.call([str(python), "-m", "ui.main", *args], cwd=ROOT)


def test(args: list[str]) -> int:
    python = ensure_venv("test")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
    code = subprocess.call([str(python), "-m", "ruff", "check", "."], cwd=ROOT, env=env)
    if code != 0:
        print("ruff 检查未通过", flush=True)
        return code
    code = subprocess.call([str(python), "-m", "mypy"], cwd=ROOT, env=env)  # files: pyproject.toml
    if code != 0:
        print("mypy 类型检查未通过", flush=True)
        return code
    return subprocess.call([str(python), "-m", "pytest", "-q", *args], cwd=ROOT, env=env)


def main() -> int:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("用法: python build_scripts/dev.py run|test [参数…]")
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
