"""The registry tab driven through its widgets: search, unit filter, the card and its sections."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app import registry
from app.accounts import SECTION_HEAD, STAFF, User
from tests import builders as b
from ui import messages
from ui.dialogs.card_editor import CardEditor
from ui.registry_tab import RegistryTab

CLERK = User(1, "zhang", "张干事", SECTION_HEAD)


def card(ledger, name, unit, born, husband=None, married="2012-05-01", **extra) -> int:
    fields = {"name": name, "id_number": b.make_id(born), "unit_code": unit, "hukou_type": "农业",
              "residence": "常住", "marital_status": "初婚" if married else "未婚",
              "first_marriage_date": married, "husband_name": husband} | extra
    woman_id = registry.save_woman(ledger, fields).id
    if married:
        registry.add_measure(ledger, woman_id, "避孕套", "2013-01-01")
    return woman_id


@pytest.fixture(autouse=True)
def chinese(qapp):
    """Run in Chinese like the shipped program (ui.main installs the same translators)."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def office(ledger):
    ledger.user = CLERK
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    b.unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    b.unit(ledger, "430202001002", "杏花村", "村", parent="430202001")
    people = {
        "王芳": card(ledger, "王芳", "430202001001", "1988-02-03", husband="李强"),
        "王丽芳": card(ledger, "王丽芳", "430202001002", "1990-07-08", husband="陈建国"),
        "李秀英": card(ledger, "李秀英", "430202001002", "2001-01-01", married=None),
        "张敏": card(ledger, "张敏", "430202001001", "1979-11-30", husband="王刚"),
    }
    return ledger, people


@pytest.fixture
def tab(qtbot, office):
    ledger, _ = office
    widget = RegistryTab(ledger, CLERK)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def listed(tab) -> list[str]:
    return [tab.model.rows[r]["name"] for r in range(tab.model.rowCount())]


def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk: ASCII as key presses, Chinese as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_search(qtbot, tab, text: str) -> None:
    tab.search_box.clear()
    type_text(qtbot, tab.search_box, text)


def on_modal(qtbot, handle) -> list:
    """Run `handle(dialog)` on the next modal dialog (opened by exec()); returns the seen dialogs."""
    seen: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, poll)
    return seen


def test_search_as_you_type_finds_a_two_character_name_and_an_id_suffix(qtbot, tab, office):
    ledger, people = office
    assert sorted(listed(tab)) == sorted(people)
    type_search(qtbot, tab, "王芳")
    qtbot.waitUntil(lambda: listed(tab) == ["王芳"])
    type_search(qtbot, tab, "王")   # 张敏's husband is 王刚
    qtbot.waitUntil(lambda: sorted(listed(tab)) == sorted(["王芳", "王丽芳", "张敏"]))
    suffix = ledger.db.execute("select substr(id_number, -4) from women where id = ?",
                               [people["王丽芳"]]).fetchone()[0]
    type_search(qtbot, tab, suffix)
    qtbot.waitUntil(lambda: listed(tab) == ["王丽芳"])
    type_search(qtbot, tab, "lxy")
    qtbot.waitUntil(lambda: listed(tab) == ["李秀英"])
    assert "1" in tab.status.text()


def test_id_numbers_and_phones_are_masked_in_the_list(qtbot, tab, office):
    ledger, people = office
    type_search(qtbot, tab, "王芳")
    qtbot.waitUntil(lambda: listed(tab) == ["王芳"])
    full = ledger.db.execute("select id_number from women where id = ?", [people["王芳"]]).fetchone()[0]
    shown = tab.model.index(0, 1).data()
    assert shown == full[:4] + "*" * 10 + full[-4:]


def test_revealing_a_card_is_audited(qtbot, tab, office):
    ledger, people = office
    type_search(qtbot, tab, "王芳")
    qtbot.waitUntil(lambda: listed(tab) == ["王芳"])
    tab.table.selectRow(0)
    tab.reveal_action.trigger()
    full = ledger.db.execute("select id_number from women where id = ?", [people["王芳"]]).fetchone()[0]
    assert tab.model.index(0, 1).data() == full
    assert ledger.db.execute("select count(*) from audit_log where action = '查看完整证件号码' and object_id = ?",
                             [str(people["王芳"])]).fetchone()[0] == 1


def test_staff_cannot_reveal_numbers(qtbot, office):
    ledger, _ = office
    widget = RegistryTab(ledger, User(2, "li", "李干事", STAFF))
    qtbot.addWidget(widget)
    assert not widget.reveal_action.isEnabled()


def test_unit_tree_filters_by_subtree(qtbot, tab):
    def pick(name: str) -> None:
        item = tab.unit_tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
        rect = tab.unit_tree.visualItemRect(item)
        qtbot.mouseClick(tab.unit_tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    pick("杏花村")
    qtbot.waitUntil(lambda: sorted(listed(tab)) == sorted(["王丽芳", "李秀英"]))
    pick("仙庾镇")
    qtbot.waitUntil(lambda: len(listed(tab)) == 4)
    type_text(qtbot, tab.unit_filter, "桃花")
    assert not tab.unit_tree.findItems("桃花村", Qt.MatchFlag.MatchRecursive)[0].isHidden()
    assert tab.unit_tree.findItems("杏花村", Qt.MatchFlag.MatchRecursive)[0].isHidden()


def test_filters_and_sorting_run_in_sql(qtbot, tab):
    tab.marital_combo.setCurrentIndex(tab.marital_combo.findText("未婚"))
    qtbot.waitUntil(lambda: listed(tab) == ["李秀英"])
    tab.marital_combo.setCurrentIndex(0)
    tab.age_min.setValue(40)
    qtbot.waitUntil(lambda: listed(tab) == ["张敏"])
    tab.age_min.setValue(0)
    qtbot.waitUntil(lambda: len(listed(tab)) == 4)
    tab.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)   # date of birth, oldest first
    assert listed(tab) == ["张敏", "王芳", "王丽芳", "李秀英"]


def test_enter_on_a_row_opens_the_card(qtbot, tab):
    type_search(qtbot, tab, "王丽芳")
    qtbot.waitUntil(lambda: listed(tab) == ["王丽芳"])
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)
    assert tab.table.hasFocus()
    names = []
    seen = on_modal(qtbot, lambda d: (names.append(d.name.text()), d.reject()))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert isinstance(seen[0], CardEditor) and names == ["王丽芳"]


def test_new_card_from_the_keyboard_fills_birth_date_from_the_id(qtbot, tab, office, monkeypatch):
    ledger, _ = office
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    editor = tab.editor_for(None)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.name)
    new_id = b.make_id("1995-04-06")
    type_text(qtbot, editor.name, "赵小红")
    qtbot.keyClick(editor.name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.id_number
    qtbot.keyClicks(editor.id_number, new_id)
    qtbot.keyClick(editor.id_number, Qt.Key.Key_Tab)
    assert editor.birth_date.text() == "1995-04-06"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)        # birth date (already filled)
    type_text(qtbot, QApplication.focusWidget(), "桃花")               # unit picker with search
    assert editor.unit.unit_id() == ledger.db.execute(
        "select id from units where code = '430202001001'").fetchone()[0]
    editor.marital.setCurrentText("未婚")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    row = ledger.db.execute("select name, birth_date, name_initials from women where id_number = ?",
                            [new_id]).fetchone()
    assert row == ("赵小红", "1995-04-06", "zxh")
    assert editor.tabs.isTabEnabled(2)   # children can be added now


def test_date_fields_accept_compact_and_dotted_dates(qtbot):
    from ui.widgets.date_edit import DateLineEdit

    edit = DateLineEdit()
    qtbot.addWidget(edit)
    for typed in ("20260315", "2026.3.15", "2026-03-15", "2026/3/15"):
        edit.setText(typed)
        edit.normalise()
        assert edit.text() == "2026-03-15" and edit.iso() == "2026-03-15"
    edit.setText("2026.2.30")
    edit.normalise()
    assert edit.iso() is None and not edit.is_valid() and edit.toolTip()


def test_an_error_blocks_the_save_with_its_reason(qtbot, tab, office, monkeypatch):
    ledger, people = office
    errors = []
    monkeypatch.setattr(messages, "error", lambda parent, text, title=None: errors.append(text))
    editor = tab.editor_for(people["王芳"])
    qtbot.addWidget(editor)
    editor.id_number.setText(ledger.db.execute("select id_number from women where id = ?",
                                               [people["张敏"]]).fetchone()[0])
    assert editor.save() is False
    assert "已登记" in errors[0]


def test_warnings_are_shown_before_saving_and_can_be_declined(qtbot, tab, office, monkeypatch):
    ledger, people = office
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or False)
    editor = tab.editor_for(people["李秀英"])
    qtbot.addWidget(editor)
    editor.marital.setCurrentText("初婚")
    editor.first_marriage.setText("20240101")    # married now, but no contraception row: a warning
    assert editor.save() is False
    assert asked and "仍然保存" in asked[0]
    assert ledger.db.execute("select marital_status from women where id = ?",
                             [people["李秀英"]]).fetchone()[0] == "未婚"
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    assert editor.save() is True
    assert ledger.db.execute("select marital_status from women where id = ?",
                             [people["李秀英"]]).fetchone()[0] == "初婚"


def test_undo_restores_the_values_the_last_save_replaced(qtbot, tab, office, monkeypatch):
    ledger, people = office
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    editor = tab.editor_for(people["王芳"])
    qtbot.addWidget(editor)
    editor.address.setText("桃花村三组")
    editor.husband_name.setText("李刚")
    assert editor.save()
    assert editor.undo_button.isEnabled()
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert ledger.db.execute("select address, husband_name from women where id = ?",
                             [people["王芳"]]).fetchone() == (None, "李强")
    assert editor.husband_name.text() == "李强"


def test_add_a_child_and_record_a_procedure_from_the_card(qtbot, tab, office, monkeypatch):
    ledger, people = office
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    editor = tab.editor_for(people["王丽芳"])
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentIndex(2)

    def fill_child(dialog):
        dialog.sex.setCurrentText("女")
        qtbot.keyClicks(dialog.birth, "20150310")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    on_modal(qtbot, fill_child)
    qtbot.mouseClick(editor.add_child_button, Qt.MouseButton.LeftButton)
    assert editor.children_table.rowCount() == 1
    assert editor.children_table.item(0, 3).text() == "2015-03-10"
    assert ledger.db.execute("select reported_date from children where mother_id = ?",
                             [people["王丽芳"]]).fetchone()[0] == date.today().isoformat()

    def fill_procedure(dialog):
        dialog.kind.setCurrentText("上环")
        qtbot.keyClicks(dialog.on, "2015.7.1")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    on_modal(qtbot, fill_procedure)
    qtbot.mouseClick(editor.add_procedure_button, Qt.MouseButton.LeftButton)
    assert editor.procedures_table.item(0, 0).text() == "上环"
    measures = [(editor.measures_table.item(r, 0).text(), editor.measures_table.item(r, 2).text())
                for r in range(editor.measures_table.rowCount())]
    assert measures == [("避孕套", "2015-07-01"), ("宫内节育器", "")]
    actions = [editor.log_table.item(r, 2).text() for r in range(editor.log_table.rowCount())]
    assert "新增子女" in actions and "登记手术：上环" in actions


def test_a_refused_procedure_keeps_the_dialog_open_with_the_reason(qtbot, tab, office, monkeypatch):
    ledger, people = office
    errors = []
    monkeypatch.setattr(messages, "error", lambda parent, text, title=None: errors.append(text))
    editor = tab.editor_for(people["王芳"])
    qtbot.addWidget(editor)

    def fill(dialog):
        dialog.kind.setCurrentText("取环")
        dialog.on.setText("20200101")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        assert dialog.isVisible()
        dialog.reject()

    on_modal(qtbot, fill)
    editor.add_procedure()
    assert errors and "不能取环" in errors[0]
    assert ledger.db.execute("select count(*) from procedures").fetchone()[0] == 0


def test_exit_asks_for_confirmation_and_restore_brings_the_card_back(qtbot, tab, office, monkeypatch):
    ledger, people = office
    questions = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: questions.append(text) or True)
    editor = tab.editor_for(people["张敏"])
    qtbot.addWidget(editor)

    def fill(dialog):
        dialog.reason.setCurrentText("迁出")
        dialog.on.setText("2025.12.1")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    on_modal(qtbot, fill)
    qtbot.mouseClick(editor.exit_button, Qt.MouseButton.LeftButton)
    assert any("张敏" in q for q in questions)
    assert ledger.db.execute("select exit_reason, exit_date from women where id = ?",
                             [people["张敏"]]).fetchone() == ("迁出", "2025-12-01")
    assert editor.restore_button.isEnabled() and not editor.exit_button.isEnabled()
    tab.refresh()
    assert "张敏" not in listed(tab)
    qtbot.mouseClick(editor.restore_button, Qt.MouseButton.LeftButton)
    assert ledger.db.execute("select exit_reason from women where id = ?", [people["张敏"]]).fetchone()[0] is None
    tab.refresh()
    assert "张敏" in listed(tab)


def test_exit_declined_at_the_confirmation_writes_nothing(qtbot, tab, office, monkeypatch):
    ledger, people = office
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    editor = tab.editor_for(people["张敏"])
    qtbot.addWidget(editor)

    def fill(dialog):
        dialog.reason.setCurrentText("死亡")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        dialog.reject()

    on_modal(qtbot, fill)
    editor.exit_card()
    assert ledger.db.execute("select exit_reason from women where id = ?", [people["张敏"]]).fetchone()[0] is None


def test_over_age_list_and_bulk_exit(qtbot, office, monkeypatch):
    ledger, _ = office
    old = b.woman(ledger, "刘老", "430202001001", born="1970-01-01", name_initials="ll")
    from ui.dialogs.over_age_dialog import OverAgeDialog

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    dialog = OverAgeDialog(ledger, None, as_of=date(2026, 3, 1))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "刘老"
    qtbot.mouseClick(dialog.exit_button, Qt.MouseButton.LeftButton)
    assert dialog.exited == 1
    assert ledger.db.execute("select exit_reason, exit_date from women where id = ?", [old]).fetchone() \
        == ("超龄", "2020-01-01")


def test_logic_check_list_groups_findings_and_jumps_to_the_card(qtbot, office):
    ledger, people = office
    with ledger.write() as db:   # an imperfect import: married without a first-marriage date
        db.execute("update women set first_marriage_date = null where id = ?", [people["王芳"]])
    from ui.dialogs.checks_dialog import ChecksDialog

    dialog = ChecksDialog(ledger)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0, timeout=10000)
    qtbot.waitUntil(lambda: dialog.task.done, timeout=10000)
    items = [dialog.tree.topLevelItem(i).child(j) for i in range(dialog.tree.topLevelItemCount())
             for j in range(dialog.tree.topLevelItem(i).childCount())]
    mine = [item for item in items if item.text(0) == "王芳"]
    assert mine
    opened = []
    dialog.open_card.connect(opened.append)
    dialog.tree.itemActivated.emit(mine[0], 0)
    assert opened == [people["王芳"]]


def test_screenshots_at_1366x768(qtbot, tab, office, screenshots_dir):
    ledger, people = office
    tab.resize(1366, 768)
    qtbot.wait(50)
    tab.grab().save(str(screenshots_dir / "registry_tab.png"))
    editor = tab.editor_for(people["王丽芳"])
    qtbot.addWidget(editor)
    editor.show()
    qtbot.wait(50)
    editor.grab().save(str(screenshots_dir / "card_editor_basic.png"))
    editor.tabs.setCurrentIndex(1)
    editor.grab().save(str(screenshots_dir / "card_editor_marriage.png"))
    editor.tabs.setCurrentIndex(6)
    editor.grab().save(str(screenshots_dir / "card_editor_log.png"))
    assert editor.width() <= 1366 and editor.height() <= 768


def test_download_template_writes_the_blank_workbook(qtbot, tab, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    tab.template_action.trigger()
    assert "育龄妇女" in load_workbook(target, read_only=True).sheetnames


def test_demo_data_is_refused_on_a_ledger_with_cards(qtbot, tab, monkeypatch):
    warned = []
    monkeypatch.setattr(messages, "warning", lambda parent, text, title=None: warned.append(text))
    tab.demo_action.trigger()
    assert warned and "空台帐" in warned[0]


def test_demo_data_loads_into_an_empty_ledger_in_the_background(qtbot, ledger, monkeypatch):
    ledger.user = CLERK
    widget = RegistryTab(ledger, CLERK)
    qtbot.addWidget(widget)
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    from ui.registry_demo import load_demo

    task = load_demo(widget, "township", seed=3)
    qtbot.waitUntil(lambda: task.done, timeout=120_000)
    assert task.error is None
    qtbot.waitUntil(lambda: widget.model.total > 10_000)
    assert widget.unit_tree.topLevelItem(0).childCount() >= 1


def test_pregnancy_check_section_shows_results_per_round_and_follow_ups(qtbot, tab, office):
    """孕检 on the card: every round's result (newest first) and the 已孕 follow-up, read-only."""
    from app.roster import results
    from app.roster.results import CheckResult

    ledger, people = office
    woman_id = people["王丽芳"]
    results.record(ledger, "2026Q1", woman_id, CheckResult("已查", check_date=date(2025, 11, 5), place="镇卫生院",
                                                          pregnancy="未孕"))
    results.record(ledger, "2026Q2", woman_id, CheckResult("已查", check_date=date(2026, 2, 10), place="县妇幼",
                                                          pregnancy="已孕", pregnancy_weeks=8))
    editor = tab.editor_for(woman_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentIndex(5)
    assert editor.tabs.tabText(5) == "孕检"
    table = editor.checks_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert rows == [["2026Q2", "已查", "2026-02-10", "县妇幼", "已孕8周"],
                    ["2026Q1", "已查", "2025-11-05", "镇卫生院", "未孕"]]
    follow = editor.followups_table
    assert follow.rowCount() == 1
    assert [follow.item(0, c).text() for c in range(4)] == ["2026Q2", "2026-02-10", "8", "跟踪中"]
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    other = tab.editor_for(people["王芳"])
    qtbot.addWidget(other)
    assert other.checks_table.rowCount() == 0 and other.followups_table.rowCount() == 0


def test_a_backdated_birth_after_a_close_is_announced_before_it_is_saved(qtbot, tab, office, monkeypatch):
    from app.closing import close_period

    ledger, people = office
    ledger.user = None   # the command line's trusted close (a director's right in the window)
    close_period(ledger, "2026-03")
    ledger.user = CLERK
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    editor = tab.editor_for(people["王丽芳"])
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentIndex(2)

    def fill_child(dialog):
        dialog.sex.setCurrentText("女")
        qtbot.keyClicks(dialog.birth, "20260201")
        dialog.reported.clear()
        qtbot.keyClicks(dialog.reported, "20260310")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    on_modal(qtbot, fill_child)
    qtbot.mouseClick(editor.add_child_button, Qt.MouseButton.LeftButton)
    assert asked and "上报日期 2026-03-10 属于已关账的统计期 2026年3月" in asked[0]
    assert ledger.db.execute("select counted_on from children where mother_id = ?",
                             [people["王丽芳"]]).fetchone()[0] == date.today().isoformat()
