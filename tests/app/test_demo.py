"""Demo data: realistic, valid, consistent, only on an empty ledger."""

from __future__ import annotations

import pytest

from app import checks, demo, idcard
from app.errors import UserInputError
from tests import builders as b


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    from app.ledger import Ledger

    ledger = Ledger.create(tmp_path_factory.mktemp("demo") / "t.db", "仙庾镇计生办", actor="test")
    counts = demo.generate(ledger, "township", seed=11)
    yield ledger, counts
    ledger.close()


def test_township_has_about_15000_women_with_valid_unique_ids(township):
    ledger, counts = township
    assert counts["women"] == 15000
    numbers = [r[0] for r in ledger.db.execute("select id_number from women")]
    assert len(set(numbers)) == len(numbers)
    assert all(idcard.is_valid(n) for n in numbers)
    mismatched = [1 for n, born in ledger.db.execute("select id_number, birth_date from women")
                  if idcard.parse(n).birth_date.isoformat() != born or idcard.parse(n).sex != "女"]
    assert mismatched == []


def test_names_are_plausible_with_about_40_percent_two_characters(township):
    ledger, _ = township
    names = [r[0] for r in ledger.db.execute("select name from women")]
    two = sum(1 for n in names if len(n) == 2) / len(names)
    assert 0.33 < two < 0.47
    assert ledger.db.execute("select count(*) from women where name_initials is null").fetchone()[0] == 0


def test_the_demo_ledger_has_no_logic_errors_only_the_women_turning_50(township):
    ledger, _ = township
    found = checks.run_all(ledger.db)
    assert [f for f in found if f.severity == "error"] == []
    assert {f.check for f in found} <= {"age", "measure_failure", "birth_order_gap"}
    assert any(f.check == "age" for f in found)


def test_births_are_reported_mostly_in_their_month_and_some_late(township):
    ledger, _ = township
    same, late, total = ledger.db.execute("""select sum(substr(reported_date, 1, 7) = substr(birth_date, 1, 7)),
        sum(reported_date > date(birth_date, '+2 months')), count(*) from children""").fetchone()
    assert same / total > 0.7 and 0.02 < late / total < 0.15


def test_floating_women_and_population_base_exist(township):
    ledger, counts = township
    residences = dict(ledger.db.execute("select residence, count(*) from women group by residence").fetchall())
    assert residences["流入"] > 300 and residences["流出"] > 200
    assert counts["population_base"] > 0
    assert ledger.db.execute("select count(distinct period) from population_base").fetchone()[0] >= 13


def test_demo_refuses_a_ledger_that_is_not_empty(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    with pytest.raises(UserInputError, match="只能载入空台帐"):
        demo.generate(ledger, "township")


def test_cancelling_the_demo_writes_nothing(ledger):
    with pytest.raises(UserInputError, match="已取消"):
        demo.generate(ledger, "township", progress=lambda done, total, stage: False)
    assert demo.is_empty(ledger.db)
