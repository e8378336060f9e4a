"""关账 in the reports tab acts on the period whose figures are on screen, never on what is typed
in the box: the button waits for a computation of the displayed period and unit, goes grey as
soon as the box changes, and the confirmation lists the figures being frozen. And the 抽样核对
tab says why a 求实率 passes 100 %."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QMessageBox

from app import closing
from app.accounts import User
from app.periods import Period
from tests.builders import child, township, woman
from tests.halfyear_ledger import build
from tests.reconcile_synth import TruthRow, write_survey
from tests.ui.shell_helpers import *  # noqa: F403 (fixtures: chinese, admin_ledger, recorded)
from tests.ui.test_reports_tab import _join_background_tasks, _open
from ui import messages

REAL_CONFIRM = messages.confirm     # the `recorded` fixture replaces it; the screenshot needs the box

@pytest.fixture
def tab(qtbot, chinese, admin_ledger, recorded):  # noqa: F811
    build(admin_ledger)
    yield _open(qtbot, admin_ledger, admin_ledger.user)
    _join_background_tasks(qtbot)


def _closed(ledger, code: str) -> bool:
    return closing.current_closure(ledger.db, Period.parse(code, ledger.stat_year_start)) is not None


def _type(qtbot, tab, text: str) -> None:
    tab.period_edit.clear()
    qtbot.keyClicks(tab.period_edit, text)


def test_a_typed_but_not_computed_period_cannot_be_closed(qtbot, tab, recorded, monkeypatch, screenshots_dir):
    ledger = tab.ledger
    assert tab.close_button.isEnabled()               # 2026H1 computed and on screen
    _type(qtbot, tab, "2026-03")                      # typed, not computed: the preview still shows 2026H1
    assert not tab.close_button.isEnabled() and not tab.reopen_button.isEnabled()
    tab.grab().save(str(screenshots_dir / "reports_tab_typed_period_close_disabled.png"))
    assert "请先计算本统计期的报表" in tab.close_button.toolTip()
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    tab.close_period()                                # even when called, nothing is closed
    assert asked == [] and "请先计算本统计期的报表。" in recorded.texts("warning")
    assert not _closed(ledger, "2026-03") and not _closed(ledger, "2026H1")
    _type(qtbot, tab, "2026H1")                       # back to what is on screen
    assert tab.close_button.isEnabled()


def test_close_waits_for_the_computation_of_the_displayed_period_and_unit(qtbot, tab):
    _type(qtbot, tab, "2026-03")
    tab.refresh()                                     # computing 2026-03: not yet on screen
    assert not tab.close_button.isEnabled()
    qtbot.waitUntil(lambda: tab.computed_for == ("2026-03", None), timeout=20_000)
    assert tab.close_button.isEnabled()
    tab.refresh()                                     # recomputing the same period: grey until done
    assert not tab.close_button.isEnabled()
    qtbot.waitUntil(lambda: tab.close_button.isEnabled(), timeout=20_000)
    tab.unit_picker.setCurrentIndex(tab.unit_picker.findText("仙庾镇（430202100）"))
    assert not tab.close_button.isEnabled()           # another unit chosen, its forms not computed


def test_the_confirmation_names_the_displayed_period_and_the_figures_it_freezes(qtbot, tab, monkeypatch):
    ledger = tab.ledger
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    tab.close_button.click()
    qtbot.waitUntil(lambda: tab.task.done and tab.computed_for == ("2026H1", None), timeout=20_000)
    (text,) = asked
    assert "2026年上半年（2026H1）" in text
    for line in ("出生：1070 人", "补报出生：173 人", "死亡：307 人", "计划生育手术：533 例",
                 "长效节育措施：应落实 430 人，已落实 182 人"):
        assert line in text, line
    assert _closed(ledger, "2026H1") and "已关账" in tab.status.text()
    assert not tab.close_button.isEnabled()


def test_screenshots_of_the_computed_tab_and_the_real_close_confirmation(qtbot, tab, screenshots_dir,
                                                                        monkeypatch):
    monkeypatch.setattr(messages, "confirm", REAL_CONFIRM)
    qtbot.wait(100)
    base = tab.grab()
    assert (base.width(), base.height()) == (1366, 768)
    base.save(str(screenshots_dir / "reports_tab_computed_close_enabled.png"))
    seen = {}

    def look_and_decline() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        shot = tab.grab()
        painter = QPainter(shot)
        painter.drawPixmap(QPoint((shot.width() - box.width()) // 2, (shot.height() - box.height()) // 2),
                           box.grab())
        painter.end()
        shot.save(str(screenshots_dir / "reports_tab_close_confirmation.png"))
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(300, look_and_decline)
    tab.close_button.click()                          # the real message box, answered 否
    assert "出生：1070 人" in seen["text"] and not _closed(tab.ledger, "2026H1")


def test_the_reconcile_summary_explains_an_accuracy_over_100(qtbot, chinese, ledger, tmp_path):
    from ui.reconcile_tab import ReconcileTab

    (village,) = township(ledger, 1)
    for i in range(2):
        mother = woman(ledger, f"赵{i}", unit=village, born="1991-01-01", married="2014-01-01")
        child(ledger, mother, 1, born=f"2026-02-0{i + 1}", sex="女")
    row = {"单位代码": village, "母亲姓名": "李0", "母亲证件号码": None, "丈夫姓名": None, "子女姓名": None,
           "性别": "男", "出生日期": date(2026, 1, 15), "孩次": 1, "现住址": None}
    path = write_survey(tmp_path / "抽样调查.xlsx", [TruthRow(row, None, "")])
    widget = ReconcileTab(ledger, User(1, "clerk", "统计员", "工作人员"), None)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.load(str(path), "2026H1")
    qtbot.waitUntil(lambda: widget._task is not None and widget._task.done and widget.rec is not None,
                    timeout=30_000)
    assert "300.00%" in widget.summary.text()
    assert "求实率超过 100%：台帐有而调查未见（多报/未核实）2 人，见清单" in widget.summary.text()


def test_closing_while_a_unit_is_shown_quotes_that_unit_and_says_the_close_covers_all(qtbot, tab, monkeypatch):
    tab.unit_picker.setCurrentIndex(tab.unit_picker.findText("仙庾镇（430202100）"))
    tab.refresh()
    qtbot.waitUntil(lambda: tab.computed_for == ("2026H1", "430202100") and tab.close_button.isEnabled(),
                    timeout=20_000)
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or False)
    tab.close_button.click()
    (text,) = asked
    assert "将冻结仙庾镇的以下数字" in text and "出生：214 人" in text
    assert "关账对本台帐的所有单位生效，不只是仙庾镇。" in text
    assert not _closed(tab.ledger, "2026H1")          # answered 否
