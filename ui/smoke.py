"""Frozen smoke test: `fpledger --smoke-test OUT.json` (also the windowed FPLedger).

Runs the real program end to end in a temporary folder and writes what it saw to OUT.json
(windowed builds have no stdout): Qt platform and translations; a new ledger with an
administrator; township demo data; the main window painted offscreen; one month's standard
forms exported with the embedded CJK font; the Excel read back with openpyxl; the PDF's font
checked as embedded; `quick_check`. `ok` is true only if every step passed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app import __version__
from app.atomic import write_atomic


def _step(report: dict, name: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        value = action()
        report["steps"][name] = {"ok": True, "seconds": round(time.perf_counter() - started, 2),
                                 "detail": value}
        return value
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then the next step runs
        report["steps"][name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                                 "trace": traceback.format_exc(limit=6)}
        return None


def run(out_path: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    report: dict[str, Any] = {"version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
                              "executable": sys.executable, "steps": {}}
    work = Path(tempfile.mkdtemp(prefix="fpledger-smoke-"))
    os.environ["FPLEDGER_HOME"] = str(work / "home")

    from ui.main import make_application

    app = _step(report, "qt_application", lambda: make_application([sys.argv[0]]))
    from ui.i18n import t

    _step(report, "translations", lambda: _expect(t("Statistical reports") == "统计报表", t("Statistical reports")))

    from app import accounts
    from app.ledger import Ledger

    ledger = _step(report, "create_ledger", lambda: Ledger.create(work / "冒烟测试台帐.db", "冒烟测试计生办", 10))
    if ledger is None:
        return _finish(report, out_path, started)
    try:
        def make_admin() -> str:
            accounts.add_account(ledger, "admin", "管理员", accounts.ADMIN, "smoke-test-1")
            return accounts.sign_in(ledger, "admin", "smoke-test-1").username

        _step(report, "administrator", make_admin)

        def demo() -> dict:
            from app.demo import generate

            counts = generate(ledger, "township", seed=1)
            return {"women": counts["women"], "children": counts["children"]}

        _step(report, "demo_township", demo)

        def window() -> dict:
            from ui.main import show_main_window

            shown = show_main_window(ledger)
            app.processEvents()
            image = shown.grab()
            path = work / "main_window.png"
            image.save(str(path))
            tabs = shown.findChild(object, "mainTabs")
            count = tabs.count() if tabs is not None else 0
            shown.hide()
            return {"tabs": count, "screenshot": str(path), "width": image.width()}

        _step(report, "main_window", window)

        def export() -> dict:
            from app.exchange import period_package

            today = date.today()
            month = f"{today.year}-{today.month:02d}"
            manifest = period_package.write(ledger, period_package.prepare(ledger, month), work / "U盘")
            return {"period": month, "files": [f["name"] for f in manifest["files"]]}

        exported = _step(report, "export_month", export)

        def read_back() -> dict:
            import openpyxl

            found: dict[str, Any] = {}
            for path in sorted((work / "U盘").glob("*.xlsx")):
                book = openpyxl.load_workbook(path, read_only=True)
                found[path.name] = {"sheets": book.sheetnames,
                                    "cells": sum(1 for ws in book for row in ws.iter_rows(values_only=True)
                                                 for v in row if v is not None)}
                book.close()
            for path in sorted((work / "U盘").glob("*.pdf")):
                raw = path.read_bytes()
                found[path.name] = {"bytes": len(raw), "embedded_truetype": b"/FontFile2" in raw}
                _expect(b"/FontFile2" in raw, f"{path.name}: 字体未嵌入")
            _expect(any(name.endswith(".xlsx") for name in found), "没有导出 Excel")
            return found

        if exported is not None:
            _step(report, "read_exports", read_back)
        _step(report, "quick_check", lambda: _expect(ledger.quick_check() == "ok", ledger.quick_check()))
    finally:
        ledger.close()
    return _finish(report, out_path, started)


def _expect(condition: bool, detail: Any) -> Any:
    if not condition:
        raise AssertionError(detail)
    return detail


def _finish(report: dict, out_path: Path, started: float) -> dict:
    report["ok"] = bool(report["steps"]) and all(step["ok"] for step in report["steps"].values())
    report["seconds"] = round(time.perf_counter() - started, 2)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out_path, json.dumps(report, ensure_ascii=False, indent=1, default=str))
    return report


def startup_only() -> int:
    """Start as a clerk would on an empty ledger: main window painted, then exit at once.

    build.py times this process from outside (spawn → exit), frozen and unfrozen alike.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="fpledger-start-"))
    os.environ["FPLEDGER_HOME"] = str(work)
    from app import accounts
    from app.ledger import Ledger
    from ui.main import make_application, show_main_window

    app = make_application([sys.argv[0]])
    ledger = Ledger.create(work / "ledger.db", "计生办", 10)
    accounts.add_account(ledger, "admin", "管理员", accounts.ADMIN, "startup-1")
    accounts.sign_in(ledger, "admin", "startup-1")
    window = show_main_window(ledger)
    app.processEvents()
    window.grab()
    window.close_ledger()
    return 0


def main(argv: list[str]) -> int:
    """argv contains `--smoke-test OUT.json`, or `--startup-only` (see startup_only)."""
    if "--startup-only" in argv:
        return startup_only()
    index = argv.index("--smoke-test")
    out = Path(argv[index + 1]) if index + 1 < len(argv) else Path("smoke-test.json")
    return 0 if run(out)["ok"] else 1
