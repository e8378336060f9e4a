"""Search as you type never blocks typing: the query runs on a worker, the last keystroke wins.

Driven through the real tab (the search box, its timer, the model); `app.search.first_page` is
wrapped only to hold or slow the worker so the order of events is certain.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from app import search
from tests import builders as b
from tests.ui.test_registry_tab import CLERK, card, listed, type_search
from ui.registry_tab import RegistryTab

real_first_page = search.first_page


@pytest.fixture
def office(ledger):
    """The registry tab test's office: 王芳 (husband 李强), 王丽芳, 李秀英, 张敏 (husband 王刚)."""
    ledger.user = CLERK
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    b.unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    b.unit(ledger, "430202001002", "杏花村", "村", parent="430202001")
    card(ledger, "王芳", "430202001001", "1988-02-03", husband="李强")
    card(ledger, "王丽芳", "430202001002", "1990-07-08", husband="陈建国")
    card(ledger, "李秀英", "430202001002", "2001-01-01", married=None)
    card(ledger, "张敏", "430202001001", "1979-11-30", husband="王刚")
    return ledger


@pytest.fixture
def tab(qtbot, office):
    widget = RegistryTab(office, CLERK)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def _settled(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.model.searching, timeout=10_000)


def test_the_query_runs_off_the_gui_thread_and_typing_goes_on(qtbot, tab, monkeypatch):
    release = threading.Event()
    threads: list[threading.Thread] = []

    def held(db, query, limit=search.PAGE_SIZE):
        if threading.current_thread() is not threading.main_thread():
            threads.append(threading.current_thread())
            release.wait(10)
        return real_first_page(db, query, limit)

    monkeypatch.setattr(search, "first_page", held)
    before = sorted(listed(tab))
    type_search(qtbot, tab, "王芳")
    qtbot.waitUntil(lambda: bool(threads), timeout=5_000)          # the worker is inside the query …
    assert threads[0] is not threading.main_thread()
    qtbot.keyClicks(tab.search_box, "x")                      # … and the box still takes keys
    assert tab.search_box.text() == "王芳x"
    assert sorted(listed(tab)) == before                      # nothing shown until it is done
    type_search(qtbot, tab, "王芳")
    release.set()
    qtbot.waitUntil(lambda: listed(tab) == ["王芳"], timeout=10_000)
    _settled(qtbot, tab)


def test_only_the_last_keystroke_is_shown(qtbot, tab, monkeypatch):
    def slow(db, query, limit=search.PAGE_SIZE):
        result = real_first_page(db, query, limit)
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.15)      # every keystroke's search still runs when the next one comes
        return result

    monkeypatch.setattr(search, "first_page", slow)
    shown: list[int] = []
    tab.model.counted.connect(shown.append)
    for text in ("王", "王芳", "王丽", "李"):
        tab.search_box.setText(text)
        tab.apply_query()                                     # what the timer does per keystroke
    _settled(qtbot, tab)
    qtbot.wait(400)                                           # the older workers have all ended
    assert sorted(listed(tab)) == ["李秀英", "王芳"]            # 王芳's husband is 李强
    assert shown == [2]                                       # one result applied: the last one
    assert tab.model.query.text == "李"


def test_a_running_query_is_interrupted_by_the_next_keystroke(qtbot, tab, monkeypatch):
    interrupted: list[str] = []
    started = threading.Event()

    def endless_first(db, query, limit=search.PAGE_SIZE):
        if query.text == "王" and threading.current_thread() is not threading.main_thread():
            started.set()
            try:
                db.execute("with recursive n(i) as (select 1 union all select i + 1 from n)"
                           " select count(*) from n").fetchone()
            except sqlite3.OperationalError as exc:
                interrupted.append(str(exc))
                raise
        return real_first_page(db, query, limit)

    monkeypatch.setattr(search, "first_page", endless_first)
    tab.search_box.setText("王")
    tab.apply_query()
    assert started.wait(5)
    tab.search_box.setText("张敏")
    tab.apply_query()
    qtbot.waitUntil(lambda: listed(tab) == ["张敏"], timeout=10_000)
    qtbot.waitUntil(lambda: bool(interrupted), timeout=5_000)
    assert "interrupt" in interrupted[0]


def test_enter_shows_the_typed_query_at_once(qtbot, tab, monkeypatch):
    from PySide6.QtCore import Qt

    release = threading.Event()

    def held(db, query, limit=search.PAGE_SIZE):
        if threading.current_thread() is not threading.main_thread():
            release.wait(10)
        return real_first_page(db, query, limit)

    monkeypatch.setattr(search, "first_page", held)
    type_search(qtbot, tab, "王丽芳")
    qtbot.waitUntil(lambda: tab.model.searching, timeout=5_000)
    qtbot.keyClick(tab.search_box, Qt.Key.Key_Down)
    assert listed(tab) == ["王丽芳"] and tab.table.hasFocus()
    release.set()
    qtbot.wait(200)
    assert listed(tab) == ["王丽芳"]


@pytest.mark.parametrize("text", ["王", "芳", "wf", "lxy", "1", "王 芳"])
def test_the_worker_shows_the_same_rows_as_the_search(qtbot, tab, office, text):
    ledger = office
    type_search(qtbot, tab, text)
    qtbot.waitUntil(lambda: tab.model.query.text == text and not tab.model.searching, timeout=10_000)
    query = search.Query(text)
    assert [r["id"] for r in tab.model.rows] == search.ids(ledger.db, query)
    assert tab.model.total == search.count(ledger.db, query)
