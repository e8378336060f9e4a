"""The 汇总 page of a district office's reports tab, driven like a clerk would (issue 18 item 3):
put the stick in, read each township's status, consolidate, read the district's forms and draft,
export to the stick."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt

from app.district.level import DISTRICT, set_office_level
from app.exchange import period_package
from app.ledger import Ledger
from tests import builders
from tests.ui.shell_helpers import *  # noqa: F403 (fixtures: chinese, admin_ledger, recorded)
from ui.reports_tab import ReportsTab

PERIOD = "2026H1"
TOWNSHIPS = [("430202100", "仙庾镇", "乡镇"), ("430202101", "明照乡", "乡镇"), ("430202001", "桂花办事处", "街道")]


@pytest.fixture
def stick(tmp_path):
    """A USB stick with the packages of the first two townships (the third has not come in)."""
    root = tmp_path / "stick"
    for n, (code, name, kind) in enumerate(TOWNSHIPS[:2]):
        ledger = Ledger.create(tmp_path / f"{code}.db", f"{name}计生办", 10, actor="test")
        builders.township(ledger, villages=2 + n, code=code, name=name, kind=kind)
        period_package.write(ledger, period_package.prepare(ledger, PERIOD), root / name)
        ledger.close()
    return root


@pytest.fixture
def district_tab(qtbot, chinese, admin_ledger, recorded):  # noqa: F811
    ledger = admin_ledger
    builders.unit(ledger, "430202", "荷塘区", "区县")
    for code, name, kind in TOWNSHIPS:
        builders.unit(ledger, code, name, kind, parent="430202")
    set_office_level(ledger, DISTRICT)
    tab = ReportsTab(ledger, ledger.user, None)
    tab.resize(1366, 800)
    tab.show()
    tab.period_edit.setText(PERIOD)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.task.done and tab.computed_for == (PERIOD, None), timeout=20_000)
    yield tab
    qtbot.waitUntil(lambda: all(task.done for task in tab.running), timeout=30_000)
    if tab.district_page.export_task is not None:
        qtbot.waitUntil(lambda: tab.district_page.export_task.done, timeout=30_000)
    tab.close()
    tab.deleteLater()


def _rows(page) -> list[list[str]]:
    return [[page.table.item(r, c).text() for c in range(page.table.columnCount())]
            for r in range(page.table.rowCount())]


def _show(tab, page):
    tab.tabs.setCurrentWidget(page)


def test_a_township_office_has_no_consolidation_page(qtbot, chinese, admin_ledger, recorded):  # noqa: F811
    tab = ReportsTab(admin_ledger, admin_ledger.user, None)
    qtbot.addWidget(tab)
    assert tab.district_page is None
    assert "汇总" not in [tab.tabs.tabText(i) for i in range(tab.tabs.count())]
    qtbot.waitUntil(lambda: all(task.done for task in tab.running), timeout=20_000)


def test_the_consolidation_page_verifies_consolidates_previews_and_exports(qtbot, district_tab, stick, tmp_path,
                                                                           recorded):  # noqa: F811
    tab, page = district_tab, district_tab.district_page
    assert "汇总" in [tab.tabs.tabText(i) for i in range(tab.tabs.count())]
    _show(tab, page)
    page.add_folders([stick])
    rows = _rows(page)
    assert [r[:2] for r in rows] == [["仙庾镇（430202100）", "已收到"], ["明照乡（430202101）", "已收到"],
                                     ["桂花办事处（430202001）", "未收到"]]
    assert page.consolidate_button.isEnabled() and not page.export_button.isEnabled()
    page.grab().save("/tmp/h21_district_received.png")

    recorded.answer = True                       # consolidate without 桂花办事处
    qtbot.mouseClick(page.consolidate_button, Qt.MouseButton.LeftButton)
    assert any("未交数据包：桂花办事处" in text for kind, text in recorded.shown if kind == "confirm")
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == ["计划生育报表", "人口与出生情况", "节育情况", "长效节育措施落实情况表", "人口变动情况表", "育龄妇女年龄结构",
                      "已婚育龄妇女孩次、节育情况", "分析稿"]
    births = page.previews[1]
    names = [births.cell_text(r, 0) for r in range(births.table.rowCount())]
    assert {"仙庾镇", "明照乡", "桂花办事处", "合计"} <= set(names)
    total = next(r for r in range(births.table.rowCount()) if births.cell_text(r, 0) == "合计")
    assert births.cell_text(total, 2) == "5"        # 2 + 3 villages, one birth each
    assert all("未交数据包的乡镇（街道）：桂花办事处" in " ".join(f.notes) for f in page.result.package.forms)
    assert "仙庾镇应落实" in page.draft.toPlainText() or "仙庾镇结扎" in page.draft.toPlainText()
    page.tabs.setCurrentIndex(1)
    page.grab().save("/tmp/h21_district_forms.png")
    page.tabs.setCurrentIndex(4)
    page.grab().save("/tmp/h21_district_draft.png")

    out = tmp_path / "district-stick"
    page.choose_export_folder = lambda: str(out)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.export_task is not None and page.export_task.done, timeout=30_000)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {"figures.json", "dhis2/dataValueSets.json"} <= {f["name"] for f in manifest["files"]}
    assert manifest["missing_units"] == ["430202001"]


def test_a_damaged_package_reads_failed_and_a_resubmission_shows_its_changes(qtbot, district_tab, stick, tmp_path):
    tab, page = district_tab, district_tab.district_page
    _show(tab, page)
    page.add_folders([stick])
    page.consolidate()                           # recorded.answer defaults to True
    # 明照乡 resubmits with one more birth; 仙庾镇's copy on a second stick is damaged
    ledger = Ledger.open(tmp_path / "430202101.db", actor="test")
    mother = builders.woman(ledger, "补录", unit="430202101201", born="1993-05-05", married="2016-01-01")
    builders.child(ledger, mother, 1, born="2026-02-01", sex="女")
    second = tmp_path / "second"
    period_package.write(ledger, period_package.prepare(ledger, PERIOD), second / "明照乡")
    ledger.close()
    shutil.copytree(stick / "仙庾镇", second / "仙庾镇")
    figures = second / "仙庾镇" / "figures.json"
    data = figures.read_bytes()
    assert b'"births": 2,' in data
    figures.write_bytes(data.replace(b'"births": 2,', b'"births": 7,', 1))
    page.clear()
    page.add_folders([second])
    rows = {r[0]: r for r in _rows(page)}
    assert rows["明照乡（430202101）"][1] == "重报"
    assert "births 3 → 4" in rows["明照乡（430202101）"][3]
    assert rows["仙庾镇（430202100）"][1] == "校验失败"
    assert "figures.json 的 SHA-256 与清单不符" in rows["仙庾镇（430202100）"][3]
    assert not page.consolidate_button.isEnabled()
    page.table.resizeRowsToContents()
    page.grab().save("/tmp/h21_district_failed.png")
