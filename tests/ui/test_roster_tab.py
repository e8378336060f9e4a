"""The roster tab driven like a clerk: pick a round, scan an ID, save results, bulk 已查, print.

The round's due list, results and figures are computed on a worker thread (app.roster.view);
`settled` waits for the tab to have shown them.
"""

from __future__ import annotations

import subprocess
import threading
import weakref
from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from app.accounts import SECTION_HEAD, STAFF, User
from app.idcard import mask_id, mask_phone
from app.roster import due
from app.roster import view as roster_view
from tests.builders import measure, unit, woman
from ui import messages, table_habits
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


def settled(qtbot, tab: RosterTab) -> RosterTab:
    """Wait until no view or unit is being computed and the result is on screen."""
    qtbot.waitUntil(lambda: not tab.busy and tab.scope is not None and tab.loading.isHidden(), timeout=30_000)
    return tab


def open_tab(qtbot, ledger, user: User) -> RosterTab:
    ledger.user = user                      # as after signing in: the core checks the same user
    widget = RosterTab(ledger, user)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    settled(qtbot, widget)
    widget.load_round(ROUND)
    return settled(qtbot, widget)


@pytest.fixture
def tab(qtbot, town):
    widget = open_tab(qtbot, town, User(1, "clerk", "张专干", STAFF))
    yield widget
    qtbot.waitUntil(lambda: not widget.busy and (widget._task is None or widget._task.done), timeout=30_000)


@pytest.fixture
def head_tab(qtbot, town):
    """A section head: may view full numbers, through the audited reveal only."""
    widget = open_tab(qtbot, town, User(2, "head", "李股长", SECTION_HEAD))
    yield widget
    qtbot.waitUntil(lambda: not widget.busy, timeout=30_000)


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
    assert tab.model.kind_of(tab.panel.woman.woman_id) == "已查"   # the row shows it at once
    settled(qtbot, tab)
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
    settled(qtbot, tab)
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
    qtbot.waitUntil(lambda: tab._task.done, timeout=30_000)
    settled(qtbot, tab)
    assert tab.unit_rates.rows[-1][2] == "3"
    assert town.db.execute("select count(*) from check_results where result = '已查' and place = '桃花村部'"
                           ).fetchone()[0] == 3
    assert "3" in tab.find_status.text()


def test_unit_tree_filters_the_list_and_worklist(qtbot, tab, town, screenshots_dir):
    village = tab.tree.topLevelItem(0).child(0).child(1)
    assert village.text(0) == "杏花社区" and village.text(1) == "3"
    tab.tree.setCurrentItem(village)
    settled(qtbot, tab)
    assert tab.model.rowCount() == 3
    assert len(tab.worklist.rows) == 3
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    settled(qtbot, tab)
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


# ---- the round computed off the GUI thread (issue 13 item 5) ------------------------------------

def counting(monkeypatch, module, name: str) -> list[tuple]:
    """Record every call of module.name (still calling the real one)."""
    calls: list[tuple] = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append((threading.current_thread(), kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def woman_id(ledger, name: str) -> int:
    return ledger.db.execute("select id from women where name = ?", [name]).fetchone()[0]


def phone_of(ledger, name: str) -> str:
    return ledger.db.execute("select phone from women where name = ?", [name]).fetchone()[0]


def reveals(ledger, wid: int) -> int:
    return ledger.db.execute("select count(*) from audit_log where action = '查看完整证件号码' and object_id = ?",
                             [str(wid)]).fetchone()[0]


def test_the_round_is_computed_on_a_worker_while_the_tab_shows_a_progress_bar(qtbot, town, monkeypatch):
    gate = threading.Event()
    real = roster_view.roster_view
    threads = []

    def held(*args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(roster_view, "roster_view", held)
    town.user = User(1, "clerk", "张专干", STAFF)
    widget = RosterTab(town, town.user)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.wait(30)                               # the event loop runs while the round is computed
    assert widget.busy and widget.loading.isVisible() and not widget.splitter.isEnabled()
    assert widget.loading_label.text() and widget.model.rowCount() == 0
    gate.set()
    settled(qtbot, widget)
    assert threads and all(thread is not threading.main_thread() for thread in threads)
    assert widget.model.rowCount() == 8 and widget.splitter.isEnabled()
    assert widget.tree.topLevelItem(0).text(1) == "8"


def test_cancel_stops_the_computation_and_leaves_nothing_half_shown(qtbot, town, monkeypatch):
    gate = threading.Event()
    real = due.due_list

    def slow(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(due, "due_list", slow)
    town.user = User(1, "clerk", "张专干", STAFF)
    widget = RosterTab(town, town.user)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loading_cancel.isVisible())
    qtbot.mouseClick(widget.loading_cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not widget.busy, timeout=30_000)
    assert "已取消" in widget.find_status.text()
    assert widget.model.rowCount() == 0 and widget.view is None and not widget.splitter.isEnabled()
    widget.load_round(ROUND)                     # choosing the round again computes it
    settled(qtbot, widget)
    assert widget.model.rowCount() == 8


def test_ids_and_phones_are_masked_in_list_panel_and_worklists_even_for_a_head(head_tab, town):
    tab = head_tab
    for r in range(tab.model.rowCount()):
        name = tab.model.index(r, 0).data()
        assert tab.model.index(r, 1).data() == mask_id(id_of(town, name))
        assert tab.model.index(r, 6).data() == mask_phone(phone_of(town, name))
    assert len(tab.worklist.rows) == 8
    for r in range(len(tab.worklist.rows)):
        name = tab.worklist.cell(r, "name")
        assert tab.worklist.cell(r, "id") == mask_id(id_of(town, name))
        assert tab.worklist.cell(r, "phone") == "138****" + phone_of(town, name)[-4:]
    assert [tab.overdue.cell(0, "name"), tab.overdue.cell(0, "phone")] == ["刘红梅", mask_phone(phone_of(town, "刘红梅"))]
    tab.select_woman(woman_id(town, "王丽芳"))
    assert id_of(town, "王丽芳") not in tab.panel.who.text()
    assert mask_id(id_of(town, "王丽芳")) in tab.panel.who.text()


def test_show_full_numbers_is_the_audited_reveal_of_the_selected_woman(qtbot, head_tab, town):
    tab = head_tab
    wang, liu = woman_id(town, "王丽芳"), woman_id(town, "刘红梅")
    tab.select_woman(wang)
    qtbot.mouseClick(tab.revealNumbers_button, Qt.MouseButton.LeftButton)
    row = tab.model.row_of(wang)
    assert tab.model.index(row, 1).data() == id_of(town, "王丽芳")
    assert tab.model.index(row, 6).data() == phone_of(town, "王丽芳")
    assert id_of(town, "王丽芳") in tab.panel.who.text()
    assert reveals(town, wang) == 1
    other = tab.model.row_of(liu)
    assert tab.model.index(other, 6).data() == mask_phone(phone_of(town, "刘红梅"))
    # on the overdue-certificate worklist, through the list's context-menu action
    tab.pages.setCurrentIndex(3)
    tab.overdue_view.setCurrentIndex(tab.overdue.index(0, 0))
    [action] = [a for a in table_habits.habits_of(tab.overdue_view).extra_actions if a.objectName() == "revealAction"]
    assert action.text() == "显示完整号码"
    action.trigger()
    assert tab.overdue.cell(0, "phone") == phone_of(town, "刘红梅")
    assert reveals(town, liu) == 1
    tab.load_round(ROUND)                        # a new load forgets what was revealed
    settled(qtbot, tab)
    assert tab.model.index(tab.model.row_of(wang), 1).data() == mask_id(id_of(town, "王丽芳"))


def test_staff_may_not_reveal_and_nothing_is_logged(qtbot, tab, town, monkeypatch):
    assert not tab.revealNumbers_button.isEnabled()
    errors = []
    monkeypatch.setattr(messages, "error", lambda parent, text, title=None: errors.append(text))
    wang = woman_id(town, "王丽芳")
    tab.select_woman(wang)
    tab.reveal_selected()
    assert errors and "无权" in errors[0]
    assert reveals(town, wang) == 0
    assert tab.model.index(tab.model.row_of(wang), 1).data() == mask_id(id_of(town, "王丽芳"))


def test_a_unit_change_filters_the_loaded_round_without_computing_it_again(qtbot, tab, monkeypatch):
    due_calls = counting(monkeypatch, due, "due_list")
    views = counting(monkeypatch, roster_view, "roster_view")
    scopes = counting(monkeypatch, roster_view, "scope_of")
    village = tab.tree.topLevelItem(0).child(0).child(0)
    assert village.text(0) == "桃花村"
    rect = tab.tree.visualItemRect(village)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settled(qtbot, tab)
    assert tab.model.rowCount() == 5 and len(tab.worklist.rows) == 5
    assert tab.unit_rates.rows[-1][:2] == ["合计", "5"]
    assert due_calls == [] and views == []
    assert len(scopes) == 1 and scopes[0][0] is not threading.main_thread()


def test_saving_a_result_updates_tree_rates_and_worklist_reusing_the_due_list(qtbot, tab, town, monkeypatch):
    due_calls = counting(monkeypatch, due, "due_list")
    views = counting(monkeypatch, roster_view, "roster_view")
    tab.select_woman(woman_id(town, "王丽芳"))
    tab.panel.check_date.setText("20260305")
    qtbot.mouseClick(tab.panel.save, Qt.MouseButton.LeftButton)
    settled(qtbot, tab)
    assert due_calls == [] and len(views) == 1 and views[0][1]["women"] is not None
    top = tab.tree.topLevelItem(0)
    assert (top.text(1), top.text(2)) == ("8", "12.50%")
    assert top.child(0).child(0).text(2) == "20.00%"        # 桃花村: 1 of 5
    assert len(tab.worklist.rows) == 7 and tab.unit_rates.rows[-1][-1] == "12.50%"


def test_typing_the_next_result_while_the_figures_update_is_kept(qtbot, tab, town, monkeypatch):
    gate = threading.Event()
    real = roster_view.roster_view

    def held(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(roster_view, "roster_view", held)
    tab.select_woman(woman_id(town, "王丽芳"))
    tab.panel.check_date.setText("20260305")
    qtbot.keyClick(tab.panel.check_date, Qt.Key.Key_Return)
    assert tab.busy and tab.splitter.isEnabled()          # the list stays usable meanwhile
    tab.find_edit.setText("李秀英")
    qtbot.keyClick(tab.find_edit, Qt.Key.Key_Return)
    tab.panel.check_date.setText("20260306")
    gate.set()
    settled(qtbot, tab)
    assert tab.panel.woman.name == "李秀英" and tab.panel.check_date.text() == "20260306"
    assert tab.unit_rates.rows[-1][2] == "1"


def test_a_replaced_round_view_is_freed(qtbot, tab):
    """The worker freezes what it built out of the collector's reach (ui.roster_tab
    `_collector_paused`): nothing may keep an old view in a reference cycle, or it would stay."""
    old = weakref.ref(tab.view)
    scope = weakref.ref(tab.scope)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0).child(0).child(0))
    settled(qtbot, tab)
    tab.load_round(ROUND)
    settled(qtbot, tab)
    qtbot.wait(10)
    assert old() is None and scope() is None


def test_bulk_checked_of_selected_rows_names_them_with_masked_ids(qtbot, head_tab, town, monkeypatch):
    tab = head_tab
    wang, li = woman_id(town, "王丽芳"), woman_id(town, "李秀英")
    tab.table.selectRow(tab.model.row_of(wang))
    tab.table.selectionModel().select(tab.model.index(tab.model.row_of(li), 0),
                                      QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    seen = {}

    def drive(dialog):
        seen["text"] = dialog.selected.text() + dialog.lines.toPlainText()
        dialog.date_edit.setText("2026-03-10")
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(tab, "exec_dialog", drive)
    tab.bulk_checked()
    qtbot.waitUntil(lambda: tab._task.done, timeout=30_000)
    settled(qtbot, tab)
    for name in ("王丽芳", "李秀英"):
        assert id_of(town, name) not in seen["text"] and mask_id(id_of(town, name)) in seen["text"]
    assert sorted(r[0] for r in town.db.execute("select woman_id from check_results").fetchall()) == sorted([wang, li])


def test_summary_form_is_exported_from_the_figures_on_screen(qtbot, tab, town, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    village = tab.tree.topLevelItem(0).child(0).child(1)          # 杏花社区: 3 due
    tab.tree.setCurrentItem(village)
    settled(qtbot, tab)
    due_calls = counting(monkeypatch, due, "due_list")
    monkeypatch.setattr(tab, "ask_folder", lambda title: str(tmp_path))
    monkeypatch.setattr(messages, "info", lambda parent, text, title=None: None)
    qtbot.mouseClick(tab.exportSummary_button, Qt.MouseButton.LeftButton)
    assert due_calls == []
    sheet = load_workbook(tmp_path / f"{ROUND}_查环查孕情况统计表.xlsx").active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "杏花社区" in "".join(str(c) for c in cells) and 3 in cells
