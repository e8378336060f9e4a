"""A large result is read in the sort index's order; the rows are the same as before.

`search.page(…, total=count)` walks `women_name` / `women_husband` when the query matches many
cards (a 1-character name, one pinyin letter, one digit) instead of fetching and sorting every
hit. Every query kind, filter, sort direction and offset must give exactly the rows of the
hits-driven page (the old road, `total` unknown), on a township demo ledger.
"""

from __future__ import annotations

import random

import pytest

from app import demo, search
from app.ledger import Ledger
from app.search import Filters, Query


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    ledger = Ledger.create(tmp_path_factory.mktemp("walk") / "t.db", "仙庾镇计生办", actor="test")
    demo.generate(ledger, "township", seed=3)
    ledger.db.execute("analyze")
    yield ledger
    ledger.close()


def _texts(db) -> list[str]:
    rng = random.Random(4)
    names = [r[0] for r in db.execute("select name from women order by id")]
    husbands = [r[0] for r in db.execute("select husband_name from women where husband_name is not null")]
    ids = [r[0] for r in db.execute("select id_number from women")]
    picked = rng.sample(names, 6)
    return ([n[0] for n in picked] + [n[-1] for n in picked] + [n[:2] for n in picked]
            + [n[1:3] for n in picked if len(n) == 3] + rng.sample(names, 3) + rng.sample(husbands, 2)
            + ["w", "l", "zh", "x", "1", "2", "0", "19", rng.choice(ids)[-4:], rng.choice(ids)[:6]]
            + ["王 1", "李 l", "丽 芳", "z 3"])


FILTERS = [Filters(), Filters(status=search.ALL), Filters(status=search.EXITED),
           Filters(residence="流入"), Filters(marital_statuses=("初婚", "再婚")),
           Filters(age_min=30, age_max=40, on="2026-06-30"), Filters(measure=search.NO_MEASURE)]


def test_walked_pages_equal_hit_driven_pages_for_every_query_kind(township):
    db = township.db
    walked = 0
    for text in _texts(db):
        for filters in FILTERS:
            for sort in ("name", "husband_name"):
                for descending in (False, True):
                    query = Query(text, filters, sort, descending)
                    total = search.count(db, query)
                    for offset, limit in ((0, 256), (0, 20), (40, 20), (600, 50)):
                        if search._walk_index(db, query, total, offset, limit):
                            walked += 1
                        assert search.ids(db, query, limit, offset, total=total) == \
                            search.ids(db, query, limit, offset), (text, filters, sort, descending, offset)
    assert walked > 100       # the walk is really taken, for many of these queries


def test_first_page_gives_the_page_rows_and_the_count(township):
    db = township.db
    for text in ("王", "芳", "w", "1", "王芳"):
        query = Query(text)
        rows, total = search.first_page(db, query)
        assert rows == search.page(db, query)
        assert total == search.count(db, query)


def test_a_one_character_query_walks_the_name_index(township):
    db = township.db
    query = Query("王")
    total = search.count(db, query)
    assert total > 1000
    index = search._walk_index(db, query, total, 0, search.PAGE_SIZE)
    assert index == "women_name"
    body, params = search._from_where(db, query, index)
    plan = " | ".join(r[3] for r in db.execute(
        f"explain query plan select w.id {body}{search._order(query)} limit 256", params))
    # the name index alone decides the page (covering: the status comes from the exited
    # cards' index), no sort of the hits
    assert "SCAN w USING COVERING INDEX women_name" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_the_count_without_row_lookups_equals_the_rows_found(township):
    """Text and a card status only: counted from the ids and the exited cards' index; the
    number is that of the rows the query lists, for every status."""
    db = township.db
    for text in _texts(db):
        for status in (search.ACTIVE, search.EXITED, search.ALL):
            query = Query(text, Filters(status=status, on="2026-06-30"))
            assert search.count(db, query) == len(search.ids(db, query, limit=1_000_000)), (text, status)
