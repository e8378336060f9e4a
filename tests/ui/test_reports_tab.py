"""The reports tab driven like a clerk would: pick 2026H1, read the forms on screen, export to a
stick, close and reopen, enter the population base, look at the charts."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QTableWidgetItem

from app.accounts import DIRECTOR, create_user
from app.exchange.export_package import MANIFEST
from tests.halfyear_ledger import build
from tests.ui.shell_helpers import *  # noqa: F403 (fixtures: chinese, admin_ledger, recorded)
from ui.reports_tab import ReportsTab


@pytest.fixture
def seeded(admin_ledger):
    build(admin_ledger)
    return admin_ledger


_OPENED: list[ReportsTab] = []


def _join_background_tasks(qtbot) -> None:
    """Let every background task of the test's tabs finish, and its result be delivered,
    before the tabs are deleted and the ledger closes."""
    tasks = [task for tab in _OPENED for task in [*tab.running, tab.export_task] if task is not None]
    qtbot.waitUntil(lambda: all(task.done for task in tasks), timeout=60_000)
    for tab in _OPENED:
        tab.close()
        tab.deleteLater()
    _OPENED.clear()


def _open(qtbot, ledger, user, period="2026H1") -> ReportsTab:
    tab = ReportsTab(ledger, user, None)
    _OPENED.append(tab)       # deleted by _join_background_tasks, after its tasks end
    tab.resize(1366, 768)
    tab.show()
    tab.period_edit.setText(period)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.task.done and tab.computed_for == (period, None), timeout=20_000)
    return tab


@pytest.fixture
def tab(qtbot, chinese, seeded, recorded):  # noqa: F811
    yield _open(qtbot, seeded, seeded.user)
    _join_background_tasks(qtbot)


def _row(preview, first_cell):
    table = preview.table
    for r in range(table.rowCount()):
        if preview.cell_text(r, 0) == first_cell:
            return [preview.cell_text(r, c) for c in range(table.columnCount())]
    raise AssertionError(first_cell)


def test_each_form_is_previewed_as_printed_with_the_seed_figures(tab):
    titles = [tab.tabs.tabText(i) for i in range(tab.tabs.count())]
    assert titles[:4] == ["计划生育报表", "人口与出生情况", "节育情况", "长效节育措施落实情况表"]
    long_acting = tab.previews[3]
    assert _row(long_acting, "合计") == ["合计", "430", "182", "248", "42.33", "33", "150"]
    assert _row(long_acting, "宋家桥办事处")[1:5] == ["19", "8", "11", "42.11"]
    births = tab.previews[1]
    total = _row(births, "合计")
    assert total[1] == "220444" and "4.85" in total and "3.46" in total and "100.37" in total
    # the merged header: 出生人数 spans its 合计/男/女 leaves; column numbers follow the header
    table = births.table
    spans = [(r, c, table.rowSpan(r, c), table.columnSpan(r, c)) for r in range(births.header_rows())
             for c in range(table.columnCount()) if table.columnSpan(r, c) > 1 or table.rowSpan(r, c) > 1]
    assert any(births.cell_text(r, c) == "出生人数" and cs == 3 for r, c, _, cs in spans)
    assert births.cell_text(births.header_rows() - 1, 0) == "甲"
    assert long_acting.legal.text().startswith("表    号")
    assert "单位负责人" in long_acting.footer.text()


def test_export_to_a_stick_in_the_background_and_say_it_is_safe_to_remove(qtbot, tab, recorded, tmp_path,
                                                                          monkeypatch):
    stick = tmp_path / "U盘"
    monkeypatch.setattr(tab, "choose_folder", lambda: str(stick))
    tab.export_button.click()
    qtbot.waitUntil(lambda: tab.export_task is not None and tab.export_task.done, timeout=30_000)
    assert any("可以安全拔出U盘" in text for text in recorded.texts("info"))
    manifest = json.loads((stick / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 16 and manifest["period"] == "2026H1"


def test_close_then_only_a_director_may_reopen_with_a_reason(qtbot, tab, seeded, recorded, monkeypatch):
    monkeypatch.setattr("ui.messages.confirm", lambda *a, **k: True)
    tab.close_button.click()
    qtbot.waitUntil(lambda: tab.task.done, timeout=20_000)
    assert "已关账" in tab.status.text()
    assert not tab.close_button.isEnabled()
    assert not tab.reopen_button.isEnabled()        # the administrator is not a director

    with seeded.write("创建用户", "user", "zhang"):
        director = create_user(seeded.db, "zhang", "张局长", DIRECTOR, "zhang-2026")
    seeded.user = director
    boss = _open(qtbot, seeded, director)
    assert boss.reopen_button.isEnabled()
    monkeypatch.setattr(boss, "ask_reason", lambda: "")
    boss.reopen_button.click()
    assert any("原因" in text for text in recorded.texts("error"))
    monkeypatch.setattr(boss, "ask_reason", lambda: "村里补录了两条出生")
    boss.reopen_button.click()
    qtbot.waitUntil(lambda: boss.task.done, timeout=20_000)
    assert "未关账" in boss.status.text()
    actions = [r[0] for r in seeded.conn.execute("select action from audit_log")]
    assert "关账" in actions and "重新打开统计期" in actions


def test_a_closed_period_shows_its_snapshot_and_recomputes_only_when_asked(qtbot, tab, seeded, recorded,
                                                                          tmp_path, monkeypatch):
    from app import registry
    from app.stats import report

    assert not tab.live_box.isEnabled() and not tab.live_box.isChecked()     # an open period
    tab.close_button.click()
    qtbot.waitUntil(lambda: tab.task.done, timeout=20_000)
    assert "显示报送时冻结的数字" in tab.status.text() and tab.live_box.isEnabled()
    submitted = _row(tab.previews[1], "合计")
    [girl] = [r[0] for r in seeded.conn.execute(
        "select c.id from children c join women w on w.id = c.mother_id where c.sex = '女'"
        " and c.birth_date between '2025-10-01' and '2026-03-31' and c.kinship = '亲生'"
        " and w.residence = '常住' and w.exit_reason is null and c.reported_date <= '2026-03-31' limit 1")]
    registry.update_child(seeded, girl, {"sex": "男"})
    tab.refresh()
    qtbot.waitUntil(lambda: tab.task.done, timeout=20_000)
    assert _row(tab.previews[1], "合计") == submitted and tab.previews[1].banner.isHidden()

    recorded.answer = False                                   # the clerk thinks again
    tab.live_box.setChecked(True)
    assert not tab.live_box.isChecked() and tab.task.done
    recorded.answer = True
    tab.live_box.setChecked(True)
    qtbot.waitUntil(lambda: tab.task.done and tab.package.source == "live_over_closed", timeout=20_000)
    live = report(seeded.db, "2026H1", live=True)
    assert _row(tab.previews[1], "合计")[3:5] == [str(live["births_male"]), str(live["births_female"])]
    assert _row(tab.previews[1], "合计") != submitted
    assert all("与已报送数不一致" in preview.banner.text() and not preview.banner.isHidden() for preview in tab.previews)
    assert "与已报送数不一致" in tab.status.text()

    stick = tmp_path / "U盘"
    monkeypatch.setattr(tab, "choose_folder", lambda: str(stick))
    tab.export_button.click()
    qtbot.waitUntil(lambda: tab.export_task is not None and tab.export_task.done, timeout=30_000)
    manifest = json.loads((stick / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source"] == "live_over_closed" and "figures.json" in [f["name"] for f in manifest["files"]]

    tab.set_period("2026H2")              # another period: the recomputation is not carried over
    qtbot.waitUntil(lambda: tab.task.done, timeout=20_000)
    assert not tab.live_box.isChecked() and tab.package.source == "live"


def test_population_base_is_entered_per_unit(qtbot, tab, seeded, recorded):
    table = tab.base_table
    row = next(i for i, e in enumerate(tab.base_entries) if e.name == "仙庾镇")
    table.setItem(row, 1, QTableWidgetItem("61,300"))
    table.setItem(row, 2, QTableWidgetItem("91"))
    tab.base_save.click()
    stored = seeded.conn.execute("select population, deaths from population_base where unit_id = ? and period = ?",
                                 [tab.base_entries[row].unit_id, "2026H1"]).fetchone()
    assert tuple(stored) == (61300, 91)
    qtbot.waitUntil(lambda: tab.task.done, timeout=20_000)
    table = tab.base_table
    table.setItem(row, 1, QTableWidgetItem("六万"))
    tab.base_save.click()
    assert any("仙庾镇" in text and "不是整数" in text for text in recorded.texts("error"))


def test_analysis_draft_can_be_copied_and_saved_as_pdf(qtbot, tab, tmp_path, recorded):
    tab.draft.setPlainText("上半年，全区总人口为220444人，全区总出生1070人。\n存在问题：……")
    tab.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text().startswith("上半年，全区总人口为220444人")
    path = tmp_path / "draft.pdf"
    tab.write_draft_pdf(str(path))
    from pypdf import PdfReader

    assert "220444" in PdfReader(path).pages[0].extract_text()


def test_quick_pick_sets_the_period(qtbot, tab):
    index = next(i for i in range(tab.quick.count()) if str(tab.quick.itemText(i)).startswith("本统计年度"))
    code = tab.quick.itemData(index)
    tab.quick.activated.emit(index)
    assert tab.period_edit.text() == code


def test_screenshots_at_1366x768(qtbot, tab, screenshots_dir):
    tab.tabs.setCurrentIndex(1)
    qtbot.wait(50)
    tab.grab().save(str(screenshots_dir / "reports_tab_births_form.png"))
    tab.tabs.setCurrentIndex(3)
    qtbot.wait(50)
    tab.grab().save(str(screenshots_dir / "reports_tab_long_acting.png"))
    tab.tabs.setCurrentWidget(tab.base_page)
    qtbot.wait(50)
    tab.grab().save(str(screenshots_dir / "reports_tab_population_base.png"))
    tab.tabs.setCurrentWidget(tab.chart_page)
    qtbot.waitUntil(lambda: tab.chart_task is not None and tab.chart_task.done, timeout=60_000)
    qtbot.wait(50)
    assert tab.births_chart.series and sum(tab.births_chart.series[0][1]) > 0
    tab.grab().save(str(screenshots_dir / "reports_tab_charts.png"))


def test_changes_since_the_close_are_listed_in_the_window(qtbot, tab, seeded, recorded, monkeypatch):
    """关账后差异 without the command line: a child's sex changed after the close shows as figure
    differences (in Chinese), and a birth entered into the closed period as a late entry."""
    from app import registry

    monkeypatch.setattr("ui.messages.confirm", lambda *a, **k: True)
    assert not tab.differences_button.isEnabled()          # open period: nothing to compare with
    tab.close_button.click()
    qtbot.waitUntil(lambda: tab.task.done and tab.differences_button.isEnabled(), timeout=20_000)
    seeded.db.execute("update period_closures set closed_at = datetime(closed_at, '-1 hour')")
    child_id, mother_id = seeded.db.execute(
        "select c.id, c.mother_id from children c where c.birth_date between '2026-01-01' and '2026-03-31'"
        " and c.kinship = '亲生' order by c.id limit 1").fetchone()
    sex = seeded.db.execute("select sex from children where id = ?", [child_id]).fetchone()[0]
    registry.update_child(seeded, child_id, {"sex": "女" if sex == "男" else "男"})
    tab.differences_button.click()
    qtbot.waitUntil(lambda: getattr(tab, "differences_dialog", None) is not None
                    and tab.differences_dialog.isVisible(), timeout=30_000)
    dialog = tab.differences_dialog
    labels = [dialog.figures.item(r, 1).text() for r in range(dialog.figures.rowCount())]
    assert "出生（男）" in labels and "出生（女）" in labels
    assert dialog.late.rowCount() >= 1
    kinds = {dialog.late.item(r, 2).text() for r in range(dialog.late.rowCount())}
    assert "子女" in kinds
    dialog.close()
