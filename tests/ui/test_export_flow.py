"""导出到U盘 as a clerk does it at month end, with the real message boxes: export, export again,
cancel one half-way, try a stick that fills up, export once more — the window never crashes and
each export ends in exactly one message."""

from __future__ import annotations

import errno
import json
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from app.exchange import export_package
from app.exchange.export_package import MANIFEST
from tests.halfyear_ledger import build
from tests.ui.shell_helpers import admin_ledger, chinese  # noqa: F401 - fixtures
from ui.reports_tab import ReportsTab


class Boxes:
    """Accepts every message box as it appears and keeps its text."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._accept)
        self.timer.start(20)

    def _accept(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.texts.append(widget.text())
                widget.accept()


@pytest.fixture
def tab(qtbot, chinese, admin_ledger, monkeypatch):  # noqa: F811
    monkeypatch.setattr("ui.tasks.PROGRESS_SHOW_AFTER_MS", 0)   # the dialog shows at once
    build(admin_ledger)
    tab = ReportsTab(admin_ledger, admin_ledger.user, None)
    tab.resize(1366, 768)
    tab.show()
    tab.period_edit.setText("2026H1")
    tab.refresh()
    qtbot.waitUntil(lambda: tab.task.done and tab.computed_for == ("2026H1", None), timeout=30_000)
    yield tab
    tasks = [t for t in [*tab.running, tab.export_task] if t is not None]
    qtbot.waitUntil(lambda: all(t.done for t in tasks), timeout=60_000)
    tab.close()
    tab.deleteLater()


def _export(qtbot, tab, boxes: Boxes, folder, monkeypatch) -> str:
    monkeypatch.setattr(tab, "choose_folder", lambda: str(folder))
    before = len(boxes.texts)
    tab.export_button.click()
    qtbot.waitUntil(lambda: len(boxes.texts) == before + 1, timeout=60_000)
    qtbot.waitUntil(lambda: tab.export_task.done, timeout=10_000)
    return boxes.texts[-1]


def test_export_three_times_cancel_one_and_fill_a_stick(qtbot, tab, tmp_path, monkeypatch):
    boxes = Boxes()
    assert "可以安全拔出U盘" in _export(qtbot, tab, boxes, tmp_path / "U1", monkeypatch)
    assert "可以安全拔出U盘" in _export(qtbot, tab, boxes, tmp_path / "U2", monkeypatch)

    # a slow stick: press 取消 on the progress dialog half-way
    write = export_package._write_chunk

    def slow(stream, block):
        time.sleep(0.1)
        write(stream, block)

    monkeypatch.setattr(export_package, "_write_chunk", slow)

    pressed = []

    def press_cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible() and not pressed:
                pressed.append(widget.labelText())
                widget.findChild(QPushButton).click()     # 取消, as the clerk presses it

    canceller = QTimer()
    canceller.timeout.connect(press_cancel)
    canceller.start(20)
    assert "取消" in _export(qtbot, tab, boxes, tmp_path / "U3", monkeypatch)
    canceller.stop()
    assert pressed
    assert not (tmp_path / "U3" / MANIFEST).exists()

    # a stick that fills up
    def full(stream, block):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_package, "_write_chunk", full)
    assert "空间不足" in _export(qtbot, tab, boxes, tmp_path / "U4", monkeypatch)
    assert not (tmp_path / "U4" / MANIFEST).exists()

    monkeypatch.setattr(export_package, "_write_chunk", write)
    assert "可以安全拔出U盘" in _export(qtbot, tab, boxes, tmp_path / "U5", monkeypatch)
    boxes.timer.stop()
    manifest = json.loads((tmp_path / "U5" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["period"] == "2026H1"
