"""Qt translation plumbing: English source strings, Chinese (zh_CN) shipped and loaded by default.

Rules:
- UI code writes `t("English text")` (context "fpledger") for every user-visible string.
- Translations live in `resources/i18n/*_zh_CN.ts` (one file per UI area, Qt Linguist format)
  and are compiled to `.qm` with the `lrelease` shipped in PySide6 (`compile_all`).
- `install_translators` loads Qt's own `qtbase_zh_CN` (确定/取消) and every compiled `.qm`.
- `python -m ui.i18n missing` lists `t()` strings that have no Chinese translation yet; a test
  fails on any.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app.paths import resources_dir

CONTEXT = "fpledger"
UI_ROOT = Path(__file__).resolve().parent


def t(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(CONTEXT, text)


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def _lrelease() -> list[str]:
    import PySide6

    folder = Path(PySide6.__file__).parent
    for candidate in (folder / "lrelease", folder / "lrelease.exe"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("pyside6-lrelease")
    if found:
        return [found]
    raise RuntimeError("找不到 lrelease（PySide6 安装不完整）")


def compile_all() -> list[Path]:
    """Compile every .ts whose .qm is missing or older; returns the .qm files."""
    out = []
    for ts in sorted(i18n_dir().glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([*_lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def install_translators(app) -> list:
    """Load qtbase_zh_CN and our translations into `app`; keep the returned list alive."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translators = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    base = QTranslator(app)
    if base.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
        app.installTranslator(base)
        translators.append(base)
    for qm in sorted(i18n_dir().glob("*.qm")):
        ours = QTranslator(app)
        if ours.load(str(qm)):
            app.installTranslator(ours)
            translators.append(ours)
    return translators


def source_strings() -> dict[str, list[str]]:
    """Every literal passed to t(...) under ui/, mapped to where it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted(UI_ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(f"{path.name}:{node.lineno}")
    return found


def translations() -> dict[str, str]:
    """source -> Chinese translation from every .ts file (unfinished ones excluded)."""
    out: dict[str, str] = {}
    for ts in sorted(i18n_dir().glob("*.ts")):
        root = ET.parse(ts).getroot()
        for context in root.iter("context"):
            if (context.findtext("name") or "") != CONTEXT:
                continue
            for message in context.iter("message"):
                source = message.findtext("source")
                node = message.find("translation")
                if source is None or node is None or node.get("type") in {"unfinished", "obsolete", "vanished"}:
                    continue
                if node.text:
                    out[source] = node.text
    return out


def missing() -> dict[str, list[str]]:
    done = translations()
    return {s: where for s, where in source_strings().items() if s not in done}


if __name__ == "__main__":
    if sys.argv[1:] == ["missing"]:
        for source, where in missing().items():
            print(f"{source!r}  ({', '.join(where)})")
    else:
        for qm in compile_all():
            print(qm)
