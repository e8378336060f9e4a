"""app.roster.view: the roster tab's one call gives the figures and worklists app.roster.rates gives.

The tree has the awkward units of the rates rules: a village moved inside the round, one moved
after it, a unit created after the round's end (its women stand for its parent), a woman on the
root itself; results of every kind, a 流出 woman past the certificate deadline.
"""

from __future__ import annotations

from datetime import date

import pytest

from app import units
from app.roster import due, rates, results, rounds
from app.roster import view as roster_view
from app.roster.results import CheckResult
from tests.builders import measure, unit, woman

ROUND = "2026Q2"
TODAY = date(2026, 6, 1)


@pytest.fixture
def town(ledger):
    unit(ledger, "4302", "荷塘区", "区县")
    unit(ledger, "430201", "仙庾镇", "乡镇", parent="4302")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430202", "明照乡", "乡镇", parent="4302")
    unit(ledger, "430202001", "新村", "村", parent="430202")
    with ledger.write():
        unit(ledger, "430201003", "梨花村", "村", parent="430201")
        units.move(ledger.db, "430201003", "430202", "2026-02-15")
        unit(ledger, "430201004", "桃园村", "村", parent="430201")
        units.move(ledger.db, "430201004", "430202", "2026-05-01")
    unit(ledger, "430202009", "新建社区", "社区", parent="430202", since="2026-06-01")
    people = {}
    for i, (name, code) in enumerate([("甲", "430201001"), ("乙", "430201001"), ("丙", "430201003"),
                                      ("丁", "430201004"), ("戊", "430202009"), ("己", "4302"),
                                      ("庚", "430202001"), ("辛", "430202001")]):
        people[name] = woman(ledger, name, code, residence="流出" if name in "丁庚" else "常住",
                             phone=f"1390000{i:04d}")
        measure(ledger, people[name], ("宫内节育器", "避孕套", "皮下埋植", "未避孕")[i % 4], "2020-01-01")
    woman(ledger, "未婚", "430201001", married=None)
    results.record(ledger, ROUND, people["甲"], CheckResult("已查", check_date=date(2026, 1, 10)))
    results.record(ledger, ROUND, people["丁"], CheckResult("寄回证明", certificate_date=date(2026, 2, 1)))
    results.record(ledger, ROUND, people["丙"], CheckResult("未查", followup_action="电话通知"))
    return ledger


def as_rows(items: list[rates.WorkItem]) -> list[tuple]:
    return [(i.woman.woman_id, i.result.result if i.result else None, i.days_overdue) for i in items]


@pytest.mark.parametrize("code", [None, "4302", "430201", "430202", "430202001"])
def test_scope_figures_and_worklists_match_the_rates_module(town, code):
    rnd = rounds.resolve(town, ROUND)
    data = roster_view.roster_view(town, rnd, today=TODAY)
    unit_id = units.id_for_code(town.db, code) if code else None
    scope = roster_view.scope_of(data, unit_id)
    expected = rates.figures(town, rnd, code, today=TODAY)
    assert scope.figures.as_json() == expected.as_json()
    inside = rates.subtree(town, rnd.end, unit_id) if unit_id else None
    assert as_rows(scope.missed) == as_rows(rates.missed_worklist(town, rnd, inside))
    assert as_rows(scope.overdue) == as_rows(rates.overdue_certificates(town, rnd, TODAY, inside))
    assert scope.unit_code == code


def test_tree_tallies_roll_each_woman_up_from_the_unit_she_stands_for(town):
    rnd = rounds.resolve(town, ROUND)
    data = roster_view.roster_view(town, rnd, today=TODAY)
    by_code = {u.code: data.tally(u.id) for u in data.units}
    assert (data.tally(None).due, data.tally(None).checked, data.tally(None).certificate) == (8, 1, 1)
    assert by_code["4302"].due == 8                       # the root holds everyone, 己 included
    assert by_code["430201"].due == 3                     # 甲 乙 + 丁 (桃园村 moved only after the round)
    assert by_code["430202"].due == 4                     # 丙 (梨花村 moved inside), 戊 (新建社区 → parent), 庚 辛
    assert "430202009" not in by_code                     # created after the round: not in its tree
    assert by_code["430201001"].rate == 50


def test_the_due_list_is_read_once_and_can_be_reused(town, monkeypatch):
    calls = []
    real = due.due_list
    monkeypatch.setattr(due, "due_list", lambda *a, **k: calls.append(1) or real(*a, **k))
    rnd = rounds.resolve(town, ROUND)
    data = roster_view.roster_view(town, rnd, today=TODAY)
    again = roster_view.roster_view(town, rnd, today=TODAY, women=data.women)
    assert calls == [1] and again.women is data.women
    assert again.tally(None).due == 8


def test_progress_false_cancels(town):
    rnd = rounds.resolve(town, ROUND)
    seen = []

    def progress(done, total, text):
        seen.append(done)
        return done < 2

    with pytest.raises(roster_view.ViewCancelled):
        roster_view.roster_view(town, rnd, progress=progress)
    assert seen[-1] == 2 and seen[0] == 0
