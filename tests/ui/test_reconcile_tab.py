"""The 抽样核对 tab driven as a clerk would: load a survey, filter, decide in review, add a 漏报, 手工台帐."""

from __future__ import annotations

import random

import pytest

from app.accounts import User
from app.periods import Period
from tests import reconcile_synth as synth
from ui import messages
from ui.reconcile_tab import ReconcileTab


@pytest.fixture(autouse=True)
def chinese(qapp):
    """Run in Chinese like the shipped program (ui.main installs the same translators)."""
    from ui.i18n import install_translators

    if not getattr(qapp, "_fpledger_translators", None):
        qapp._fpledger_translators = install_translators(qapp)
    return qapp


@pytest.fixture
def tab(qtbot, ledger, tmp_path):
    rng = random.Random(11)
    info = synth.build_ledger(ledger, rng, villages=4, women_per_village=60)
    rows = synth.make_survey(ledger.db, Period.parse("2026H1"), info["villages"][:3], rng, cover=0.9)
    # Two same-named mothers with births a few days apart and no ID or husband on the survey: review.
    from datetime import date

    from tests.builders import child, woman
    v = info["villages"][0]
    a = woman(ledger, "周丽", v, born="1991-01-01", married="2014-01-01", husband="吴强")
    b = woman(ledger, "周丽", v, born="1993-01-01", married="2015-01-01", husband="郑军")
    child(ledger, a, 1, born="2026-02-10", sex="女", reported="2026-02-11")
    child(ledger, b, 1, born="2026-02-12", sex="女", reported="2026-02-13")
    rows.append(synth.TruthRow({"单位代码": v, "母亲姓名": "周丽", "母亲证件号码": None, "丈夫姓名": None,
                                "子女姓名": None, "性别": "女", "出生日期": date(2026, 2, 11), "孩次": 1,
                                "现住址": None}, None, "review"))
    path = synth.write_survey(tmp_path / "抽样调查.xlsx", rows)
    widget = ReconcileTab(ledger, User(1, "clerk", "统计员", "工作人员"), None)
    widget.resize(1366, 768)
    qtbot.addWidget(widget)
    widget.show()
    return widget, path, rows


def _wait(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: widget._task is not None and widget._task.done, timeout=30_000)
    qtbot.wait(50)


def test_loading_a_survey_shows_outcomes_rates_and_the_review_queue(qtbot, tab, screenshots_dir):
    widget, path, rows = tab
    widget.load(str(path), "2026H1")
    _wait(qtbot, widget)
    assert widget.rec is not None and widget.rec.total.survey_births == len(rows)
    assert widget.results.rowCount() == len(rows)
    assert widget.units_table.rowCount() == 4          # three villages and 合计
    assert f"{widget.rec.total.survey_births}" in widget.summary.text() and "%" in widget.summary.text()
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData("unreported"))
    assert 0 < widget.results.rowCount() < len(rows)
    assert all(widget.results.item(i, 9).text() == "漏报" for i in range(widget.results.rowCount()))
    widget.filter_combo.setCurrentIndex(0)
    widget.grab().save(str(screenshots_dir / "reconcile_results.png"))
    widget.pages.setCurrentWidget(widget.review)
    assert widget.review.queue.count() >= 1
    assert widget.review.grid.columnCount() >= 3       # the survey and two candidates side by side
    qtbot.wait(50)
    widget.grab().save(str(screenshots_dir / "reconcile_review.png"))


def test_a_review_decision_is_kept_and_ties_the_row(qtbot, tab):
    widget, path, _rows = tab
    widget.load(str(path), "2026H1")
    _wait(qtbot, widget)
    review = widget.review
    row_number = review.current.row.row_number
    chosen = review.choice.itemData(0)
    review.decide("accept")
    _wait(qtbot, widget)
    tied = next(r for r in widget.rec.results if r.row.row_number == row_number)
    assert tied.child is not None and tied.child.id == chosen and tied.stage == "decision"
    assert all(r.row.row_number != row_number for r in review.rows)


def test_adding_an_unreported_birth_asks_and_then_writes_it(qtbot, tab, monkeypatch):
    widget, path, _rows = tab
    widget.load(str(path), "2026H1")
    _wait(qtbot, widget)
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData("unreported"))
    known = next(i for i, r in enumerate(widget._shown_rows) if r.mother_woman_id is not None)
    widget.results.selectRow(known)
    assert widget.add_button.isEnabled()
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    from ui.dialogs import add_unreported_dialog

    def accept_at_once(dialog):
        dialog.submit()
        return True

    monkeypatch.setattr(add_unreported_dialog.AddUnreportedDialog, "exec", accept_at_once)
    before = widget.ledger.db.execute("select count(*) from children").fetchone()[0]
    widget.add_unreported()
    _wait(qtbot, widget)
    assert widget.ledger.db.execute("select count(*) from children").fetchone()[0] == before + 1


def test_manual_ledger_grid_highlights_differences_and_drills_down(qtbot, tab, monkeypatch, screenshots_dir):
    widget, _path, _rows = tab
    page = widget.manual
    page.period_edit.setText("2026H1")
    page.unit_combo.setCurrentIndex(page.unit_combo.findData("430202001001"))
    page.item_combo.setCurrentText("出生")
    page.count_spin.setValue(3)
    page.save()
    assert page.grid.rowCount() == 8
    births = next(i for i, c in enumerate(page.rows) if c.item == "出生")
    assert page.rows[births].difference == 3 - page.rows[births].computed != 0
    assert page.grid.item(births, 5).background().color().name() == "#f8d0d0"
    shown = []
    from ui import reconcile_manual

    monkeypatch.setattr(reconcile_manual.CardsDialog, "exec", lambda self: shown.append(self) or 0)
    page.grid.setCurrentCell(births, 0)
    page.drill_down()
    table = shown[0].findChild(reconcile_manual.QTableWidget, "cardsTable")
    assert table.rowCount() == page.rows[births].computed
    assert "*" in table.item(0, 2).text()
    widget.pages.setCurrentWidget(page)
    page.grid.clearSelection()
    widget.grab().save(str(screenshots_dir / "reconcile_manual.png"))


def test_date_slips_show_as_a_date_to_verify_marker_and_in_the_row_detail(qtbot, tab):
    """DOMAIN.md §7: a surveyor's date slip is 一致 with a note; the clerk sees it as 待核日期."""
    widget, path, rows = tab
    widget.load(str(path), "2026H1")
    _wait(qtbot, widget)
    header = [widget.results.horizontalHeaderItem(j).text() for j in range(widget.results.columnCount())]
    column = header.index("待核日期")
    expected = sum(1 for r in rows if r.notes)
    assert expected > 0 and f"出生日期待核（相差不超过 3 天或日月颠倒，不算错报）：{expected} 人" in widget.summary.text()
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData("date_notes"))
    assert widget.results.rowCount() == expected
    for i, r in enumerate(widget._shown_rows):
        cell = widget.results.item(i, column)
        assert cell.text() in ("日月颠倒", "相差 1 天", "相差 2 天", "相差 3 天")
        assert cell.toolTip() == r.notes[0] and cell.text() in r.notes[0]
        assert widget.results.item(i, 9).text() in ("一致", "错报")
        assert "出生日期" not in widget.results.item(i, 10).text()
    widget.results.selectRow(0)
    first = widget._shown_rows[0]
    assert f"调查表第 {first.row.row_number} 行" in widget.row_detail.text()
    assert f"待核日期：{first.notes[0]}" in widget.row_detail.text()
    widget.filter_combo.setCurrentIndex(0)
    plain = next(i for i, r in enumerate(widget._shown_rows) if r.child is not None and not r.notes)
    assert widget.results.item(plain, column).text() == ""
    widget.results.selectRow(plain)
    assert "待核日期" not in widget.row_detail.text()
