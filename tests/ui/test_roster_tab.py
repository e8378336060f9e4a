"""The roster tab driven like a clerk: pick a round, scan an ID, save results, bulk 已查, print."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from app.accounts import STAFF, User
from tests.builders import measure, unit, woman
from ui import messages
from ui.roster_tab import RosterTab, suggested_codes

ROUND = "2026Q2"


@pytest.fixture(autouse=True)
def chinese(qapp):
    """Run in Chinese like the shipped program (ui.main installs the same translators)."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def town(ledger):
    unit(ledger, "430201", "仙庾镇", "乡镇")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430201002", "杏花社区", "社区", parent="430201")
    names = ["王丽芳", "李秀英", "张桂兰", "刘红梅", "陈小燕", "杨春花", "赵玉兰", "黄美玲"]
    for i, name in enumerate(names):
        wid = woman(ledger, name, "430201001" if i < 5 else "430201002", husband=f"{name[0]}建国",
                    residence="流出" if i == 3 else "常住", phone=f"1380731{i:04d}")
        measure(ledger, wid, ("宫内节育器", "避孕套", "皮下埋植", "未避孕")[i % 4], "2020-01-01")
    woman(ledger, "未婚女", "430201001", married=None)
    return ledger


@pytest.fixture
def tab(qtbot, town):
    widget = RosterTab(town, User(1, "clerk", "张专干", STAFF))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.load_round(ROUND)
    return widget


def id_of(ledger, name: str) -> str:
    return ledger.db.execute("select id_number from women where name = ?", [name]).fetchone()[0]


def test_suggested_rounds_are_this_and_last_quarter():
    assert suggested_codes(10, date(2026, 2, 10)) == ["2026Q2", "2026Q1", "2026H1"]


def test_due_list_masks_ids_for_staff_and_leaves_out_unmarried(tab, town):
    assert tab.model.rowCount() == 8
    shown = {tab.model.index(r, 1).data() for r in range(8)}
    assert all("**********" in s for s in shown)
    assert "未婚女" not in {tab.model.index(r, 0).data() for r in range(8)}


def test_scan_last_digits_then_save_checked_with_findings(qtbot, tab, town):
    digits = id_of(town, "李秀英")[-6:]
    qtbot.keyClicks(tab.find_edit, digits)
    qtbot.keyClick(tab.find_edit, Qt.Key.Key_Return)
    assert tab.panel.woman.name == "李秀英"
    tab.panel.check_date.setText("20260305")
    tab.panel.place.setText("镇卫生院")
    tab.panel.pregnancy.setCurrentText("已孕")
    tab.panel.weeks.setValue(8)
    qtbot.keyClick(tab.panel.check_date, Qt.Key.Key_Return)
    row = town.db.execute("select result, check_date, place, pregnancy, pregnancy_weeks from check_results").fetchone()
    assert row == ("已查", "2026-03-05", "镇卫生院", "已孕", 8)
    assert town.db.execute("select weeks, status from pregnancy_followups").fetchone() == (8, "跟踪中")
    assert tab.category_rates.rows[2][2] == "1"          # 药具 (李秀英 uses condoms): 1 checked
    assert tab.unit_rates.rows[-1][-1] == "12.50%"       # 1 of 8


def test_refused_entry_shows_the_core_message_and_writes_nothing(qtbot, tab, town):
    tab.select_woman(town.db.execute("select id from women where name = '王丽芳'").fetchone()[0])
    tab.panel.check_date.setText("2025-12-01")           # before the round starts
    qtbot.mouseClick(tab.panel.save, Qt.MouseButton.LeftButton)
    assert "早于本轮" in tab.panel.error.text()
    assert town.db.execute("select count(*) from check_results").fetchone()[0] == 0


def test_outflow_woman_defaults_to_certificate_and_counts(qtbot, tab, town):
    tab.find_edit.setText("刘红梅")              # QTest types ASCII only; a name is pasted
    qtbot.keyClick(tab.find_edit, Qt.Key.Key_Return)
    assert tab.panel.radios["寄回证明"].isChecked()
    tab.panel.certificate_date.setText("2026-04-02")
    qtbot.keyClick(tab.panel.certificate_date, Qt.Key.Key_Return)
    assert tab.unit_rates.rows[-1][3] == "1"


def test_bulk_checked_from_a_sign_in_sheet(qtbot, tab, town, monkeypatch):
    lines = [id_of(town, "王丽芳"), id_of(town, "张桂兰")[-4:], "陈小燕"]

    def drive(dialog):
        dialog.lines.setPlainText("\n".join(lines))
        dialog.date_edit.setText("2026-03-10")
        dialog.place_edit.setText("桃花村部")
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(tab, "exec_dialog", drive)
    tab.bulk_checked()
    assert town.db.execute("select count(*) from check_results where result = '已查' and place = '桃花村部'"
                           ).fetchone()[0] == 3
    assert "3" in tab.find_status.text()


def test_unit_tree_filters_the_list_and_worklist(qtbot, tab, town, screenshots_dir):
    village = tab.tree.topLevelItem(0).child(0).child(1)
    assert village.text(0) == "杏花社区" and village.text(1) == "3"
    tab.tree.setCurrentItem(village)
    assert tab.model.rowCount() == 3
    assert len(tab.worklist.rows) == 3
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    tab.pages.setCurrentIndex(0)
    tab.select_woman(town.db.execute("select id from women where name = '王丽芳'").fetchone()[0])
    tab.grab().save(str(screenshots_dir / "roster_tab_due.png"))
    tab.pages.setCurrentIndex(1)
    tab.grab().save(str(screenshots_dir / "roster_tab_rates.png"))
    tab.pages.setCurrentIndex(2)
    tab.grab().save(str(screenshots_dir / "roster_tab_worklist.png"))


def test_saving_runs_in_background_and_writes_one_pdf_per_village(qtbot, tab, tmp_path, monkeypatch):
    out = tmp_path / "print"
    out.mkdir()
    monkeypatch.setattr(tab, "ask_folder", lambda title: str(out))
    shown = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title=None: shown.append(text))
    tab.save_rosters()
    qtbot.waitUntil(lambda: tab._task is not None and tab._task.done, timeout=30_000)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".pdf", ".xlsx", ".xlsx"]
    pdf = next(out.glob("*桃花村*.pdf"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)


def test_every_button_has_a_chinese_label(tab):
    for button in tab.findChildren(QPushButton):
        assert button.text() and not button.text().isascii(), button.objectName()
    assert tab.findChild(QLineEdit, "findWoman").placeholderText()
