"""Empty states: a tab with nothing in it yet says, in Chinese, what to do — and the hint goes
away once there is something to show. The demo ledger fills the attendance tab."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import demo
from app.accounts import ADMIN, STAFF, User
from app.periods import add_months
from tests.attendance_builders import add_person
from ui.attendance_tab import AttendanceTab
from ui.reconcile_tab import ReconcileTab
from ui.roster_tab import RosterTab


@pytest.fixture(autouse=True)
def chinese(qapp):
    """Run in Chinese like the shipped program (ui.main installs the same translators)."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


def _attendance(qtbot, ledger) -> AttendanceTab:
    user = User(1, "admin", "管理员", ADMIN)
    ledger.user = user
    tab = AttendanceTab(ledger, user, None)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    return tab


def test_the_attendance_grid_without_staff_says_how_to_get_some(qtbot, ledger, screenshots_dir):
    tab = _attendance(qtbot, ledger)
    hint = tab.grid.empty_hint
    assert not hint.isHidden()
    assert hint.text() == "还没有工作人员。请用“导入考勤文件…”导入含“人员”工作表的工作簿，或载入示例数据。"
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab().save(str(screenshots_dir / "empty_attendance.png"))
    add_person(ledger, "001", "张丽")
    tab.refresh()
    assert hint.isHidden()


def test_the_demo_ledger_fills_last_months_attendance_grid(qtbot, ledger, screenshots_dir):
    demo.generate(ledger, "township", seed=1)
    tab = _attendance(qtbot, ledger)
    today = date.today()
    year, month = add_months(today.year, today.month, -1)
    tab.clock = lambda: datetime.now()
    tab.set_month(f"{year:04d}-{month:02d}")
    tab.refresh()
    assert tab.grid.empty_hint.isHidden()
    assert 12 <= tab.grid.table.rowCount() <= 20
    cells = {tab.grid.cell_text(r, c) for r in range(tab.grid.table.rowCount())
             for c in range(tab.grid.table.columnCount())}
    assert {"休", "值"} <= cells                      # rest days and weekend duty
    assert any("迟" in text for text in cells) and any("旷" in text for text in cells)
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab().save(str(screenshots_dir / "attendance_demo_grid.png"))


def test_the_review_queue_before_any_survey_says_to_load_one(qtbot, ledger, screenshots_dir):
    tab = ReconcileTab(ledger, User(1, "clerk", "统计员", STAFF), None)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.pages.setCurrentWidget(tab.review)
    assert "导入调查表…" in tab.review.summary.text() and "需要核实" in tab.review.summary.text()
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab().save(str(screenshots_dir / "empty_reconcile_review.png"))


def test_the_roster_of_an_empty_ledger_says_where_cards_come_from(qtbot, ledger):
    tab = RosterTab(ledger, User(1, "clerk", "张专干", STAFF))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: not tab.busy and tab.scope is not None)   # computed on a worker
    assert not tab.empty_hint.isHidden()
    assert "本轮没有应查对象" in tab.empty_hint.text()
