"""Casework in the window: 生育登记 and 开具证明 from the card, the child dialog offering the
registration, the registrations list with counts by order, the 奖扶/特扶 screening page, and the
new forms listed in the reports tab. Screenshots go to /tmp/h22_*.png."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt

from app import registry
from app.accounts import SECTION_HEAD, User
from app.casework import registrations
from tests import builders as b
from tests.ui.test_registry_tab import on_modal
from ui import messages
from ui.registry_tab import RegistryTab

CLERK = User(1, "zhang", "张干事", SECTION_HEAD)


@pytest.fixture(autouse=True)
def chinese(qapp):
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def office(ledger):
    ledger.user = CLERK
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    b.unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    fields = {"name": "王芳", "id_number": b.make_id("1992-02-03"), "unit_code": "430202001001",
              "hukou_type": "农业", "residence": "流出", "marital_status": "初婚",
              "first_marriage_date": "2014-05-01", "husband_name": "李强",
              "husband_id_number": b.make_id("1990-01-01", female=False), "husband_hukou_type": "农业",
              "float_reason": "务工经商", "float_date": "2024-03-01"}
    wid = registry.save_woman(ledger, fields).id
    registry.add_measure(ledger, wid, "避孕套", "2015-01-01")
    registry.add_child(ledger, wid, {"birth_order": 1, "sex": "女", "birth_date": "2016-06-06", "policy": "政策内"})
    old = b.woman(ledger, "赵兰", "430202001001", born="1960-05-05", married="1982-01-01", husband="钱福",
                  husband_id_number=b.make_id("1958-01-01", female=False), husband_hukou_type="农业",
                  exit_reason="超龄", exit_date="2010-05-05")
    b.child(ledger, old, 1, born="1984-01-01", sex="男")
    return ledger, wid


@pytest.fixture
def tab(qtbot, office):
    widget = RegistryTab(office[0], CLERK)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def test_register_a_second_child_print_the_sheet_and_link_the_child_when_entered(qtbot, tab, office, tmp_path,
                                                                              monkeypatch):
    ledger, wid = office
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    editor = tab.editor_for(wid)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.register_button.isEnabled() and editor.certificate_button.isEnabled()
    dialog = editor.casework_dialog("registration")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.order.value() == 2
    qtbot.keyClicks(dialog.expected, "20270115")
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "2"
    number = dialog.table.item(0, 0).text()
    assert number.endswith("-0001") and number in dialog.message.text()
    dialog.grab().save("/tmp/h22_registration.png")
    assert dialog.print_sheet(str(tmp_path / "sheet.pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True).stdout
    assert "生育登记服务单" in text and number in text and "李强" in text
    dialog.reject()

    def fill_child(child_dialog):
        assert child_dialog.registration.currentData() is not None     # the registration of order 2
        child_dialog.grab().save("/tmp/h22_child_dialog.png")
        child_dialog.sex.setCurrentText("男")
        qtbot.keyClicks(child_dialog.birth, "20261120")
        child_dialog.buttons.button(child_dialog.buttons.StandardButton.Ok).click()

    on_modal(qtbot, fill_child)
    editor.add_child()
    [reg] = registrations.for_card(ledger.db, wid)
    assert reg["child_id"] is not None and reg["birth_date"] == "2026-11-20"


def test_issue_a_floating_certificate_print_and_reprint_it(qtbot, tab, office, tmp_path):
    ledger, wid = office
    editor = tab.editor_for(wid)
    qtbot.addWidget(editor)
    dialog = editor.casework_dialog("certificate")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.setCurrentText("流动人口婚育证明")
    qtbot.keyClicks(dialog.recipient, "dongguan")
    done = dialog.issue()
    assert done is not None and dialog.table.rowCount() == 1
    assert dialog.print_letter(str(tmp_path / "a.pdf"))
    assert dialog.print_letter(str(tmp_path / "b.pdf"))
    assert dialog.table.item(0, 5).text() == "2（补打 1）"
    dialog.grab().save("/tmp/h22_certificate.png")
    again = subprocess.run(["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True).stdout
    assert "补打" in again and done.number in again
    editor.load()
    assert editor.float_cert_no.text() == done.number


def test_the_registrations_list_counts_by_order(qtbot, tab, office):
    ledger, wid = office
    registrations.register_birth(ledger, wid, 2)
    dialog = tab.casework_list("registrations")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.period_edit.setText(str(registrations.date.today().year) + "-" + f"{registrations.date.today().month:02d}")
    dialog.refresh()
    assert "二孩 1" in dialog.summary.text() and dialog.table.rowCount() == 1
    assert "*" in dialog.table.item(0, 3).text()      # the ID number is masked on screen
    dialog.grab().save("/tmp/h22_registrations.png")


def test_the_rewards_page_lists_both_spouses_and_exports_the_publicity_list(qtbot, tab, office, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    dialog = tab.casework_list("rewards")
    qtbot.addWidget(dialog)
    dialog.resize(1100, 500)
    dialog.show()
    dialog.year.setValue(2026)
    dialog.refresh()
    names = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert names == {"赵兰", "钱福"}
    assert dialog.table.item(0, 7).text() == "是"
    dialog.grab().save("/tmp/h22_rewards.png")
    written = dialog.export(str(tmp_path))
    assert sorted(p.name for p in written) == ["2026_奖扶特扶公示名单.pdf", "2026_奖扶特扶公示名单.xlsx"]


def test_the_reports_tab_lists_the_new_forms(qtbot, office):
    from ui.reports_tab import ReportsTab

    ledger, _ = office
    tab = ReportsTab(ledger, CLERK)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.set_period("2026")
    qtbot.waitUntil(lambda: bool(tab.forms), timeout=60_000)
    titles = [tab.tabs.tabText(i) for i in range(tab.tabs.count())]
    for title in ("人口变动情况表", "育龄妇女年龄结构", "已婚育龄妇女孩次、节育情况", "已婚育龄妇女生殖健康服务情况"):
        assert title in titles
    tab.tabs.setCurrentIndex(titles.index("育龄妇女年龄结构"))
    tab.grab().save("/tmp/h22_reports_tab.png")
